/**
 * Repairing the data journal: every valid frame kept byte for byte, every LSN lost to damage
 * replaced by a placeholder frame (kind 6) so LSNs stay dense, every damaged byte copied to the
 * quarantine with a report of what it held.
 *
 * Method: walk the journal past damage (journal-walk.ts), then rebuild each segment's bytes from
 * its valid frames in order, inserting placeholders wherever an LSN is missing, under a header
 * whose base continues the previous segment. Only segments whose rebuilt bytes differ are written
 * (temp name, fdatasync, rename, directory fsync), after the quarantine entry is durable. A torn
 * tail of the newest segment is left to open unless that segment is rewritten anyway.
 *
 * Idempotent: a repaired journal walks clean, so a second repair finds nothing to do.
 */
import { assert } from '@sky/std'
import type { FileSystem } from '@sky/vfs'
import { joinPath } from '@sky/vfs'
import { dataFrameKind } from '../frame-kinds.js'
import { encodeFrame, encodeSegmentHeader, segmentHeaderBytes } from './journal-format.js'
import {
  type DamageRange,
  type JournalWalk,
  type WalkedSegment,
  walkJournal,
} from './journal-walk.js'
import { type Quarantine, writeDurable } from './quarantine.js'
import { encodeLost } from './records.js'
import { type SuspectedFrame, suspectLostFrames } from './suspected.js'

/** A damaged range of the journal and what it cost. */
export interface JournalDamageReport {
  readonly segment: string
  readonly offset: number
  readonly length: number
  readonly lsnBefore: bigint
  readonly lsnAfter: bigint
  /** LSNs no valid frame holds any more (undefined when none were lost). */
  readonly lost: { readonly from: bigint; readonly to: bigint } | undefined
  /** What the damaged bytes still tell of the lost frames (suspected.ts), in LSN order. */
  readonly suspected: readonly SuspectedFrame[]
}

/**
 * A lost transaction (or other record) at one LSN, with what the damaged bytes still tell of it:
 * `kind` undefined when nothing of the frame could be read; for a redo record (kind 1), its commit
 * timestamp, models and write count when its payload still decodes (else undefined and `[]`).
 */
export interface LostRecord {
  readonly lsn: bigint
  readonly kind: number | undefined
  readonly commitTs: number | undefined
  readonly models: readonly string[]
  readonly writes: number | undefined
  /**
   * The valid checkpoint that holds this record's effects (its LSN is at or below the
   * checkpoint's), so the database lost nothing of it: only the journal's copy is gone (which a
   * fallback to an older checkpoint or a point-in-time restore would have needed). Undefined when
   * the database lost it.
   */
  readonly heldBy: string | undefined
}

/** The newest valid checkpoint, whose LSN bounds what the journal's damage can cost. */
export interface HoldingCheckpoint {
  readonly name: string
  readonly lsn: bigint
}

/** True when a lost record's content is unknown (nothing read, or a redo that does not decode). */
export function isUnreadable(record: LostRecord): boolean {
  if (record.kind === undefined) return true
  return record.kind === dataFrameKind.redo && record.writes === undefined
}

/** What journal repair found and did. */
export interface JournalRepairReport {
  readonly segments: number
  readonly frames: number
  readonly firstLsn: bigint
  readonly lastLsn: bigint
  readonly damage: readonly JournalDamageReport[]
  /** LSN ranges missing with no damaged bytes (a missing segment). */
  readonly gaps: ReadonlyArray<{
    readonly from: bigint
    readonly to: bigint
    readonly segment: string
  }>
  readonly lost: readonly LostRecord[]
  /**
   * Models whose data the database lost: those the lost records no checkpoint holds wrote to (as
   * far as the damaged bytes tell).
   */
  readonly modelsAffected: readonly string[]
  /** Lost records no checkpoint holds whose content is unknown (nothing read, or a redo that does not decode). */
  readonly unknownRecords: number
  /** Valid frames after the first damage, salvaged. */
  readonly salvagedFrames: number
  /** A torn tail (a crash's remains, not damage). */
  readonly tornTail:
    | { readonly segment: string; readonly offset: number; readonly bytes: number }
    | undefined
  readonly segmentsRewritten: readonly string[]
  readonly quarantine: string | undefined
}

function describeDamage(walk: JournalWalk, range: DamageRange): JournalDamageReport {
  const segment = walk.segments.find((candidate) => candidate.name === range.segment)!
  const lostTo = range.lsnAfter === 0n ? undefined : range.lsnAfter - 1n
  const lost =
    lostTo !== undefined && lostTo > range.lsnBefore
      ? { from: range.lsnBefore + 1n, to: lostTo }
      : undefined
  const suspected =
    segment.bytes === undefined || lost === undefined
      ? []
      : suspectLostFrames(segment.bytes, range.start, range.end, lost)
  return {
    segment: range.segment,
    offset: range.start,
    length: range.end - range.start,
    lsnBefore: range.lsnBefore,
    lsnAfter: range.lsnAfter,
    lost,
    suspected,
  }
}

function lostRecords(
  damage: readonly JournalDamageReport[],
  gaps: JournalWalk['gaps'],
  holding: HoldingCheckpoint | undefined,
): LostRecord[] {
  const lost: LostRecord[] = []
  const heldBy = (lsn: bigint): string | undefined =>
    holding !== undefined && lsn <= holding.lsn ? holding.name : undefined
  for (const report of damage) {
    if (report.lost === undefined) continue
    for (let lsn = report.lost.from; lsn <= report.lost.to; lsn++) {
      const seen = report.suspected.find((frame) => frame.lsn === lsn)
      lost.push({
        lsn,
        kind: seen?.kind,
        commitTs: seen?.commitTs,
        models: seen?.models ?? [],
        writes: seen?.writes,
        heldBy: heldBy(lsn),
      })
    }
  }
  for (const gap of gaps) {
    for (let lsn = gap.from; lsn <= gap.to; lsn++) {
      const unknown = { kind: undefined, commitTs: undefined, models: [], writes: undefined }
      lost.push({ lsn, ...unknown, heldBy: heldBy(lsn) })
    }
  }
  return lost.sort((a, b) => (a.lsn < b.lsn ? -1 : 1))
}

/** The rebuilt bytes of every segment, with placeholders where LSNs are missing. */
function rebuild(
  walk: JournalWalk,
  quarantineEntry: string,
  keepTail: boolean,
): Map<string, Uint8Array> {
  const rebuilt = new Map<string, Uint8Array>()
  let previous: bigint | undefined
  for (const [position, segment] of walk.segments.entries()) {
    const bytes = segment.bytes!
    const base =
      previous === undefined ? segment.baseLsn ?? segment.frames[0]?.lsn ?? 1n : previous + 1n
    const parts: Uint8Array[] = [encodeSegmentHeader(segment.index, base)]
    let last = base - 1n
    const placeholdersUpTo = (lsn: bigint, offset: number): void => {
      for (let missing = last + 1n; missing < lsn; missing++) {
        const payload = encodeLost({
          lostInRepair: true,
          quarantine: quarantineEntry,
          segment: segment.name,
          offset,
        })
        parts.push(encodeFrame(missing, dataFrameKind.lost, payload))
      }
      if (lsn - 1n > last) last = lsn - 1n
    }
    for (const frame of segment.frames) {
      assert(frame.lsn > last, 'salvaged frames keep increasing LSNs')
      placeholdersUpTo(frame.lsn, frame.offset)
      parts.push(bytes.subarray(frame.offset, frame.end))
      last = frame.lsn
    }
    // Damage at this segment's end with valid frames in later segments: the LSNs up to the next
    // segment's first frame are lost here.
    const nextFirst = firstLsnAfter(walk.segments, position)
    if (nextFirst !== undefined) placeholdersUpTo(nextFirst, segment.size)
    const isNewest = position === walk.segments.length - 1
    const tail = segment.damage.at(-1)
    if (isNewest && keepTail && tail?.kind === 'torn')
      parts.push(bytes.subarray(tail.start, tail.end))
    previous = last
    rebuilt.set(segment.name, concat(parts))
  }
  return rebuilt
}

function firstLsnAfter(segments: readonly WalkedSegment[], position: number): bigint | undefined {
  for (const segment of segments.slice(position + 1)) {
    const first = segment.frames[0]
    if (first !== undefined) return first.lsn
  }
  return undefined
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    bytes.set(part, at)
    at += part.length
  }
  return bytes
}

function same(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b)
}

/**
 * Repairs (or, with `dryRun`, inspects) the journal in `dir` (relative name `journal/`).
 * `holding` is the newest valid checkpoint: lost records at or below its LSN cost nothing.
 */
export async function repairJournal(
  fs: FileSystem,
  dataDir: string,
  quarantine: Quarantine,
  options: { readonly dryRun: boolean; readonly holding: HoldingCheckpoint | undefined },
): Promise<JournalRepairReport> {
  const { dryRun } = options
  const dir = joinPath(dataDir, 'journal')
  const walk = await walkJournal(fs, dir, { keepBytes: true })
  const corrupt = walk.damage.filter((range) => range.kind === 'corrupt')
  const damage = corrupt.map((range) => describeDamage(walk, range))
  const lost = lostRecords(damage, walk.gaps, options.holding)
  const databaseLost = lost.filter((record) => record.heldBy === undefined)
  const torn = walk.damage.find((range) => range.kind === 'torn')
  const tornTail =
    torn === undefined
      ? undefined
      : { segment: torn.segment, offset: torn.start, bytes: torn.end - torn.start }
  const firstDamage = corrupt[0]
  const salvagedFrames = firstDamage === undefined ? 0 : countFramesAfter(walk, firstDamage)
  const base = {
    segments: walk.segments.length,
    frames: walk.segments.reduce((sum, segment) => sum + segment.frames.length, 0),
    firstLsn: walk.firstLsn,
    lastLsn: walk.lastLsn,
    damage,
    gaps: walk.gaps,
    lost,
    modelsAffected: [...new Set(databaseLost.flatMap((record) => record.models))].sort(),
    unknownRecords: databaseLost.filter(isUnreadable).length,
    salvagedFrames,
    tornTail,
  }
  if (corrupt.length === 0 && walk.gaps.length === 0) {
    return { ...base, segmentsRewritten: [], quarantine: undefined }
  }
  const draft = rebuild(walk, '', false)
  const replacedHeaders = walk.segments.filter((segment) => {
    const headerDamaged = segment.damage.some((range) => range.start === 0)
    const header = draft.get(segment.name)!.subarray(0, segmentHeaderBytes)
    return !headerDamaged && !same(header, segment.bytes!.subarray(0, segmentHeaderBytes))
  })
  const entry = dryRun
    ? 'quarantine/(dry run)'
    : await keepDamage(walk, corrupt, replacedHeaders, { damage, lost }, quarantine)
  const rebuilt = rebuild(walk, entry, false)
  const rewritten: string[] = []
  for (const segment of walk.segments) {
    const bytes = rebuilt.get(segment.name)!
    if (same(bytes, segment.bytes!)) continue
    rewritten.push(segment.name)
    if (dryRun) continue
    const temp = joinPath(dir, `${segment.name}.repair`)
    await writeDurable(fs, temp, bytes)
    await fs.rename(temp, joinPath(dir, segment.name))
    await fs.syncDir(dir)
  }
  return { ...base, segmentsRewritten: rewritten, quarantine: dryRun ? undefined : entry }
}

function countFramesAfter(walk: JournalWalk, damage: DamageRange): number {
  let count = 0
  let after = false
  for (const segment of walk.segments) {
    if (segment.name === damage.segment) after = true
    if (!after) continue
    count += segment.frames.filter(
      (frame) => segment.name !== damage.segment || frame.offset > damage.start,
    ).length
  }
  return count
}

/** Copies every damaged range (and a torn tail that the rewrite drops, and replaced headers). */
async function keepDamage(
  walk: JournalWalk,
  corrupt: readonly DamageRange[],
  replacedHeaders: readonly WalkedSegment[],
  found: { readonly damage: readonly JournalDamageReport[]; readonly lost: readonly LostRecord[] },
  quarantine: Quarantine,
): Promise<string> {
  const files: Array<{ name: string; bytes: Uint8Array; sourceOffset: number }> = []
  const ranges = [...corrupt, ...walk.damage.filter((range) => range.kind === 'torn')]
  for (const range of ranges) {
    const segment = walk.segments.find((candidate) => candidate.name === range.segment)!
    files.push({
      name: `${range.segment}.${range.start}.bin`,
      bytes: segment.bytes!.slice(range.start, range.end),
      sourceOffset: range.start,
    })
  }
  for (const segment of replacedHeaders) {
    const bytes = segment.bytes!.slice(0, segmentHeaderBytes)
    files.push({ name: `${segment.name}.header.bin`, bytes, sourceOffset: 0 })
  }
  return quarantine.keep({
    kind: 'journal-damage',
    source: 'journal/',
    reason:
      'bad bytes in the data journal with valid frames after them; repair kept every valid frame',
    files,
    details: { damage: found.damage, lost: found.lost, gaps: walk.gaps },
  })
}
