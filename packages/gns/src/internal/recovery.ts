/**
 * Recovery: from every copy of the catalog, the most complete correct state, and what to heal.
 *
 * Method. Each copy offers bases (whole states at a sequence number: a checkpoint, a snapshot frame
 * of the journal, an image from the catalog source, or the empty catalog at 0) and events (by
 * sequence number, from the journal and the source's echoes). A base followed by consecutive events
 * gives a chain; the chain reaching the highest sequence number wins (ties: the newer base, then
 * checkpoint over journal over source). Only when no whole copy reaches as far as a damaged
 * checkpoint does, that checkpoint is repaired record by record (see partial-repair.ts). Facts
 * beyond the winning chain that some copy proves existed are reported lost, and the sequence number
 * jumps past them, so no later event ever reuses a lost event's number.
 *
 * The decision table in README.md ("Recovery decision table") lists each case with its action.
 */
import { assert } from '@sky/std'
import type { CatalogSource } from '../catalog-source.js'
import type { CheckpointRead, CheckpointSlot } from './checkpoint-store.js'
import { type LastSnapshot, compactionEvidence } from './compaction-evidence.js'
import { decodeEvent } from './event-codec.js'
import { type ImageRead, decodeImage } from './image-codec.js'
import type { JournalRead } from './journal-read.js'
import { repairPartial } from './partial-repair.js'
import {
  Base,
  type CheckpointAssessment,
  DamageLog,
  EventPool,
  assessCheckpoint,
  baseOfImage,
  baseOfImageBytes,
  lazyImage,
} from './sources.js'
import { type CatalogState, Draft, applyChange, genesis } from './state.js'

export interface Recovery {
  readonly state: CatalogState
  readonly fresh: boolean
  readonly base: string
  readonly replayed: number
  readonly fromSource: number
  readonly damage: DamageLog
  readonly lost: readonly string[]
  readonly notes: readonly string[]
  readonly checkpoints: readonly CheckpointAssessment[]
  /** Highest generation among whole, valid checkpoint copies (0 when none). */
  readonly validGeneration: number
  /** Highest generation in any checkpoint header whose own checksum holds. */
  readonly headerGeneration: number
  /** Copies to rewrite: damaged, or missing where one must exist. */
  readonly rewrite: ReadonlySet<CheckpointSlot>
  /** keep the journal; replace it (quarantine, start anew); or create it (it is gone). */
  readonly journalAction: 'keep' | 'replace' | 'create'
  /** The kept journal alone yields the recovered state (no snapshot frame needed). */
  readonly journalSelfSufficient: boolean
  /**
   * The journal's last frame when it is a snapshot frame: a compaction that open may have to
   * finish (see compaction-evidence.ts).
   */
  readonly lastSnapshot: LastSnapshot | undefined
}

interface Chain {
  readonly base: Base
  readonly end: number
}

const rank: Readonly<Record<Base['kind'], number>> = {
  checkpoint: 4,
  journal: 3,
  source: 2,
  partial: 1,
  genesis: 0,
}

/**
 * The best chain whose base builds into a consistent state; bases that do not are reported and
 * dropped.
 */
function chooseLoaded(gathered: Gathered): Chain {
  for (;;) {
    const best = chooseBest(gathered.bases, gathered.pool)
    if (best.base.load() !== undefined) return best
    const { base } = best
    const detail = `${base.origin}: inconsistent records: ${base.problem}`
    if (base.kind === 'checkpoint') {
      const slot = base.origin.slice(0, 5) as CheckpointSlot
      gathered.damage.add(slot, 'bad-record', detail)
      gathered.lateDamaged.add(slot)
    } else {
      gathered.damage.add(
        base.kind === 'journal' ? 'journal' : 'catalog-source',
        'bad-record',
        detail,
      )
    }
    gathered.bases.splice(gathered.bases.indexOf(base), 1)
  }
}

function chooseBest(bases: readonly Base[], pool: EventPool): Chain {
  let best: Chain | undefined
  for (const base of bases) {
    const end = pool.chainEnd(base.seq)
    const better =
      best === undefined ||
      end > best.end ||
      (end === best.end &&
        (base.seq > best.base.seq ||
          (base.seq === best.base.seq && rank[base.kind] > rank[best.base.kind])))
    if (better) best = { base, end }
  }
  assert(best !== undefined, 'the empty catalog is always a base')
  return best
}

interface Gathered {
  /** Checkpoint copies whose records turned out inconsistent when their state was built. */
  readonly lateDamaged: Set<CheckpointSlot>
  readonly damage: DamageLog
  readonly pool: EventPool
  readonly journalPool: EventPool
  readonly bases: Base[]
  readonly images: { origin: string; image: () => ImageRead }[]
}

function gatherJournal(journal: JournalRead, gathered: Gathered): void {
  const { damage, pool, journalPool, bases, images } = gathered
  for (const problem of journal.problems) {
    const kind = problem.lsnBefore !== undefined ? 'corrupt-frames' : 'bad-record'
    damage.add('journal', kind, problem.detail, {
      ...(problem.offset === undefined ? {} : { offset: problem.offset }),
      ...(problem.segment === undefined ? {} : { segment: problem.segment }),
    })
  }
  for (const entry of journal.entries) {
    const where = { offset: entry.offset, segment: entry.segment }
    if (entry.kind === 'event') {
      journalPool.add(entry.seq, { change: entry.change, bytes: entry.bytes, origin: 'journal' })
      if (
        pool.add(entry.seq, { change: entry.change, bytes: entry.bytes, origin: 'journal' }) ===
        'conflict'
      ) {
        damage.add('journal', 'conflict', `two different events numbered ${entry.seq}`, where)
      }
      continue
    }
    const origin = `journal snapshot at lsn ${entry.lsn}`
    const image = lazyImage(entry.bytes)
    bases.push(baseOfImageBytes(entry.bytes, origin, 'journal', entry.seq, image))
    images.push({ origin, image })
  }
}

async function gatherSourceEvents(
  source: CatalogSource,
  afterSeq: number,
  gathered: Gathered,
): Promise<void> {
  const { damage, pool } = gathered
  try {
    for await (const bytes of source.events(afterSeq)) {
      const read = decodeEvent(bytes)
      if (read.status !== 'ok') {
        damage.add(
          'catalog-source',
          'bad-record',
          `event echo unreadable (${read.status === 'bad' ? read.reason : read.status})`,
        )
        continue
      }
      if (read.seq <= afterSeq) continue
      if (pool.add(read.seq, { change: read.change, bytes, origin: 'source' }) === 'conflict') {
        damage.add(
          'catalog-source',
          'conflict',
          `echo of event ${read.seq} differs from the journal's`,
        )
      }
    }
  } catch (error) {
    damage.add('catalog-source', 'unreadable', `events: ${(error as Error).message}`)
  }
}

async function gatherSourceSnapshots(source: CatalogSource, gathered: Gathered): Promise<void> {
  const { damage, bases, images } = gathered
  let index = 0
  try {
    for await (const bytes of source.snapshots()) {
      const origin = `catalog source image ${index++}`
      const image = decodeImage(bytes)
      if (image.status !== 'read') {
        damage.add('catalog-source', 'bad-record', `${origin} unreadable (${image.status})`)
        continue
      }
      const built = baseOfImage(image, origin, 'source')
      if ('problem' in built)
        damage.add('catalog-source', 'damaged-records', `${origin}: ${built.problem}`)
      else bases.push(built.base)
      images.push({ origin, image: () => image })
    }
  } catch (error) {
    damage.add('catalog-source', 'unreadable', `snapshots: ${(error as Error).message}`)
  }
}

interface Replayed {
  readonly state: CatalogState
  readonly replayed: number
  readonly fromSource: number
  readonly problem: string | undefined
}

function replay(chain: Chain, pool: EventPool): Replayed {
  const base = chain.base.load()
  assert(base !== undefined, 'a chosen base is loaded')
  const draft = new Draft(base)
  let replayed = 0
  let fromSource = 0
  for (let seq = chain.base.seq + 1; seq <= chain.end; seq++) {
    const event = pool.get(seq)
    assert(event !== undefined, 'a chain has every event up to its end')
    const problem = applyChange(draft, event.change, seq)
    if (problem !== undefined) {
      return {
        state: draft.finish(),
        replayed,
        fromSource,
        problem: `event ${seq} (${event.origin}) does not apply: ${problem}`,
      }
    }
    replayed++
    if (event.origin === 'source') fromSource++
  }
  return { state: draft.finish(), replayed, fromSource, problem: undefined }
}

function withSeq(state: CatalogState, seq: number): CatalogState {
  const draft = new Draft(state)
  draft.seq = seq
  return draft.finish()
}

/** Picks a repaired damaged checkpoint when it reaches further than every whole copy. */
function tryPartial(checkpoints: readonly CheckpointAssessment[], best: Chain, gathered: Gathered) {
  let chosen: { chain: Chain; notes: string[]; lost: string[] } | undefined
  for (const checkpoint of checkpoints) {
    if (checkpoint.base !== undefined || checkpoint.image === undefined) continue
    if (checkpoint.image.seq <= (chosen?.chain.end ?? best.end)) continue
    const repaired = repairPartial(checkpoint, gathered)
    if (repaired === undefined) continue
    const end = gathered.pool.chainEnd(repaired.base.seq)
    if (end > (chosen?.chain.end ?? best.end))
      chosen = { chain: { base: repaired.base, end }, notes: repaired.notes, lost: repaired.lost }
  }
  return chosen
}

/** The recovered state and the heal plan. */
export async function recover(input: {
  readonly checkpoints: readonly CheckpointRead[]
  readonly journal: JournalRead
  readonly source: CatalogSource | undefined
}): Promise<Recovery> {
  const damage = new DamageLog()
  const gathered: Gathered = {
    lateDamaged: new Set(),
    damage,
    pool: new EventPool(),
    journalPool: new EventPool(),
    bases: [],
    images: [],
  }
  gathered.bases.push(new Base('empty catalog', 'genesis', 0, genesis))
  const checkpoints = input.checkpoints.map((read) => assessCheckpoint(read, damage))
  for (const checkpoint of checkpoints) {
    if (checkpoint.base !== undefined) gathered.bases.push(checkpoint.base)
    const image = checkpoint.image
    if (image !== undefined) gathered.images.push({ origin: checkpoint.slot, image: () => image })
  }
  gatherJournal(input.journal, gathered)
  let best = chooseLoaded(gathered)
  const headerSeqs = checkpoints.map((checkpoint) => checkpoint.header?.seq ?? 0)
  const knownEnd = (): number =>
    Math.max(gathered.pool.maxSeq, ...headerSeqs, ...gathered.bases.map((base) => base.seq))
  if (input.source !== undefined) {
    await gatherSourceEvents(input.source, best.end, gathered)
    best = chooseLoaded(gathered)
    if (
      best.end < knownEnd() ||
      (best.base.kind === 'genesis' && gathered.pool.get(1) === undefined)
    ) {
      await gatherSourceSnapshots(input.source, gathered)
      best = chooseLoaded(gathered)
    }
  }
  const partial = tryPartial(checkpoints, best, gathered)
  if (partial !== undefined) best = partial.chain
  return conclude(
    input,
    gathered,
    checkpoints,
    best,
    partial,
    knownEnd(),
    input.source !== undefined,
  )
}

/** Replays the winning chain; reports what no copy could supply; skips lost sequence numbers. */
function finalState(
  journal: JournalRead,
  gathered: Gathered,
  best: Chain,
  knownEnd: number,
  hasSource: boolean,
  lost: string[],
): Replayed {
  const replayed = replay(best, gathered.pool)
  if (replayed.problem !== undefined) lost.push(replayed.problem)
  if (!hasSource) {
    for (const problem of journal.problems) {
      if (problem.tailLost !== true) continue
      lost.push(
        `journal ${problem.segment} after offset ${problem.offset} ` +
          `(lsn ${problem.lsnBefore}) unreadable: ` +
          'events held only there are lost, and no catalog source was given to supply them',
      )
    }
  }
  if (replayed.fromSource > 0) {
    const detail = `${replayed.fromSource} acknowledged events recovered from the catalog source`
    gathered.damage.add('journal', 'missing-events', detail)
  }
  if (replayed.state.seq >= knownEnd) return replayed
  const first = replayed.state.seq + 1
  lost.push(`events ${first}..${knownEnd}: some copy proves they existed, no valid copy holds them`)
  return { ...replayed, state: withSeq(replayed.state, knownEnd) }
}

/**
 * Which checkpoint copies to rewrite: damaged ones, and missing ones that should exist (those whose
 * generation the headers or the journal prove was durable: see compaction-evidence.ts).
 */
function checkpointDecisions(
  checkpoints: readonly CheckpointAssessment[],
  journal: JournalRead,
  gathered: Gathered,
) {
  const generations = checkpoints.map((checkpoint) => checkpoint.header?.generation ?? 0)
  const headerGeneration = Math.max(0, ...generations)
  const validGeneration = Math.max(
    0,
    ...checkpoints.map((checkpoint, at) => (checkpoint.base === undefined ? 0 : generations[at]!)),
  )
  const valid = (checkpoint: CheckpointAssessment): boolean =>
    checkpoint.base !== undefined &&
    !checkpoint.damaged &&
    !gathered.lateDamaged.has(checkpoint.slot)
  const validCopies = checkpoints.flatMap((checkpoint) =>
    valid(checkpoint) && checkpoint.header !== undefined ? [checkpoint.header] : [],
  )
  const evidence = compactionEvidence(journal, headerGeneration, validCopies)
  const rewrite = new Set<CheckpointSlot>()
  for (const checkpoint of checkpoints) {
    const expected = evidence.provenGeneration >= (checkpoint.slot === 'gns.a' ? 1 : 2)
    const missing = !checkpoint.present && expected
    if (missing) gathered.damage.add(checkpoint.slot, 'missing', 'this copy should exist')
    const damaged = checkpoint.damaged || gathered.lateDamaged.has(checkpoint.slot)
    if (damaged || missing) rewrite.add(checkpoint.slot)
  }
  return { rewrite, headerGeneration, validGeneration, lastSnapshot: evidence.lastSnapshot }
}

/** Keep, replace or create the journal. */
function journalDecision(
  journal: JournalRead,
  damage: DamageLog,
  damaged: boolean,
  seq: number,
): Recovery['journalAction'] {
  if (!journal.present) {
    if (seq > 0) damage.add('journal', 'missing', 'the journal directory is gone')
    return 'create'
  }
  if (damaged) return 'replace'
  if (journal.entries.length === 0 && seq > 0) {
    damage.add('journal', 'missing', 'the journal holds no events and no snapshot')
  }
  return 'keep'
}

function conclude(
  input: { readonly checkpoints: readonly CheckpointRead[]; readonly journal: JournalRead },
  gathered: Gathered,
  checkpoints: readonly CheckpointAssessment[],
  best: Chain,
  partial: { notes: string[]; lost: string[] } | undefined,
  knownEnd: number,
  hasSource: boolean,
): Recovery {
  const { damage } = gathered
  const { journal } = input
  const journalDamaged = damage.has('journal')
  const lost = [...(partial?.lost ?? [])]
  const replayed = finalState(journal, gathered, best, knownEnd, hasSource, lost)
  const { state } = replayed
  const anyCheckpoint = checkpoints.some((checkpoint) => checkpoint.present)
  const journalEmpty = journal.entries.length === 0 && journal.problems.length === 0
  const fresh = !anyCheckpoint && journalEmpty && state.seq === 0 && damage.entries.length === 0
  const decisions = checkpointDecisions(checkpoints, journal, gathered)
  const journalAction = journalDecision(journal, damage, journalDamaged, state.seq)
  const journalBases = gathered.bases.filter(
    (base) => base.kind === 'genesis' || base.kind === 'journal',
  )
  const journalChain = chooseBest(journalBases, gathered.journalPool)
  const journalSelfSufficient =
    journalAction === 'keep' &&
    journalChain.end === state.seq &&
    lost.length === 0 &&
    partial === undefined
  return {
    state,
    fresh,
    base: best.base.origin,
    replayed: replayed.replayed,
    fromSource: replayed.fromSource,
    damage,
    lost,
    notes: [...(partial?.notes ?? [])],
    checkpoints,
    ...decisions,
    journalAction,
    journalSelfSufficient,
  }
}
