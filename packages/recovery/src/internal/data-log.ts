/**
 * DataLog: the data journal as the engine and `@sky/txn` see it.
 *
 * It is the `RedoLog` handed to `TxnManager` (a thin wrapper over the journal) and records, for
 * each acknowledged commit, its commit timestamp and LSN. A checkpoint taken at snapshot `T` covers
 * exactly the frames up to the LSN of commit `T`: commits are installed in commit order, LSN order
 * equals commit order, so the state at `T` holds every commit at or below that LSN and none above.
 *
 * It also counts the bytes appended (the checkpoint's volume trigger), writes a time mark frame
 * (kind 5) after a commit at most every `timeMarkIntervalMs` (for restore `toTime`), and notices a
 * poisoned journal (fail-stop).
 *
 * Invariant: `#commits` holds (ts, lsn) pairs in increasing order; entries below the installed
 * timestamp are pruned, except the newest of them, because a snapshot is never older than the
 * latest install.
 */
import type { Journal } from '@sky/journal'
import { assert, isSkyError } from '@sky/std'
import type { RedoLog } from '@sky/txn'
import { dataFrameKind } from '../frame-kinds.js'
import { encodeTimeMark } from './records.js'

/** Options of {@link DataLog}. */
export interface DataLogOptions {
  readonly timeMarkIntervalMs: number
  readonly now: () => number
  /** The commit timestamp installed last in the store. */
  readonly installedTs: () => number
  /** Called after appends with the bytes appended since the last checkpoint. */
  readonly onVolume: (bytesSinceCheckpoint: number) => void
  /** Called once when the journal fails (poisoned): the engine stops. */
  readonly onFailure: (error: unknown) => void
}

const frameOverheadBytes = 17

/** Reads the commit timestamp of a redo record (bytes 1..8, see `@sky/txn` FORMAT.md). */
function commitTsOf(payload: Uint8Array): number {
  assert(payload.length >= 9 && payload[0] === 1, 'a version-1 redo record')
  return Number(new DataView(payload.buffer, payload.byteOffset + 1, 8).getBigUint64(0, true))
}

export class DataLog implements RedoLog {
  #commits: Array<{ ts: number; lsn: bigint }> = []
  #head = 0
  #base: { ts: number; lsn: bigint }
  #bytesSinceCheckpoint = 0
  #lastMarkMs = Number.NEGATIVE_INFINITY
  /** LSN of the newest DDL echo, PREPARE or catalog image appended (0n before the first). */
  lastCatalogLsn = 0n

  constructor(
    readonly journal: Journal,
    private readonly options: DataLogOptions,
    base: { ts: number; lsn: bigint },
  ) {
    this.#base = base
  }

  /** Appends a redo record for `TxnManager`; resolves with its LSN once durable. */
  append(payload: Uint8Array, kind: number = dataFrameKind.redo): Promise<bigint> {
    assert(kind === dataFrameKind.redo, 'TxnManager appends redo records only')
    const ts = commitTsOf(payload)
    const appended = this.journal.append(payload, kind)
    this.#counted(payload.length)
    this.#maybeMark()
    return appended.then(
      (lsn) => {
        this.#commits.push({ ts, lsn })
        this.#prune()
        return lsn
      },
      (error: unknown) => {
        this.#failed(error)
        throw error
      },
    )
  }

  /** Appends one of the engine's own records (DDL echo, PREPARE, image); resolves when durable. */
  async appendRecord(kind: number, payload: Uint8Array): Promise<bigint> {
    assert(kind !== dataFrameKind.redo, 'redo records go through append')
    const appended = this.journal.append(payload, kind)
    this.#counted(payload.length)
    try {
      const lsn = await appended
      if (kind !== dataFrameKind.timeMark && lsn > this.lastCatalogLsn) this.lastCatalogLsn = lsn
      return lsn
    } catch (error) {
      this.#failed(error)
      throw error
    }
  }

  /**
   * The LSN of the commit installed at `ts` (the snapshot of a checkpoint being started), or of the
   * last frame replayed at open when `ts` is the state open recovered.
   */
  lsnOfInstalled(ts: number): bigint | undefined {
    if (ts === this.#base.ts) return this.#base.lsn
    for (let at = this.#head; at < this.#commits.length; at++) {
      const entry = this.#commits[at]!
      if (entry.ts === ts) return entry.lsn
      if (entry.ts > ts) return undefined
    }
    return undefined
  }

  /** Bytes appended since the last `checkpointTaken`. */
  get bytesSinceCheckpoint(): number {
    return this.#bytesSinceCheckpoint
  }

  /** Takes the bytes a checkpoint covered off the volume counter. */
  checkpointTaken(bytesCovered: number): void {
    this.#bytesSinceCheckpoint = Math.max(0, this.#bytesSinceCheckpoint - bytesCovered)
  }

  #counted(payloadBytes: number): void {
    this.#bytesSinceCheckpoint += payloadBytes + frameOverheadBytes
    this.options.onVolume(this.#bytesSinceCheckpoint)
  }

  #maybeMark(): void {
    const now = this.options.now()
    if (now - this.#lastMarkMs < this.options.timeMarkIntervalMs) return
    this.#lastMarkMs = now
    this.journal.append(encodeTimeMark(now), dataFrameKind.timeMark).then(
      () => undefined,
      (error: unknown) => this.#failed(error),
    )
  }

  #prune(): void {
    const installed = this.options.installedTs()
    while (
      this.#head + 1 < this.#commits.length &&
      this.#commits[this.#head + 1]!.ts <= installed
    ) {
      this.#head++
    }
    if (this.#head > 4096 && this.#head * 2 > this.#commits.length) {
      this.#commits = this.#commits.slice(this.#head)
      this.#head = 0
    }
  }

  #failed(error: unknown): void {
    if (isSkyError(error, 'JOURNAL_DISK_FULL')) return
    this.options.onFailure(error)
  }
}
