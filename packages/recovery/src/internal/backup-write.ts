/**
 * Online backup: a snapshot of the current state (exactly as a checkpoint, written into the target)
 * and a copy of every journal segment that holds frames after it, plus `backup.json`. Writers
 * continue throughout; checkpoints wait (so no segment is removed while it is copied).
 *
 * The copy of the active segment may end in a frame still being written: it reads as a torn tail,
 * which restore leaves out (it was not acknowledged when the copy was taken).
 */
import type { FileSystem } from '@sky/vfs'
import { joinPath, mkdirDurable, readFully, readWhole } from '@sky/vfs'
import type { BackupInfo } from '../engine.js'
import { RecoveryTargetExistsError } from '../errors.js'
import { checkpointName } from './checkpoint-format.js'
import type { Checkpointer } from './checkpointer.js'
import { crc32 } from './crc.js'
import type { EngineCore } from './engine-core.js'
import { decodeSegmentHeader, segmentHeaderBytes } from './journal-format.js'
import { listSegmentFiles, walkJournal } from './journal-walk.js'
import { writeDurable } from './quarantine.js'
import { writeSnapshot } from './snapshot-write.js'

/** Name of the manifest a backup writes last. */
export const backupManifestName = 'backup.json'

/** Throws unless `target` is missing or an empty directory. */
export async function requireEmpty(fs: FileSystem, target: string): Promise<void> {
  if (!(await fs.exists(target))) return
  const stat = await fs.stat(target)
  if (!stat.isDirectory || (await fs.readdir(target)).length > 0)
    throw new RecoveryTargetExistsError(target)
}

async function segmentBase(fs: FileSystem, path: string): Promise<bigint | undefined> {
  const file = await fs.open(path)
  try {
    const header = decodeSegmentHeader(await readFully(file, 0, segmentHeaderBytes))
    return header.status === 'ok' ? header.baseLsn : undefined
  } finally {
    await file.close()
  }
}

/** Copies the segments holding frames after `afterLsn`; returns their names and CRCs. */
async function copySegments(
  fs: FileSystem,
  sourceDir: string,
  targetDir: string,
  afterLsn: bigint,
): Promise<Array<{ name: string; bytes: number; crc32: number }>> {
  const files = await listSegmentFiles(fs, sourceDir)
  const bases = await Promise.all(
    files.map((file) => segmentBase(fs, joinPath(sourceDir, file.name))),
  )
  const copied: Array<{ name: string; bytes: number; crc32: number }> = []
  for (let at = 0; at < files.length; at++) {
    const next = bases[at + 1]
    if (next !== undefined && next <= afterLsn + 1n) continue // wholly covered by the snapshot
    const handle = await fs.open(joinPath(sourceDir, files[at]!.name))
    let bytes: Uint8Array
    try {
      bytes = await readWhole(handle)
    } finally {
      await handle.close()
    }
    await writeDurable(fs, joinPath(targetDir, files[at]!.name), bytes)
    copied.push({ name: files[at]!.name, bytes: bytes.length, crc32: crc32(bytes) })
  }
  await fs.syncDir(targetDir)
  return copied
}

/** Writes a backup of the open engine into `target`. REQUIRES: no checkpoint runs meanwhile. */
export async function writeBackup(
  core: EngineCore,
  checkpointer: Checkpointer,
  target: string,
): Promise<BackupInfo> {
  const { fs } = core
  await requireEmpty(fs, target)
  const started = core.settings.now()
  const checkpointsDir = joinPath(target, 'checkpoints')
  const journalDir = joinPath(target, 'journal')
  await mkdirDurable(fs, checkpointsDir)
  await mkdirDurable(fs, journalDir)
  const picked = await checkpointer.pick(true)
  if (picked === undefined) throw new Error('unreachable: a backup always picks a snapshot')
  const { header } = picked.source
  const name = checkpointName(header.lsn)
  let written
  try {
    written = await writeSnapshot(fs, checkpointsDir, name, picked.source)
  } finally {
    if (picked.txn.state === 'open') picked.txn.rollback()
  }
  const segments = await copySegments(fs, core.journalDir, journalDir, header.lsn)
  const walk = await walkJournal(fs, journalDir)
  const journalEndLsn = walk.lastLsn > header.lsn ? walk.lastLsn : header.lsn
  const manifest = {
    format: 1,
    createdAt: new Date(header.createdAtMs).toISOString(),
    checkpoint: { name, lsn: header.lsn.toString(), commitTs: header.commitTs, rows: written.rows },
    catalogSeq: header.catalogSeq,
    journalEndLsn: journalEndLsn.toString(),
    segments,
  }
  await writeDurable(
    fs,
    joinPath(target, backupManifestName),
    new TextEncoder().encode(JSON.stringify(manifest, null, 2)),
  )
  await fs.syncDir(target)
  const checkpoint = {
    name,
    lsn: header.lsn,
    commitTs: header.commitTs,
    rows: written.rows,
    bytes: written.bytes,
    durationMs: core.settings.now() - started,
    segmentsRemoved: 0,
    checkpointsRemoved: 0,
  }
  return { target, checkpoint, segments: segments.map((segment) => segment.name), journalEndLsn }
}
