/**
 * Checkpoints: when to take one (journal volume, time, close), how (a snapshot at one commit
 * timestamp while writers continue), and what it makes unnecessary afterwards (older checkpoints
 * beyond the retention, journal segments before the oldest checkpoint kept).
 *
 * Why the journal is kept back to the oldest retained checkpoint, not the newest: a checkpoint that
 * later turns out damaged falls back to the previous one plus the journal after it, and loses
 * nothing (open and repair both do this). Open still reads only the newest checkpoint and the
 * journal after it, so open time does not grow with history.
 *
 * Snapshot start runs in the engine's lane (no DDL half done) and synchronously picks the snapshot:
 * a read-only transaction pins commit timestamp T (garbage collection keeps every version it can
 * see), and the LSN of commit T is the checkpoint's LSN. Only one checkpoint or backup runs at a
 * time.
 */
import { assert } from '@sky/std'
import type { Txn } from '@sky/txn'
import type { FileSystem } from '@sky/vfs'
import { joinPath, mkdirDurable, readFully } from '@sky/vfs'
import type { CheckpointInfo } from '../engine.js'
import { ddlStoreId } from '../engine.js'
import { RecoveryEngineFailedError } from '../errors.js'
import { checkpointName } from './checkpoint-format.js'
import { listCheckpoints } from './checkpoint-read.js'
import type { EngineCore } from './engine-core.js'
import { decodeSegmentHeader, segmentHeaderBytes } from './journal-format.js'
import { listSegmentFiles } from './journal-walk.js'
import { Lane } from './lane.js'
import { encodePrepare } from './records.js'
import { type SnapshotSource, writeSnapshot } from './snapshot-write.js'

/** A snapshot picked, held open until written. */
export interface PickedSnapshot {
  readonly source: SnapshotSource
  readonly txn: Txn
  readonly bytesCovered: number
}

export class Checkpointer {
  readonly #exclusive = new Lane()
  #running = false
  #timer: NodeJS.Timeout | undefined
  #lastLsn: bigint | undefined
  #lastSeq = -1
  #count = 0
  #last: CheckpointInfo | undefined
  #lastError: unknown

  constructor(private readonly core: EngineCore) {}

  get count(): number {
    return this.#count
  }
  get last(): CheckpointInfo | undefined {
    return this.#last
  }
  get lastError(): unknown {
    return this.#lastError
  }

  /** Starts the time trigger. */
  start(): void {
    const intervalMs = this.core.settings.checkpointIntervalMs
    if (intervalMs <= 0) return
    this.#timer = setInterval(() => {
      if (this.core.dataLog.bytesSinceCheckpoint > 0) this.#background()
    }, intervalMs)
    this.#timer.unref()
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer)
  }

  /** The volume trigger: called after each append with the bytes since the last checkpoint. */
  onVolume(bytesSinceCheckpoint: number): void {
    if (bytesSinceCheckpoint >= this.core.settings.checkpointJournalBytes) this.#background()
  }

  #background(): void {
    if (this.#running || this.core.closed || this.core.failure !== undefined) return
    this.take().then(
      () => undefined,
      (error: unknown) => {
        this.#lastError = error
      },
    )
  }

  /** Takes a checkpoint now (after any running one); undefined when nothing changed. */
  take(): Promise<CheckpointInfo | undefined> {
    return this.#exclusive.run(async () => {
      this.#running = true
      try {
        const info = await this.#take()
        this.#lastError = undefined
        return info
      } finally {
        this.#running = false
      }
    })
  }

  /** Runs `task` while no checkpoint runs (backups). */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#exclusive.run(task)
  }

  /** Resolves once no checkpoint is running or queued. */
  async idle(): Promise<void> {
    await this.#exclusive.idle()
  }

  async #take(): Promise<CheckpointInfo | undefined> {
    const started = this.core.settings.now()
    const picked = await this.pick(false)
    if (picked === undefined) return undefined
    const { source } = picked
    const name = checkpointName(source.header.lsn)
    let written
    try {
      written = await writeSnapshot(this.core.fs, this.core.checkpointsDir, name, source)
    } finally {
      if (picked.txn.state === 'open') picked.txn.rollback()
    }
    this.core.dataLog.checkpointTaken(picked.bytesCovered)
    assert(this.#lastLsn === undefined || source.header.lsn >= this.#lastLsn, 'checkpoints advance')
    this.#lastLsn = source.header.lsn
    this.#lastSeq = source.header.catalogSeq
    const removed = await this.#removeUnneeded()
    const info: CheckpointInfo = {
      name,
      lsn: source.header.lsn,
      commitTs: source.header.commitTs,
      rows: written.rows,
      bytes: written.bytes,
      durationMs: this.core.settings.now() - started,
      ...removed,
    }
    this.#count++
    this.#last = info
    return info
  }

  /**
   * Picks the snapshot (in the engine's lane, synchronously once there). With `always`, a snapshot
   * is picked even when nothing changed since the last checkpoint (backups).
   */
  async pick(always: boolean): Promise<PickedSnapshot | undefined> {
    const core = this.core
    return core.lane.run(async () => {
      if (core.failure !== undefined) throw new RecoveryEngineFailedError({ cause: core.failure })
      const txn = core.manager.begin({ readOnly: true, isolation: 'snapshot' })
      const commitTs = txn.snapshotTs
      const lsn = core.dataLog.lsnOfInstalled(commitTs)
      assert(lsn !== undefined, 'the installed commit has a known lsn')
      const catalogSeq = core.gns.current.seq
      if (!always && lsn === this.#lastLsn && catalogSeq === this.#lastSeq) {
        txn.rollback()
        return undefined
      }
      const source: SnapshotSource = {
        header: {
          lsn,
          commitTs,
          createdAtMs: core.settings.now(),
          catalogSeq,
          catalogLsn: core.dataLog.lastCatalogLsn,
        },
        image: core.gns.exportImage(),
        stores: core.db.modelIds().map((modelId) => ({ modelId, store: core.db.store(modelId)! })),
        prepares: [...core.pending.values()].map(encodePrepare),
        busy: () => core.manager.stats.inFlight > 0,
        pace: async () => {
          await new Promise((resolve) => setImmediate(resolve))
          // Any operation keeps the snapshot's transaction from idling out.
          if (txn.state === 'open') txn.scan(ddlStoreId, { limit: 1 })
        },
      }
      return { source, txn, bytesCovered: core.dataLog.bytesSinceCheckpoint }
    })
  }

  /** Removes checkpoints beyond the retention, then journal segments before the oldest kept. */
  async #removeUnneeded(): Promise<{ segmentsRemoved: number; checkpointsRemoved: number }> {
    const { fs, checkpointsDir, settings } = this.core
    const all = await listCheckpoints(fs, checkpointsDir)
    const kept = all.slice(0, settings.checkpointsRetained)
    const removed = all.slice(settings.checkpointsRetained)
    for (const { name } of removed) await fs.unlink(joinPath(checkpointsDir, name))
    if (removed.length > 0) await fs.syncDir(checkpointsDir)
    const oldest = kept.at(-1)
    if (oldest === undefined || kept.length < settings.checkpointsRetained) {
      return { segmentsRemoved: 0, checkpointsRemoved: removed.length }
    }
    if (settings.retainSegments === 'all')
      return { segmentsRemoved: 0, checkpointsRemoved: removed.length }
    const cut = await retainedCut(
      fs,
      this.core.journalDir,
      oldest.lsn + 1n,
      settings.retainSegments,
    )
    const segmentsRemoved = await this.core.journal.truncateBefore(cut)
    return { segmentsRemoved, checkpointsRemoved: removed.length }
  }
}

/**
 * The LSN to truncate before so that, of the segments wholly before `needed`, the newest `keep`
 * stay (point-in-time restore reads them).
 */
async function retainedCut(
  fs: FileSystem,
  dir: string,
  needed: bigint,
  keep: number,
): Promise<bigint> {
  if (keep <= 0) return needed
  const bases: bigint[] = []
  for (const { name } of await listSegmentFiles(fs, dir)) {
    const file = await fs.open(joinPath(dir, name))
    try {
      const header = decodeSegmentHeader(await readFully(file, 0, segmentHeaderBytes))
      if (header.status === 'ok') bases.push(header.baseLsn)
    } finally {
      await file.close()
    }
  }
  // Segment i lies wholly before `needed` when segment i + 1 starts at or below it.
  let removable = 0
  while (removable + 1 < bases.length && bases[removable + 1]! <= needed) removable++
  const firstKept = Math.max(0, removable - keep)
  return bases[firstKept] ?? needed
}

/** Creates the checkpoints directory durably. */
export async function ensureCheckpointsDir(fs: FileSystem, dir: string): Promise<void> {
  await mkdirDurable(fs, dir)
}
