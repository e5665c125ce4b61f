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
 */
import { type Journal, type JournalOptions, type TornTail, openJournal } from '@sky/journal'
import { isSkyError } from '@sky/std'
import type { FileSystem } from '@sky/vfs'
import { mkdirDurable } from '@sky/vfs'
import {
  type CheckpointRead,
  type CheckpointSlot,
  slotOf,
  writeCheckpoint,
} from './checkpoint-store.js'
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

/**
 * Writes checkpoints until every slot in `rewrite` is done (and at least `minimum` are written).
 */
async function writeCheckpoints(
  context: HealContext,
  rewrite: ReadonlySet<CheckpointSlot>,
  minimum: number,
  first: () => Uint8Array,
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
      written === 0 ? first() : imageFor(context, generation),
    )
    healed.push(`wrote ${slot} (generation ${generation}) from the recovered catalog`)
    remaining.delete(slot)
    written++
  }
  return { generation, written }
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
  let encoded: Uint8Array | undefined
  const firstImage = (): Uint8Array => (encoded ??= imageFor(context, recovery.validGeneration + 1))
  let snapshotLsn: bigint | undefined
  if (journal !== undefined && needSnapshot) {
    snapshotLsn = await journal.append(firstImage(), frameKindSnapshot)
    healed.push(`wrote a snapshot of the catalog (seq ${state.seq}) into the journal`)
  }
  const minimum = needSnapshot ? 1 : 0
  const { generation, written } = await writeCheckpoints(
    context,
    recovery.rewrite,
    minimum,
    firstImage,
  )
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
  }
  return {
    journal,
    generation: Math.max(generation, recovery.validGeneration),
    snapshotWritten: needSnapshot,
  }
}
