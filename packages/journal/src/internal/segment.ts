/**
 * Segment files: naming and the 32-byte header every segment starts with (see FORMAT.md).
 *
 *   [8 magic "SKYJRNL\0"][u32 version][u32 index][u64 baseLsn][u32 reserved = 0][u32 crc32 of bytes 0..27]
 *
 * `baseLsn` is the LSN of the segment's first frame (or of the next append, while it has none), so a
 * reader can check that LSNs continue across segments without reading the previous one.
 */
import { assert } from '@sky/std'
import { crc32 } from './crc.js'

export const segmentHeaderBytes = 32
export const segmentMagic = new Uint8Array([0x53, 0x4b, 0x59, 0x4a, 0x52, 0x4e, 0x4c, 0x00]) // SKYJRNL\0
export const segmentFormatVersion = 1
const segmentNamePattern = /^(\d{8})\.log$/

export interface SegmentHeader {
  readonly index: number
  readonly baseLsn: bigint
}

export type HeaderRead =
  | { readonly status: 'ok'; readonly header: SegmentHeader }
  | { readonly status: 'short' }
  | { readonly status: 'bad' }
  | { readonly status: 'version'; readonly version: number }

/** File name of segment `index`: `00000001.log`. */
export function segmentName(index: number): string {
  assert(Number.isInteger(index) && index >= 1 && index <= 99_999_999, 'segment index in range')
  return `${String(index).padStart(8, '0')}.log`
}

/** The index encoded in a segment file name, or undefined for other files. */
export function segmentIndex(name: string): number | undefined {
  const match = segmentNamePattern.exec(name)
  return match === null ? undefined : Number(match[1])
}

export function encodeSegmentHeader(header: SegmentHeader): Uint8Array {
  const bytes = new Uint8Array(segmentHeaderBytes)
  const view = new DataView(bytes.buffer)
  bytes.set(segmentMagic, 0)
  view.setUint32(8, segmentFormatVersion, true)
  view.setUint32(12, header.index, true)
  view.setBigUint64(16, header.baseLsn, true)
  view.setUint32(28, crc32(bytes.subarray(0, 28)), true)
  return bytes
}

export function decodeSegmentHeader(bytes: Uint8Array): HeaderRead {
  if (bytes.length < segmentHeaderBytes) return { status: 'short' }
  const view = new DataView(bytes.buffer, bytes.byteOffset, segmentHeaderBytes)
  if (crc32(bytes.subarray(0, 28)) !== view.getUint32(28, true)) return { status: 'bad' }
  for (let at = 0; at < segmentMagic.length; at++) if (bytes[at] !== segmentMagic[at]) return { status: 'bad' }
  const version = view.getUint32(8, true)
  if (version !== segmentFormatVersion) return { status: 'version', version }
  return { status: 'ok', header: { index: view.getUint32(12, true), baseLsn: view.getBigUint64(16, true) } }
}
