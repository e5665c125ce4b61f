/**
 * Limits on every length a peer can claim. Skytable sets none explicitly; skydb bounds each one
 * so a hostile or broken peer cannot make a decoder allocate, buffer or loop without end
 * (skyhash.md §4).
 *
 * Invariants: every limit is a non-negative safe integer; a decoder checks a claimed length against
 * its limit as soon as the length's digits end, before waiting for (or allocating) what it claims.
 */
import { assert } from '@sky/std'

/**
 * Named maxima used by {@link ServerDecoder} (the first five) and {@link ClientDecoder} (the rest).
 * A claim beyond a limit is a fatal `PROTOCOL_LIMIT_EXCEEDED` carrying the limit's name.
 */
export interface ProtocolLimits {
  /** Longest user name in a client hello, in bytes. Default 4 KiB. Beyond: handshake code 0. */
  readonly usernameBytesMax: number
  /** Longest password in a client hello, in bytes. Default 4 KiB. Beyond: handshake code 0. */
  readonly passwordBytesMax: number
  /** Largest packet size (the number after `S`), in bytes. Default 16 MiB. Beyond: error 6. */
  readonly packetBytesMax: number
  /** Longest query text, in bytes. Default 1 MiB. Beyond: error 6. */
  readonly queryBytesMax: number
  /** Most parameters in one query packet. Default 65 536. Beyond: error 6. */
  readonly parameterCountMax: number
  /** Largest single response, in bytes, as the client counts it. Default 64 MiB. */
  readonly responseBytesMax: number
  /** Longest binary or string inside a response, in bytes. Default 16 MiB. */
  readonly valueBytesMax: number
  /** Most elements of a list, cells of a row, rows or columns of a multirow. Default 1 Mi. */
  readonly elementCountMax: number
  /** Deepest nesting of lists inside a response (a flat list has depth 1). Default 64. */
  readonly listDepthMax: number
}

/** The defaults of {@link ProtocolLimits}. */
export const defaultProtocolLimits: ProtocolLimits = Object.freeze({
  usernameBytesMax: 4 * 1024,
  passwordBytesMax: 4 * 1024,
  packetBytesMax: 16 * 1024 * 1024,
  queryBytesMax: 1024 * 1024,
  parameterCountMax: 65_536,
  responseBytesMax: 64 * 1024 * 1024,
  valueBytesMax: 16 * 1024 * 1024,
  elementCountMax: 1024 * 1024,
  listDepthMax: 64,
})

// Relations between the defaults: a query fits in a packet, a value fits in a response, and a
// value as large as the largest packet can come back to the client that stored it.
const defaults = defaultProtocolLimits
assert(defaults.queryBytesMax <= defaults.packetBytesMax, 'a query fits in a packet')
assert(defaults.valueBytesMax <= defaults.responseBytesMax, 'a value fits in a response')
assert(defaults.valueBytesMax >= defaults.packetBytesMax, 'what was stored can come back')

/**
 * Fills the missing limits with their defaults and checks the given ones.
 *
 * @throws RangeError if a limit is not a non-negative safe integer, or a key is unknown.
 * @example
 * ```ts
 * const limits = resolveProtocolLimits({ packetBytesMax: 1024 * 1024 })
 * ```
 */
export function resolveProtocolLimits(options: Partial<ProtocolLimits> = {}): ProtocolLimits {
  const resolved: Record<string, number> = { ...defaultProtocolLimits }
  for (const [name, value] of Object.entries(options)) {
    if (!(name in defaultProtocolLimits)) throw new RangeError(`unknown protocol limit ${name}`)
    if (value === undefined) continue
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${name} must be a non-negative safe integer, got ${String(value)}`)
    }
    resolved[name] = value
  }
  return Object.freeze(resolved as unknown as ProtocolLimits)
}
