/**
 * The data journal's bytes, read and written here from `@sky/journal`'s FORMAT.md (version 1), for
 * the tools that must look past damage, which the journal's own reader stops at: repair salvages
 * frames after damage (resynchronising on frame headers), verify lists every damaged range, restore
 * writes segments that start at a chosen LSN.
 *
 *   segment := magic "SKYJRNL\0" version:u32 index:u32 baseLsn:u64 reserved:u32 crc:u32   (32 B)
 *              frame*
 *   frame   := length:u32 crc:u32 lsn:u64 kind:u8 payload[length]   crc covers lsn..payload
 *
 * Invariant: a frame encoded here is byte for byte what `@sky/journal` writes, so a journal this
 * code repaired is opened by `openJournal` like any other (tested in repair.test.ts).
 */
import { assert } from '@sky/std'
import { crc32 } from './crc.js'

export const segmentHeaderBytes = 32
export const frameHeaderBytes = 17
const segmentMagic = [0x53, 0x4b, 0x59, 0x4a, 0x52, 0x4e, 0x4c, 0x00] // SKYJRNL\0
const segmentFormatVersion = 1
const segmentNamePattern = /^(\d{8})\.log$/

/** File name of segment `index`: `00000001.log`. */
export function segmentName(index: number): string {
  assert(Number.isInteger(index) && index >= 1 && index <= 99_999_999, 'segment index in range')
  return `${String(index).padStart(8, '0')}.log`
}

/** The index in a segment file name, or undefined for other names. */
export function segmentIndexOf(name: string): number | undefined {
  const match = segmentNamePattern.exec(name)
  return match === null ? undefined : Number(match[1])
}

/** What a segment header says. */
export type SegmentHeaderRead =
  | { readonly status: 'ok'; readonly index: number; readonly baseLsn: bigint }
  | { readonly status: 'bad' }
  | { readonly status: 'version'; readonly version: number }

export function decodeSegmentHeader(bytes: Uint8Array): SegmentHeaderRead {
  if (bytes.length < segmentHeaderBytes) return { status: 'bad' }
  const view = new DataView(bytes.buffer, bytes.byteOffset, segmentHeaderBytes)
  if (crc32(bytes.subarray(0, 28)) !== view.getUint32(28, true)) return { status: 'bad' }
  for (let at = 0; at < segmentMagic.length; at++) {
    if (bytes[at] !== segmentMagic[at]) return { status: 'bad' }
  }
  const version = view.getUint32(8, true)
  if (version !== segmentFormatVersion) return { status: 'version', version }
  return { status: 'ok', index: view.getUint32(12, true), baseLsn: view.getBigUint64(16, true) }
}

export function encodeSegmentHeader(index: number, baseLsn: bigint): Uint8Array {
  const bytes = new Uint8Array(segmentHeaderBytes)
  const view = new DataView(bytes.buffer)
  bytes.set(segmentMagic, 0)
  view.setUint32(8, segmentFormatVersion, true)
  view.setUint32(12, index, true)
  view.setBigUint64(16, baseLsn, true)
  view.setUint32(28, crc32(bytes.subarray(0, 28)), true)
  return bytes
}

/** A frame as decoded from bytes. */
export interface FrameAt {
  readonly lsn: bigint
  readonly kind: number
  readonly offset: number
  readonly end: number
  readonly payload: Uint8Array
}

/**
 * Decodes a frame at `offset` when every check passes (length within `payloadBytesMax`, kind
 * allowed by `acceptKind`, CRC); undefined otherwise. The cheap checks run before the CRC, so
 * trying every offset of damaged bytes stays affordable.
 */
export function frameAt(
  bytes: Uint8Array,
  offset: number,
  payloadBytesMax: number,
  acceptKind: (kind: number) => boolean,
): FrameAt | undefined {
  if (bytes.length - offset < frameHeaderBytes) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, frameHeaderBytes)
  const length = view.getUint32(0, true)
  if (length > payloadBytesMax) return undefined
  const end = offset + frameHeaderBytes + length
  if (end > bytes.length) return undefined
  const kind = view.getUint8(16)
  if (kind === 0 || !acceptKind(kind)) return undefined
  if (crc32(bytes.subarray(offset + 8, end)) !== view.getUint32(4, true)) return undefined
  const payload = bytes.subarray(offset + frameHeaderBytes, end)
  return { lsn: view.getBigUint64(8, true), kind, offset, end, payload }
}

/**
 * Reads a frame header at `offset` without checking its CRC: what a damaged frame probably was.
 * Undefined when even the header is implausible.
 */
export function frameHeaderAt(
  bytes: Uint8Array,
  offset: number,
  limit: number,
): { lsn: bigint; kind: number; payload: Uint8Array; end: number } | undefined {
  if (limit - offset < frameHeaderBytes) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, frameHeaderBytes)
  const length = view.getUint32(0, true)
  const end = offset + frameHeaderBytes + length
  if (end > limit) return undefined
  const payload = bytes.subarray(offset + frameHeaderBytes, end)
  return { lsn: view.getBigUint64(8, true), kind: view.getUint8(16), payload, end }
}

/** Encodes one frame exactly as `@sky/journal` does. */
export function encodeFrame(lsn: bigint, kind: number, payload: Uint8Array): Uint8Array {
  assert(kind >= 1 && kind <= 255, 'frame kind is 1..255')
  const bytes = new Uint8Array(frameHeaderBytes + payload.length)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, payload.length, true)
  view.setBigUint64(8, lsn, true)
  view.setUint8(16, kind)
  bytes.set(payload, frameHeaderBytes)
  view.setUint32(4, crc32(bytes.subarray(8)), true)
  return bytes
}
