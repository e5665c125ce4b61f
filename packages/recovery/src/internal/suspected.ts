/**
 * What damaged bytes probably held: the frames that sat in a damaged range, read without trusting
 * their CRC, and redo records decoded where they still decode. Reports use it to name the
 * transactions and models a damaged range contained; it is evidence, never applied.
 *
 * The walk knows more than the bytes: a damaged range starts where the last good frame ended and
 * ends where the next good frame starts, and it held exactly the LSNs `from..to` in order. So:
 *
 *   1. forward from the start, frames whose header is intact (length in range, LSN the next one
 *      expected, a known kind) are located one after the other;
 *   2. backward from the end, the frame ending exactly there with the last expected LSN is found
 *      by its intact header, or, when its header is gone, by a redo record that decodes exactly up
 *      to the end (the strict redo decoder rejects zeros and almost every misaligned start);
 *   3. when one LSN is left between what both directions located, its frame fills that gap
 *      exactly, whatever its header says: its payload is decoded from there.
 *
 * A frame none of this locates is reported unknown, never guessed.
 */
import { decodeRedo } from '@sky/txn'
import { dataFrameKind, isDataFrameKind } from '../frame-kinds.js'
import { frameHeaderAt, frameHeaderBytes } from './journal-format.js'

/** One frame that probably sat in damaged bytes. */
export interface SuspectedFrame {
  readonly lsn: bigint
  readonly kind: number
  /** For a redo record that still decodes: its commit timestamp, models and write count. */
  readonly commitTs?: number
  readonly models?: readonly string[]
  readonly writes?: number
}

/** Longest damaged gap searched for a redo record whose header is gone (the search is O(n²)). */
const headerlessSearchBytesMax = 1 << 20

function describe(lsn: bigint, kind: number, payload: Uint8Array): SuspectedFrame {
  if (kind !== dataFrameKind.redo) return { lsn, kind }
  return decodedRedo(lsn, payload) ?? { lsn, kind }
}

function decodedRedo(lsn: bigint, payload: Uint8Array): SuspectedFrame | undefined {
  try {
    const record = decodeRedo(payload)
    const models = [...new Set(record.writes.map((write) => write.modelId))].sort()
    return {
      lsn,
      kind: dataFrameKind.redo,
      commitTs: record.commitTs,
      models,
      writes: record.writes.length,
    }
  } catch {
    return undefined
  }
}

/** A frame whose bytes are exactly `[start, end)`, whatever its (possibly damaged) header says. */
function describeExact(bytes: Uint8Array, lsn: bigint, start: number, end: number) {
  if (end - start < frameHeaderBytes) return undefined
  const payload = bytes.subarray(start + frameHeaderBytes, end)
  const redo = decodedRedo(lsn, payload)
  if (redo !== undefined) return redo
  const kind = bytes[start + 16]!
  return isDataFrameKind(kind) && kind !== dataFrameKind.redo ? { lsn, kind } : undefined
}

/** The frame with LSN `lsn` ending exactly at `end`, located by its header or its redo record. */
function locateBackward(bytes: Uint8Array, floor: number, end: number, lsn: bigint) {
  for (let at = end - frameHeaderBytes; at >= floor; at--) {
    const header = frameHeaderAt(bytes, at, end)
    if (header?.end === end && header.lsn === lsn && isDataFrameKind(header.kind)) {
      return { at, frame: describe(lsn, header.kind, header.payload) }
    }
  }
  if (end - floor > headerlessSearchBytesMax) return undefined
  for (let at = floor; at + frameHeaderBytes <= end; at++) {
    const redo = decodedRedo(lsn, bytes.subarray(at + frameHeaderBytes, end))
    if (redo !== undefined) return { at, frame: redo }
  }
  return undefined
}

/**
 * What the damaged bytes `bytes[start, end)` still tell of the frames with LSNs `from..to` that
 * sat in them (see the file header), in LSN order; LSNs not listed are unknown.
 */
export function suspectLostFrames(
  bytes: Uint8Array,
  start: number,
  end: number,
  lost: { readonly from: bigint; readonly to: bigint },
): SuspectedFrame[] {
  const ahead: SuspectedFrame[] = []
  let at = start
  let next = lost.from
  for (; next <= lost.to; next++) {
    const header = frameHeaderAt(bytes, at, end)
    if (header === undefined || header.lsn !== next || !isDataFrameKind(header.kind)) break
    ahead.push(describe(next, header.kind, header.payload))
    at = header.end
  }
  const behind: SuspectedFrame[] = []
  let tail = end
  let last = lost.to
  for (; last > next; last--) {
    const found = locateBackward(bytes, at, tail, last)
    if (found === undefined) break
    behind.push(found.frame)
    tail = found.at
  }
  if (last === next && next <= lost.to) {
    const exact = describeExact(bytes, next, at, tail)
    if (exact !== undefined) ahead.push(exact)
  }
  return [...ahead, ...behind.reverse()]
}
