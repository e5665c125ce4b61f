/**
 * One catalog event as bytes: the payload of a GNS journal frame, and the echo the caller writes to
 * the data journal. FORMAT.md, "Event", documents this layout; the constants live here only.
 *
 *   [4 magic "GNSE"][u8 version][u8 type][u16 reserved = 0][u64 seq][u32 body bytes][u32 crc32]
 *   [body: UTF-8 JSON]                                                            (little endian)
 *
 * The crc covers the 20 header bytes before it and the body, so an echo is checked wherever it is
 * stored. A reader checks, in order: length (short), magic and crc (bad), version (version), then
 * the type and body (bad).
 */
import { assert } from '@sky/std'
import { type Change, changeTypeCodes, changeTypeOfCode } from './change.js'
import { changeFromJson, changeToJson } from './change-json.js'
import { crc32 } from './crc.js'
import { eventBytesMax } from './limits.js'

export const eventHeaderBytes = 24
export const eventMagic = new Uint8Array([0x47, 0x4e, 0x53, 0x45]) // "GNSE"
export const eventFormatVersion = 1

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** What a reader found. */
export type EventRead =
  | { readonly status: 'ok'; readonly seq: number; readonly change: Change }
  | { readonly status: 'short' }
  | { readonly status: 'bad'; readonly reason: string }
  | { readonly status: 'version'; readonly version: number }

/** Encodes event `seq`. Throws RangeError when the body exceeds `eventBytesMax`. */
export function encodeEvent(seq: number, change: Change): Uint8Array {
  assert(Number.isSafeInteger(seq) && seq >= 1, 'event seq is a positive integer')
  const body = encoder.encode(JSON.stringify(changeToJson(change)))
  if (body.length > eventBytesMax)
    throw new RangeError(`event of ${body.length} bytes exceeds ${eventBytesMax}`)
  const bytes = new Uint8Array(eventHeaderBytes + body.length)
  const view = new DataView(bytes.buffer)
  bytes.set(eventMagic, 0)
  view.setUint8(4, eventFormatVersion)
  view.setUint8(5, changeTypeCodes[change.type])
  view.setBigUint64(8, BigInt(seq), true)
  view.setUint32(16, body.length, true)
  bytes.set(body, eventHeaderBytes)
  view.setUint32(20, crc32(body, crc32(bytes.subarray(0, 20))), true)
  const check = decodeEvent(bytes)
  assert(check.status === 'ok' && check.seq === seq, 'an encoded event decodes to itself')
  return bytes
}

/** Decodes an event without trusting any field before checking it. */
export function decodeEvent(bytes: Uint8Array): EventRead {
  if (bytes.length < eventHeaderBytes) return { status: 'short' }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  for (let at = 0; at < eventMagic.length; at++) {
    if (bytes[at] !== eventMagic[at]) return { status: 'bad', reason: 'magic' }
  }
  const bodyBytes = view.getUint32(16, true)
  if (bodyBytes > eventBytesMax) return { status: 'bad', reason: 'body length' }
  if (eventHeaderBytes + bodyBytes > bytes.length) return { status: 'short' }
  if (eventHeaderBytes + bodyBytes < bytes.length)
    return { status: 'bad', reason: 'trailing bytes' }
  const body = bytes.subarray(eventHeaderBytes)
  if (crc32(body, crc32(bytes.subarray(0, 20))) !== view.getUint32(20, true))
    return { status: 'bad', reason: 'crc' }
  const version = view.getUint8(4)
  if (version !== eventFormatVersion) return { status: 'version', version }
  const type = changeTypeOfCode.get(view.getUint8(5))
  const seq = view.getBigUint64(8, true)
  if (type === undefined || seq < 1n || seq > BigInt(Number.MAX_SAFE_INTEGER))
    return { status: 'bad', reason: 'header' }
  let json: unknown
  try {
    json = JSON.parse(decoder.decode(body))
  } catch {
    return { status: 'bad', reason: 'body is not JSON' }
  }
  const change = changeFromJson(type, json)
  if (change === undefined) return { status: 'bad', reason: 'body is not a valid change' }
  return { status: 'ok', seq: Number(seq), change }
}
