/**
 * EngineImpl: the open engine. Holds the lock, the catalog, the data journal, the store and the
 * transaction manager, and runs DDL, checkpoints, backups and close.
 *
 * States:
 *
 *   open ──close()─────────────────────────────▶ closed (terminal)
 *     └──journal or catalog failed (fail-stop)──▶ failed ──close()──▶ closed
 *
 * In `failed`, nothing more is written: DDL, checkpoints and backups throw
 * RecoveryEngineFailedError; commits already fail in `@sky/txn` (poisoned journal). The next open
 * recovers everything acknowledged before the failure.
 */
import type { DdlOp, DdlResult, Gns } from '@sky/gns'
import type { MvccDatabase } from '@sky/mvcc'
import type { Row, TxnManager } from '@sky/txn'
import { joinPath } from '@sky/vfs'
import type { BackupInfo, CheckpointInfo, Engine, EngineStats } from './engine.js'
import { RecoveryClosedError, RecoveryEngineFailedError } from './errors.js'
import { writeBackup } from './internal/backup-write.js'
import type { Checkpointer } from './internal/checkpointer.js'
import { isFatal, runDdl } from './internal/ddl.js'
import type { EngineCore } from './internal/engine-core.js'
import type { DirectoryLock } from './internal/lock.js'
import type { RecoveryReport } from './report.js'

export class EngineImpl implements Engine {
  #closing: Promise<void> | undefined

  constructor(
    private readonly core: EngineCore,
    private readonly checkpointer: Checkpointer,
    private readonly lock: DirectoryLock,
    readonly report: RecoveryReport,
  ) {}

  get dir(): string {
    return this.core.dir
  }
  get gns(): Gns {
    return this.core.gns
  }
  get manager(): TxnManager {
    return this.core.manager
  }
  get store(): MvccDatabase<Row> {
    return this.core.db
  }

  get stats(): EngineStats {
    return {
      checkpoints: this.checkpointer.count,
      lastCheckpoint: this.checkpointer.last,
      lastCheckpointError: this.checkpointer.lastError,
      journalBytesSinceCheckpoint: this.core.dataLog.bytesSinceCheckpoint,
    }
  }

  ddl(op: DdlOp): Promise<DdlResult> {
    try {
      this.#checkUsable()
    } catch (error) {
      return Promise.reject(error)
    }
    return this.core.lane.run(async () => {
      this.#checkUsable()
      try {
        return await runDdl(this.core, op)
      } catch (error) {
        if (isFatal(error)) this.core.failure ??= error
        throw error
      }
    })
  }

  async checkpoint(): Promise<CheckpointInfo | undefined> {
    this.#checkUsable()
    return this.checkpointer.take()
  }

  async backup(target: string): Promise<BackupInfo> {
    this.#checkUsable()
    if (typeof target !== 'string' || !target.startsWith('/')) {
      throw new TypeError('backup target is an absolute path')
    }
    return this.checkpointer.exclusive(() => writeBackup(this.core, this.checkpointer, target))
  }

  close(): Promise<void> {
    this.#closing ??= this.#close()
    return this.#closing
  }

  async #close(): Promise<void> {
    this.core.closed = true
    this.checkpointer.stop()
    try {
      await this.checkpointer.idle()
      await this.core.lane.idle()
      await this.core.manager.drain()
      if (this.core.settings.checkpointOnClose && this.core.failure === undefined) {
        await this.checkpointer.take().catch(() => undefined)
      }
    } finally {
      await this.core.journal.close().catch(() => undefined)
      await this.core.gns.close().catch(() => undefined)
      this.core.fences.release()
      await this.lock.release()
    }
  }

  #checkUsable(): void {
    if (this.core.closed) throw new RecoveryClosedError()
    if (this.core.failure !== undefined)
      throw new RecoveryEngineFailedError({ cause: this.core.failure })
  }
}

/** Path of the data journal inside a data directory. */
export function journalDirOf(dir: string): string {
  return joinPath(dir, 'journal')
}
