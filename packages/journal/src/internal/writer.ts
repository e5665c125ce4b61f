/**
 * The journal's writer: group commit over the active segment.
 *
 * State machine of the writer (one instance per open journal):
 *
 *   open ──append──▶ queued ──flush()──▶ writing ──sync ok──▶ open (waiters resolved)
 *                                           │  └─ENOSPC────▶ open (batch rejected, cut back)
 *                                           └─EIO / sync failed──▶ poisoned (terminal)
 *   any ──close()──▶ closed (terminal)
 *
 * Group commit: `append` queues the frame and schedules one flush with `setImmediate`, so every
 * append made before the event loop turns joins the same batch. While a batch's write + fdatasync is
 * in flight, new appends queue and form the next batch. One fdatasync acknowledges a whole batch.
 *
 * Invariants (see assertInvariants):
 * - `durableOffset <= writeOffset`; bytes past `writeOffset` in the active segment are never acknowledged.
 * - LSNs are assigned when a batch is formed, consecutively; a batch that fails before its write is
 *   acknowledged gives its LSNs back (nextLsn = batch's first LSN), so LSNs never have gaps on disk.
 * - Once poisoned, nothing is ever acknowledged again.
 */
import { assert } from '@sky/std'
import type { FileHandle, FileSystem } from '@sky/vfs'
import { joinPath } from '@sky/vfs'
import { DiskFullError, JournalClosedError, JournalPoisonedError } from '../errors.js'
import type { Durability, Journal, JournalScan, JournalStats } from '../journal.js'
import { encodeFrame, frameBytes, frameKindMax, frameKindMin } from './frame.js'
import { scanDirectory } from './scan.js'
import { encodeSegmentHeader, segmentHeaderBytes, segmentName } from './segment.js'

interface Waiter {
  readonly payload: Uint8Array
  readonly kind: number
  readonly resolve: (lsn: bigint) => void
  readonly reject: (error: Error) => void
}

export interface WriterSettings {
  readonly fs: FileSystem
  readonly dir: string
  readonly durability: Durability
  readonly batchDelayMs: number
  readonly segmentBytesMax: number
  readonly payloadBytesMax: number
  readonly batchBytesMax: number
}

export interface ActiveSegment {
  readonly handle: FileHandle
  readonly index: number
  readonly baseLsn: bigint
  /** Size of the segment: where the next batch goes. */
  readonly size: number
}

export interface SegmentBase {
  readonly index: number
  readonly baseLsn: bigint
}

export class JournalWriter implements Journal {
  #queue: Waiter[] = []
  #scheduled = false
  #flushing: Promise<void> | undefined
  #poison: JournalPoisonedError | undefined
  #closed = false
  #handle: FileHandle
  #segmentIndex: number
  #writeOffset: number
  #durableOffset: number
  #nextLsn: bigint
  #durableLsn: bigint
  #batchTimer: NodeJS.Timeout | undefined
  /** Every segment's index and base LSN, oldest first; the last is the active one. */
  readonly #bases: SegmentBase[]
  readonly #stats = { appends: 0, batches: 0, syncs: 0, bytesWritten: 0 }

  constructor(
    private readonly settings: WriterSettings,
    active: ActiveSegment,
    nextLsn: bigint,
    bases: SegmentBase[],
  ) {
    this.#handle = active.handle
    this.#segmentIndex = active.index
    this.#writeOffset = active.size
    this.#durableOffset = active.size
    this.#nextLsn = nextLsn
    this.#durableLsn = nextLsn - 1n
    this.#bases = bases
    assert(bases.at(-1)?.index === active.index, 'the active segment is the newest')
  }

  get nextLsn(): bigint {
    return this.#nextLsn
  }

  get stats(): JournalStats {
    return { ...this.#stats }
  }

  append(payload: Uint8Array, kind = frameKindMin): Promise<bigint> {
    if (!(payload instanceof Uint8Array)) throw new TypeError('payload must be a Uint8Array')
    if (!Number.isInteger(kind) || kind < frameKindMin || kind > frameKindMax) {
      throw new RangeError(`frame kind must be ${frameKindMin}..${frameKindMax}, got ${kind}`)
    }
    if (payload.length > this.settings.payloadBytesMax) {
      throw new RangeError(`payload of ${payload.length} bytes exceeds ${this.settings.payloadBytesMax}`)
    }
    if (this.#closed) return Promise.reject(new JournalClosedError())
    if (this.#poison !== undefined) return Promise.reject(this.#poison)
    return new Promise<bigint>((resolve, reject) => {
      this.#queue.push({ payload, kind, resolve, reject })
      this.#schedule()
    })
  }

  scan(fromLsn = 1n): JournalScan {
    const { fs, dir, payloadBytesMax } = this.settings
    return scanDirectory({ fs, dir, fromLsn, payloadBytesMax })
  }

  async truncateBefore(lsn: bigint): Promise<number> {
    let removed = 0
    while (this.#bases.length > 1 && this.#bases[1]!.baseLsn <= lsn) {
      const oldest = this.#bases.shift()!
      await this.settings.fs.unlink(joinPath(this.settings.dir, segmentName(oldest.index)))
      removed++
    }
    if (removed > 0) await this.settings.fs.syncDir(this.settings.dir)
    return removed
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    while (this.#flushing !== undefined) await this.#flushing
    if (this.#queue.length > 0) {
      // Appends made before close() are written, not dropped.
      this.#flushing = this.#flush()
      await this.#flushing
      this.#flushing = undefined
    }
    if (this.#batchTimer !== undefined) clearTimeout(this.#batchTimer)
    try {
      if (this.#poison === undefined && this.settings.durability !== 'none') await this.#sync()
    } finally {
      for (const waiter of this.#queue.splice(0)) waiter.reject(new JournalClosedError())
      await this.#handle.close()
    }
  }

  #schedule(): void {
    if (this.#scheduled || this.#flushing !== undefined) return
    this.#scheduled = true
    setImmediate(() => {
      this.#scheduled = false
      if (this.#flushing !== undefined || this.#queue.length === 0) return
      this.#flushing = this.#flush().finally(() => {
        this.#flushing = undefined
        if (this.#queue.length > 0 && !this.#closed) this.#schedule()
      })
    })
  }

  /** Writes and syncs batches until the queue is empty. Never throws: failures go to the waiters. */
  async #flush(): Promise<void> {
    while (this.#queue.length > 0) {
      if (this.#poison !== undefined) {
        for (const waiter of this.#queue.splice(0)) waiter.reject(this.#poison)
        return
      }
      const batch = this.#takeBatch()
      const firstLsn = this.#nextLsn
      try {
        await this.#writeBatch(batch, firstLsn)
      } catch (error) {
        await this.#recover(batch, firstLsn, error)
        continue
      }
      this.#stats.appends += batch.length
      this.#stats.batches++
      let lsn = firstLsn
      for (const waiter of batch) waiter.resolve(lsn++)
    }
  }

  #takeBatch(): Waiter[] {
    let bytes = 0
    let count = 0
    while (count < this.#queue.length) {
      const size = frameBytes(this.#queue[count]!.payload.length)
      if (count > 0 && bytes + size > this.settings.batchBytesMax) break
      bytes += size
      count++
    }
    return this.#queue.splice(0, count)
  }

  async #writeBatch(batch: Waiter[], firstLsn: bigint): Promise<void> {
    if (this.#writeOffset >= this.settings.segmentBytesMax) await this.#roll(firstLsn)
    const buffer = new Uint8Array(batch.reduce((sum, waiter) => sum + frameBytes(waiter.payload.length), 0))
    const view = new DataView(buffer.buffer)
    let offset = 0
    let lsn = firstLsn
    for (const waiter of batch) {
      offset = encodeFrame(buffer, offset, { lsn: lsn++, kind: waiter.kind, payload: waiter.payload }, view)
    }
    assert(offset === buffer.length, 'batch buffer filled exactly')
    this.#nextLsn = firstLsn + BigInt(batch.length)
    await this.#handle.write(this.#writeOffset, buffer)
    this.#writeOffset += buffer.length
    this.#stats.bytesWritten += buffer.length
    if (this.settings.durability === 'sync') await this.#sync()
    else if (this.settings.durability === 'batch') this.#armBatchTimer()
  }

  async #sync(): Promise<void> {
    const target = this.#writeOffset
    const lastLsn = this.#nextLsn - 1n
    try {
      await this.#handle.sync()
    } catch (error) {
      throw new SyncFailure(error)
    }
    this.#stats.syncs++
    this.#durableOffset = Math.max(this.#durableOffset, target)
    if (lastLsn > this.#durableLsn) this.#durableLsn = lastLsn
  }

  #armBatchTimer(): void {
    if (this.#batchTimer !== undefined) return
    this.#batchTimer = setTimeout(() => {
      this.#batchTimer = undefined
      if (this.#closed || this.#poison !== undefined) return
      const run = async (): Promise<void> => {
        while (this.#flushing !== undefined) await this.#flushing
        try {
          await this.#sync()
        } catch (error) {
          this.#poisonWith(error)
        }
      }
      void run()
    }, this.settings.batchDelayMs)
  }

  /** Starts a new segment whose first frame will be `baseLsn`. The previous one is synced first. */
  async #roll(baseLsn: bigint): Promise<void> {
    if (this.settings.durability !== 'none') await this.#sync()
    const index = this.#segmentIndex + 1
    const path = joinPath(this.settings.dir, segmentName(index))
    const handle = await this.settings.fs.open(path, { create: true })
    try {
      await handle.truncate(0) // a failed earlier attempt may have left part of a header
      await handle.write(0, encodeSegmentHeader({ index, baseLsn }))
      await handle.sync()
      await this.settings.fs.syncDir(this.settings.dir)
    } catch (error) {
      await handle.close()
      throw error
    }
    await this.#handle.close()
    this.#handle = handle
    this.#segmentIndex = index
    this.#writeOffset = segmentHeaderBytes
    this.#durableOffset = segmentHeaderBytes
    this.#bases.push({ index, baseLsn })
  }

  /**
   * A batch failed. Disk full: give back its LSNs, cut the partial write off, reject its waiters with
   * DiskFullError and carry on. Anything else (EIO on write, any fdatasync failure): poison.
   */
  async #recover(batch: Waiter[], firstLsn: bigint, error: unknown): Promise<void> {
    const noSpace = (error as { code?: unknown }).code === 'VFS_NO_SPACE'
    if (noSpace) {
      this.#nextLsn = firstLsn
      try {
        await this.#handle.truncate(this.#writeOffset)
        const diskFull = new DiskFullError(segmentName(this.#segmentIndex), { cause: error })
        for (const waiter of batch) waiter.reject(diskFull)
        return
      } catch (cause) {
        error = cause // cannot even cut back: the tail is unknown, stop
      }
    }
    this.#poisonWith(error instanceof SyncFailure ? error.cause : error)
    for (const waiter of batch) waiter.reject(this.#poison!)
  }

  #poisonWith(cause: unknown): void {
    if (this.#poison === undefined) this.#poison = new JournalPoisonedError(this.#durableLsn, { cause })
    for (const waiter of this.#queue.splice(0)) waiter.reject(this.#poison)
  }
}

/** Marks an error as coming from fdatasync (always fatal) rather than from write. */
class SyncFailure extends Error {
  constructor(override readonly cause: unknown) {
    super('fdatasync failed')
  }
}
