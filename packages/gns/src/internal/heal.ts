/**
 * Healing after recovery: every damaged copy is rewritten from the recovered state, its bad bytes
 * kept in the quarantine first, so the next open finds every copy valid.
 *
 * Order, chosen so a crash at any point leaves at least one copy holding the whole state:
 *  1. a kept journal is opened (cutting a crash's torn tail into the quarantine) and, if it alone
 *     would not yield the recovered state, gets a snapshot frame;
 *  2. checkpoints are written, generation after generation, until every damaged or missing copy is
 *     rewritten (at least one when the journal is replaced or got a snapshot);
 *  3. only then is a damaged journal moved into the quarantine and a new one started with a
 *     snapshot frame;
 *  4. a kept journal that got a snapshot and a checkpoint drops the segments before the snapshot.
 *
 * A compaction a crash interrupted (its snapshot frame is the journal's last frame, its checkpoint
 * maybe not durable: compaction-evidence.ts) is not damage: when the kept journal alone yields the
 * catalog, step 2 writes the checkpoint that compaction would have written (the frame's own image)
 * and step 4 drops the segments before its frame, as the compaction would have.
 */
import { type Journal, type JournalOptions, type TornTail, openJournal } from '@sky/journal'
import { assert, isSkyError } from '@sky/std'
import type { FileSystem } from '@sky/vfs'
import { mkdirDurable } from '@sky/vfs'
import {
  type CheckpointRead,
  type CheckpointSlot,
  slotOf,
  writeCheckpoint,
} from './checkpoint-store.js'
import type { LastSnapshot } from './compaction-evidence.js'
import type { Quarantine } from './disk.js'
import { encodeImage } from './image-codec.js'
import { stateToRecords } from './image-state.js'
import { frameKindSnapshot } from './journal-read.js'
import type { Recovery } from './recovery.js'

export interface HealContext {
  readonly fs: FileSystem
  readonly dir: string
  readonly journalDir: string
  readonly journalOptions: Omit<JournalOptions, 'fs' | 'dir' | 'preserveTornTail'>
  readonly recovery: Recovery
  readonly checkpointReads: readonly CheckpointRead[]
  readonly journalPresent: boolean
  readonly quarantine: Quarantine
  /** Appended to as actions are taken. */
  readonly healed: string[]
  readonly tornTails: { segment: string; offset: number; bytes: number }[]
}

export interface Healed {
  readonly journal: Journal
  /** Highest checkpoint generation now on disk. */
  readonly generation: number
  /** Whether the journal now starts its history with a snapshot of the current state. */
  readonly snapshotWritten: boolean
  /** Open finished a compaction that a crash had interrupted. */
  readonly completedCompaction: boolean
}

async function openWithTornHook(context: HealContext): Promise<Journal> {
  const { fs, journalDir, quarantine, tornTails, healed } = context
  const preserveTornTail = async (tail: TornTail): Promise<void> => {
    const path = await quarantine.keepBytes(`torn-${tail.segment}-${tail.offset}.bin`, tail.bytes)
    tornTails.push({ segment: tail.segment, offset: tail.offset, bytes: tail.bytes.length })
    healed.push(
      `kept the torn journal tail (${tail.bytes.length} bytes, ` +
        `${tail.segment}@${tail.offset}) in ${path}`,
    )
  }
  await mkdirDurable(fs, journalDir)
  return openJournal({ ...context.journalOptions, fs, dir: journalDir, preserveTornTail })
}

function imageFor(context: HealContext, generation: number): Uint8Array {
  const { state } = context.recovery
  return encodeImage(generation, state.seq, stateToRecords(state))
}

/** The image of the first checkpoint a heal writes, and where it comes from (for the report). */
interface FirstImage {
  readonly image: () => Uint8Array
  readonly source: string
}

/**
 * Writes checkpoints until every slot in `rewrite` is done (and at least `minimum` are written).
 */
async function writeCheckpoints(
  context: HealContext,
  rewrite: ReadonlySet<CheckpointSlot>,
  minimum: number,
  first: FirstImage,
) {
  const { fs, dir, quarantine, healed, recovery } = context
  const remaining = new Set(rewrite)
  let generation = recovery.validGeneration
  let written = 0
  while (remaining.size > 0 || written < minimum) {
    generation++
    const slot = slotOf(generation)
    const read = context.checkpointReads.find((candidate) => candidate.slot === slot)
    if (remaining.has(slot) && read?.status === 'present') {
      const path = await quarantine.keepBytes(`${slot}.damaged`, read.bytes)
      healed.push(`kept the damaged ${slot} in ${path}`)
    }
    await writeCheckpoint(
      fs,
      dir,
      generation,
      written === 0 ? first.image() : imageFor(context, generation),
    )
    const source = written === 0 ? first.source : 'the recovered catalog'
    healed.push(`wrote ${slot} (generation ${generation}) from ${source}`)
    remaining.delete(slot)
    written++
  }
  return { generation, written }
}

/**
 * The first checkpoint that finishes an interrupted compaction: the image its snapshot frame holds
 * (what the compaction would have written), unless healing needs another generation first.
 */
function compactionImage(context: HealContext, compaction: LastSnapshot): FirstImage {
  const { state, validGeneration } = context.recovery
  assert(compaction.seq === state.seq, 'a self-sufficient journal ends at its last snapshot')
  const generation = validGeneration + 1
  const exact = compaction.generation === generation
  return {
    image: () => (exact ? compaction.bytes : imageFor(context, generation)),
    source: `the journal's snapshot frame at lsn ${compaction.lsn}`,
  }
}

/**
 * Drops the segments before the last snapshot frame, once its state is in a durable checkpoint, as
 * the compaction that wrote the frame would have. Returns whether a compaction was finished.
 */
async function finishCompaction(
  context: HealContext,
  journal: Journal,
  compaction: LastSnapshot,
): Promise<boolean> {
  const removed = await journal.truncateBefore(compaction.lsn)
  const interrupted = compaction.status === 'interrupted'
  if (!interrupted && removed === 0) return false
  const what = interrupted ? 'its checkpoint written' : 'its checkpoint was already durable'
  context.healed.push(
    `completed an interrupted compaction at seq ${compaction.seq} ` +
      `(snapshot frame at lsn ${compaction.lsn}): ${what}, ` +
      `${removed} journal segments before the frame dropped`,
  )
  return true
}

/** Carries out the heal plan of `context.recovery`. */
export async function heal(context: HealContext): Promise<Healed> {
  const { recovery, healed } = context
  const { state } = recovery
  let action = recovery.journalAction
  let journal: Journal | undefined
  if (action === 'keep') {
    try {
      journal = await openWithTornHook(context)
    } catch (error) {
      if (!isSkyError(error, 'JOURNAL_CORRUPT')) throw error
      action = 'replace'
    }
  }
  const hasHistory = state.seq > 0 || state.pending.size > 0
  const needSnapshot = hasHistory && (action !== 'keep' || !recovery.journalSelfSufficient)
  // The journal's last snapshot frame, when the kept journal alone yields the catalog: a
  // compaction that a crash may have left unfinished.
  const compaction =
    journal !== undefined && !needSnapshot && recovery.lastSnapshot?.status !== 'other'
      ? recovery.lastSnapshot
      : undefined
  const finishing = compaction?.status === 'interrupted'
  let encoded: Uint8Array | undefined
  const firstImage = (): Uint8Array => (encoded ??= imageFor(context, recovery.validGeneration + 1))
  let snapshotLsn: bigint | undefined
  if (journal !== undefined && needSnapshot) {
    snapshotLsn = await journal.append(firstImage(), frameKindSnapshot)
    healed.push(`wrote a snapshot of the catalog (seq ${state.seq}) into the journal`)
  }
  const { generation, written } = await writeCheckpoints(
    context,
    recovery.rewrite,
    needSnapshot || finishing ? 1 : 0,
    finishing && compaction !== undefined
      ? compactionImage(context, compaction)
      : { image: firstImage, source: 'the recovered catalog' },
  )
  let completedCompaction = false
  if (journal === undefined) {
    if (action === 'replace' && context.journalPresent) {
      const path = await context.quarantine.moveContents(context.journalDir, 'journal')
      healed.push(`moved the damaged journal to ${path}`)
    }
    journal = await openWithTornHook(context)
    if (hasHistory) {
      await journal.append(firstImage(), frameKindSnapshot)
      healed.push(`started a new journal with a snapshot of the catalog (seq ${state.seq})`)
    }
  } else if (snapshotLsn !== undefined && written > 0) {
    await journal.truncateBefore(snapshotLsn)
  } else if (compaction !== undefined) {
    completedCompaction = await finishCompaction(context, journal, compaction)
  }
  return {
    journal,
    generation: Math.max(generation, recovery.validGeneration),
    snapshotWritten: needSnapshot,
    completedCompaction,
  }
}
