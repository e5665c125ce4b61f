// Model-based property test of MvccStore.
//
// Goal: every read the store answers matches a naive model that keeps a flat list of all
// versions ever installed, for random installs, GC calls (full and incremental) and checks at
// random snapshots at or above the horizon, for each key kind.
// Method: fast-check generates a program of operations; after each one the store's invariants
// are checked, and each `check` compares get, paged scans, lastCommitTs and lastCommitTsInRange.
// Collected versions all lie at or below the horizon, so timestamps are compared exactly when the
// model's answer is above the horizon and as "at or below the horizon" otherwise; after a GC call
// that reports `done`, version and key counts must equal the model's own collection exactly.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Key, KeyRange, KindOfKey } from '../src/index.js'
import { MvccStore, keyComparator } from '../src/index.js'

type Row = readonly [number]

interface ModelVersion<K> {
  readonly key: K
  readonly ts: number
  readonly row: Row | undefined
}

type Op<K> =
  | { type: 'install'; gap: number; writes: Array<{ key: K; remove: boolean; value: number }> }
  | { type: 'gc'; back: number; entriesMax: number }
  | {
      type: 'check'
      ahead: number
      from: K | null
      to: K | null
      fromExclusive: boolean
      toExclusive: boolean
      limit: number
    }

function operations<K>(key: fc.Arbitrary<K>, writesMax: number): fc.Arbitrary<Op<K>> {
  const remove = fc.nat(9).map((roll) => roll < 3)
  const write = fc.record({ key, remove, value: fc.nat(999) })
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        type: fc.constant('install' as const),
        gap: fc.integer({ min: 1, max: 3 }),
        writes: fc.array(write, { maxLength: writesMax, size: 'max' }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        type: fc.constant('gc' as const),
        back: fc.nat(8),
        entriesMax: fc.constantFrom(0, 1, 3, 100_000),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant('check' as const),
        ahead: fc.nat(40),
        from: fc.option(key),
        to: fc.option(key),
        fromExclusive: fc.boolean(),
        toExclusive: fc.boolean(),
        limit: fc.integer({ min: 1, max: 9 }),
      }),
    },
  )
}

/** A canonical string per key, for the model's map. */
function keyId(key: Key): string {
  if (typeof key === 'bigint') return `i${key}`
  if (typeof key === 'string') return `s${key}`
  return `b${Array.from(key).join(',')}`
}

class Model<K extends Key> {
  /** Every version ever installed, per key, oldest first. */
  readonly chains = new Map<string, Array<ModelVersion<K>>>()
  horizon = 0
  constructor(readonly compare: (a: K, b: K) => number) {}

  install(ts: number, key: K, row: Row | undefined): void {
    const id = keyId(key)
    let chain = this.chains.get(id)
    if (chain === undefined) this.chains.set(id, (chain = []))
    // Within one commit the later write of a key wins.
    if (chain[chain.length - 1]?.ts === ts) chain.pop()
    chain.push({ key, ts, row })
  }

  inRange(key: K, range: KeyRange<K>): boolean {
    if (range.from !== undefined) {
      const order = this.compare(key, range.from)
      if (order < 0 || (order === 0 && range.fromExclusive === true)) return false
    }
    if (range.to !== undefined) {
      const order = this.compare(key, range.to)
      if (order > 0 || (order === 0 && range.toExclusive === true)) return false
    }
    return true
  }

  /** Distinct keys ever written, sorted. */
  keys(): K[] {
    const chains = [...this.chains.values()]
    return chains.map((chain) => (chain[0] as ModelVersion<K>).key).sort(this.compare)
  }

  get(key: K, snapshot: number): Row | undefined {
    const chain = this.chains.get(keyId(key)) ?? []
    let row: Row | undefined
    for (const version of chain) if (version.ts <= snapshot) row = version.row
    return row
  }

  lastInRange(range: KeyRange<K>): number {
    let max = 0
    for (const chain of this.chains.values()) {
      const newest = chain[chain.length - 1] as ModelVersion<K>
      if (newest.ts > max && this.inRange(newest.key, range)) max = newest.ts
    }
    return max
  }

  /** Versions the store must still hold once GC at the horizon completed. */
  retainedCounts(): { versions: number; keys: number } {
    let versions = 0
    let keys = 0
    for (const chain of this.chains.values()) {
      const above = chain.filter((version) => version.ts > this.horizon).length
      const below = chain.filter((version) => version.ts <= this.horizon)
      const newestBelow = below[below.length - 1]
      const kept = above + (newestBelow !== undefined && newestBelow.row !== undefined ? 1 : 0)
      versions += kept
      if (kept > 0) keys++
    }
    return { versions, keys }
  }
}

/** The store's timestamp answer agrees with the model's for every snapshot >= horizon. */
function expectTsAgrees(actual: number, expected: number, horizon: number): void {
  if (expected > horizon) expect(actual).toBe(expected)
  else expect(actual).toBeLessThanOrEqual(horizon)
}

function check<K extends Key>(
  store: MvccStore<K, Row>,
  model: Model<K>,
  op: Extract<Op<K>, { type: 'check' }>,
  lastTs: number,
): void {
  const snapshot = model.horizon + (op.ahead % (lastTs - model.horizon + 3))
  const range: KeyRange<K> = {
    ...(op.from === null ? {} : { from: op.from }),
    ...(op.to === null ? {} : { to: op.to }),
    fromExclusive: op.fromExclusive,
    toExclusive: op.toExclusive,
  }
  // Every key of a small store; an evenly spread sample of at most 256 from a large one.
  const keys = model.keys()
  const step = Math.ceil(keys.length / 256)
  const probes = keys.filter((_, index) => index % step === 0)
  if (op.from !== null) probes.push(op.from)
  for (const key of probes) {
    expect(store.get(key, snapshot)).toEqual(model.get(key, snapshot))
    const last = model.lastInRange({ from: key, to: key })
    expectTsAgrees(store.lastCommitTs(key), last, model.horizon)
  }
  expectTsAgrees(store.lastCommitTsInRange(range), model.lastInRange(range), model.horizon)
  const expected = keys
    .filter((key) => model.inRange(key, range) && model.get(key, snapshot) !== undefined)
    .map((key) => ({ key, row: model.get(key, snapshot) }))
  const seen: unknown[] = []
  let page = store.scan({ ...range, snapshotTs: snapshot, limit: op.limit })
  expect(page.entries.length).toBe(Math.min(op.limit, expected.length))
  for (;;) {
    seen.push(...page.entries)
    if (page.resume === undefined) break
    expect(page.covered.to).toBe(page.resume)
    const next = { ...range, from: page.resume, fromExclusive: true }
    page = store.scan({ ...next, snapshotTs: snapshot, limit: op.limit })
  }
  expect(seen).toEqual(expected)
}

interface RunOptions {
  readonly numRuns: number
  /** Most writes per install and operations per program. */
  readonly writesMax: number
  readonly opsMax: number
}

function run<K extends Key>(kind: KindOfKey<K>, key: fc.Arbitrary<K>, options: RunOptions): void {
  const { numRuns, writesMax, opsMax } = options
  const stats = { height: 0, keys: 0 }
  const compare = keyComparator(kind) as unknown as (a: K, b: K) => number
  fc.assert(
    fc.property(fc.array(operations(key, writesMax), { maxLength: opsMax, size: 'max' }), (ops) => {
      const store = new MvccStore<K, Row>({ keyKind: kind })
      const model = new Model<K>(compare)
      let lastTs = 0
      for (const op of ops) {
        if (op.type === 'install') {
          lastTs += op.gap
          const writes = op.writes.map((write) => ({
            key: write.key,
            row: write.remove ? undefined : ([write.value] as const),
          }))
          store.install(lastTs, writes)
          for (const write of writes) model.install(lastTs, write.key, write.row)
        } else if (op.type === 'gc') {
          const horizon = Math.max(model.horizon, lastTs - op.back)
          const result = store.gc(horizon, { entriesMax: op.entriesMax })
          model.horizon = horizon
          if (result.done) {
            const retained = model.retainedCounts()
            expect(store.stats().versionCount).toBe(retained.versions)
            expect(store.stats().keyCount).toBe(retained.keys)
          }
        } else {
          check(store, model, op, lastTs)
        }
        store.assertInvariants()
      }
      stats.height = Math.max(stats.height, store.stats().treeHeight)
      stats.keys = Math.max(stats.keys, store.stats().keyCount)
    }),
    { numRuns },
  )
  const covered = `tallest tree ${stats.height}, most keys ${stats.keys}`
  console.log(`${kind} keys: checked ${numRuns} programs, ${covered}`)
}

describe('MvccStore against a naive model', () => {
  it('agrees with int keys (small domain: long chains, many tombstones)', () => {
    const key = fc.bigInt({ min: -5n, max: 25n })
    run<bigint>('int', key, { numRuns: 300, writesMax: 6, opsMax: 60 })
  })

  it('agrees with int keys (wide domain: splits, merges, several tree levels)', () => {
    const key = fc.bigInt({ min: 0n, max: 20_000n })
    run<bigint>('int', key, { numRuns: 30, writesMax: 500, opsMax: 40 })
  })

  it('agrees with string keys, surrogate pairs and U+E000..U+FFFF included', () => {
    const unit = fc.constantFrom('a', 'b', 'z', '\ue000', '\uffff', '😀', '𝄞')
    const key = fc.array(unit, { maxLength: 4 }).map((units) => units.join(''))
    run<string>('string', key, { numRuns: 100, writesMax: 30, opsMax: 40 })
  })

  it('agrees with string keys sharing long stems (node offsets, several tree levels)', () => {
    const stem = fc.constantFrom('', 'user-', 'user-000', 'user-0001', 'us', '😀😀')
    const tail = fc.nat(4_000).map((value) => value.toString(5))
    const key = fc.tuple(stem, tail).map(([head, rest]) => head + rest)
    run<string>('string', key, { numRuns: 20, writesMax: 500, opsMax: 40 })
  })

  it('agrees with binary keys', () => {
    const bytes = fc.uint8Array({ maxLength: 4 }).map((array) => array.map((byte) => byte % 4))
    run<Uint8Array>('binary', bytes, { numRuns: 100, writesMax: 30, opsMax: 40 })
  })
})
