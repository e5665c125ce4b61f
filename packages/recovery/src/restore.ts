/**
 * restore: a new data directory from a backup (`Engine.backup`) plus journal segments, up to a
 * chosen point: an LSN, a wall-clock time, or everything available.
 *
 * Method: take the backup's newest checkpoint at or before the target; gather the frames after it
 * from the backup's journal copy and any other journal directories given (e.g. the retained
 * segments of the live or damaged database: `retainSegments`), which must run without a gap up to
 * the target; write the checkpoint and those frames (byte-identical, in new segments starting at
 * the checkpoint's LSN + 1) into the target; then open it once (the catalog is rebuilt from the
 * checkpoint's image and the DDL echoes up to the target) and close it.
 *
 * `toTime` stops at the last time mark (frame kind 5) at or before it: every commit acknowledged
 * before that mark is restored, commits after it are not. Marks are written at most every
 * `timeMarkIntervalMs` (1 s by default) while commits flow, which bounds the precision.
 */
import type { FileSystem } from '@sky/vfs'
import { joinPath, mkdirDurable, readWhole } from '@sky/vfs'
import type { EngineOptions } from './engine.js'
import { RecoveryRestoreError } from './errors.js'
import { dataFrameKind } from './frame-kinds.js'
import { requireEmpty } from './internal/backup-write.js'
import {
  type CheckpointContent,
  listCheckpoints,
  readCheckpoint,
} from './internal/checkpoint-read.js'
import { encodeFrame, encodeSegmentHeader, segmentName } from './internal/journal-format.js'
import { walkJournal } from './internal/journal-walk.js'
import { writeDurable } from './internal/quarantine.js'
import { decodeTimeMark } from './internal/records.js'
import { openEngine } from './open-engine.js'
import type { RecoveryReport } from './report.js'

/** Options of {@link restore}. */
export interface RestoreOptions {
  readonly fs: FileSystem
  /** Restore every frame up to and including this LSN. */
  readonly toLsn?: bigint
  /** Restore up to the last time mark at or before this time (ms since the epoch, or a Date). */
  readonly toTime?: number | Date
  /** More journal directories to read frames from (e.g. `<live data>/journal`). */
  readonly journalDirs?: readonly string[]
  /** Options for the open that finishes the restore (its `fs` and `dir` are the restore's). */
  readonly engineOptions?: Omit<EngineOptions, 'fs' | 'dir'>
  /** Segment size of the restored journal. Default 64 MiB. */
  readonly segmentBytesMax?: number
}

/** What restore did. */
export interface RestoreReport {
  readonly checkpoint: { readonly name: string; readonly lsn: bigint; readonly commitTs: number }
  /** The last LSN restored. */
  readonly toLsn: bigint
  readonly frames: number
  /** Why it stopped there. */
  readonly stoppedAt: 'lsn' | 'time' | 'end of journal'
  /** The report of the open that finished the restore. */
  readonly open: RecoveryReport
}

interface Frame {
  readonly kind: number
  readonly bytes: Uint8Array
}

async function backupCheckpoint(
  fs: FileSystem,
  dir: string,
  atMost: bigint | undefined,
): Promise<CheckpointContent> {
  const checkpointsDir = joinPath(dir, 'checkpoints')
  for (const { name, lsn } of await listCheckpoints(fs, checkpointsDir)) {
    if (atMost !== undefined && lsn > atMost) continue
    const read = await readCheckpoint(fs, checkpointsDir, name)
    if (read.status === 'valid') return read.content
  }
  throw new RecoveryRestoreError(
    `${dir} holds no valid checkpoint${atMost === undefined ? '' : ` at or before lsn ${atMost}`}`,
  )
}

async function gatherFrames(
  fs: FileSystem,
  dirs: readonly string[],
  afterLsn: bigint,
): Promise<Map<bigint, Frame>> {
  const frames = new Map<bigint, Frame>()
  for (const dir of dirs) {
    await walkJournal(fs, dir, {
      onFrame: (frame) => {
        if (frame.lsn > afterLsn && !frames.has(frame.lsn)) {
          frames.set(frame.lsn, {
            kind: frame.kind,
            bytes: encodeFrame(frame.lsn, frame.kind, frame.payload),
          })
        }
      },
    })
  }
  return frames
}

function target(
  options: RestoreOptions,
  checkpoint: CheckpointContent,
  frames: Map<bigint, Frame>,
): { toLsn: bigint; stoppedAt: RestoreReport['stoppedAt'] } {
  const from = checkpoint.header.lsn
  let end = from
  while (frames.has(end + 1n)) end++
  if (options.toLsn !== undefined) {
    if (options.toLsn < from)
      throw new RecoveryRestoreError(
        `lsn ${options.toLsn} precedes the backup's checkpoint (lsn ${from})`,
      )
    if (options.toLsn < checkpoint.header.catalogLsn) {
      throw new RecoveryRestoreError(
        `the backup's catalog reflects lsn ${checkpoint.header.catalogLsn}; restore to it or later`,
      )
    }
    if (options.toLsn > end)
      throw new RecoveryRestoreError(
        `the journal reaches lsn ${end} without a gap, not ${options.toLsn}`,
      )
    return { toLsn: options.toLsn, stoppedAt: 'lsn' }
  }
  if (options.toTime !== undefined) {
    const ms = options.toTime instanceof Date ? options.toTime.getTime() : options.toTime
    if (checkpoint.header.createdAtMs > ms) {
      throw new RecoveryRestoreError(
        `the backup was taken at ${new Date(
          checkpoint.header.createdAtMs,
        ).toISOString()}, after the target time`,
      )
    }
    let toLsn = from
    for (let lsn = from + 1n; lsn <= end; lsn++) {
      const frame = frames.get(lsn)!
      if (frame.kind !== dataFrameKind.timeMark) continue
      if (decodeTimeMark(frame.bytes.subarray(17)) <= ms) toLsn = lsn
    }
    if (toLsn < checkpoint.header.catalogLsn) {
      throw new RecoveryRestoreError(
        `the last time mark before the target is lsn ${toLsn}, but the backup's catalog reflects ` +
          `lsn ${checkpoint.header.catalogLsn}`,
      )
    }
    return { toLsn, stoppedAt: 'time' }
  }
  return { toLsn: end, stoppedAt: 'end of journal' }
}

async function writeJournal(
  fs: FileSystem,
  dir: string,
  frames: Map<bigint, Frame>,
  from: bigint,
  to: bigint,
  segmentBytesMax: number,
): Promise<void> {
  await mkdirDurable(fs, dir)
  let index = 1
  let parts: Uint8Array[] = [encodeSegmentHeader(index, from)]
  let size = parts[0]!.length
  const flush = async (): Promise<void> => {
    const bytes = new Uint8Array(size)
    let at = 0
    for (const part of parts) {
      bytes.set(part, at)
      at += part.length
    }
    await writeDurable(fs, joinPath(dir, segmentName(index)), bytes)
  }
  for (let lsn = from; lsn <= to; lsn++) {
    if (size >= segmentBytesMax) {
      await flush()
      index++
      parts = [encodeSegmentHeader(index, lsn)]
      size = parts[0]!.length
    }
    const frame = frames.get(lsn)!
    parts.push(frame.bytes)
    size += frame.bytes.length
  }
  await flush()
  await fs.syncDir(dir)
}

/**
 * Restores `backupDir` into the new data directory `dir` (missing or empty).
 *
 * @throws RecoveryTargetExistsError, RecoveryRestoreError (the target point is unreachable: before
 *   the backup, beyond the journal, or past a gap), and the errors of `openEngine`.
 * @example
 * ```ts
 * await restore('/backups/monday', '/var/lib/skydb-restored', {
 *   fs, toTime: new Date('2026-11-27T10:15:00Z'), journalDirs: ['/var/lib/skydb/journal'],
 * })
 * ```
 */
export async function restore(
  backupDir: string,
  dir: string,
  options: RestoreOptions,
): Promise<RestoreReport> {
  if (typeof backupDir !== 'string' || !backupDir.startsWith('/'))
    throw new TypeError('backupDir is an absolute path')
  if (typeof dir !== 'string' || !dir.startsWith('/'))
    throw new TypeError('dir is an absolute path')
  if (options.toLsn !== undefined && options.toTime !== undefined)
    throw new TypeError('give toLsn or toTime, not both')
  const { fs } = options
  await requireEmpty(fs, dir)
  const checkpoint = await backupCheckpoint(fs, backupDir, options.toLsn)
  const journalDirs = [joinPath(backupDir, 'journal'), ...(options.journalDirs ?? [])]
  const frames = await gatherFrames(fs, journalDirs, checkpoint.header.lsn)
  const { toLsn, stoppedAt } = target(options, checkpoint, frames)
  const checkpointsDir = joinPath(dir, 'checkpoints')
  await mkdirDurable(fs, checkpointsDir)
  const source = await fs.open(joinPath(backupDir, 'checkpoints', checkpoint.name))
  let bytes: Uint8Array
  try {
    bytes = await readWhole(source)
  } finally {
    await source.close()
  }
  await writeDurable(fs, joinPath(checkpointsDir, checkpoint.name), bytes)
  await fs.syncDir(checkpointsDir)
  const from = checkpoint.header.lsn + 1n
  await writeJournal(
    fs,
    joinPath(dir, 'journal'),
    frames,
    from,
    toLsn,
    options.segmentBytesMax ?? 64 * 1024 * 1024,
  )
  const engine = await openEngine({ ...options.engineOptions, fs, dir })
  const open = engine.report
  await engine.close()
  return {
    checkpoint: {
      name: checkpoint.name,
      lsn: checkpoint.header.lsn,
      commitTs: checkpoint.header.commitTs,
    },
    toLsn,
    frames: Number(toLsn - checkpoint.header.lsn),
    stoppedAt,
    open,
  }
}
