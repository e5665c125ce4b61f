/**
 * Reading the GNS journal without opening it for writing: every event and snapshot frame it still
 * yields, how the scan ended, and what was damaged. After corruption in the middle, the frames of
 * later segments are salvaged by scanning again from the first valid LSN after the damage (the
 * journal skips whole segments by their headers, so damage in one segment does not hide the next).
 *
 * Frame kinds in the GNS journal: 1 = event (FORMAT.md "Event"), 2 = snapshot (a catalog image).
 */
import type { JournalFrame, ScanEnding } from '@sky/journal'
import { scanJournal } from '@sky/journal'
import { isSkyError } from '@sky/std'
import type { FileSystem } from '@sky/vfs'
import { GnsUnsupportedVersionError } from '../errors.js'
import type { Change } from './change.js'
import { decodeEvent } from './event-codec.js'
import { imageFormatVersion, peekImageHeader } from './image-codec.js'
import { journalPayloadBytesMax } from './limits.js'

export const frameKindEvent = 1
export const frameKindSnapshot = 2
/** How many separate damaged places a read salvages around before giving up. */
const salvageRoundsMax = 64

interface EntryBase {
  readonly lsn: bigint
  readonly seq: number
  readonly segment: string
  readonly offset: number
}

export type JournalEntry =
  | (EntryBase & { readonly kind: 'event'; readonly change: Change; readonly bytes: Uint8Array })
  | (EntryBase & {
      readonly kind: 'snapshot'
      /** The checkpoint generation the image was written for (its header's). */
      readonly generation: number
      readonly bytes: Uint8Array
    })

/** One problem found in the journal. */
export interface JournalProblem {
  readonly detail: string
  readonly segment?: string
  readonly offset?: number
  readonly lsnBefore?: bigint
  readonly lsnAfter?: bigint
  /** No frame after this damage could be read: whatever followed it in the journal is unknown. */
  readonly tailLost?: boolean
}

export interface JournalRead {
  /** The journal directory exists. */
  readonly present: boolean
  readonly entries: readonly JournalEntry[]
  /** How the (first) scan ended; undefined when absent or unreadable. */
  readonly ending: ScanEnding | undefined
  /** Damage that made frames unreadable or untrustworthy (a torn tail is not damage). */
  readonly problems: readonly JournalProblem[]
}

function decodeFrame(frame: JournalFrame, problems: JournalProblem[]): JournalEntry | undefined {
  const where = { segment: frame.segment, offset: frame.offset }
  if (frame.kind === frameKindEvent) {
    const read = decodeEvent(frame.payload)
    if (read.status === 'version')
      throw new GnsUnsupportedVersionError(`journal/${frame.segment} event`, read.version)
    if (read.status !== 'ok') {
      problems.push({
        ...where,
        detail: `event at lsn ${frame.lsn} unreadable (${
          read.status === 'bad' ? read.reason : 'short'
        })`,
      })
      return undefined
    }
    return {
      kind: 'event',
      lsn: frame.lsn,
      seq: read.seq,
      change: read.change,
      bytes: frame.payload,
      ...where,
    }
  }
  if (frame.kind === frameKindSnapshot) {
    // Decoded only if recovery uses it: its bytes already passed the frame's crc.
    const header = peekImageHeader(frame.payload)
    if (header === undefined) {
      problems.push({ ...where, detail: `snapshot at lsn ${frame.lsn} has a bad header` })
      return undefined
    }
    if (header.version !== imageFormatVersion) {
      throw new GnsUnsupportedVersionError(`journal/${frame.segment} snapshot`, header.version)
    }
    return {
      kind: 'snapshot',
      lsn: frame.lsn,
      seq: header.seq,
      generation: header.generation,
      bytes: frame.payload,
      ...where,
    }
  }
  problems.push({ ...where, detail: `frame at lsn ${frame.lsn} has unknown kind ${frame.kind}` })
  return undefined
}

async function scanFrom(
  fs: FileSystem,
  dir: string,
  fromLsn: bigint,
  entries: JournalEntry[],
  problems: JournalProblem[],
): Promise<ScanEnding | undefined> {
  const scan = scanJournal({ fs, dir, fromLsn, payloadBytesMax: journalPayloadBytesMax })
  try {
    for await (const frame of scan) {
      const entry = decodeFrame(frame, problems)
      if (entry !== undefined) entries.push(entry)
    }
  } catch (error) {
    if (isSkyError(error, 'JOURNAL_UNSUPPORTED_VERSION')) {
      const { segment, version } = error as unknown as { segment: string; version: number }
      throw new GnsUnsupportedVersionError(`journal/${segment}`, version)
    }
    if (error instanceof GnsUnsupportedVersionError) throw error
    problems.push({ detail: `journal unreadable: ${(error as Error).message}` })
    return undefined
  }
  return scan.ending
}

/** True when a scan from `fromLsn` stops at the same damaged place again. */
async function stuckAt(
  fs: FileSystem,
  dir: string,
  fromLsn: bigint,
  segment: string,
  offset: number,
): Promise<boolean> {
  const scan = scanJournal({ fs, dir, fromLsn, payloadBytesMax: journalPayloadBytesMax })
  try {
    for await (const _ of scan) {
      // drain: only the ending matters
    }
  } catch {
    return true
  }
  const ending = scan.ending
  return ending?.kind === 'corrupt' && ending.segment === segment && ending.offset === offset
}

/**
 * The smallest LSN from which a scan gets past the damage at (segment, offset): the base LSN of the
 * next segment. A scan starts at the segment holding `fromLsn`, so "stuck" is monotone in
 * `fromLsn`: probe upwards exponentially, then bisect.
 */
async function firstLsnPast(
  fs: FileSystem,
  dir: string,
  stuckLsn: bigint,
  segment: string,
  offset: number,
): Promise<bigint | undefined> {
  let low = stuckLsn
  let high: bigint | undefined
  for (let power = 0n; power < 63n && high === undefined; power++) {
    const probe = stuckLsn + (1n << power)
    if (await stuckAt(fs, dir, probe, segment, offset)) low = probe
    else high = probe
  }
  if (high === undefined) return undefined
  let past: bigint = high
  while (past - low > 1n) {
    const middle: bigint = (low + past) / 2n
    if (await stuckAt(fs, dir, middle, segment, offset)) low = middle
    else past = middle
  }
  return past
}

/** Reads the journal in `dir`, salvaging around damage. */
export async function readJournal(fs: FileSystem, dir: string): Promise<JournalRead> {
  if (!(await fs.exists(dir)))
    return { present: false, entries: [], ending: undefined, problems: [] }
  const entries: JournalEntry[] = []
  const problems: JournalProblem[] = []
  const ending = await scanFrom(fs, dir, 1n, entries, problems)
  let current = ending
  for (let round = 0; round < salvageRoundsMax && current?.kind === 'corrupt'; round++) {
    const { segment, offset, lsnBefore, lsnAfter } = current
    const detail = `corrupt frames between lsn ${lsnBefore} and ${lsnAfter}`
    let from: bigint | undefined = lsnAfter === 0n ? undefined : lsnAfter
    if (from !== undefined && (await stuckAt(fs, dir, from, segment, offset))) {
      // The first valid frame after the damage is in the damaged segment: salvage the next
      // segments.
      from = await firstLsnPast(fs, dir, from, segment, offset)
    }
    const before = entries.length
    current = from === undefined ? undefined : await scanFrom(fs, dir, from, entries, problems)
    const tailLost = entries.length === before
    problems.push({ detail, segment, offset, lsnBefore, lsnAfter, tailLost })
  }
  return { present: true, entries, ending, problems }
}
