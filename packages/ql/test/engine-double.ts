/**
 * A QueryEngine for the executor's tests: the real catalog (`openGns`) and the real transaction
 * manager over an `MvccDatabase` and a journal, all on a `SimFileSystem`. Its `ddl` creates and
 * drops the stores, runs the two-phase protocol for DDL that changes data (without the data
 * journal's PREPARE record: the double never recovers), and rewrites rows on `alter … remove`.
 * A root user (password `rootpass`) exists from the start. Store ids are `String(model.id)`.
 */
import type { DdlOp, DdlResult, Gns, Model } from '@sky/gns'
import { openGns, typeClassOf } from '@sky/gns'
import { openJournal } from '@sky/journal'
import type { Journal } from '@sky/journal'
import { MvccDatabase } from '@sky/mvcc'
import type { KeyKind } from '@sky/mvcc'
import { TxnManager } from '@sky/txn'
import type { IsolationLevel, Row } from '@sky/txn'
import { SimFileSystem } from '@sky/vfs'
import type { EngineStatus, QueryEngine } from '../src/index.js'

export interface DoubleOptions {
  readonly defaultIsolation?: IsolationLevel
  readonly idleTimeoutMs?: number
}

export class EngineDouble implements QueryEngine {
  readonly fs: SimFileSystem
  readonly gns: Gns
  readonly store: MvccDatabase<Row>
  readonly journal: Journal
  readonly manager: TxnManager
  /** Set to make `sysctl report status` answer 0. */
  health: EngineStatus = { healthy: true }
  /** DDL operations received, in order (for tests of what the executor sends). */
  readonly ops: DdlOp[] = []

  private constructor(fs: SimFileSystem, gns: Gns, journal: Journal, options: DoubleOptions) {
    this.fs = fs
    this.gns = gns
    this.journal = journal
    this.store = new MvccDatabase<Row>()
    this.manager = new TxnManager({
      store: this.store,
      journal,
      ...(options.defaultIsolation === undefined
        ? {}
        : { defaultIsolation: options.defaultIsolation }),
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    })
  }

  static async open(options: DoubleOptions = {}): Promise<EngineDouble> {
    const fs = new SimFileSystem()
    const scrypt = { cost: 16, blockSize: 1 }
    const gns = await openGns({ fs, dir: '/db/gns', scrypt })
    const journal = await openJournal({ fs, dir: '/db/journal' })
    const engine = new EngineDouble(fs, gns, journal, options)
    const password = new Map([['password', { type: 'string' as const, value: 'rootpass' }]])
    await gns.execute({ kind: 'createUser', name: 'root', properties: password, root: true })
    return engine
  }

  catalog() {
    return this.gns.current
  }

  storeId(model: Model): string {
    return String(model.id)
  }

  verifyPassword(user: string, password: string): Promise<boolean> {
    return this.gns.verifyPassword(user, password)
  }

  status(): EngineStatus {
    return this.health
  }

  async ddl(op: DdlOp): Promise<DdlResult> {
    this.ops.push(op)
    switch (op.kind) {
      case 'createModel': {
        const result = await this.gns.execute(op)
        const model = result.version.model(op.space, op.name)
        if (result.changed && model !== undefined) this.#createStore(model)
        return result
      }
      case 'dropModel':
        return this.#dropModels(op, [this.gns.current.model(op.space, op.name)])
      case 'dropSpace':
        return this.#dropModels(op, [...(this.gns.current.space(op.name)?.models.values() ?? [])])
      case 'alterModel':
        if (op.action.kind === 'remove') return this.#alterRemove(op, op.action.names)
        return this.gns.execute(op)
      default:
        return this.gns.execute(op)
    }
  }

  async close(): Promise<void> {
    await this.manager.drain()
    await this.journal.close()
    await this.gns.close()
  }

  #createStore(model: Model): void {
    const key = model.fields.find((field) => field.name === model.primaryKey)!
    const kind = typeClassOf(key.type)
    const keyKind: KeyKind = kind === 'string' ? 'string' : kind === 'binary' ? 'binary' : 'int'
    this.store.createStore(this.storeId(model), { keyKind })
  }

  #hasData(model: Model): boolean {
    const store = this.store.store(this.storeId(model))
    if (store === undefined) return false
    return store.scan({ snapshotTs: this.store.lastCommitTs, limit: 1 }).entries.length > 0
  }

  async #dropModels(op: DdlOp, candidates: readonly (Model | undefined)[]): Promise<DdlResult> {
    const models = candidates.filter((model): model is Model => model !== undefined)
    const withData = models.some((model) => this.#hasData(model))
    const twoPhase = withData && 'allowNotEmpty' in op && op.allowNotEmpty === true
    let result: DdlResult
    if (twoPhase) {
      const prepared = await this.gns.prepare(op)
      result = prepared.prepared ? await this.gns.commit(prepared.id) : prepared.result
    } else {
      result = await this.gns.execute(op.kind === 'dropModel' ? { ...op, hasData: withData } : op)
    }
    if (result.changed) for (const model of models) this.store.dropStore(this.storeId(model))
    return result
  }

  async #alterRemove(op: DdlOp & { kind: 'alterModel' }, names: readonly string[]) {
    const before = this.gns.current.model(op.space, op.name)
    const prepared = await this.gns.prepare(op)
    if (!prepared.prepared) return prepared.result
    const result = await this.gns.commit(prepared.id)
    if (before === undefined) return result
    const removed = new Set(
      before.fields.flatMap((field, index) => (names.includes(field.name) ? [index] : [])),
    )
    const storeId = this.storeId(before)
    await this.manager.transaction((txn) => {
      for (const { key, row } of txn.scan(storeId).entries) {
        txn.upsert(storeId, key, row.filter((_, index) => !removed.has(index)))
      }
    })
    return result
  }
}
