/**
 * The Journal interface: a segmented write-ahead log whose `append` resolves only when the frame is as
 * durable as the chosen mode promises. See FORMAT.md for the bytes and README.md for the contract.
 */
import type { FileSystem } from '@sky/vfs'

/**
 * How much an acknowledged append is worth after a crash.
 *
 * - `sync` (default): `append` resolves after the frame's write and an fdatasync covering it. An
 *   acknowledged frame survives any crash. Concurrent appends share one fdatasync (group commit).
 * - `batch`: `append` resolves after the write reaches the operating system; an fdatasync runs at least
 *   every `batchDelayMs`. A crash (power loss, not process death) loses at most the frames
 *   acknowledged in the last `batchDelayMs`. Chosen explicitly, with its bound.
 * - `none`: never fdatasync. For tests and benchmarks only: a power loss may lose anything unsynced.
 */
export type Durability = 'sync' | 'batch' | 'none'

/** Options of {@link openJournal}. */
export interface JournalOptions {
  /** The file system to use: `NodeFileSystem` for the real disk, `SimFileSystem` in tests. */
  readonly fs: FileSystem
  /** Directory holding the segments; created if missing. */
  readonly dir: string
  /** Default `sync`. */
  readonly durability?: Durability
  /** Required with `durability: 'batch'`: the longest a written frame waits for fdatasync. */
  readonly batchDelayMs?: number
  /** A segment rolls over once it holds at least this many bytes. Default 64 MiB. */
  readonly segmentBytesMax?: number
  /** Largest payload accepted by `append` and believed by a reader. Default 16 MiB. */
  readonly payloadBytesMax?: number
  /** Most bytes of frames written by one write + fdatasync. Default 8 MiB. */
  readonly batchBytesMax?: number
  /**
   * Called at open with the bytes of a torn tail (the normal remains of a crash: never acknowledged)
   * before the journal cuts them off and continues from the last good frame. The default keeps them
   * in `<dir>/torn/`. The journal never drops bytes without handing them to this hook first.
   */
  readonly preserveTornTail?: (tail: TornTail) => Promise<void>
}

/** One frame as read back from the journal. */
export interface JournalFrame {
  readonly lsn: bigint
  /** The caller's record kind, 1..255. */
  readonly kind: number
  readonly payload: Uint8Array
  /** File name of the segment holding the frame. */
  readonly segment: string
  /** Byte offset of the frame's first byte in its segment. */
  readonly offset: number
}

/** The bytes after the last good frame of the last segment, left by a crash. */
export interface TornTail {
  readonly segment: string
  readonly offset: number
  /** LSN of the last good frame before the tail (0n when none). */
  readonly lastLsn: bigint
  readonly bytes: Uint8Array
}

/** How a scan ended. */
export type ScanEnding =
  | { readonly kind: 'clean'; readonly lastLsn: bigint }
  | ({ readonly kind: 'torn' } & TornTail)
  | {
      readonly kind: 'corrupt'
      readonly segment: string
      readonly offset: number
      /** LSN of the last good frame before the damage (0n when none). */
      readonly lsnBefore: bigint
      /** LSN of the first valid frame found after the damage. */
      readonly lsnAfter: bigint
    }

/**
 * A scan in progress: iterate it for frames in LSN order; once iteration finishes, `ending` says why.
 * A scan never yields a frame that failed its checksum.
 */
export interface JournalScan extends AsyncIterable<JournalFrame> {
  /** Set when iteration has finished; undefined before. */
  readonly ending: ScanEnding | undefined
}

/**
 * A write-ahead log. One writer per directory.
 *
 * @example
 * ```ts
 * const journal = await openJournal({ fs: new NodeFileSystem(), dir: '/var/lib/skydb/journal' })
 * const lsn = await journal.append(new TextEncoder().encode('hello'))  // durable now
 * for await (const frame of journal.scan(1n)) console.log(frame.lsn, frame.payload)
 * await journal.close()
 * ```
 */
export interface Journal {
  /**
   * Appends one frame and resolves with its LSN once durable (per the durability mode). LSNs are
   * assigned in order of `append` calls, without gaps, and continue across reopen.
   *
   * @throws JournalPoisonedError after any fdatasync failed (now or earlier): fail-stop.
   * @throws DiskFullError when the disk is full; nothing of the batch is acknowledged, and appends
   *   succeed again once space exists.
   * @throws JournalClosedError after `close()`.
   * @throws RangeError when the payload exceeds `payloadBytesMax` or `kind` is not 1..255.
   */
  append(payload: Uint8Array, kind?: number): Promise<bigint>
  /** Reads frames with `lsn >= fromLsn` (default: all), in order. */
  scan(fromLsn?: bigint): JournalScan
  /** Removes whole segments whose frames all have `lsn < lsn`; never the active segment. */
  truncateBefore(lsn: bigint): Promise<number>
  /** The LSN the next `append` will get. */
  readonly nextLsn: bigint
  /** Counters for observability. */
  readonly stats: JournalStats
  /** Waits for in-flight appends, fdatasyncs once more (unless `none`), and closes. Idempotent. */
  close(): Promise<void>
}

/** Counters kept by a {@link Journal}. */
export interface JournalStats {
  readonly appends: number
  readonly batches: number
  readonly syncs: number
  readonly bytesWritten: number
}
