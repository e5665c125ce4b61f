/**
 * Walking a data journal directory past damage: every valid frame of every segment, every damaged
 * byte range, and every LSN that no segment holds. Used by repair, verify, restore and the catalog
 * source; open uses `@sky/journal` itself, which stops at the first damage.
 *
 * Classification (the journal's own, see its FORMAT.md):
 *
 *   damaged range                                        | kind
 *   -----------------------------------------------------+--------------------------------------
 *   in the newest segment, no valid frame after it        | torn (a crash's remains)
 *   anywhere else (valid frames or segments follow)       | corrupt
 *   LSNs skipped between valid frames or segments         | gap (a frame or segment is missing)
 *
 * Resynchronisation: after bad bytes at offset o, every later offset is tried; the first that holds
 * a frame of a known data kind, a good CRC and an LSN above the last good one resumes the walk.
 */
import type { FileSystem } from '@sky/vfs'
import { joinPath, readFully, readWhole } from '@sky/vfs'
import { RecoveryUnsupportedError } from '../errors.js'
import { isDataFrameKind } from '../frame-kinds.js'
import {
  type FrameAt,
  decodeSegmentHeader,
  frameAt,
  segmentHeaderBytes,
  segmentIndexOf,
} from './journal-format.js'
import { dataPayloadBytesMax } from './limits.js'

/** A damaged byte range of one segment. */
export interface DamageRange {
  readonly segment: string
  readonly start: number
  readonly end: number
  /** Last good LSN before it (0n when none). */
  readonly lsnBefore: bigint
  /** First valid LSN after it (0n when none follows anywhere). */
  lsnAfter: bigint
  kind: 'torn' | 'corrupt'
}

/** LSNs no valid frame holds, between two valid ones, with no damaged bytes where they would be. */
export interface LsnGap {
  readonly from: bigint
  readonly to: bigint
  /** The segment where the walk noticed the gap. */
  readonly segment: string
}

/** A frame's place, without its payload. */
export interface FramePlace {
  readonly lsn: bigint
  readonly kind: number
  readonly offset: number
  readonly end: number
}

/** One segment as walked. */
export interface WalkedSegment {
  readonly name: string
  readonly index: number
  /** Base LSN from a valid header, or undefined when the header is damaged. */
  readonly baseLsn: bigint | undefined
  readonly size: number
  readonly frames: FramePlace[]
  readonly damage: DamageRange[]
  /** The segment's bytes, when the walk was asked to keep them. */
  readonly bytes: Uint8Array | undefined
}

/** The whole journal as walked. */
export interface JournalWalk {
  readonly segments: readonly WalkedSegment[]
  readonly damage: readonly DamageRange[]
  readonly gaps: readonly LsnGap[]
  /** First and last valid LSN (0n when there is none). */
  readonly firstLsn: bigint
  readonly lastLsn: bigint
}

/** Options of {@link walkJournal}. */
export interface WalkOptions {
  /** Called for every valid frame in LSN order; the payload is valid during the call only. */
  readonly onFrame?: (frame: FrameAt, segment: string) => void
  /** Keep each segment's bytes in the result (repair needs them). */
  readonly keepBytes?: boolean
}

/** Segment files of a journal directory, in index order; none when the directory is missing. */
export async function listSegmentFiles(
  fs: FileSystem,
  dir: string,
): Promise<Array<{ name: string; index: number }>> {
  if (!(await fs.exists(dir))) return []
  const segments: Array<{ name: string; index: number }> = []
  for (const name of await fs.readdir(dir)) {
    const index = segmentIndexOf(name)
    if (index !== undefined) segments.push({ name, index })
  }
  return segments.sort((a, b) => a.index - b.index)
}

const anyKind = (kind: number): boolean => kind !== 0

function resync(bytes: Uint8Array, from: number, last: bigint | undefined): FrameAt | undefined {
  for (let at = from; at < bytes.length; at++) {
    const frame = frameAt(bytes, at, dataPayloadBytesMax, isDataFrameKind)
    if (frame !== undefined && (last === undefined || frame.lsn > last)) return frame
  }
  return undefined
}

interface WalkState {
  last: bigint | undefined
  /** The previous segment ended in damaged bytes: LSNs up to this segment's base are lost there. */
  tailDamaged: boolean
  first: bigint | undefined
  readonly damage: DamageRange[]
  readonly gaps: LsnGap[]
}

function accept(state: WalkState, lsn: bigint, segment: string): void {
  if (state.last !== undefined && lsn > state.last + 1n) {
    state.gaps.push({ from: state.last + 1n, to: lsn - 1n, segment })
  }
  state.first ??= lsn
  state.last = lsn
}

/** Walks one segment's bytes, appending to the state's damage and gaps. */
function walkSegment(
  name: string,
  index: number,
  bytes: Uint8Array,
  state: WalkState,
  options: WalkOptions,
): WalkedSegment {
  const header = decodeSegmentHeader(bytes)
  if (header.status === 'version') {
    throw new RecoveryUnsupportedError(
      `journal segment ${name}`,
      `format version ${header.version}`,
    )
  }
  const frames: FramePlace[] = []
  const damage: DamageRange[] = []
  const headerOk = header.status === 'ok' && header.index === index
  let offset = headerOk ? segmentHeaderBytes : 0
  if (headerOk && state.last === undefined) state.last = header.baseLsn - 1n
  if (headerOk && state.last !== undefined && header.baseLsn > state.last + 1n) {
    if (!state.tailDamaged)
      state.gaps.push({ from: state.last + 1n, to: header.baseLsn - 1n, segment: name })
    state.last = header.baseLsn - 1n
  }
  while (offset < bytes.length) {
    let frame = frameAt(bytes, offset, dataPayloadBytesMax, anyKind)
    if (frame === undefined || (state.last !== undefined && frame.lsn <= state.last)) {
      const start = offset
      const lsnBefore = state.last ?? 0n
      frame = resync(bytes, headerOk ? offset + 1 : Math.max(offset, 1), state.last)
      const range: DamageRange = {
        segment: name,
        start,
        end: frame?.offset ?? bytes.length,
        lsnBefore,
        lsnAfter: frame?.lsn ?? 0n,
        kind: 'corrupt',
      }
      damage.push(range)
      state.damage.push(range)
      if (frame === undefined) break
      // A resynchronised frame right after damage: the LSNs between are lost, not a gap.
      state.last = frame.lsn - 1n
    }
    accept(state, frame.lsn, name)
    options.onFrame?.(frame, name)
    frames.push({ lsn: frame.lsn, kind: frame.kind, offset: frame.offset, end: frame.end })
    offset = frame.end
  }
  if (!headerOk && frames.length === 0 && damage.length === 0) {
    // A header shorter than 32 bytes and nothing else: damage of the header itself.
    const range: DamageRange = {
      segment: name,
      start: 0,
      end: bytes.length,
      lsnBefore: state.last ?? 0n,
      lsnAfter: 0n,
      kind: 'corrupt',
    }
    damage.push(range)
    state.damage.push(range)
  }
  state.tailDamaged = damage.at(-1)?.end === bytes.length
  const baseLsn = headerOk ? header.baseLsn : undefined
  const kept = options.keepBytes === true ? bytes : undefined
  return { name, index, baseLsn, size: bytes.length, frames, damage, bytes: kept }
}

/**
 * Reads every segment of the journal in `dir` (none when it is missing) and classifies its damage.
 *
 * @throws RecoveryUnsupportedError for a segment of an unknown format version.
 */
export async function walkJournal(
  fs: FileSystem,
  dir: string,
  options: WalkOptions = {},
): Promise<JournalWalk> {
  const files = await listSegmentFiles(fs, dir)
  const state: WalkState = {
    last: undefined,
    tailDamaged: false,
    first: undefined,
    damage: [],
    gaps: [],
  }
  const segments: WalkedSegment[] = []
  for (const file of files) {
    const handle = await fs.open(joinPath(dir, file.name))
    let bytes: Uint8Array
    try {
      bytes = await readWhole(handle)
    } finally {
      await handle.close()
    }
    const before = state.damage.length
    const segment = walkSegment(file.name, file.index, bytes, state, options)
    segments.push(segment)
    // Damage that ended a previous segment is followed by this segment's first frame.
    const first = segment.frames[0]
    if (first !== undefined) {
      for (const range of state.damage.slice(0, before))
        if (range.lsnAfter === 0n) range.lsnAfter = first.lsn
    }
  }
  classifyTail(segments)
  return {
    segments,
    damage: state.damage,
    gaps: state.gaps,
    firstLsn: state.first ?? 0n,
    lastLsn: state.first === undefined ? 0n : state.last ?? 0n,
  }
}

/** Damage at the end of the newest segment with nothing valid after it is a torn tail. */
function classifyTail(segments: readonly WalkedSegment[]): void {
  const newest = segments.at(-1)
  const tail = newest?.damage.at(-1)
  if (newest === undefined || tail === undefined) return
  if (tail.end === newest.size && tail.lsnAfter === 0n) {
    const headerOnlyDamage = tail.start === 0 && newest.baseLsn === undefined
    if (!headerOnlyDamage || newest.frames.length === 0) tail.kind = 'torn'
  }
}

/** Base LSN of the oldest segment (1n when there is none or its header is damaged). */
export async function firstSegmentBase(fs: FileSystem, dir: string): Promise<bigint> {
  const first = (await listSegmentFiles(fs, dir))[0]
  if (first === undefined) return 1n
  const file = await fs.open(joinPath(dir, first.name))
  try {
    const header = decodeSegmentHeader(await readFully(file, 0, segmentHeaderBytes))
    return header.status === 'ok' ? header.baseLsn : 1n
  } finally {
    await file.close()
  }
}
