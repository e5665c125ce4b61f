/**
 * CatalogSource: the catalog's copies outside the GNS directory, used when the GNS itself cannot
 * provide a fact. `@sky/recovery` implements it over the data side: every DDL event's echo written
 * into the data journal, and the catalog image embedded in each data checkpoint.
 * {@link MemoryCatalogSource} is the in-memory implementation for tests.
 */
import { decodeEvent } from './internal/event-codec.js'

/**
 * Where the catalog can be found besides the GNS directory.
 *
 * Implementors hand back the exact bytes the catalog gave them; the catalog checks each one
 * (checksums, format version) and reports bad ones as `catalog-source` damage, so an implementation
 * never needs to validate. Bytes may be repeated or out of order; the catalog sorts by sequence
 * number.
 */
export interface CatalogSource {
  /** Catalog images (from `Gns.exportImage()`) embedded in data checkpoints, any order. */
  snapshots(): AsyncIterable<Uint8Array>
  /**
   * Event echoes (`DdlResult.echo`, `PrepareResult.echo`) written to the data journal, at least
   * every one whose sequence number is above `afterSeq`, in the order they were written.
   */
  events(afterSeq: number): AsyncIterable<Uint8Array>
}

/** What an echo says, for callers that must recognise one (e.g. recovery matching a PREPARE). */
export interface EchoSummary {
  readonly seq: number
  /** The change type: `createModel`, `prepare`, `commit`, ... */
  readonly type: string
  /** For prepare, commit and abort: the prepared operation's id. */
  readonly prepareId: string | undefined
}

/**
 * Decodes an echo's summary; undefined when the bytes are not a valid event.
 *
 * @example
 * ```ts
 * const summary = readEcho(record.echo)
 * if (summary?.type === 'prepare') inDoubt.set(summary.prepareId!, record)
 * ```
 */
export function readEcho(echo: Uint8Array): EchoSummary | undefined {
  const read = decodeEvent(echo)
  if (read.status !== 'ok') return undefined
  const change = read.change
  const prepareId = 'prepareId' in change ? change.prepareId : undefined
  return { seq: read.seq, type: change.type, prepareId }
}

/**
 * An in-memory {@link CatalogSource}: record each echo and image as the data side would.
 *
 * @example
 * ```ts
 * const source = new MemoryCatalogSource()
 * const result = await gns.execute({ kind: 'createSpace', name: 'shop' })
 * if (result.echo !== undefined) source.recordEvent(result.echo)
 * source.recordSnapshot(gns.exportImage())
 * const rebuilt = await openGns({ fs, dir, catalogSource: source })
 * ```
 */
export class MemoryCatalogSource implements CatalogSource {
  readonly #events: Uint8Array[] = []
  readonly #snapshots: Uint8Array[] = []

  /** Keeps a copy of an event echo. */
  recordEvent(echo: Uint8Array): void {
    this.#events.push(echo.slice())
  }

  /** Keeps a copy of a catalog image. */
  recordSnapshot(image: Uint8Array): void {
    this.#snapshots.push(image.slice())
  }

  /** How many echoes are kept. */
  get eventCount(): number {
    return this.#events.length
  }

  async *snapshots(): AsyncIterable<Uint8Array> {
    for (const image of this.#snapshots) yield image
  }

  async *events(afterSeq: number): AsyncIterable<Uint8Array> {
    for (const echo of this.#events) {
      const summary = readEcho(echo)
      if (summary === undefined || summary.seq > afterSeq) yield echo
    }
  }
}
