/**
 * Reading data checkpoints: list them, validate one completely, load its rows, and (for repair)
 * salvage every block that still checks out of a damaged one.
 *
 * A checkpoint is valid only when its header, every block and the end block's counts check and
 * nothing follows the end block. A valid checkpoint is loaded whole into memory before anything is
 * installed, so a damaged one never leaves half its rows behind.
 */
import type { Key, KeyKind } from '@sky/mvcc'
import { keyKindOf } from '@sky/mvcc'
import { isSkyError } from '@sky/std'
import { decodeRedo } from '@sky/txn'
import type { Row } from '@sky/txn'
import type { FileSystem } from '@sky/vfs'
import { joinPath, readFully, readWhole } from '@sky/vfs'
import {
  type BlockAt,
  type CheckpointHeader,
  blockAt,
  blockHeaderBytes,
  blockType,
  checkpointHeaderBytes,
  checkpointLsnOf,
  decodeCheckpointHeader,
  decodeEndBlock,
  decodeStoreBlock,
} from './checkpoint-format.js'
import { checkpointBlockBytesMax } from './limits.js'

/** Rows of one store in a checkpoint. */
export interface CheckpointStore {
  keyKind: KeyKind
  readonly writes: Array<{ readonly key: Key; readonly row: Row }>
}

/** What a checkpoint holds, once read. */
export interface CheckpointContent {
  readonly name: string
  readonly header: CheckpointHeader
  readonly image: Uint8Array | undefined
  readonly stores: Map<string, CheckpointStore>
  readonly prepares: Uint8Array[]
  readonly rows: number
  readonly bytes: number
}

/** One problem found in a checkpoint. */
export interface CheckpointProblem {
  readonly offset: number
  /** End of the damaged range, when the read resynchronised after it. */
  readonly end: number
  readonly detail: string
}

/** The result of reading a checkpoint. */
export type CheckpointRead =
  | { readonly status: 'valid'; readonly content: CheckpointContent }
  | {
      readonly status: 'damaged'
      readonly name: string
      readonly header: CheckpointHeader | undefined
      readonly problems: readonly CheckpointProblem[]
      /** With `salvage`: what the blocks that check hold (rows of damaged blocks are missing). */
      readonly salvaged: CheckpointContent | undefined
      readonly bytes: Uint8Array
    }
  | { readonly status: 'version'; readonly name: string; readonly version: number }

/** Checkpoint file names of `dir` with their LSNs, newest first. */
export async function listCheckpoints(
  fs: FileSystem,
  dir: string,
): Promise<Array<{ name: string; lsn: bigint }>> {
  if (!(await fs.exists(dir))) return []
  const found: Array<{ name: string; lsn: bigint }> = []
  for (const name of await fs.readdir(dir)) {
    const lsn = checkpointLsnOf(name)
    if (lsn !== undefined) found.push({ name, lsn })
  }
  return found.sort((a, b) => (a.lsn < b.lsn ? 1 : a.lsn > b.lsn ? -1 : 0))
}

async function readFile(fs: FileSystem, path: string): Promise<Uint8Array> {
  const file = await fs.open(path)
  try {
    return await readWhole(file)
  } finally {
    await file.close()
  }
}

class Accumulator {
  image: Uint8Array | undefined
  readonly stores = new Map<string, CheckpointStore>()
  readonly prepares: Uint8Array[] = []
  rows = 0
  blocks = 0
  end: { blocks: number; rows: number } | undefined
  /** The commit timestamp rows blocks carry (what a damaged header would have said). */
  seenCommitTs: number | undefined

  constructor(private readonly commitTs: number | undefined) {}

  /** Applies a block; returns a problem description when its content is wrong. */
  apply(block: BlockAt): string | undefined {
    try {
      this.#apply(block)
    } catch (error) {
      if (error instanceof RangeError || isSkyError(error)) return (error as Error).message
      throw error
    }
    if (block.type !== blockType.end) this.blocks++
    return undefined
  }

  #apply(block: BlockAt): void {
    switch (block.type) {
      case blockType.catalog:
        this.image ??= block.payload.slice()
        return
      case blockType.store: {
        const { modelId, keyKind } = decodeStoreBlock(block.payload)
        const store = this.stores.get(modelId)
        if (store === undefined) this.stores.set(modelId, { keyKind, writes: [] })
        else store.keyKind = keyKind
        return
      }
      case blockType.rows:
        return this.#rows(block.payload)
      case blockType.prepare:
        this.prepares.push(block.payload.slice())
        return
      case blockType.end:
        this.end = decodeEndBlock(block.payload)
        return
    }
  }

  #rows(payload: Uint8Array): void {
    const record = decodeRedo(payload)
    const expected = this.commitTs ?? this.seenCommitTs
    if (expected !== undefined && record.commitTs !== expected) {
      throw new RangeError(`rows at commit ts ${record.commitTs}, not the checkpoint's`)
    }
    this.seenCommitTs = record.commitTs
    for (const write of record.writes) {
      if (write.row === undefined) throw new RangeError('a checkpoint holds no deletions')
      let store = this.stores.get(write.modelId)
      if (store === undefined) {
        store = { keyKind: keyKindOf(write.key)!, writes: [] }
        this.stores.set(write.modelId, store)
      }
      // The decoded write itself (its row checked above): one object per row, not two.
      store.writes.push(write as { readonly key: Key; readonly row: Row })
      this.rows++
    }
  }
}

/** Finds the next block that checks at or after `from`. */
function resyncBlock(bytes: Uint8Array, from: number): BlockAt | undefined {
  for (let at = from; at + blockHeaderBytes <= bytes.length; at++) {
    const block = blockAt(bytes, at, checkpointBlockBytesMax)
    if (block !== undefined) return block
  }
  return undefined
}

/**
 * Reads and checks the checkpoint `name` of `dir`. With `salvage`, a damaged checkpoint's blocks
 * that check are collected too (for repair).
 */
export async function readCheckpoint(
  fs: FileSystem,
  dir: string,
  name: string,
  options: { readonly salvage?: boolean } = {},
): Promise<CheckpointRead> {
  const bytes = await readFile(fs, joinPath(dir, name))
  const headerRead = decodeCheckpointHeader(bytes)
  if (headerRead.status === 'version')
    return { status: 'version', name, version: headerRead.version }
  const header = headerRead.status === 'ok' ? headerRead.header : undefined
  const problems: CheckpointProblem[] = []
  if (headerRead.status === 'bad')
    problems.push({ offset: 0, end: checkpointHeaderBytes, detail: headerRead.detail })
  const accumulator = new Accumulator(header?.commitTs)
  let offset = checkpointHeaderBytes
  while (offset < bytes.length && accumulator.end === undefined) {
    let block = blockAt(bytes, offset, checkpointBlockBytesMax)
    let problem = block === undefined ? 'block fails its checks' : accumulator.apply(block)
    if (problem === undefined && block !== undefined) {
      offset = block.end
      continue
    }
    if (options.salvage !== true) {
      problems.push({ offset, end: bytes.length, detail: problem ?? 'bad block' })
      break
    }
    const start = offset
    block = resyncBlock(bytes, block === undefined ? offset + 1 : block.end)
    problems.push({ offset: start, end: block?.offset ?? bytes.length, detail: problem! })
    if (block === undefined) break
    offset = block.offset
  }
  finishChecks(accumulator, offset, bytes.length, problems)
  const content: CheckpointContent = {
    name,
    header: header ?? {
      lsn: checkpointLsnOf(name) ?? 0n,
      commitTs: accumulator.seenCommitTs ?? 0,
      createdAtMs: 0,
      catalogSeq: 0,
      catalogLsn: 0n,
    },
    image: accumulator.image,
    stores: accumulator.stores,
    prepares: accumulator.prepares,
    rows: accumulator.rows,
    bytes: bytes.length,
  }
  if (problems.length === 0 && header !== undefined) return { status: 'valid', content }
  const salvaged = options.salvage === true ? content : undefined
  return { status: 'damaged', name, header, problems, salvaged, bytes }
}

function finishChecks(
  accumulator: Accumulator,
  offset: number,
  size: number,
  problems: CheckpointProblem[],
): void {
  const end = accumulator.end
  if (end === undefined) {
    if (problems.length === 0)
      problems.push({ offset, end: size, detail: 'no end block (truncated)' })
    return
  }
  if (problems.length > 0) return
  if (offset !== size) problems.push({ offset, end: size, detail: 'bytes after the end block' })
  else if (end.blocks !== accumulator.blocks || end.rows !== accumulator.rows) {
    problems.push({ offset, end: size, detail: 'end block counts do not match the blocks read' })
  }
}

/**
 * Reads only the header and the catalog image of a checkpoint (the catalog source needs no rows).
 * Undefined when either fails its checks.
 */
export async function readCheckpointImage(
  fs: FileSystem,
  path: string,
): Promise<{ header: CheckpointHeader; image: Uint8Array } | undefined> {
  const file = await fs.open(path)
  try {
    const head = await readFully(file, 0, checkpointHeaderBytes + blockHeaderBytes)
    const headerRead = decodeCheckpointHeader(head)
    if (headerRead.status !== 'ok' || head.length < checkpointHeaderBytes + blockHeaderBytes)
      return undefined
    const view = new DataView(
      head.buffer,
      head.byteOffset + checkpointHeaderBytes,
      blockHeaderBytes,
    )
    const length = view.getUint32(0, true)
    if (length > checkpointBlockBytesMax) return undefined
    const bytes = await readFully(file, checkpointHeaderBytes, blockHeaderBytes + length)
    const block = blockAt(bytes, 0, checkpointBlockBytesMax)
    if (block?.type !== blockType.catalog) return undefined
    return { header: headerRead.header, image: block.payload.slice() }
  } finally {
    await file.close()
  }
}
