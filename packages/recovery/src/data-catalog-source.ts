/**
 * DataCatalogSource: the `@sky/gns` `CatalogSource` over a data directory. The data side holds a
 * copy of every catalog fact: each DDL event's echo (frame kind 2), each two-phase PREPARE's echo
 * (inside frame kind 3), catalog images written at open (kind 4) and the image embedded in every
 * data checkpoint. Handed to `openGns`, it lets the catalog rebuild whatever its own copies lost.
 *
 * It only reads. Bytes are handed back exactly as found; the catalog checks them.
 */
import { readEcho } from '@sky/gns'
import type { CatalogSource } from '@sky/gns'
import type { FileSystem } from '@sky/vfs'
import { joinPath } from '@sky/vfs'
import { dataFrameKind } from './frame-kinds.js'
import { readCheckpointImage, listCheckpoints } from './internal/checkpoint-read.js'
import { walkJournal } from './internal/journal-walk.js'
import { decodePrepare } from './internal/records.js'

/** Options of {@link DataCatalogSource}. */
export interface DataCatalogSourceOptions {
  readonly fs: FileSystem
  /** The data directory (holding `journal/` and `checkpoints/`). */
  readonly dir: string
  /** Ignore journal frames above this LSN (point-in-time restore). Default: all. */
  readonly upToLsn?: bigint
}

/** Catalog records found in a journal range, gathered once (open replays them anyway). */
export interface CatalogRecords {
  /** Echoes in LSN order. */
  readonly echoes: Uint8Array[]
  readonly images: Uint8Array[]
}

/** Adds a data journal frame's catalog bytes (if any) to `records`. */
export function collectCatalogRecord(
  records: CatalogRecords,
  kind: number,
  payload: Uint8Array,
): void {
  if (kind === dataFrameKind.ddlEcho) records.echoes.push(payload.slice())
  else if (kind === dataFrameKind.catalogImage) records.images.push(payload.slice())
  else if (kind === dataFrameKind.prepare) {
    try {
      records.echoes.push(decodePrepare(payload).echo)
    } catch {
      // A malformed PREPARE record carries no echo the catalog could use.
    }
  }
}

/**
 * A `CatalogSource` reading a data directory's checkpoints and journal.
 *
 * @example
 * ```ts
 * const catalogSource = new DataCatalogSource({ fs, dir })
 * const gns = await openGns({ fs, dir: `${dir}/gns`, catalogSource })
 * ```
 */
export class DataCatalogSource implements CatalogSource {
  readonly #options: DataCatalogSourceOptions
  readonly #recent: { records: CatalogRecords; coversAfterSeq: number } | undefined
  #all: CatalogRecords | undefined

  /**
   * @param recent (internal use by open) records already gathered from the journal after the
   *   newest checkpoint, valid for `events(afterSeq)` with `afterSeq >= coversAfterSeq`.
   */
  constructor(
    options: DataCatalogSourceOptions,
    recent?: { readonly records: CatalogRecords; readonly coversAfterSeq: number },
  ) {
    this.#options = options
    this.#recent = recent
  }

  async *snapshots(): AsyncIterable<Uint8Array> {
    const { fs, dir } = this.#options
    const checkpointsDir = joinPath(dir, 'checkpoints')
    for (const { name, lsn } of await listCheckpoints(fs, checkpointsDir)) {
      if (this.#options.upToLsn !== undefined && lsn > this.#options.upToLsn) continue
      const read = await readCheckpointImage(fs, joinPath(checkpointsDir, name))
      if (read !== undefined) yield read.image
    }
    for (const image of (await this.#everything()).images) yield image
  }

  async *events(afterSeq: number): AsyncIterable<Uint8Array> {
    const recent = this.#recent
    const records =
      recent !== undefined && afterSeq >= recent.coversAfterSeq
        ? recent.records
        : await this.#everything()
    for (const echo of records.echoes) {
      const summary = readEcho(echo)
      if (summary === undefined || summary.seq > afterSeq) yield echo
    }
  }

  async #everything(): Promise<CatalogRecords> {
    if (this.#all !== undefined) return this.#all
    const records: CatalogRecords = { echoes: [], images: [] }
    const upTo = this.#options.upToLsn
    await walkJournal(this.#options.fs, joinPath(this.#options.dir, 'journal'), {
      onFrame: (frame) => {
        if (upTo === undefined || frame.lsn <= upTo)
          collectCatalogRecord(records, frame.kind, frame.payload)
      },
    })
    this.#all = records
    return records
  }
}
