/**
 * Journal append throughput and latency on the real disk, 100-byte records.
 *
 * One iteration = `concurrency` appends in flight together (the batch group commit sees). `sync` and
 * `none` run in the same process, interleaved per concurrency, plus a raw write + fdatasync loop
 * through NodeFileSystem as the physical limit. The summary prints the ratios the issue sets as goals:
 *   sync/none throughput at c=4096 (goal >= 0.8)
 *   sync c=1 median latency / raw write+fdatasync median latency (goal <= 1.3)
 *   sync c=256 appends/s / sync c=1 appends/s (goal >= 50)
 * Run: pnpm --filter @sky/journal bench   (BENCH_TIME_MS to change the time per task, default 2000)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type FileHandle, NodeFileSystem } from '@sky/vfs'
import { Bench } from 'tinybench'
import { type Durability, type Journal, openJournal } from '../src/index.js'

const fs = new NodeFileSystem()
const root = mkdtempSync(path.join(tmpdir(), 'sky-journal-bench-'))
let dirs = 0
const freshDir = (): string => path.join(root, `d${dirs++}`)
const payload = new Uint8Array(100).fill(0x5a)
const time = Number(process.env.BENCH_TIME_MS ?? 2_000)
const concurrencies = [1, 16, 256, 4096] as const
const modes: Durability[] = ['sync', 'none']

const bench = new Bench({ name: 'journal append, 100 B', time, warmupTime: 200 })

let raw: FileHandle | undefined
let rawOffset = 0
bench.add(
  'raw write+fdatasync',
  async () => {
    await raw!.write(rawOffset, payload)
    rawOffset += payload.length
    await raw!.sync()
  },
  {
    beforeAll: async () => {
      await fs.mkdir(root)
      raw = await fs.open(path.join(root, 'raw'), { create: true })
    },
    afterAll: async () => raw!.close(),
  },
)

for (const concurrency of concurrencies) {
  for (const durability of modes) {
    let journal: Journal | undefined
    bench.add(
      `${durability} c=${concurrency}`,
      async () => {
        const appends = new Array<Promise<bigint>>(concurrency)
        for (let at = 0; at < concurrency; at++) appends[at] = journal!.append(payload)
        await Promise.all(appends)
      },
      {
        beforeAll: async () => {
          journal = await openJournal({ fs, dir: freshDir(), durability })
        },
        afterAll: async () => journal!.close(),
      },
    )
  }
}

await bench.run()

interface Row {
  task: string
  'appends/s': number
  'iteration p50 ms': number
  'iteration mean ms': number
  samples: number
}
const rows: Row[] = []
const stats = new Map<string, { perSecond: number; p50: number }>()
for (const task of bench.tasks) {
  const result = task.result
  if (!('latency' in result)) throw new Error(`${task.name}: ${result.state}`)
  const concurrency = Number(/c=(\d+)/.exec(task.name)?.[1] ?? 1)
  const perSecond = (concurrency * 1000) / result.latency.mean
  stats.set(task.name, { perSecond, p50: result.latency.p50 })
  rows.push({
    task: task.name,
    'appends/s': Math.round(perSecond),
    'iteration p50 ms': Number(result.latency.p50.toFixed(3)),
    'iteration mean ms': Number(result.latency.mean.toFixed(3)),
    samples: result.latency.samplesCount,
  })
}
console.table(rows)
const get = (name: string) => stats.get(name)!
const ratios = {
  'sync/none throughput, c=4096 (goal >= 0.8)': get('sync c=4096').perSecond / get('none c=4096').perSecond,
  'sync c=1 p50 latency / raw fdatasync p50 (goal <= 1.3)': get('sync c=1').p50 / get('raw write+fdatasync').p50,
  'sync c=256 / sync c=1 appends/s (goal >= 50)': get('sync c=256').perSecond / get('sync c=1').perSecond,
}
for (const concurrency of concurrencies) {
  const name = `sync/none throughput, c=${concurrency}`
  Object.assign(ratios, { [name]: get(`sync c=${concurrency}`).perSecond / get(`none c=${concurrency}`).perSecond })
}
console.table(Object.entries(ratios).map(([ratio, value]) => ({ ratio, value: Number(value.toFixed(3)) })))
rmSync(root, { recursive: true, force: true })
