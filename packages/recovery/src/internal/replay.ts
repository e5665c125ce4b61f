/**
 * Replay: a checkpoint's rows into a fresh `MvccDatabase`, then every data journal frame after it,
 * in LSN order.
 *
 * Per frame kind (see frame-kinds.ts):
 *   1 redo     decode, install at its commit timestamp; a store missing for a model id is created
 *              (key kind of the write); stores of models the catalog no longer has are dropped
 *              afterwards and their writes counted as skipped
 *   2 echo     kept for the catalog source; a commit/abort echo resolves its prepare
 *   3 prepare  kept as pending until its commit/abort echo
 *   4 image    kept for the catalog source
 *   5, 6       counted
 *   other      refused: a newer skydb wrote it
 *
 * Invariants: commit timestamps strictly increase along the journal (asserted by the store and
 * checked here as a typed error); LSNs run without gaps from the checkpoint's LSN + 1.
 */
import type { Journal } from '@sky/journal'
import { readEcho } from '@sky/gns'
import { type MvccDatabase, keyKindOf } from '@sky/mvcc'
import { assert, isSkyError } from '@sky/std'
import { type Row, decodeRedo } from '@sky/txn'
import { type CatalogRecords, collectCatalogRecord } from '../data-catalog-source.js'
import { ddlStoreId } from '../engine.js'
import {
  RecoveryBadRecordError,
  RecoveryJournalCorruptError,
  RecoveryJournalGapError,
  RecoveryUnsupportedError,
} from '../errors.js'
import { dataFrameKind, isDataFrameKind } from '../frame-kinds.js'
import type { ReplayReport } from '../report.js'
import type { CheckpointContent } from './checkpoint-read.js'
import { type PrepareRecord, decodePrepare } from './records.js'

/** Installs a checkpoint's rows at its commit timestamp. */
export function loadCheckpoint(
  db: MvccDatabase<Row>,
  content: CheckpointContent | undefined,
): void {
  if (content !== undefined) {
    const ts = content.header.commitTs
    for (const [modelId, stored] of content.stores) {
      const store = db.createStore(modelId, { keyKind: stored.keyKind })
      if (stored.writes.length > 0) store.install(ts, stored.writes)
    }
    if (ts > 0) db.install(ts, [])
  }
  if (db.store(ddlStoreId) === undefined) db.createStore(ddlStoreId, { keyKind: 'string' })
}

/** What replay gathered besides the rows. */
export interface Replayed {
  readonly report: ReplayReport
  /** Prepares without a commit or abort echo (including the checkpoint's), by id. */
  readonly pending: Map<string, PrepareRecord>
  /** Catalog bytes found after the checkpoint, for the catalog source. */
  readonly catalog: CatalogRecords
  /** Highest catalog sequence number among the echoes replayed (0 when none). */
  readonly echoSeq: number
  /** Redo writes and single-store records per store id, for counting what dropped models lose. */
  readonly writesByStore: Map<string, { writes: number; soleRecords: number }>
  /** The store ids of each record that wrote to several stores. */
  readonly multiStoreRecords: string[][]
  /** LSN of the last frame (the checkpoint's when none followed). */
  readonly lastLsn: bigint
}

class ReplayState {
  frames = 0
  transactions = 0
  writes = 0
  ddlRecords = 0
  lostPlaceholders = 0
  echoSeq = 0
  readonly pending = new Map<string, PrepareRecord>()
  readonly catalog: CatalogRecords = { echoes: [], images: [] }
  readonly writesByStore = new Map<string, { writes: number; soleRecords: number }>()
  readonly multiStoreRecords: string[][] = []

  constructor(private readonly db: MvccDatabase<Row>) {}

  redo(lsn: bigint, payload: Uint8Array): void {
    let record
    try {
      record = decodeRedo(payload)
    } catch (error) {
      if (isSkyError(error)) throw new RecoveryBadRecordError(lsn, error.message, { cause: error })
      throw error
    }
    if (record.commitTs <= this.db.lastCommitTs) {
      throw new RecoveryBadRecordError(
        lsn,
        `commit ts ${record.commitTs} after ${this.db.lastCommitTs}`,
      )
    }
    const touched = new Set<string>()
    for (const write of record.writes) {
      if (this.db.store(write.modelId) === undefined) {
        this.db.createStore(write.modelId, { keyKind: keyKindOf(write.key)! })
      }
      const counts = this.writesByStore.get(write.modelId) ?? { writes: 0, soleRecords: 0 }
      counts.writes++
      touched.add(write.modelId)
      this.writesByStore.set(write.modelId, counts)
    }
    if (touched.size === 1) this.writesByStore.get([...touched][0]!)!.soleRecords++
    else if (touched.size > 1) this.multiStoreRecords.push([...touched])
    try {
      this.db.install(record.commitTs, record.writes)
    } catch (error) {
      if (error instanceof TypeError || isSkyError(error)) {
        throw new RecoveryBadRecordError(lsn, (error as Error).message, { cause: error })
      }
      throw error
    }
    this.transactions++
    this.writes += record.writes.length
  }

  catalogRecord(lsn: bigint, kind: number, payload: Uint8Array): void {
    collectCatalogRecord(this.catalog, kind, payload)
    this.ddlRecords++
    if (kind === dataFrameKind.prepare) {
      let prepare: PrepareRecord
      try {
        prepare = decodePrepare(payload)
      } catch (error) {
        throw new RecoveryBadRecordError(lsn, (error as Error).message, { cause: error })
      }
      this.pending.set(prepare.id, prepare)
      this.#seq(readEcho(prepare.echo)?.seq)
      return
    }
    if (kind !== dataFrameKind.ddlEcho) return
    const summary = readEcho(payload)
    this.#seq(summary?.seq)
    if (
      summary?.prepareId !== undefined &&
      (summary.type === 'commit' || summary.type === 'abort')
    ) {
      this.pending.delete(summary.prepareId)
    }
  }

  #seq(seq: number | undefined): void {
    if (seq !== undefined && seq > this.echoSeq) this.echoSeq = seq
  }
}

function applyFrame(state: ReplayState, lsn: bigint, kind: number, payload: Uint8Array): void {
  if (!isDataFrameKind(kind)) {
    throw new RecoveryUnsupportedError(`data journal frame at lsn ${lsn}`, `unknown kind ${kind}`)
  }
  switch (kind) {
    case dataFrameKind.redo:
      return state.redo(lsn, payload)
    case dataFrameKind.ddlEcho:
    case dataFrameKind.prepare:
    case dataFrameKind.catalogImage:
      return state.catalogRecord(lsn, kind, payload)
    case dataFrameKind.lost:
      state.lostPlaceholders++
      return
    case dataFrameKind.timeMark:
      return
  }
}

/**
 * Replays every frame after `afterLsn` into `db`, starting from the pending prepares of the
 * checkpoint.
 *
 * @throws RecoveryJournalCorruptError when the scan meets damage; RecoveryJournalGapError when the
 *   journal does not continue at `afterLsn + 1`; RecoveryBadRecordError, RecoveryUnsupportedError.
 */
export async function replayJournal(
  journal: Journal,
  db: MvccDatabase<Row>,
  afterLsn: bigint,
  checkpointPrepares: readonly Uint8Array[],
): Promise<Replayed> {
  const state = new ReplayState(db)
  for (const bytes of checkpointPrepares) {
    const prepare = decodePrepare(bytes)
    state.pending.set(prepare.id, prepare)
  }
  let expected = afterLsn + 1n
  const scan = journal.scan(expected)
  for await (const frame of scan) {
    if (frame.lsn !== expected) throw new RecoveryJournalGapError(expected, frame.lsn)
    assert(frame.lsn > afterLsn, 'replay starts after the checkpoint')
    applyFrame(state, frame.lsn, frame.kind, frame.payload)
    state.frames++
    expected++
  }
  const ending = scan.ending
  if (ending !== undefined && ending.kind === 'corrupt')
    throw new RecoveryJournalCorruptError(ending)
  if (ending !== undefined && ending.kind === 'torn') {
    // Open cut the torn tail just before; a new one can only be damage.
    throw new RecoveryJournalCorruptError({ ...ending, lsnBefore: ending.lastLsn, lsnAfter: 0n })
  }
  const report: ReplayReport = {
    fromLsn: afterLsn + 1n,
    toLsn: expected - 1n,
    frames: state.frames,
    transactions: state.transactions,
    writes: state.writes,
    ddlRecords: state.ddlRecords,
    skippedTransactions: 0,
    skippedWrites: 0,
    lostPlaceholders: state.lostPlaceholders,
  }
  return {
    report,
    pending: state.pending,
    catalog: state.catalog,
    echoSeq: state.echoSeq,
    writesByStore: state.writesByStore,
    multiStoreRecords: state.multiStoreRecords,
    lastLsn: expected - 1n,
  }
}
