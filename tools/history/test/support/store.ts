/**
 * A tiny in-memory multi-version store with selectable (and deliberately broken) isolation, and a
 * seeded workload runner that interleaves transactions from several clients and records them.
 *
 * Isolation modes:
 * - `serializable`: reads from the snapshot taken at begin; commit aborts if any key read or
 *   written changed since the snapshot (optimistic validation). Commit is the serialization
 *   point, inside the transaction's real-time interval, so histories are strictly serializable.
 * - `snapshot`: the same reads; commit checks only written keys (first committer wins), so write
 *   skew (G2) happens and nothing weaker should.
 * - `read-committed`: each read sees the latest committed state; commit checks nothing, so lost
 *   updates and read skew happen.
 * - `dirty`: writes go straight into the shared state, visible before commit; abort takes them
 *   back out, too late for whoever read them.
 * Appends are buffered as deltas and applied to the latest state at commit; a register write
 * installs its value.
 */
import { HistoryRecorder, type Transaction, type TransactionRecorder,
  type Value } from '../../src/index.js'

export type Isolation = 'serializable' | 'snapshot' | 'read-committed' | 'dirty'

type State = readonly Value[] | Value | null

interface Version {
  readonly sequence: number
  readonly state: State
}

/** A seeded PRNG (mulberry32): the same seed gives the same workload. */
export function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class Store {
  sequence = 0
  readonly versions = new Map<string, Version[]>()
  readonly dirty = new Map<string, State>()

  constructor(readonly isolation: Isolation) {}

  latest(key: string): Version | undefined {
    return this.versions.get(key)?.at(-1)
  }

  at(key: string, sequence: number): State {
    const versions = this.versions.get(key) ?? []
    for (let index = versions.length - 1; index >= 0; index -= 1) {
      const version = versions[index]
      if (version !== undefined && version.sequence <= sequence) return version.state
    }
    return null
  }

  install(key: string, state: State): void {
    const versions = this.versions.get(key) ?? []
    versions.push({ sequence: this.sequence, state })
    this.versions.set(key, versions)
  }
}

class StoreTransaction {
  readonly snapshot: number
  readonly appends = new Map<string, Value[]>()
  readonly writes = new Map<string, Value>()
  readonly readKeys = new Set<string>()

  constructor(private readonly store: Store) {
    this.snapshot = store.sequence
  }

  #base(key: string): State {
    const { store } = this
    if (store.isolation === 'dirty') return store.dirty.get(key) ?? null
    if (store.isolation === 'read-committed') return store.latest(key)?.state ?? null
    return store.at(key, this.snapshot)
  }

  readList(key: string): Value[] {
    this.readKeys.add(key)
    const base = (this.#base(key) ?? []) as readonly Value[]
    if (this.store.isolation === 'dirty') return base.slice()
    return [...base, ...this.appends.get(key) ?? []]
  }

  read(key: string): Value | null {
    this.readKeys.add(key)
    const own = this.writes.get(key)
    if (this.store.isolation !== 'dirty' && own !== undefined) return own
    return this.#base(key) as Value | null
  }

  append(key: string, element: Value): void {
    this.appends.set(key, [...this.appends.get(key) ?? [], element])
    if (this.store.isolation !== 'dirty') return
    this.store.dirty.set(key, [...(this.store.dirty.get(key) ?? []) as Value[], element])
  }

  write(key: string, value: Value): void {
    this.writes.set(key, value)
    if (this.store.isolation === 'dirty') this.store.dirty.set(key, value)
  }

  /** Commits, or returns false when validation aborts the transaction. */
  commit(): boolean {
    const { store } = this
    if (store.isolation === 'dirty') return true
    const changed = (key: string): boolean => (store.latest(key)?.sequence ?? 0) > this.snapshot
    const written = [...this.appends.keys(), ...this.writes.keys()]
    if (store.isolation === 'serializable' || store.isolation === 'snapshot') {
      if (written.some(changed)) return false
    }
    if (store.isolation === 'serializable' && [...this.readKeys].some(changed)) return false
    store.sequence += 1
    for (const [key, elements] of this.appends) {
      store.install(key, [...(store.latest(key)?.state ?? []) as Value[], ...elements])
    }
    for (const [key, value] of this.writes) store.install(key, value)
    return true
  }

  /** Aborts; in the dirty store this takes the uncommitted writes back out of the shared state. */
  abort(): void {
    const { dirty } = this.store
    if (this.store.isolation !== 'dirty') return
    for (const [key, elements] of this.appends) {
      const list = (dirty.get(key) ?? []) as Value[]
      dirty.set(key, list.filter((element) => !elements.includes(element)))
    }
    for (const [key, value] of this.writes) if (dirty.get(key) === value) dirty.set(key, null)
  }
}

/** The shape of a generated workload. */
export interface WorkloadOptions {
  readonly seed: number
  readonly transactions: number
  /** Clients running transactions at the same time; 1 makes the execution serial. */
  readonly concurrency: number
  /** Keys per kind: `l0 …` are lists, `r0 …` registers. */
  readonly keys: number
  readonly kinds: 'list' | 'register' | 'mixed'
  /** Operations per transaction: 1 to this many. */
  readonly operationsMax: number
  /** Share of transactions the client aborts instead of committing. */
  readonly abortRate?: number
  /** Share of outcomes recorded as unknown (the store still commits or aborts). */
  readonly unknownRate?: number
}

type Step = readonly ['a' | 'rl' | 'w' | 'r', string]

function plan(next: () => number, options: WorkloadOptions): Step[] {
  const count = 1 + Math.floor(next() * options.operationsMax)
  const steps: Step[] = []
  for (let index = 0; index < count; index += 1) {
    const list = options.kinds === 'list' || (options.kinds === 'mixed' && next() < 0.5)
    const key = `${list ? 'l' : 'r'}${Math.floor(next() * options.keys)}`
    const read = next() < 0.5
    steps.push([list ? (read ? 'rl' : 'a') : (read ? 'r' : 'w'), key])
  }
  return steps
}

interface Client {
  readonly recorder: TransactionRecorder
  readonly transaction: StoreTransaction
  readonly steps: Step[]
}

/** Runs a random workload against a store of the given isolation and returns its history. */
export function runWorkload(isolation: Isolation, options: WorkloadOptions): Transaction[] {
  const next = random(options.seed)
  const store = new Store(isolation)
  const recorder = new HistoryRecorder()
  const clients: (Client | null)[] = Array.from({ length: options.concurrency }, () => null)
  let begun = 0
  let value = 0
  let active = 0
  while (begun < options.transactions || active > 0) {
    const slot = Math.floor(next() * clients.length)
    const client = clients[slot]
    if (client === null || client === undefined) {
      if (begun === options.transactions) continue
      const steps = plan(next, options)
      clients[slot] = { recorder: recorder.begin(slot), transaction: new StoreTransaction(store),
        steps }
      begun += 1
      active += 1
      continue
    }
    const step = client.steps.shift()
    if (step !== undefined) {
      value += 1
      perform(client, step, value)
      continue
    }
    finish(client, next, options)
    clients[slot] = null
    active -= 1
  }
  return recorder.history()
}

function perform(client: Client, step: Step, value: number): void {
  const [kind, key] = step
  const { recorder, transaction } = client
  if (kind === 'a') {
    transaction.append(key, value)
    recorder.append(key, value)
  } else if (kind === 'rl') {
    recorder.readList(key, transaction.readList(key))
  } else if (kind === 'w') {
    transaction.write(key, value)
    recorder.write(key, value)
  } else {
    recorder.read(key, transaction.read(key))
  }
}

function finish(client: Client, next: () => number, options: WorkloadOptions): void {
  const { recorder, transaction } = client
  const unknown = next() < (options.unknownRate ?? 0)
  if (next() < (options.abortRate ?? 0)) {
    transaction.abort()
    if (unknown) recorder.unknown()
    else recorder.abort()
    return
  }
  const committed = transaction.commit()
  if (!committed) transaction.abort()
  if (unknown) recorder.unknown()
  else if (committed) recorder.commit()
  else recorder.abort()
}
