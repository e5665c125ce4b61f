/**
 * What `openEngine` found and did: the checkpoint it loaded (and the damaged ones it passed over),
 * the frames it replayed, the torn tails it moved to the quarantine, the two-phase DDL it resolved,
 * the catalog's own report, and how long it took. Nothing recovery does is silent: every byte it
 * could not use is named here with the quarantine entry that holds it.
 */
import type { GnsOpenReport } from '@sky/gns'

/** The checkpoint open started from. */
export interface CheckpointUsed {
  /** File name, e.g. `ckpt-00000000000000001234`. */
  readonly name: string
  /** Frames up to this LSN are in it; replay started after it. */
  readonly lsn: bigint
  readonly commitTs: number
  readonly rows: number
  readonly bytes: number
}

/** A checkpoint open could not use. */
export interface CheckpointSkipped {
  readonly name: string
  readonly problem: string
  /** The quarantine entry it was moved to. */
  readonly quarantine: string
}

/** A torn tail cut off the data journal (the normal remains of a crash: never acknowledged). */
export interface TornTailReport {
  readonly segment: string
  readonly offset: number
  readonly bytes: number
  /** LSN of the last good frame before it. */
  readonly lastLsn: bigint
  /** The quarantine entry holding the bytes. */
  readonly quarantine: string
}

/** What replay did. */
export interface ReplayReport {
  /** First LSN replayed (the checkpoint's LSN + 1). */
  readonly fromLsn: bigint
  /** Last LSN replayed (fromLsn - 1 when none). */
  readonly toLsn: bigint
  readonly frames: number
  /** Redo records (committed transactions) applied. */
  readonly transactions: number
  readonly writes: number
  readonly ddlRecords: number
  /** Redo records whose every write went to a dropped model: applied to nothing. */
  readonly skippedTransactions: number
  /** Writes to models that no longer exist, skipped. */
  readonly skippedWrites: number
  /** Placeholders of frames that repair found lost (see the quarantine). */
  readonly lostPlaceholders: number
}

/** A two-phase DDL that open found unfinished, and what it did with it. */
export interface TwoPhaseResolution {
  readonly id: string
  readonly description: string
  readonly decision:
    | 'aborted: in doubt, no commit echo (presumed abort)'
    | 'committed: data change finished at open'
    | 'committed: data change already done'
    | 'aborted earlier: prepare discarded'
}

/** A store of a model the catalog no longer has, dropped at open. */
export interface DroppedStore {
  readonly modelId: string
  readonly rows: number
}

/** The report of one `openEngine`. */
export interface RecoveryReport {
  /** Nothing existed: a new database. */
  readonly fresh: boolean
  /** The checkpoint loaded, or undefined when replay started from an empty state. */
  readonly checkpoint: CheckpointUsed | undefined
  /** Damaged checkpoints passed over (moved to the quarantine), newest first. */
  readonly checkpointsSkipped: readonly CheckpointSkipped[]
  readonly replay: ReplayReport
  /** Torn tails cut off the data journal. */
  readonly tornTails: readonly TornTailReport[]
  /** Two-phase DDL found unfinished. */
  readonly twoPhase: readonly TwoPhaseResolution[]
  /** Stores of models absent from the catalog (dropped), discarded with their rows. */
  readonly droppedStores: readonly DroppedStore[]
  /** The catalog's own report (damage it found and healed, events it took from the data side). */
  readonly catalog: GnsOpenReport
  /** Other facts worth a log line (a journal restarted after its checkpoint, an image written). */
  readonly notes: readonly string[]
  /** Wall-clock time the open took. */
  readonly durationMs: number
}
