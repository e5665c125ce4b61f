/**
 * What the journal proves about checkpoint writes, and which compaction a crash may have cut short.
 *
 * A compaction (gns-impl.ts) appends a snapshot frame of generation g, writes checkpoint g (temp
 * name, fdatasync, rename, directory fsync), then drops the journal segments before the frame; an
 * open that heals appends its snapshot frame and writes its checkpoints in the same order
 * (heal.ts). The invariant every writer keeps, and that this module relies on:
 *
 *   after a snapshot frame of generation g, no frame is appended and no segment is dropped until
 *   checkpoint g is durable.
 *
 * (A compaction whose checkpoint failed on a full disk writes it before the next event; open
 * finishes an interrupted compaction before the catalog accepts any statement.) So the journal's
 * shape proves, for a journal without damage:
 *
 * | shape                                               | proves                                 |
 * |-----------------------------------------------------|----------------------------------------|
 * | a snapshot frame of generation g, any frame after   | checkpoint g was durable               |
 * | the first frame is past lsn 1 (segments dropped)    | the first snapshot frame's checkpoint  |
 * |                                                     | was durable (the frame that dropped    |
 * |                                                     | them is still in the journal, at or    |
 * |                                                     | after it)                              |
 * | the last frame is a snapshot frame of generation g, | nothing: the crash may have come       |
 * | g above every generation proven above and above     | before checkpoint g was durable: an    |
 * | every checkpoint header                             | interrupted compaction, not damage     |
 *
 * Generations are written in order, each one after a copy that existed then, and skydb never
 * deletes a copy (it replaces one whole), so a durable generation g ≥ 1 means gns.a must exist, and
 * g ≥ 2 means gns.b must too. A copy that is absent although its generation is proven was lost.
 *
 * Limit: a copy deleted after its compaction finished, while nothing follows its snapshot frame and
 * no segment was dropped, looks exactly like that interrupted compaction; open then rewrites it as
 * it would finish the compaction, without naming it damage.
 */
import type { JournalEntry, JournalRead } from './journal-read.js'

/** The journal's last frame when it is a snapshot frame, and what became of its checkpoint. */
export interface LastSnapshot {
  readonly lsn: bigint
  readonly seq: number
  readonly generation: number
  /** The frame's image: the checkpoint its compaction writes. */
  readonly bytes: Uint8Array
  /**
   * `interrupted`: nothing proves checkpoint `generation` became durable, so open writes it.
   * `checkpointed`: a valid copy holds exactly this generation and seq; segments before the frame
   * that a crash left behind may be dropped.
   * `other`: proven but not held by a valid copy (damage, which the heal plan covers).
   */
  readonly status: 'interrupted' | 'checkpointed' | 'other'
}

export interface CompactionEvidence {
  /** Highest checkpoint generation known to have been durable (0 when none). */
  readonly provenGeneration: number
  readonly lastSnapshot: LastSnapshot | undefined
}

/** A checkpoint copy's header, for a copy whose every check passed. */
export interface ValidCopy {
  readonly generation: number
  readonly seq: number
}

/** Highest generation the journal's shape proves durable (see the table above). */
function journalProvenGeneration(journal: JournalRead): number {
  const { entries } = journal
  let proven = 0
  entries.forEach((entry, index) => {
    if (entry.kind === 'snapshot' && index + 1 < entries.length)
      proven = Math.max(proven, entry.generation)
  })
  const first = entries[0]
  const segmentsDropped = first !== undefined && first.lsn > 1n && journal.problems.length === 0
  if (segmentsDropped) {
    const firstSnapshot = entries.find((entry) => entry.kind === 'snapshot')
    if (firstSnapshot?.kind === 'snapshot') proven = Math.max(proven, firstSnapshot.generation)
  }
  return proven
}

/**
 * What `journal` and the checkpoint headers prove about checkpoint writes.
 *
 * @param headerGeneration highest generation in any checkpoint header whose own checksum holds.
 * @param validCopies the copies that passed every check.
 */
export function compactionEvidence(
  journal: JournalRead,
  headerGeneration: number,
  validCopies: readonly ValidCopy[],
): CompactionEvidence {
  const provenGeneration = Math.max(headerGeneration, journalProvenGeneration(journal))
  const last: JournalEntry | undefined = journal.entries.at(-1)
  if (last?.kind !== 'snapshot') return { provenGeneration, lastSnapshot: undefined }
  const held = validCopies.some(
    (copy) => copy.generation === last.generation && copy.seq === last.seq,
  )
  const status = held
    ? 'checkpointed'
    : last.generation > provenGeneration
      ? 'interrupted'
      : 'other'
  const { lsn, seq, generation, bytes } = last
  return { provenGeneration, lastSnapshot: { lsn, seq, generation, bytes, status } }
}
