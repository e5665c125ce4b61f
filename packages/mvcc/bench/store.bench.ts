/**
 * Benchmarks of MvccStore: snapshot point reads, scans, range validation and installs over a
 * million keys, and the heap the index costs per key beyond the keys and rows themselves.
 *
 * Run: `pnpm bench` (tsx --expose-gc: memory figures need `gc()`). One task iteration runs a
 * batch of operations; the table reports operations per second = batch × 1000 / mean latency.
 */
import { Bench } from 'tinybench'
import type { Key, KindOfKey } from '../src/index.js'
import { MvccStore } from '../src/index.js'

type Row = readonly unknown[]

const keyCount = 1_000_000
const commitWrites = 1_000
const batch = 1_000

/** A deterministic pseudo-random generator (xorshift32), so runs compare. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
}

function shuffle<T>(values: T[], next: () => number): T[] {
  for (let index = values.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1))
    const value = values[index] as T
    values[index] = values[other] as T
    values[other] = value
  }
  return values
}

/** Installs `keys` (in the given order) at one commit per `commitWrites`; returns the last ts. */
function fill<K extends Key>(store: MvccStore<K, Row>, keys: K[], rows: Row[], ts: number) {
  for (let start = 0; start < keys.length; start += commitWrites) {
    const writes = []
    for (let index = start; index < Math.min(start + commitWrites, keys.length); index++) {
      writes.push({ key: keys[index] as K, row: rows[index] as Row })
    }
    store.install(++ts, writes)
  }
  return ts
}

/** Copies of the strings in flat (not concatenated) form, as a protocol decoder produces them. */
function flat(strings: string[]): string[] {
  return JSON.parse(JSON.stringify(strings)) as string[]
}

/** A string key as an application might name users: a shared stem and a base-36 number. */
function userName(index: number): string {
  return `user-${index.toString(36).padStart(8, '0')}`
}

function heapUsed(): number {
  const collect = (globalThis as { gc?: () => void }).gc
  if (collect === undefined) throw new Error('run with --expose-gc')
  collect()
  collect()
  return process.memoryUsage().heapUsed
}

interface MemoryFigures {
  readonly scenario: string
  readonly bytesPerKey: number
  readonly bytesPerOlderVersion: number
  readonly bytesPerKeyAfterGc: number
}

/**
 * Heap bytes the store adds per key, per older version and after collecting those versions.
 * Keys and rows are allocated and kept alive before each "before" reading, so only the store's
 * own structures (tree nodes, version objects, GC queue entries) are measured.
 */
function measureMemory<K extends Key>(
  kind: KindOfKey<K>,
  keys: K[],
  scenario: string,
): MemoryFigures {
  const rows: Row[] = keys.map((_, index) => [index])
  const newer: Row[] = keys.map((_, index) => [index + 1])
  const before = heapUsed()
  const store = new MvccStore<K, Row>({ keyKind: kind })
  let ts = fill(store, keys, rows, 0)
  const filled = heapUsed()
  ts = fill(store, keys, newer, ts)
  const updated = heapUsed()
  while (!store.gc(ts, { entriesMax: keyCount }).done);
  const collected = heapUsed()
  const figures = {
    scenario,
    bytesPerKey: Math.round((filled - before) / keys.length),
    bytesPerOlderVersion: Math.round((updated - filled) / keys.length),
    bytesPerKeyAfterGc: Math.round((collected - before) / keys.length),
  }
  // Keep everything reachable until after the last reading.
  if (store.stats().keyCount !== keys.length || rows.length + newer.length === 0) throw new Error()
  return figures
}

function memoryTable(): MemoryFigures[] {
  const next = random(7)
  const ascending = Array.from({ length: keyCount }, (_, index) => BigInt(index))
  const shuffled = shuffle([...ascending], next)
  const names = Array.from({ length: keyCount }, (_, index) => userName(index))
  const strings = flat(shuffle(names, next))
  return [
    measureMemory('int', ascending, '1M int keys, ascending inserts'),
    measureMemory('int', shuffled, '1M int keys, random inserts'),
    measureMemory('string', strings, '1M string keys (13 chars), random inserts'),
  ]
}

async function speedTable(): Promise<Array<Record<string, string>>> {
  const next = random(42)
  const keys = shuffle(Array.from({ length: keyCount }, (_, index) => BigInt(index)), next)
  const rows: Row[] = keys.map((key) => [key, 'payload'])
  const store = new MvccStore<bigint, Row>({ keyKind: 'int' })
  const started = performance.now()
  let ts = fill(store, keys, rows, 0)
  const fillMs = performance.now() - started
  const snapshot = ts

  // 100,000 keys with four versions each, read at the oldest snapshot: a walk of three versions.
  const chained = new MvccStore<bigint, Row>({ keyKind: 'int' })
  const chainKeys = keys.slice(0, 100_000)
  let chainTs = 0
  for (let round = 0; round < 4; round++) chainTs = fill(chained, chainKeys, rows, chainTs)
  const oldest = chainKeys.length / commitWrites

  const strings = new MvccStore<string, Row>({ keyKind: 'string' })
  const stringKeys = flat(keys.map((key) => userName(Number(key))))
  const stringTs = fill(strings, stringKeys, rows, 0)

  // Probe keys are fresh objects, as a query's parsed key is, not the objects the store holds.
  const randomIndex = () => Math.floor(next() * keyCount)
  const probes = Array.from({ length: 1 << 16 }, () => BigInt(randomIndex()))
  const hotProbes = (count: number) => {
    const hot = Array.from({ length: count }, () => BigInt(randomIndex()))
    return Array.from({ length: 1 << 16 }, (_, index) => hot[index % count] as bigint)
  }
  const stringProbes = flat(probes.map((key) => userName(Number(key))))
  const mask = probes.length - 1
  let cursor = 0
  const probe = (): bigint => probes[cursor++ & mask] as bigint

  const bench = new Bench({ name: 'MvccStore over 1M keys', time: 1_500, warmupTime: 200 })
  const tasks: Array<[name: string, operations: number]> = []
  const add = (name: string, operations: number, run: () => void) => {
    tasks.push([name, operations])
    bench.add(name, run)
  }
  add(`get, int keys, uniform over 1M (${batch} reads)`, batch, () => {
    for (let index = 0; index < batch; index++) store.get(probe(), snapshot)
  })
  for (const count of [1_000, 10_000]) {
    const hot = hotProbes(count)
    const name = `get, int keys, ${count.toLocaleString('en')} hot keys among 1M (${batch} reads)`
    add(name, batch, () => {
      for (let index = 0; index < batch; index++) {
        store.get(hot[cursor++ & mask] as bigint, snapshot)
      }
    })
  }
  add(`get, string keys "user-…", uniform over 1M (${batch} reads)`, batch, () => {
    for (let index = 0; index < batch; index++) {
      strings.get(stringProbes[cursor++ & mask] as string, stringTs)
    }
  })
  add(`get, 100k int keys, oldest of 4 versions (${batch} reads)`, batch, () => {
    for (let index = 0; index < batch; index++) {
      chained.get(chainKeys[cursor++ % chainKeys.length] as bigint, oldest)
    }
  })
  add('scan 100 rows from a random key', 100, () => {
    store.scan({ from: probe(), snapshotTs: snapshot, limit: 100 })
  })
  add('scan 10,000 rows from a random key', 10_000, () => {
    store.scan({ from: probe(), snapshotTs: snapshot, limit: 10_000 })
  })
  add(`lastCommitTsInRange, ~1,000-key ranges (${batch} calls)`, batch, () => {
    for (let index = 0; index < batch; index++) {
      const from = probe()
      store.lastCommitTsInRange({ from, to: from + 1_000n })
    }
  })
  add(`lastCommitTs, int keys (${batch} calls)`, batch, () => {
    for (let index = 0; index < batch; index++) store.lastCommitTs(probe())
  })
  add(`install, 1 update per commit (${batch} commits)`, batch, () => {
    for (let index = 0; index < batch; index++) {
      store.install(++ts, [{ key: probe(), row: rows[0] as Row }])
    }
  })
  add('install, 1,000 updates in one commit', 1_000, () => {
    const writes = []
    for (let index = 0; index < 1_000; index++) writes.push({ key: probe(), row: rows[1] as Row })
    store.install(++ts, writes)
  })
  await bench.run()

  const gcStarted = performance.now()
  const versions = store.stats().versionCount
  while (!store.gc(ts, { entriesMax: 100_000 }).done);
  const gcMs = performance.now() - gcStarted
  const dropped = versions - store.stats().versionCount

  const table = tasks.map(([name, operations], index) => {
    const result = bench.tasks[index]?.result
    const mean = result !== undefined && 'latency' in result ? result.latency.mean : Number.NaN
    const rate = Math.round((operations * 1_000) / mean)
    return { task: name, 'operations/s': rate.toLocaleString('en') }
  })
  table.unshift({
    task: `fill 1M random int keys, ${commitWrites} writes per commit`,
    'operations/s': Math.round((keyCount * 1_000) / fillMs).toLocaleString('en'),
  })
  table.push({
    task: `gc after the install tasks (${dropped.toLocaleString('en')} versions dropped)`,
    'operations/s': Math.round((dropped * 1_000) / gcMs).toLocaleString('en'),
  })
  return table
}

console.log(`node ${process.version}, ${process.arch}`)
console.table(await speedTable())
console.log('heap bytes per key beyond key and row payload (process.memoryUsage().heapUsed):')
console.table(memoryTable())
