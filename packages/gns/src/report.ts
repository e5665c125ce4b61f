/**
 * What `openGns` found and did: where the catalog came from, every damaged copy (what and where),
 * facts no copy could provide, and the repairs it made. Damage is never silent: if a copy failed a
 * check, it is named here, even when another copy made the catalog whole.
 */
import type { InDoubtPrepare } from './operations.js'

/** A place the catalog is kept. */
export type GnsFile = 'gns.a' | 'gns.b' | 'journal' | 'catalog-source'

/** What was wrong with a copy. */
export type GnsDamageKind =
  /** A checkpoint copy that should exist does not; or the journal is gone. */
  | 'missing'
  /** The file could not be read (I/O error). */
  | 'unreadable'
  /** Fewer bytes than its header promises (or than a header). */
  | 'short'
  /** Does not start with the magic number. */
  | 'bad-magic'
  /** The header fails its checksum: nothing in the file can be trusted. */
  | 'bad-header'
  /** The file checksum fails although every record is intact. */
  | 'bad-checksum'
  /** Some records fail their checksums (see `detail` for which objects). */
  | 'damaged-records'
  /** Journal frames that fail their checks, with valid frames after them. */
  | 'corrupt-frames'
  /** A frame or echo that passed its checksum but holds no valid event or image. */
  | 'bad-record'
  /** Two copies give different events for the same sequence number. */
  | 'conflict'
  /** Acknowledged events the journal lacks but the catalog source holds. */
  | 'missing-events'

/** One damaged copy. */
export interface GnsDamage {
  readonly file: GnsFile
  readonly kind: GnsDamageKind
  readonly detail: string
  /** Byte offset of the damage in the file (or journal segment), when known. */
  readonly offset: number | undefined
  /** The journal segment, for journal damage. */
  readonly segment: string | undefined
}

/** The result of opening: see the decision table in README.md. */
export interface GnsOpenReport {
  /** Nothing existed: a new, empty catalog. */
  readonly fresh: boolean
  /**
   * Where the catalog state came from, e.g. `gns.b (generation 4)`, `journal snapshot at lsn 31`.
   */
  readonly base: string
  /** Sequence number of the catalog after open. */
  readonly seq: number
  /** Events replayed after the base. */
  readonly replayed: number
  /** Of those, events that only the catalog source held. */
  readonly fromSource: number
  /** Every damaged copy found. Empty after a clean shutdown or a crash. */
  readonly damage: readonly GnsDamage[]
  /** Facts no valid copy held (empty unless two copies of the same fact were damaged). */
  readonly lost: readonly string[]
  /**
   * What open repaired or finished: rewritten copies, quarantined bytes, a replaced journal, a
   * completed compaction.
   */
  readonly healed: readonly string[]
  /**
   * Open found a compaction that a crash had interrupted (its snapshot frame in the journal, its
   * checkpoint not yet durable or its old journal segments not yet dropped) and finished it. A
   * normal step after a crash, not damage: nothing was lost, `healed` says what was written.
   */
  readonly completedCompaction: boolean
  /** Journal tails cut after a crash (never acknowledged), kept in the quarantine. */
  readonly tornTails: readonly {
    readonly segment: string
    readonly offset: number
    readonly bytes: number
  }[]
  /** Prepared operations neither committed nor aborted: resolve each with `resolveInDoubt`. */
  readonly inDoubt: readonly InDoubtPrepare[]
}
