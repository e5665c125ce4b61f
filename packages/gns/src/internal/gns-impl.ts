/**
 * The open catalog: serialized DDL over the journal, immutable versions for readers, compaction.
 *
 * State machine:
 *
 *   open ──execute/prepare/commit/abort (event durable)──▶ open   (new version published)
 *     │  └─disk full─────────────────────────────────────▶ open   (nothing changed)
 *     ├─any other write or fdatasync failure──────────────▶ poisoned (terminal: reopen)
 *     └─close()───────────────────────────────────────────▶ closed  (terminal)
 *
 * Operations run one at a time in `#lane`, so each is planned against the version the previous one
 * published, and the state written is the state published. Compaction runs in the same lane.
 *
 * Invariants (assertInvariants): the published state's seq is the last event written; the version
 * readers see is built from exactly that state; `#eventsSinceSnapshot` counts events after the
 * journal's newest snapshot frame. No frame follows a snapshot frame in the journal until that
 * frame's checkpoint is durable (`#unfinished` holds it until then): open reads "a frame after a
 * snapshot frame" as proof that the checkpoint was written (compaction-evidence.ts).
 */
import { randomUUID } from 'node:crypto'
import type { Journal } from '@sky/journal'
import { assert, isSkyError } from '@sky/std'
import type { FileSystem } from '@sky/vfs'
import type { CatalogVersion, Credential } from '../catalog.js'
import {
  type ScryptParameters,
  hashPassword,
  spendVerification,
  verifyCredential,
} from '../credentials.js'
import {
  GnsClosedError,
  GnsDiskFullError,
  GnsPoisonedError,
  GnsUnknownPrepareError,
} from '../errors.js'
import type { Gns } from '../gns.js'
import type {
  DdlOp,
  DdlResult,
  InDoubtPrepare,
  PrepareOutcome,
  PrepareResult,
} from '../operations.js'
import type { GnsOpenReport } from '../report.js'
import type { Change } from './change.js'
import { writeCheckpoint } from './checkpoint-store.js'
import { encodeEvent } from './event-codec.js'
import { encodeImage } from './image-codec.js'
import { stateToRecords } from './image-state.js'
import { frameKindEvent, frameKindSnapshot } from './journal-read.js'
import { checkPrepareRoom, describeChange, passwordOf, planOp } from './plan.js'
import { type CatalogState, CatalogView, Draft, applyChange, assertInvariants } from './state.js'

export interface GnsSettings {
  readonly fs: FileSystem
  readonly dir: string
  readonly compactEvery: number
  readonly scrypt: ScryptParameters
}

export interface GnsStart {
  readonly state: CatalogState
  readonly journal: Journal
  readonly generation: number
  readonly eventsSinceSnapshot: number
  readonly report: GnsOpenReport
}

export class GnsImpl implements Gns {
  #state: CatalogState
  #version: CatalogView
  readonly #journal: Journal
  #lane: Promise<unknown> = Promise.resolve()
  #poison: GnsPoisonedError | undefined
  #closing = false
  #generation: number
  #eventsSinceSnapshot: number
  /** A compaction whose snapshot frame is durable but whose checkpoint is not (disk was full). */
  #unfinished: { readonly generation: number; readonly image: Uint8Array; readonly lsn: bigint }
    | undefined
  readonly #inDoubt: Set<string>
  readonly report: GnsOpenReport

  constructor(private readonly settings: GnsSettings, start: GnsStart) {
    this.#state = start.state
    this.#version = new CatalogView(start.state)
    this.#journal = start.journal
    this.#generation = start.generation
    this.#eventsSinceSnapshot = start.eventsSinceSnapshot
    this.#inDoubt = new Set(start.state.pending.keys())
    this.report = start.report
    assertInvariants(start.state)
  }

  get current(): CatalogVersion {
    return this.#version
  }

  snapshot(): CatalogVersion {
    return this.#version
  }

  get inDoubt(): readonly InDoubtPrepare[] {
    return [...this.#state.pending.values()]
      .filter((pending) => this.#inDoubt.has(pending.id))
      .map((pending) => ({
        id: pending.id,
        preparedSeq: pending.preparedSeq,
        description: describeChange(this.#state, pending.change),
      }))
  }

  execute(op: DdlOp): Promise<DdlResult> {
    return this.#admitted(op, async (credential) => {
      const change = planOp(this.#state, op, credential)
      if (change === undefined) return { changed: false, version: this.#version, echo: undefined }
      const echo = await this.#write(change)
      return { changed: true, version: this.#version, echo }
    })
  }

  prepare(op: DdlOp): Promise<PrepareResult> {
    return this.#admitted(op, async (credential): Promise<PrepareResult> => {
      checkPrepareRoom(this.#state)
      const change = planOp(this.#state, op, credential)
      if (change === undefined) {
        const result = { changed: false, version: this.#version, echo: undefined }
        return { prepared: false, result }
      }
      const id = randomUUID()
      const echo = await this.#write({ type: 'prepare', prepareId: id, change })
      return { prepared: true, id, seq: this.#state.seq, echo }
    })
  }

  commit(id: string): Promise<DdlResult> {
    return this.#resolve(id, 'commit')
  }

  abort(id: string): Promise<DdlResult> {
    return this.#resolve(id, 'abort')
  }

  resolveInDoubt(id: string, decision: 'commit' | 'abort'): Promise<DdlResult> {
    if (decision !== 'commit' && decision !== 'abort')
      throw new TypeError("decision must be 'commit' or 'abort'")
    return this.#resolve(id, decision)
  }

  #resolve(id: string, decision: 'commit' | 'abort'): Promise<DdlResult> {
    if (typeof id !== 'string') throw new TypeError('a prepare id is a string')
    return this.#enqueue(async () => {
      this.#checkPoison()
      const pending = this.#state.pending.get(id)
      if (pending === undefined) throw new GnsUnknownPrepareError(id)
      const change: Change =
        decision === 'commit'
          ? { type: 'commit', prepareId: id, change: pending.change }
          : { type: 'abort', prepareId: id }
      const echo = await this.#write(change)
      this.#inDoubt.delete(id)
      return { changed: decision === 'commit', version: this.#version, echo }
    })
  }

  outcomeOf(id: string): PrepareOutcome {
    if (this.#state.pending.has(id)) return 'pending'
    return this.#state.outcomes.get(id) ?? 'unknown'
  }

  async verifyPassword(user: string, password: string): Promise<boolean> {
    if (typeof user !== 'string' || typeof password !== 'string')
      throw new TypeError('user and password are strings')
    const credential = this.#version.users.get(user)?.credential
    if (credential === undefined) {
      await spendVerification(this.settings.scrypt)
      return false
    }
    return verifyCredential(credential, password)
  }

  exportImage(): Uint8Array {
    const state = this.#state
    return encodeImage(0, state.seq, stateToRecords(state))
  }

  compact(): Promise<void> {
    return this.#enqueue(async () => {
      this.#checkPoison()
      await this.#compact()
    })
  }

  async close(): Promise<void> {
    if (this.#closing) return
    this.#closing = true
    await this.#lane
    await this.#journal.close()
  }

  // --- internals -------------------------------------------------------------------------------

  /**
   * Queues a statement in call order. A password is hashed (slow) outside the lane, starting now;
   * the statement waits for it in its turn. Checks that need no catalog state fail before queueing.
   */
  #admitted<T>(op: DdlOp, run: (credential: Credential | undefined) => Promise<T>): Promise<T> {
    let credential: Promise<Credential | undefined>
    try {
      if (typeof op !== 'object' || op === null) throw new TypeError('a DDL operation is an object')
      this.#checkUsable()
      const user = op.kind === 'createUser' || op.kind === 'alterUser'
      credential = user
        ? hashPassword(passwordOf(op), this.settings.scrypt)
        : Promise.resolve(undefined)
    } catch (error) {
      return Promise.reject(error)
    }
    credential.catch(() => undefined) // observed in the task; never an unhandled rejection
    return this.#enqueue(async () => {
      this.#checkPoison()
      return run(await credential)
    })
  }

  #checkUsable(): void {
    if (this.#closing) throw new GnsClosedError()
    this.#checkPoison()
  }

  #checkPoison(): void {
    if (this.#poison !== undefined) throw this.#poison
  }

  /**
   * Runs `task` after every task queued before it. Refused once `close()` started, so the lane
   * `close()` waits for is final; tasks queued before still run.
   */
  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new GnsClosedError())
    const run = this.#lane.then(task)
    this.#lane = run.catch(() => undefined)
    return run
  }

  /** Makes one event durable and publishes its state. */
  async #write(change: Change): Promise<Uint8Array> {
    const seq = this.#state.seq + 1
    const bytes = encodeEvent(seq, change)
    const draft = new Draft(this.#state)
    const problem = applyChange(draft, change, seq)
    assert(problem === undefined, `a planned change applies: ${problem}`)
    const next = draft.finish()
    if (this.#unfinished !== undefined) await this.#finishCompaction()
    try {
      await this.#journal.append(bytes, frameKindEvent)
    } catch (error) {
      throw this.#failure(error)
    }
    this.#state = next
    this.#version = new CatalogView(next)
    this.#eventsSinceSnapshot++
    if (this.#eventsSinceSnapshot >= this.settings.compactEvery) {
      this.#eventsSinceSnapshot = 0
      void this.#enqueue(() => this.#compact()).catch(() => undefined)
    }
    return bytes
  }

  /** The error to throw for a failed write; poisons the catalog unless the disk was merely full. */
  #failure(error: unknown): Error {
    if (isSkyError(error, 'JOURNAL_DISK_FULL') || isSkyError(error, 'VFS_NO_SPACE')) {
      return new GnsDiskFullError({ cause: error })
    }
    this.#poison ??= new GnsPoisonedError({ cause: error })
    return this.#poison
  }

  /**
   * Snapshot frame, checkpoint of the next generation, then drop the segments before the snapshot.
   */
  async #compact(): Promise<void> {
    if (this.#poison !== undefined) return
    if (this.#unfinished === undefined) {
      const state = this.#state
      const generation = this.#generation + 1
      const image = encodeImage(generation, state.seq, stateToRecords(state))
      let lsn: bigint
      try {
        lsn = await this.#journal.append(image, frameKindSnapshot)
      } catch (error) {
        throw this.#failure(error)
      }
      this.#unfinished = { generation, image, lsn }
      this.#eventsSinceSnapshot = 0
      assert(this.#state === state, 'nothing else ran during compaction')
    }
    await this.#finishCompaction()
  }

  /**
   * Makes the checkpoint of the unfinished compaction durable, then drops the journal segments
   * before its snapshot frame. On a full disk the compaction stays unfinished and the next event
   * retries it first.
   */
  async #finishCompaction(): Promise<void> {
    const unfinished = this.#unfinished
    assert(unfinished !== undefined, 'a compaction to finish')
    try {
      const { fs, dir } = this.settings
      await writeCheckpoint(fs, dir, unfinished.generation, unfinished.image)
      this.#generation = unfinished.generation
      this.#unfinished = undefined
      await this.#journal.truncateBefore(unfinished.lsn)
    } catch (error) {
      throw this.#failure(error)
    }
  }
}
