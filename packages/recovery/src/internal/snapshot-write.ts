/**
 * Writing a snapshot (a data checkpoint or a backup's checkpoint) while writers continue.
 *
 * The rows come from `@sky/mvcc` stores read at one commit timestamp, page by page, yielding to the
 * event loop between pages (`pace`), so commits go on while the file is written. The caller keeps a
 * read-only transaction open at that timestamp so garbage collection cannot take a version the
 * snapshot still needs.
 *
 * Crash safety: the file is written to `<name>.tmp`, fdatasync'd (every `snapshotSyncBytes` and at
 * the end), renamed to `<name>` and the directory fsync'd. A crash leaves either no `<name>` or a
 * complete one; an unfinished `.tmp` is removed by the next open (its content is derivable).
 */
import type { Key, MvccStore } from '@sky/mvcc'
import { assert } from '@sky/std'
import { encodeRedo } from '@sky/txn'
import type { Row } from '@sky/txn'
import type { FileHandle, FileSystem } from '@sky/vfs'
import { joinPath } from '@sky/vfs'
import {
  type CheckpointHeader,
  blockType,
  checkpointTempSuffix,
  encodeBlock,
  encodeCheckpointHeader,
  encodeEndBlock,
  encodeStoreBlock,
} from './checkpoint-format.js'
import {
  checkpointBlockBytesMax,
  snapshotPageRows,
  snapshotPageRowsBusy,
  snapshotSyncBytes,
} from './limits.js'

/** Everything a snapshot file holds, and how to pace its writing. */
export interface SnapshotSource {
  readonly header: CheckpointHeader
  readonly image: Uint8Array
  readonly stores: ReadonlyArray<{ readonly modelId: string; readonly store: MvccStore<Key, Row> }>
  readonly prepares: readonly Uint8Array[]
  /** Called between pages: yields to other work and keeps the snapshot pinned. */
  readonly pace: () => Promise<void>
  /** True while other work (commits) waits: pages are then shorter. */
  readonly busy: () => boolean
}

/** What was written. */
export interface SnapshotWritten {
  readonly bytes: number
  readonly rows: number
}

/** Buffers blocks and writes them in large chunks (fewer calls, fewer crash points). */
class BlockSink {
  #chunks: Uint8Array[] = []
  #buffered = 0
  #offset = 0
  #unsynced = 0
  blocks = 0

  constructor(private readonly file: FileHandle) {}

  get offset(): number {
    return this.#offset + this.#buffered
  }

  async add(bytes: Uint8Array, isBlock = true): Promise<void> {
    this.#chunks.push(bytes)
    this.#buffered += bytes.length
    if (isBlock) this.blocks++
    if (this.#buffered >= 1024 * 1024) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.#buffered === 0) return
    const joined = new Uint8Array(this.#buffered)
    let at = 0
    for (const chunk of this.#chunks) {
      joined.set(chunk, at)
      at += chunk.length
    }
    await this.file.write(this.#offset, joined)
    this.#offset += joined.length
    this.#unsynced += joined.length
    this.#chunks = []
    this.#buffered = 0
    if (this.#unsynced >= snapshotSyncBytes) {
      await this.file.sync()
      this.#unsynced = 0
    }
  }
}

/** Encodes rows as one or more rows blocks, halving a page whose record would be too large. */
function rowBlocks(
  commitTs: number,
  modelId: string,
  entries: ReadonlyArray<{ readonly key: Key; readonly row: Row }>,
): Uint8Array[] {
  const writes = entries.map((entry) => ({ modelId, key: entry.key, row: entry.row }))
  const payload = encodeRedo({ commitTs, writes })
  if (payload.length <= checkpointBlockBytesMax / 2 || entries.length === 1) {
    return [encodeBlock(blockType.rows, payload)]
  }
  const half = Math.ceil(entries.length / 2)
  return [
    ...rowBlocks(commitTs, modelId, entries.slice(0, half)),
    ...rowBlocks(commitTs, modelId, entries.slice(half)),
  ]
}

async function writeStore(
  sink: BlockSink,
  source: SnapshotSource,
  modelId: string,
  store: MvccStore<Key, Row>,
): Promise<number> {
  const snapshotTs = source.header.commitTs
  await sink.add(encodeStoreBlock(modelId, store.keyKind))
  let rows = 0
  let resume: Key | undefined
  for (;;) {
    const page = store.scan({
      snapshotTs,
      limit: source.busy() ? snapshotPageRowsBusy : snapshotPageRows,
      ...(resume === undefined ? {} : { from: resume, fromExclusive: true }),
    })
    if (page.entries.length > 0) {
      for (const block of rowBlocks(snapshotTs, modelId, page.entries)) await sink.add(block)
      rows += page.entries.length
    }
    if (page.resume === undefined) return rows
    resume = page.resume
    await source.pace()
  }
}

/**
 * Writes the snapshot as `<dir>/<name>`, crash-safely (see the file header).
 *
 * @throws vfs errors (the temp file is left for the next open to remove).
 */
export async function writeSnapshot(
  fs: FileSystem,
  dir: string,
  name: string,
  source: SnapshotSource,
): Promise<SnapshotWritten> {
  const temp = joinPath(dir, name + checkpointTempSuffix)
  const file = await fs.open(temp, { create: true })
  let rows = 0
  let bytes = 0
  try {
    await file.truncate(0)
    const sink = new BlockSink(file)
    await sink.add(encodeCheckpointHeader(source.header), false)
    await sink.add(encodeBlock(blockType.catalog, source.image))
    for (const { modelId, store } of source.stores) {
      rows += await writeStore(sink, source, modelId, store)
      await source.pace()
    }
    for (const prepare of source.prepares) await sink.add(encodeBlock(blockType.prepare, prepare))
    await sink.add(encodeEndBlock(sink.blocks, rows), false)
    await sink.flush()
    bytes = sink.offset
    await file.sync()
  } finally {
    await file.close()
  }
  assert(source.header.commitTs > 0 || rows === 0, 'rows exist only after a commit')
  await fs.rename(temp, joinPath(dir, name))
  await fs.syncDir(dir)
  return { bytes, rows }
}
