/**
 * Query packet encoder (skyhash.md §2):
 * `S <packet size>\n <query length>\n <query text> <parameter block>`, where the packet size counts
 * every byte after its own LF.
 *
 * Invariant: the packet size written equals the bytes that follow it (asserted).
 */
import { assert } from '@sky/std'
import { ByteWriter } from './internal/byte-writer.js'
import { encodeUtf8 } from './internal/utf8.js'
import { QUERY_MARKER } from './internal/wire.js'
import { writeParameter } from './parameter.js'
import type { Parameter } from './parameter.js'

/**
 * Encodes one query packet. `query` is the statement text (a string is sent as UTF-8; BlueQL
 * accepts only ASCII, and the server answers other bytes with error 26).
 *
 * @throws TypeError or RangeError for a parameter that does not fit its type (see
 *   {@link encodeParameters}), or a query string holding a lone surrogate.
 * @example
 * ```ts
 * encodeQuery('select * from s.users where username = ?', [{ type: 'string', value: 'sayan' }])
 * // "S51\n40\nselect * from s.users where username = ?\x065\nsayan"
 * ```
 */
export function encodeQuery(
  query: string | Uint8Array,
  parameters: readonly Parameter[] = [],
): Uint8Array {
  const text = typeof query === 'string' ? encodeUtf8(query, 'query') : query
  if (!(text instanceof Uint8Array)) throw new TypeError('query must be a string or Uint8Array')
  const body = new ByteWriter(text.length + 32)
  body.decimalLine(text.length)
  body.bytes(text)
  parameters.forEach((parameter, index) => writeParameter(body, parameter, index))
  const bodyBytes = body.finish()
  const packet = new ByteWriter(bodyBytes.length + 22)
  packet.byte(QUERY_MARKER)
  packet.decimalLine(bodyBytes.length)
  const headerBytes = packet.length
  packet.bytes(bodyBytes)
  const result = packet.finish()
  assert(result.length - headerBytes === bodyBytes.length, 'packet size counts the body')
  return result
}
