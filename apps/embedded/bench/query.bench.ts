/**
 * Embedded `query()` throughput on the real disk, durable (`sync`: every acknowledged statement is
 * fdatasync'd; concurrent commits share one fdatasync): insert, point select and update, with 1
 * and 256 queries in flight. One iteration = `concurrency` queries started together and awaited.
 * queries/s = concurrency × 1000 / mean latency (ms). Run: `pnpm --filter @sky/embedded bench`.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Bench } from 'tinybench'
import { open, uint } from '../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'sky-embedded-bench-'))
const db = await open(dir, { durability: 'sync', checkpoint: { intervalMs: 0 } })
await db.query('create space bench')
await db.query('create model bench.kv(k: uint64, v: string, n: uint64)')

const preloaded = 10_000
for (let start = 0; start < preloaded; start += 500) {
  await Promise.all(Array.from({ length: 500 }, (_, index) =>
    db.query('insert into bench.kv(?, ?, ?)', uint(start + index), 'value', uint(0))))
}

let nextKey = preloaded
const randomKey = () => uint(Math.floor(Math.random() * preloaded))
const workloads = {
  insert: () => db.query('insert into bench.kv(?, ?, ?)', uint(nextKey++), 'value', uint(0)),
  'point select': () => db.query('select v, n from bench.kv where k = ?', randomKey()),
  update: () => db.query('update bench.kv set n += ? where k = ?', uint(1), randomKey()),
}

const bench = new Bench({ name: 'embedded query(), durable, real disk', time: 2_000 })
for (const concurrency of [1, 256]) {
  for (const [name, run] of Object.entries(workloads)) {
    bench.add(`${name} c=${concurrency}`, async () => {
      await Promise.all(Array.from({ length: concurrency }, run))
    })
  }
}
await bench.run()
console.table(bench.table())
for (const task of bench.tasks) {
  const concurrency = Number(task.name.split('c=')[1])
  const mean = (task.result as { latency?: { mean: number } } | undefined)?.latency?.mean
  if (mean !== undefined) {
    console.log(`${task.name.padEnd(22)} ${Math.round((concurrency * 1000) / mean)} queries/s`)
  }
}
await db.close()
rmSync(dir, { recursive: true, force: true })
