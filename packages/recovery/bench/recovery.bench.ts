/**
 * Recovery on the real disk: replay rate, open time of a 1,000,000-row database from its checkpoint
 * plus journal, and the throughput dip while a checkpoint is written.
 *
 * Tasks (tinybench, BENCH_ITERATIONS opens each, default 3):
 *   open: replay 200k frames      no checkpoint; 200,000 single-row transactions to replay
 *   open: 1M rows, checkpoint     a checkpoint of 1,000,000 rows, nothing after it
 *   open: 1M rows + 100k frames   the same checkpoint plus 100,000 single-row updates after it
 * Then, with the 1M-row database open (durability sync), 64 writers update random rows: commits/s
 * over a window before a checkpoint, and while it is written, in the same run (goal: during /
 * before >= 0.8), three times.
 * The databases are built with durability 'none' (setup only).
 * Run: pnpm --filter @sky/recovery bench
 * (BENCH_ROWS to change the row count).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { NodeFileSystem } from '@sky/vfs'
import { Bench } from 'tinybench'
import { type Engine, type EngineOptions, openEngine, storeIdOf } from '../src/index.js'

const fs = new NodeFileSystem()
const root = mkdtempSync(path.join(tmpdir(), 'sky-recovery-bench-'))
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000)
const replayFrames = Math.round(rows / 5)
const journalFrames = Math.round(rows / 10)
const iterations = Number(process.env.BENCH_ITERATIONS ?? 3)
const quiet: Partial<EngineOptions> = {
  idleTimeoutMs: 0,
  checkpoint: { intervalMs: 0, onClose: false, journalBytes: 2 ** 40 },
}
const value = (key: number): string => `row ${key} ${'v'.repeat(24)}`

async function create(dir: string): Promise<{ engine: Engine; id: string }> {
  const engine = await openEngine({ fs, dir, durability: 'none', ...quiet })
  await engine.ddl({ kind: 'createSpace', name: 'bench' })
  const { version } = await engine.ddl({
    kind: 'createModel',
    space: 'bench',
    name: 'rows',
    fields: [
      { name: 'id', type: { name: 'uint64' } },
      { name: 'v', type: { name: 'string' } },
    ],
  })
  return { engine, id: storeIdOf(version.model('bench', 'rows')!) }
}

async function singleRowCommits(
  engine: Engine,
  id: string,
  count: number,
  keys: (at: number) => number,
): Promise<void> {
  for (let at = 0; at < count; at += 1000) {
    await Promise.all(
      Array.from({ length: Math.min(1000, count - at) }, (_, offset) => {
        const key = keys(at + offset)
        return engine.manager.autocommit((txn) =>
          txn.upsert(id, BigInt(key), [BigInt(key), value(key) + at]),
        )
      }),
    )
  }
}

async function buildReplay(dir: string): Promise<void> {
  const { engine, id } = await create(dir)
  await singleRowCommits(engine, id, replayFrames, (at) => at)
  await engine.close()
}

/** 1M rows in 1,000-row transactions, a checkpoint, then `after` single-row updates. */
async function buildLarge(dir: string, after: number): Promise<void> {
  const { engine, id } = await create(dir)
  for (let start = 0; start < rows; start += 1000) {
    await engine.manager.transaction((txn) => {
      for (let key = start; key < Math.min(rows, start + 1000); key++)
        txn.insert(id, BigInt(key), [BigInt(key), value(key)])
    })
  }
  await engine.checkpoint()
  await singleRowCommits(engine, id, after, (at) => (at * 7919) % rows)
  await engine.close()
}

const dirs = {
  replay: path.join(root, 'replay'),
  checkpoint: path.join(root, 'checkpoint'),
  mixed: path.join(root, 'mixed'),
}
console.log(
  `building: ${replayFrames} frames; ${rows} rows; ${rows} rows + ${journalFrames} frames ` +
    `(in ${root})`,
)
await buildReplay(dirs.replay)
await buildLarge(dirs.checkpoint, 0)
await buildLarge(dirs.mixed, journalFrames)

const reports = new Map<string, { frames: number; rows: number; bytes: number }>()
const bench = new Bench({
  name: 'recovery open',
  iterations,
  time: 0,
  warmupIterations: 0,
  warmupTime: 0,
})
for (const [name, dir] of [
  [`open: replay ${replayFrames} frames`, dirs.replay],
  [`open: ${rows} rows, checkpoint`, dirs.checkpoint],
  [`open: ${rows} rows + ${journalFrames} frames`, dirs.mixed],
] as const) {
  bench.add(name, async () => {
    const engine = await openEngine({ fs, dir, ...quiet })
    reports.set(name, {
      frames: engine.report.replay.frames,
      rows: engine.report.checkpoint?.rows ?? 0,
      bytes: engine.report.checkpoint?.bytes ?? 0,
    })
    await engine.close()
  })
}
await bench.run()
console.table(
  bench.tasks.map((task) => {
    const report = reports.get(task.name)!
    const result = task.result
    if (!('latency' in result)) throw new Error(`${task.name}: ${result.state}`)
    const meanMs = result.latency.mean
    return {
      task: task.name,
      'open ms (mean)': Math.round(meanMs),
      'open ms (min)': Math.round(result.latency.min),
      'checkpoint MB': +(report.bytes / 1e6).toFixed(1),
      'frames replayed': report.frames,
      'frames/s': report.frames === 0 ? '-' : Math.round(report.frames / (meanMs / 1000)),
    }
  }),
)

// Throughput dip while a checkpoint is written, same run.
const engine = await openEngine({ fs, dir: dirs.checkpoint, ...quiet })
const id = storeIdOf(engine.gns.current.model('bench', 'rows')!)
let commits = 0
let running = true
let seed = 12345
const writer = async (): Promise<void> => {
  while (running) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    const key = seed % rows
    await engine.manager.autocommit((txn) => txn.upsert(id, BigInt(key), [BigInt(key), value(key)]))
    commits++
  }
}
const writers = Array.from({ length: 64 }, writer)
const windowMs = 3000
const results = []
for (let round = 0; round < 3; round++) {
  await new Promise((resolve) => setTimeout(resolve, 500))
  const beforeStart = performance.now()
  const beforeCommits = commits
  await new Promise((resolve) => setTimeout(resolve, windowMs))
  const before = ((commits - beforeCommits) * 1000) / (performance.now() - beforeStart)
  const duringStart = performance.now()
  const duringCommits = commits
  const info = await engine.checkpoint()
  const duringMs = performance.now() - duringStart
  const during = ((commits - duringCommits) * 1000) / duringMs
  results.push({
    round,
    'checkpoint rows': info?.rows ?? 0,
    'checkpoint ms': Math.round(duringMs),
    'commits/s before': Math.round(before),
    'commits/s during': Math.round(during),
    'during / before': +(during / before).toFixed(2),
  })
}
running = false
await Promise.all(writers)
await engine.close()
console.table(results)
rmSync(root, { recursive: true, force: true })
