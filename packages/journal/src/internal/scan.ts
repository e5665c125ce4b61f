/**
 * Reading a journal directory: frames in LSN order, and how the read ended.
 *
 * Ending decision (the table FORMAT.md explains case by case):
 *
 *   what stops the read                         | valid frame later? | ending
 *   --------------------------------------------+--------------------+-----------------------------
 *   end of the last segment                     | -                  | clean
 *   bad/short bytes in the last segment         | no                 | torn (crash remnant)
 *   bad/short bytes in the last segment         | yes                | corrupt
 *   bad/short bytes in an earlier segment       | (always)           | corrupt (a later segment
 *                                               |                    |  exists only after a sync)
 *   segment header names an unknown version     | -                  | throws JournalVersionError
 *
 * "Bad" includes a frame whose CRC fails, a length over the limit, kind 0, and a frame whose LSN is
 * not the next one expected (LSNs have no gaps). "Valid frame later" means a frame that passes its CRC
 * with an LSN above the last good one, found by trying every later offset (resynchronisation).
 */
import type { FileSystem } from '@sky/vfs'
import { joinPath, readFully, readWhole } from '@sky/vfs'
import { JournalVersionError } from '../errors.js'
import type { JournalFrame, JournalScan, ScanEnding } from '../journal.js'
import { decodeFrame } from './frame.js'
import { decodeSegmentHeader, segmentHeaderBytes, segmentIndex } from './segment.js'

export interface SegmentFile {
  readonly name: string
  readonly index: number
}

/** Segment files of `dir`, in index order. Other files are ignored. */
export async function listSegments(fs: FileSystem, dir: string): Promise<SegmentFile[]> {
  const segments: SegmentFile[] = []
  for (const name of await fs.readdir(dir)) {
    const index = segmentIndex(name)
    if (index !== undefined) segments.push({ name, index })
  }
  return segments.sort((a, b) => a.index - b.index)
}

export async function readSegment(fs: FileSystem, dir: string, name: string): Promise<Uint8Array> {
  const file = await fs.open(joinPath(dir, name))
  try {
    return await readWhole(file)
  } finally {
    await file.close()
  }
}

/** Where to start and what to trust. */
export interface ScanOptions {
  readonly fs: FileSystem
  readonly dir: string
  readonly fromLsn: bigint
  readonly payloadBytesMax: number
  /** Start at this segment (by position in the listing) without checking LSN continuity before it. */
  readonly fromSegmentPosition?: number
}

/** The LSN of the first valid frame at an offset after `offset` with an LSN above `lastLsn`. */
function resync(bytes: Uint8Array, offset: number, lastLsn: bigint, payloadBytesMax: number): bigint | undefined {
  for (let at = offset + 1; at < bytes.length; at++) {
    const read = decodeFrame(bytes, at, payloadBytesMax)
    if (read.status === 'frame' && read.lsn > lastLsn) return read.lsn
  }
  return undefined
}

class DirectoryScan implements JournalScan {
  ending: ScanEnding | undefined

  constructor(private readonly options: ScanOptions) {}

  async *[Symbol.asyncIterator](): AsyncIterator<JournalFrame> {
    const { fs, dir, fromLsn, payloadBytesMax } = this.options
    const segments = await listSegments(fs, dir)
    let position = this.options.fromSegmentPosition ?? 0
    let expected: bigint | undefined
    let lastLsn = 0n
    // Skip whole segments that end before fromLsn: the next segment's base says where each ends.
    while (position + 1 < segments.length) {
      const next = decodeSegmentHeader(await readSegmentHeader(fs, dir, segments[position + 1]!.name))
      if (next.status !== 'ok' || next.header.baseLsn > fromLsn) break
      position++
      expected = next.header.baseLsn
      lastLsn = expected - 1n
    }
    for (; position < segments.length; position++) {
      const segment = segments[position]!
      const bytes = await readSegment(fs, dir, segment.name)
      const header = decodeSegmentHeader(bytes)
      if (header.status === 'version') throw new JournalVersionError(segment.name, header.version)
      let offset = 0
      let damaged = true
      if (header.status === 'ok' && header.header.index === segment.index) {
        if (expected === undefined || header.header.baseLsn === expected) {
          expected = header.header.baseLsn
          offset = segmentHeaderBytes
          damaged = false
        }
      }
      while (!damaged && offset < bytes.length) {
        const read = decodeFrame(bytes, offset, payloadBytesMax)
        if (read.status !== 'frame' || read.lsn !== expected) {
          damaged = true
          break
        }
        if (read.lsn >= fromLsn) {
          yield { lsn: read.lsn, kind: read.kind, payload: read.payload, segment: segment.name, offset }
        }
        lastLsn = read.lsn
        expected = read.lsn + 1n
        offset = read.end
      }
      if (damaged) {
        this.ending = await this.#classify(segments, position, bytes, offset, lastLsn)
        return
      }
    }
    this.ending = { kind: 'clean', lastLsn }
  }

  async #classify(
    segments: SegmentFile[],
    position: number,
    bytes: Uint8Array,
    offset: number,
    lastLsn: bigint,
  ): Promise<ScanEnding> {
    const { fs, dir, payloadBytesMax } = this.options
    const segment = segments[position]!.name
    let after = resync(bytes, offset, lastLsn, payloadBytesMax)
    const isLast = position === segments.length - 1
    if (after === undefined && isLast) {
      return { kind: 'torn', segment, offset, lastLsn, bytes: bytes.slice(offset) }
    }
    for (let later = position + 1; after === undefined && later < segments.length; later++) {
      const laterBytes = await readSegment(fs, dir, segments[later]!.name)
      const header = decodeSegmentHeader(laterBytes)
      after = header.status === 'ok' ? header.header.baseLsn : resync(laterBytes, -1, lastLsn, payloadBytesMax)
    }
    return { kind: 'corrupt', segment, offset, lsnBefore: lastLsn, lsnAfter: after ?? 0n }
  }
}

async function readSegmentHeader(fs: FileSystem, dir: string, name: string): Promise<Uint8Array> {
  const file = await fs.open(joinPath(dir, name))
  try {
    return await readFully(file, 0, segmentHeaderBytes)
  } finally {
    await file.close()
  }
}

/** Starts a scan; nothing is read until it is iterated. */
export function scanDirectory(options: ScanOptions): JournalScan {
  return new DirectoryScan(options)
}
