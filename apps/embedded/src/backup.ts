/**
 * Online backup of an open database: `@sky/recovery`'s `Engine.backup` (a snapshot at one commit
 * timestamp, written like a checkpoint, plus a copy of the journal after it) with the engine's
 * errors turned into this package's, and a summary of what was written.
 *
 * Invariants: the snapshot is taken after `backup()` is called, so it holds every statement
 * acknowledged before the call; it is read at one commit timestamp and the journal copy is a
 * prefix of the journal, so a restore never holds part of a transaction; writers are not stopped
 * (the snapshot is written in pages, yielding the event loop between them). Nothing is written
 * unless the target is missing or an empty directory, and nothing already there is ever changed.
 */
import { resolve } from 'node:path'
import type { Engine } from '@sky/recovery'
import { isSkyError } from '@sky/std'
import { joinPath } from '@sky/vfs'
import type { FileSystem } from '@sky/vfs'
import type { EngineAdapter } from './engine-adapter.js'
import { BackupFailedError, BackupTargetNotEmptyError, DatabaseClosedError } from './errors.js'

/** What {@link Database.backup} wrote. */
export interface BackupResult {
  /** The backup directory (absolute). */
  readonly target: string
  /**
   * The LSN of the snapshot: the backup holds every commit at or below it in its checkpoint, and
   * the journal copy continues from it.
   */
  readonly lsn: bigint
  /** The commit timestamp the snapshot was read at. */
  readonly commitTs: number
  /** The last LSN of the copied journal: `restore` can reach any LSN from `lsn` to this one. */
  readonly journalEndLsn: bigint
  /** Rows in the snapshot. */
  readonly rows: number
  /** When `backup()` was called (wall clock). */
  readonly startedAt: Date
  /** How long it took, in milliseconds. */
  readonly durationMs: number
  /** Bytes of every file written. */
  readonly bytes: number
  /** The files written, relative to `target`, sorted (`backup.json`, `checkpoints/…`, …). */
  readonly files: readonly string[]
}

/** What the backup needs of its database. */
export interface BackupContext {
  readonly engine: Engine
  readonly fs: FileSystem
  readonly adapter: EngineAdapter
  readonly closed: () => boolean
}

/** Every file under `dir`, relative, with the sum of their sizes. */
async function listWritten(
  fs: FileSystem,
  dir: string,
): Promise<{ files: string[]; bytes: number }> {
  const files: string[] = []
  let bytes = 0
  const pending = ['']
  for (let relative = pending.pop(); relative !== undefined; relative = pending.pop()) {
    const at = relative === '' ? dir : joinPath(dir, relative)
    for (const name of await fs.readdir(at)) {
      const child = relative === '' ? name : `${relative}/${name}`
      const stat = await fs.stat(joinPath(dir, child))
      if (stat.isDirectory) pending.push(child)
      else {
        files.push(child)
        bytes += stat.size
      }
    }
  }
  return { files: files.sort(), bytes }
}

/** The error `backup()` reports for a failure of the engine's backup. */
function backupError(error: unknown, target: string, context: BackupContext): unknown {
  context.adapter.observe(error) // a failed engine makes `sysctl report status` answer 0
  if (isSkyError(error, 'RECOVERY_CLOSED')) return new DatabaseClosedError()
  if (isSkyError(error, 'RECOVERY_TARGET_EXISTS')) {
    return new BackupTargetNotEmptyError(target, { cause: error })
  }
  if (isSkyError(error)) return new BackupFailedError(target, { cause: error })
  return error // a bug (an assertion) or a malformed argument: as it is
}

/**
 * Writes an online backup of `context.engine` into `target` (see the file header).
 *
 * @throws TypeError for a target that is not a non-empty string; DatabaseClosedError;
 *   BackupTargetNotEmptyError; BackupFailedError (I/O on the target, or a stopped engine).
 */
export async function writeOnlineBackup(
  context: BackupContext,
  target: string,
): Promise<BackupResult> {
  if (typeof target !== 'string' || target.length === 0) {
    throw new TypeError('backup target must be a path')
  }
  if (context.closed()) throw new DatabaseClosedError()
  const absolute = resolve(target)
  const startedAt = new Date()
  const started = performance.now()
  let info
  try {
    info = await context.engine.backup(absolute)
  } catch (error) {
    throw backupError(error, absolute, context)
  }
  let written
  try {
    written = await listWritten(context.fs, absolute)
  } catch (error) {
    throw backupError(error, absolute, context)
  }
  return {
    target: absolute,
    lsn: info.checkpoint.lsn,
    commitTs: info.checkpoint.commitTs,
    journalEndLsn: info.journalEndLsn,
    rows: info.checkpoint.rows,
    startedAt,
    durationMs: performance.now() - started,
    bytes: written.bytes,
    files: written.files,
  }
}
