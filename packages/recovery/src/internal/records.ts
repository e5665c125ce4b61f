/**
 * Payloads of the data journal frames this package writes (kinds 3, 5 and 6; FORMAT.md). Kind 1 is
 * `@sky/txn`'s redo record, kinds 2 and 4 are `@sky/gns` bytes carried as they are.
 *
 *   prepare   := version:u8 idLength:u16 id:utf8 echoLength:u32 echo action:u8
 *                modelCount:u16 (length:u16 modelId:utf8)* removedCount:u16 removed:u16*
 *   time mark := version:u8 wallClockMs:u64
 *   lost      := version:u8 json:utf8 (the rest: where the lost frame's bytes are quarantined)
 *
 * Decoders check every length against the bytes left and throw RangeError on malformed input.
 */
import { assert } from '@sky/std'

const recordVersion = 1
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** The data change a prepared DDL makes once committed. */
export type PreparedAction =
  /** Drop the stores of these models (drop model / drop space with rows). */
  | { readonly kind: 'drop'; readonly modelIds: readonly string[] }
  /** Rewrite every row of the model without the fields at these indexes (alter remove). */
  | { readonly kind: 'rewrite'; readonly modelId: string; readonly removed: readonly number[] }
  /** No row changes (alter add or update on a model with rows). */
  | { readonly kind: 'none'; readonly modelId: string }

/** A two-phase DDL's PREPARE record (frame kind 3). */
export interface PrepareRecord {
  readonly id: string
  /** `PrepareResult.echo`: the GNS prepare event. */
  readonly echo: Uint8Array
  readonly action: PreparedAction
}

const actionCodes = { drop: 1, rewrite: 2, none: 3 } as const

class Reader {
  #at = 0
  readonly #view: DataView
  constructor(private readonly bytes: Uint8Array) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  }
  #need(count: number): void {
    if (this.#at + count > this.bytes.length)
      throw new RangeError('record shorter than its lengths')
  }
  u8(): number {
    this.#need(1)
    return this.#view.getUint8(this.#at++)
  }
  u16(): number {
    this.#need(2)
    const value = this.#view.getUint16(this.#at, true)
    this.#at += 2
    return value
  }
  u32(): number {
    this.#need(4)
    const value = this.#view.getUint32(this.#at, true)
    this.#at += 4
    return value
  }
  u64(): bigint {
    this.#need(8)
    const value = this.#view.getBigUint64(this.#at, true)
    this.#at += 8
    return value
  }
  bytesOf(count: number): Uint8Array {
    this.#need(count)
    const value = this.bytes.slice(this.#at, this.#at + count)
    this.#at += count
    return value
  }
  text(count: number): string {
    return decoder.decode(this.bytesOf(count))
  }
  rest(): Uint8Array {
    return this.bytesOf(this.bytes.length - this.#at)
  }
  end(): void {
    if (this.#at !== this.bytes.length) throw new RangeError('trailing bytes after a record')
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0)
  const bytes = new Uint8Array(total)
  let at = 0
  for (const part of parts) {
    bytes.set(part, at)
    at += part.length
  }
  return bytes
}

function u16(value: number): Uint8Array {
  assert(Number.isInteger(value) && value >= 0 && value < 65536, 'u16 in range')
  return new Uint8Array([value & 0xff, value >> 8])
}

function u32(value: number): Uint8Array {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, value, true)
  return bytes
}

function shortText(value: string): Uint8Array[] {
  const bytes = encoder.encode(value)
  return [u16(bytes.length), bytes]
}

export function encodePrepare(record: PrepareRecord): Uint8Array {
  const { action } = record
  const modelIds = action.kind === 'drop' ? action.modelIds : [action.modelId]
  const removed = action.kind === 'rewrite' ? action.removed : []
  return concat([
    new Uint8Array([recordVersion]),
    ...shortText(record.id),
    u32(record.echo.length),
    record.echo,
    new Uint8Array([actionCodes[action.kind]]),
    u16(modelIds.length),
    ...modelIds.flatMap(shortText),
    u16(removed.length),
    ...removed.map(u16),
  ])
}

export function decodePrepare(bytes: Uint8Array): PrepareRecord {
  const reader = new Reader(bytes)
  const version = reader.u8()
  if (version !== recordVersion) throw new RangeError(`prepare record version ${version}`)
  const id = reader.text(reader.u16())
  const echo = reader.bytesOf(reader.u32())
  const code = reader.u8()
  const modelIds = Array.from({ length: reader.u16() }, () => reader.text(reader.u16()))
  const removed = Array.from({ length: reader.u16() }, () => reader.u16())
  reader.end()
  const first = modelIds[0]
  switch (code) {
    case actionCodes.drop:
      return { id, echo, action: { kind: 'drop', modelIds } }
    case actionCodes.rewrite:
      if (first === undefined) throw new RangeError('a rewrite names its model')
      return { id, echo, action: { kind: 'rewrite', modelId: first, removed } }
    case actionCodes.none:
      if (first === undefined) throw new RangeError('an alter names its model')
      return { id, echo, action: { kind: 'none', modelId: first } }
    default:
      throw new RangeError(`unknown prepared action ${code}`)
  }
}

export function encodeTimeMark(wallClockMs: number): Uint8Array {
  const bytes = new Uint8Array(9)
  bytes[0] = recordVersion
  new DataView(bytes.buffer).setBigUint64(1, BigInt(Math.max(0, Math.floor(wallClockMs))), true)
  return bytes
}

export function decodeTimeMark(bytes: Uint8Array): number {
  const reader = new Reader(bytes)
  const version = reader.u8()
  if (version !== recordVersion) throw new RangeError(`time mark version ${version}`)
  const value = Number(reader.u64())
  reader.end()
  return value
}

/** What a lost-frame placeholder says (frame kind 6). */
export interface LostRecord {
  readonly lostInRepair: true
  /** The quarantine entry holding the damaged bytes. */
  readonly quarantine: string
  readonly segment: string
  readonly offset: number
}

export function encodeLost(record: LostRecord): Uint8Array {
  return concat([new Uint8Array([recordVersion]), encoder.encode(JSON.stringify(record))])
}

export function decodeLost(bytes: Uint8Array): LostRecord {
  const reader = new Reader(bytes)
  const version = reader.u8()
  if (version !== recordVersion) throw new RangeError(`lost record version ${version}`)
  return JSON.parse(decoder.decode(reader.rest())) as LostRecord
}
