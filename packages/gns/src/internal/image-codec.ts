/**
 * A catalog image as bytes: the content of `gns.a`/`gns.b`, of a snapshot frame in the GNS journal,
 * and of the image a data checkpoint embeds. FORMAT.md, "Catalog image", documents the layout; the
 * constants live here only.
 *
 *   header (48 bytes, little endian)
 *     0  8  magic "SKYGNSCK"          24  8  seq (last event included)
 *     8  4  format version            32  4  body bytes
 *    12  4  header bytes (48)         36  4  record count
 *    16  8  generation                40  4  crc32 of bytes 0..39 (header crc)
 *                                     44  4  crc32 of bytes 0..43 and the body (file crc)
 *   body: records, each
 *     0  4  payload bytes    8  8  key (id)          32  n  name (UTF-8)
 *     4  1  kind             16 8  parent key        32+n 4 crc32 of bytes 0..31+n (header crc)
 *     5  1  name bytes n     24 8  changed seq       36+n 4 crc32 of the payload
 *     6  1  flags (bit 0: unavailable)               40+n ... payload (UTF-8 JSON)
 *     7  1  reserved = 0
 *
 * Two levels of checksums: the file crc says whether the image is intact; each record's own crcs
 * say which object is damaged when it is not (its header crc keeps its identity readable even
 * when its payload is damaged), so one bad byte costs one object, not the catalog.
 */
import { assert } from '@sky/std'
import { crc32 } from './crc.js'

export const imageHeaderBytes = 48
/** "SKYGNSCK" */
export const imageMagic = new Uint8Array([0x53, 0x4b, 0x59, 0x47, 0x4e, 0x53, 0x43, 0x4b])
export const imageFormatVersion = 1
export const recordFixedBytes = 40

/** Record kinds. Never renumber. */
export const recordKinds = { meta: 1, space: 2, model: 3, user: 4 } as const
export type RecordKind = (typeof recordKinds)[keyof typeof recordKinds]
export const flagUnavailable = 1

/** What identifies a record, readable whenever its header crc holds. */
export interface RecordIdentity {
  readonly kind: RecordKind
  readonly key: number
  readonly parent: number
  readonly changedSeq: number
  readonly name: string
  readonly flags: number
  /** Offset of the record in the image (from the start of the file). */
  readonly offset: number
}

/** A record to encode. */
export interface RecordInput {
  readonly kind: RecordKind
  readonly key: number
  readonly parent: number
  readonly changedSeq: number
  readonly name: string
  readonly flags: number
  readonly payload: unknown
}

/** An intact record: identity and parsed payload. */
export interface IntactRecord extends RecordIdentity {
  readonly payload: unknown
}

/** A record whose identity is known but whose payload failed its crc or did not parse. */
export interface DamagedRecord extends RecordIdentity {
  readonly reason: string
}

export type ImageRead =
  | { readonly status: 'short' | 'bad-magic' | 'bad-header'; readonly detail: string }
  | { readonly status: 'version'; readonly version: number }
  | {
      readonly status: 'read'
      readonly generation: number
      readonly seq: number
      /** The file crc holds. */
      readonly fileCrcOk: boolean
      readonly records: readonly IntactRecord[]
      readonly damaged: readonly DamagedRecord[]
      /** Byte ranges (file offsets) whose records could not even be identified. */
      readonly unidentified: readonly { readonly offset: number; readonly length: number }[]
      /** Records found (intact + damaged) equal the header's count and nothing is unidentified. */
      readonly countOk: boolean
    }

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

function encodeRecord(record: RecordInput): Uint8Array {
  const name = encoder.encode(record.name)
  assert(name.length <= 255, 'a record name fits a u8 length')
  const payload = encoder.encode(JSON.stringify(record.payload))
  const bytes = new Uint8Array(recordFixedBytes + name.length + payload.length)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, payload.length, true)
  view.setUint8(4, record.kind)
  view.setUint8(5, name.length)
  view.setUint8(6, record.flags)
  view.setBigUint64(8, BigInt(record.key), true)
  view.setBigUint64(16, BigInt(record.parent), true)
  view.setBigUint64(24, BigInt(record.changedSeq), true)
  bytes.set(name, 32)
  const headerEnd = 32 + name.length
  view.setUint32(headerEnd, crc32(bytes.subarray(0, headerEnd)), true)
  view.setUint32(headerEnd + 4, crc32(payload), true)
  bytes.set(payload, headerEnd + 8)
  return bytes
}

/** Encodes an image from its records (the first must be the meta record). */
export function encodeImage(
  generation: number,
  seq: number,
  records: readonly RecordInput[],
): Uint8Array {
  assert(records[0]?.kind === recordKinds.meta, 'an image starts with its meta record')
  const parts = records.map(encodeRecord)
  const bodyBytes = parts.reduce((sum, part) => sum + part.length, 0)
  const bytes = new Uint8Array(imageHeaderBytes + bodyBytes)
  const view = new DataView(bytes.buffer)
  bytes.set(imageMagic, 0)
  view.setUint32(8, imageFormatVersion, true)
  view.setUint32(12, imageHeaderBytes, true)
  view.setBigUint64(16, BigInt(generation), true)
  view.setBigUint64(24, BigInt(seq), true)
  view.setUint32(32, bodyBytes, true)
  view.setUint32(36, records.length, true)
  view.setUint32(40, crc32(bytes.subarray(0, 40)), true)
  let offset = imageHeaderBytes
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.length
  }
  view.setUint32(44, crc32(bytes.subarray(imageHeaderBytes), crc32(bytes.subarray(0, 44))), true)
  return bytes
}

/** The record header at `offset`, when its crc holds and it fits before `end`. */
function readRecordHeader(
  bytes: Uint8Array,
  offset: number,
  end: number,
): (RecordIdentity & { payloadStart: number; payloadEnd: number; payloadCrc: number }) | undefined {
  if (end - offset < recordFixedBytes) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, end - offset)
  const nameBytes = view.getUint8(5)
  const headerEnd = 32 + nameBytes
  if (headerEnd + 8 > end - offset) return undefined
  if (crc32(bytes.subarray(offset, offset + headerEnd)) !== view.getUint32(headerEnd, true))
    return undefined
  const payloadBytes = view.getUint32(0, true)
  const payloadStart = offset + headerEnd + 8
  const kind = view.getUint8(4)
  if (payloadBytes > end - payloadStart || kind < 1 || kind > 4 || view.getUint8(7) !== 0)
    return undefined
  let name: string
  try {
    name = decoder.decode(bytes.subarray(offset + 32, offset + headerEnd))
  } catch {
    return undefined
  }
  const big = (at: number): number => Number(view.getBigUint64(at, true))
  return {
    kind: kind as RecordKind,
    key: big(8),
    parent: big(16),
    changedSeq: big(24),
    name,
    flags: view.getUint8(6),
    offset,
    payloadStart,
    payloadEnd: payloadStart + payloadBytes,
    payloadCrc: view.getUint32(headerEnd + 4, true),
  }
}

/** Decodes an image, salvaging every record it can identify. */
export function decodeImage(bytes: Uint8Array): ImageRead {
  if (bytes.length < imageHeaderBytes)
    return { status: 'short', detail: `${bytes.length} bytes, header needs 48` }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  const headerCrcOk = crc32(bytes.subarray(0, 40)) === view.getUint32(40, true)
  for (let at = 0; at < imageMagic.length; at++) {
    if (bytes[at] !== imageMagic[at])
      return { status: headerCrcOk ? 'bad-magic' : 'bad-header', detail: 'magic' }
  }
  if (!headerCrcOk) return { status: 'bad-header', detail: 'header crc' }
  const version = view.getUint32(8, true)
  if (version !== imageFormatVersion) return { status: 'version', version }
  if (view.getUint32(12, true) !== imageHeaderBytes)
    return { status: 'bad-header', detail: 'header size' }
  const bodyBytes = view.getUint32(32, true)
  if (imageHeaderBytes + bodyBytes > bytes.length) {
    return {
      status: 'short',
      detail: `${bytes.length} bytes, header says ${imageHeaderBytes + bodyBytes}`,
    }
  }
  const end = imageHeaderBytes + bodyBytes
  const fileCrcOk =
    end === bytes.length &&
    crc32(bytes.subarray(imageHeaderBytes, end), crc32(bytes.subarray(0, 44))) ===
      view.getUint32(44, true)
  const { records, damaged, unidentified } = readRecords(bytes, end)
  const count = view.getUint32(36, true)
  return {
    status: 'read',
    generation: Number(view.getBigUint64(16, true)),
    seq: Number(view.getBigUint64(24, true)),
    fileCrcOk,
    records,
    damaged,
    unidentified,
    countOk:
      unidentified.length === 0 &&
      records.length + damaged.length === count &&
      end === bytes.length,
  }
}

function readRecords(bytes: Uint8Array, end: number) {
  const records: IntactRecord[] = []
  const damaged: DamagedRecord[] = []
  const unidentified: { offset: number; length: number }[] = []
  let offset = imageHeaderBytes
  while (offset < end) {
    const header = readRecordHeader(bytes, offset, end)
    if (header === undefined) {
      let next = offset + 1
      while (next < end && readRecordHeader(bytes, next, end) === undefined) next++
      unidentified.push({ offset, length: next - offset })
      offset = next
      continue
    }
    const { payloadStart, payloadEnd, payloadCrc, ...identity } = header
    const payloadBytes = bytes.subarray(payloadStart, payloadEnd)
    offset = payloadEnd
    if (crc32(payloadBytes) !== payloadCrc) {
      damaged.push({ ...identity, reason: 'payload crc' })
      continue
    }
    try {
      records.push({ ...identity, payload: JSON.parse(decoder.decode(payloadBytes)) })
    } catch {
      damaged.push({ ...identity, reason: 'payload is not JSON' })
    }
  }
  return { records, damaged, unidentified }
}

/**
 * The version, generation and seq of an image header whose own crc holds, even if the body is
 * damaged.
 */
export function peekImageHeader(
  bytes: Uint8Array,
): { version: number; generation: number; seq: number } | undefined {
  if (bytes.length < imageHeaderBytes) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  if (crc32(bytes.subarray(0, 40)) !== view.getUint32(40, true)) return undefined
  for (let at = 0; at < imageMagic.length; at++) if (bytes[at] !== imageMagic[at]) return undefined
  const version = view.getUint32(8, true)
  return {
    version,
    generation: Number(view.getBigUint64(16, true)),
    seq: Number(view.getBigUint64(24, true)),
  }
}
