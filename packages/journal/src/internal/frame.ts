/**
 * One journal frame: encode and decode. The constants here are the ones FORMAT.md documents.
 *
 *   [u32 length][u32 crc32][u64 lsn][u8 kind][payload: length bytes]     (little endian)
 *
 * `length` counts the payload only; the crc covers everything after the crc field (lsn, kind, payload).
 * A decoder never trusts `length` beyond `payloadBytesMax`, so a corrupt length cannot make it allocate.
 */
import { assert } from '@sky/std'
import { crc32 } from './crc.js'

/** Bytes before the payload. */
export const frameHeaderBytes = 17
/** Offset of the first byte the crc covers. */
const crcStart = 8
/** Kind 0 is never written: a run of zero bytes can never look like a frame. */
export const frameKindMin = 1
export const frameKindMax = 255

/** What the decoder found at an offset. */
export type FrameRead =
  | { readonly status: 'frame'; readonly lsn: bigint; readonly kind: number; readonly payload: Uint8Array; readonly end: number }
  | { readonly status: 'short' }
  | { readonly status: 'bad'; readonly reason: 'length' | 'crc' | 'kind' }

/** Total bytes of a frame carrying `payloadBytes`. */
export function frameBytes(payloadBytes: number): number {
  return frameHeaderBytes + payloadBytes
}

/**
 * Writes one frame into `target` at `offset`; returns the offset after it. `view` may be passed when
 * encoding many frames into one buffer (a DataView over all of `target`), to avoid one per frame.
 */
export function encodeFrame(
  target: Uint8Array,
  offset: number,
  frame: { readonly lsn: bigint; readonly kind: number; readonly payload: Uint8Array },
  view = new DataView(target.buffer, target.byteOffset, target.length),
): number {
  assert(frame.kind >= frameKindMin && frame.kind <= frameKindMax, 'frame kind is 1..255')
  const end = offset + frameBytes(frame.payload.length)
  assert(end <= target.length, 'frame fits its buffer')
  view.setUint32(offset, frame.payload.length, true)
  view.setBigUint64(offset + 8, frame.lsn, true)
  view.setUint8(offset + 16, frame.kind)
  target.set(frame.payload, offset + frameHeaderBytes)
  view.setUint32(offset + 4, crc32(target.subarray(offset + crcStart, end)), true)
  return end
}

/** Decodes the frame at `offset` of `bytes` without trusting any field before checking it. */
export function decodeFrame(bytes: Uint8Array, offset: number, payloadBytesMax: number): FrameRead {
  if (bytes.length - offset < frameHeaderBytes) return { status: 'short' }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, frameHeaderBytes)
  const length = view.getUint32(0, true)
  if (length > payloadBytesMax) return { status: 'bad', reason: 'length' }
  const end = offset + frameBytes(length)
  if (end > bytes.length) return { status: 'short' }
  const kind = view.getUint8(16)
  if (kind < frameKindMin) return { status: 'bad', reason: 'kind' }
  if (crc32(bytes.subarray(offset + crcStart, end)) !== view.getUint32(4, true)) {
    return { status: 'bad', reason: 'crc' }
  }
  const payload = bytes.slice(offset + frameHeaderBytes, end)
  return { status: 'frame', lsn: view.getBigUint64(8, true), kind, payload, end }
}
