/**
 * What skyd counts: disk activity measured under the engine (a {@link MeteredFileSystem} wraps
 * the real one, so the numbers are the disk's, whatever the engine's layers do), and latency
 * samples kept in bounded rings ({@link LatencyRing}) for percentiles.
 *
 * Invariants: every counter only grows; a ring holds at most `capacity` samples (the newest), so
 * memory is fixed whatever the uptime; wrapping changes no behaviour of the file system (every
 * call is forwarded once, results and errors unchanged).
 */
import { performance } from 'node:perf_hooks'
import type { FileHandle, FileStat, FileSystem, OpenOptions } from '@sky/vfs'

/** The most recent latencies, for percentiles. */
export class LatencyRing {
  readonly capacity: number
  readonly #samples: Float64Array
  #count = 0

  /** @throws RangeError when `capacity` is not a positive integer. */
  constructor(capacity = 4096) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be >= 1')
    this.capacity = capacity
    this.#samples = new Float64Array(capacity)
  }

  /** Samples recorded since start (not only those kept). */
  get count(): number {
    return this.#count
  }

  record(value: number): void {
    this.#samples[this.#count % this.capacity] = value
    this.#count += 1
  }

  /**
   * Percentiles (nearest rank) of the kept samples, in the sample unit, rounded to 3 decimals;
   * null when none were recorded.
   */
  percentiles(): { p50: number; p90: number; p99: number; max: number; samples: number } | null {
    const kept = Math.min(this.#count, this.capacity)
    if (kept === 0) return null
    const sorted = Float64Array.from(this.#samples.subarray(0, kept)).sort()
    const at = (fraction: number): number => {
      const index = Math.min(kept - 1, Math.max(0, Math.ceil(fraction * kept) - 1))
      return Math.round((sorted[index] as number) * 1000) / 1000
    }
    return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), samples: kept }
  }
}

/** The parts of a data directory the meter tells apart. */
export type DiskArea = 'journal' | 'catalog' | 'checkpoint' | 'other'

/** The newest checkpoint file the engine published (seen as its rename into place). */
export interface CheckpointSeen {
  readonly name: string
  /** The LSN in its name (`ckpt-<20 digits>`), or null. */
  readonly lsn: bigint | null
  readonly bytes: number
  /** When it was renamed into place (ms since the epoch). */
  readonly at: number
}

/** Counters of one area. */
export interface AreaCounters {
  syncs: number
  bytesWritten: number
}

/**
 * A FileSystem that forwards every call and counts, per area of the data directory, the
 * fdatasyncs (`sync()`), their latency (data journal and catalog) and the bytes written.
 *
 * @example
 * ```ts
 * const fs = new MeteredFileSystem(new NodeFileSystem(), '/var/lib/skydb')
 * const engine = await openEngine({ fs, dir: '/var/lib/skydb' })
 * fs.areas.journal.syncs // fdatasyncs of the data journal so far
 * ```
 */
export class MeteredFileSystem implements FileSystem {
  readonly areas: Readonly<Record<DiskArea, AreaCounters>> = {
    journal: { syncs: 0, bytesWritten: 0 },
    catalog: { syncs: 0, bytesWritten: 0 },
    checkpoint: { syncs: 0, bytesWritten: 0 },
    other: { syncs: 0, bytesWritten: 0 },
  }
  /** Latency of the data journal's fdatasyncs, in ms. */
  readonly journalSyncMs = new LatencyRing()
  /** Latency of the catalog's fdatasyncs, in ms. */
  readonly catalogSyncMs = new LatencyRing(1024)
  /** Checkpoints published since start (renames of a temp file to `checkpoints/ckpt-*`). */
  checkpointsSeen = 0
  lastCheckpoint: CheckpointSeen | null = null
  /** Bytes written to each checkpoint file not yet renamed into place. */
  readonly #pendingCheckpointBytes = new Map<string, number>()
  readonly #inner: FileSystem
  readonly #root: string

  constructor(inner: FileSystem, dataDir: string) {
    this.#inner = inner
    this.#root = dataDir.endsWith('/') ? dataDir : `${dataDir}/`
  }

  /** Which area `file` belongs to. */
  areaOf(file: string): DiskArea {
    if (!file.startsWith(this.#root)) return 'other'
    const relative = file.slice(this.#root.length)
    if (relative.startsWith('journal/')) return 'journal'
    if (relative.startsWith('gns/')) return 'catalog'
    if (relative.startsWith('checkpoints/')) return 'checkpoint'
    return 'other'
  }

  async open(file: string, options?: OpenOptions): Promise<FileHandle> {
    const handle = await this.#inner.open(file, options)
    return new MeteredHandle(handle, this, this.areaOf(file))
  }

  async rename(source: string, target: string): Promise<void> {
    await this.#inner.rename(source, target)
    if (this.areaOf(target) !== 'checkpoint') return
    const name = target.slice(target.lastIndexOf('/') + 1)
    const match = /^ckpt-(\d+)$/.exec(name)
    if (match === null) return
    this.checkpointsSeen += 1
    this.lastCheckpoint = {
      name,
      lsn: BigInt(match[1] as string),
      bytes: this.#pendingCheckpointBytes.get(source) ?? 0,
      at: Date.now(),
    }
    this.#pendingCheckpointBytes.delete(source)
  }

  /** @internal Counts bytes written to a checkpoint file (by its handle). */
  noteCheckpointBytes(file: string, bytes: number): void {
    if (this.#pendingCheckpointBytes.size > 64) this.#pendingCheckpointBytes.clear()
    this.#pendingCheckpointBytes.set(file, (this.#pendingCheckpointBytes.get(file) ?? 0) + bytes)
  }

  unlink(file: string): Promise<void> {
    return this.#inner.unlink(file)
  }

  readdir(directory: string): Promise<string[]> {
    return this.#inner.readdir(directory)
  }

  mkdir(directory: string): Promise<void> {
    return this.#inner.mkdir(directory)
  }

  syncDir(directory: string): Promise<void> {
    return this.#inner.syncDir(directory)
  }

  exists(file: string): Promise<boolean> {
    return this.#inner.exists(file)
  }

  stat(file: string): Promise<FileStat> {
    return this.#inner.stat(file)
  }
}

class MeteredHandle implements FileHandle {
  readonly path: string
  readonly #inner: FileHandle
  readonly #meter: MeteredFileSystem
  readonly #counters: AreaCounters
  readonly #latency: LatencyRing | null

  constructor(inner: FileHandle, meter: MeteredFileSystem, area: DiskArea) {
    this.path = inner.path
    this.#inner = inner
    this.#meter = meter
    this.#counters = meter.areas[area]
    this.#latency = area === 'journal'
      ? meter.journalSyncMs
      : area === 'catalog' ? meter.catalogSyncMs : null
  }

  read(position: number, length: number): Promise<Uint8Array> {
    return this.#inner.read(position, length)
  }

  async write(position: number, data: Uint8Array): Promise<void> {
    await this.#inner.write(position, data)
    this.#written(data.length)
  }

  async append(data: Uint8Array): Promise<void> {
    await this.#inner.append(data)
    this.#written(data.length)
  }

  #written(bytes: number): void {
    this.#counters.bytesWritten += bytes
    if (this.#counters === this.#meter.areas.checkpoint) {
      this.#meter.noteCheckpointBytes(this.path, bytes)
    }
  }

  async sync(): Promise<void> {
    const started = performance.now()
    await this.#inner.sync()
    this.#counters.syncs += 1
    this.#latency?.record(performance.now() - started)
  }

  truncate(size: number): Promise<void> {
    return this.#inner.truncate(size)
  }

  size(): Promise<number> {
    return this.#inner.size()
  }

  close(): Promise<void> {
    return this.#inner.close()
  }
}
