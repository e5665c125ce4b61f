/**
 * Repairing data checkpoints. A damaged checkpoint is never used and never deleted:
 *
 *   damaged checkpoint                            | action
 *   ----------------------------------------------+-----------------------------------------------
 *   an older valid one (or the empty state) that  | move it to the quarantine: open falls back,
 *   the journal continues exists                  | nothing is lost
 *   a newer valid one exists                      | move it to the quarantine: not needed
 *   neither                                       | salvage: write every block that checks as a new
 *                                                 | checkpoint of the same name, move the original
 *                                                 | to the quarantine, report the rows of the
 *                                                 | damaged blocks as lost
 */
import { decodeRedo, encodeRedo } from '@sky/txn'
import type { FileSystem } from '@sky/vfs'
import { joinPath } from '@sky/vfs'
import {
  blockHeaderBytes,
  blockType,
  checkpointHeaderBytes,
  encodeBlock,
  encodeCheckpointHeader,
  encodeEndBlock,
  encodeStoreBlock,
} from './checkpoint-format.js'
import {
  type CheckpointContent,
  type CheckpointRead,
  listCheckpoints,
  readCheckpoint,
} from './checkpoint-read.js'
import { type Quarantine, writeDurable } from './quarantine.js'

/** What repair found in one checkpoint and did with it. */
export interface CheckpointRepairEntry {
  readonly name: string
  readonly lsn: bigint
  readonly status: 'valid' | 'damaged'
  readonly problems: ReadonlyArray<{
    readonly offset: number
    readonly end: number
    readonly detail: string
  }>
  readonly action: 'none' | 'fell back to an older checkpoint' | 'not needed' | 'salvaged'
  /** For `fell back`: the checkpoint used instead (`(empty state)` when none). */
  readonly fallback?: string
  /** For `salvaged`: what the damaged blocks probably held, and the rows kept. */
  readonly lost?: {
    readonly rows: number | undefined
    readonly models: readonly string[]
    readonly blocks: number
  }
  readonly rowsKept?: number
  readonly quarantine?: string
}

/** Blocks that probably sat in a damaged range, read without trusting their CRC. */
function suspectBlocks(bytes: Uint8Array, start: number, end: number) {
  let rows = 0
  let known = true
  let blocks = 0
  const models = new Set<string>()
  for (let at = Math.max(start, checkpointHeaderBytes); at + blockHeaderBytes <= end; ) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, blockHeaderBytes)
    const length = view.getUint32(0, true)
    const blockEnd = at + blockHeaderBytes + length
    if (blockEnd > end || blockEnd <= at) break
    blocks++
    if (view.getUint8(8) === blockType.rows) {
      try {
        const record = decodeRedo(bytes.subarray(at + blockHeaderBytes, blockEnd))
        rows += record.writes.length
        for (const write of record.writes) models.add(write.modelId)
      } catch {
        known = false
      }
    }
    at = blockEnd
  }
  return {
    rows: known && blocks > 0 ? rows : undefined,
    models: [...models].sort(),
    blocks: Math.max(blocks, 1),
  }
}

/** Encodes a checkpoint file from content (used for a salvaged checkpoint). */
export function encodeCheckpoint(content: CheckpointContent): Uint8Array {
  const ts = content.header.commitTs
  const parts: Uint8Array[] = [encodeCheckpointHeader(content.header)]
  let blocks = 0
  let rows = 0
  const add = (block: Uint8Array): void => {
    parts.push(block)
    blocks++
  }
  if (content.image !== undefined) add(encodeBlock(blockType.catalog, content.image))
  for (const [modelId, store] of content.stores) {
    add(encodeStoreBlock(modelId, store.keyKind))
    for (let at = 0; at < store.writes.length; at += 1024) {
      const writes = store.writes
        .slice(at, at + 1024)
        .map((write) => ({ modelId, key: write.key, row: write.row }))
      add(encodeBlock(blockType.rows, encodeRedo({ commitTs: ts, writes })))
      rows += writes.length
    }
  }
  for (const prepare of content.prepares) add(encodeBlock(blockType.prepare, prepare))
  parts.push(encodeEndBlock(blocks, rows))
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    bytes.set(part, at)
    at += part.length
  }
  return bytes
}

/**
 * Inspects every checkpoint and repairs damaged ones (see the table above). `journalFirstLsn` is
 * the first LSN the (repaired) journal holds.
 */
export async function repairCheckpoints(
  fs: FileSystem,
  dataDir: string,
  journalFirstLsn: bigint,
  quarantine: Quarantine,
  dryRun: boolean,
): Promise<CheckpointRepairEntry[]> {
  const dir = joinPath(dataDir, 'checkpoints')
  const reads: Array<{ name: string; lsn: bigint; read: CheckpointRead }> = []
  for (const { name, lsn } of await listCheckpoints(fs, dir)) {
    reads.push({ name, lsn, read: await readCheckpoint(fs, dir, name, { salvage: true }) })
  }
  const entries: CheckpointRepairEntry[] = []
  for (const [position, { name, lsn, read }] of reads.entries()) {
    if (read.status !== 'damaged') {
      entries.push({ name, lsn, status: 'valid', problems: [], action: 'none' })
      continue
    }
    const newerValid = reads.slice(0, position).some((entry) => entry.read.status === 'valid')
    const olderValid = reads
      .slice(position + 1)
      .find((entry) => entry.read.status === 'valid' && journalFirstLsn <= entry.lsn + 1n)
    const fallback = olderValid?.name ?? (journalFirstLsn <= 1n ? '(empty state)' : undefined)
    const problems = read.problems
    const source = `checkpoints/${name}`
    if (newerValid || fallback !== undefined) {
      const action = newerValid ? 'not needed' : 'fell back to an older checkpoint'
      const reason = newerValid
        ? 'damaged; a newer valid checkpoint makes it unnecessary'
        : `damaged; ${fallback} plus the journal after it replaces it, nothing is lost`
      const entry = dryRun
        ? undefined
        : await quarantine.moveIn(
            source,
            { kind: 'checkpoint-unused', source, reason, details: { problems } },
            read.bytes,
          )
      entries.push({
        name,
        lsn,
        status: 'damaged',
        problems,
        action,
        ...(newerValid ? {} : { fallback: fallback! }),
        ...(entry === undefined ? {} : { quarantine: entry }),
      })
      continue
    }
    entries.push(await salvage(fs, dir, name, lsn, read, quarantine, dryRun))
  }
  return entries
}

async function salvage(
  fs: FileSystem,
  dir: string,
  name: string,
  lsn: bigint,
  read: Extract<CheckpointRead, { status: 'damaged' }>,
  quarantine: Quarantine,
  dryRun: boolean,
): Promise<CheckpointRepairEntry> {
  const content = read.salvaged!
  const suspected = read.problems.map((problem) =>
    suspectBlocks(read.bytes, problem.offset, problem.end),
  )
  const knownRows = suspected.every((entry) => entry.rows !== undefined)
  const lost = {
    rows: knownRows ? suspected.reduce((sum, entry) => sum + entry.rows!, 0) : undefined,
    models: [...new Set(suspected.flatMap((entry) => entry.models))].sort(),
    blocks: suspected.reduce((sum, entry) => sum + entry.blocks, 0),
  }
  const base = {
    name,
    lsn,
    status: 'damaged' as const,
    problems: read.problems,
    action: 'salvaged' as const,
    lost,
    rowsKept: content.rows,
  }
  if (dryRun) return base
  const source = `checkpoints/${name}`
  const entry = await quarantine.moveIn(
    source,
    {
      kind: 'checkpoint-damage',
      source,
      reason:
        'damaged and no older checkpoint plus journal replaces it; ' +
        'every block that checks was salvaged',
      details: { problems: read.problems, lost },
    },
    read.bytes,
  )
  const temp = joinPath(dir, `${name}.salvage`)
  await writeDurable(fs, temp, encodeCheckpoint(content))
  await fs.rename(temp, joinPath(dir, name))
  await fs.syncDir(dir)
  return { ...base, quarantine: entry }
}
