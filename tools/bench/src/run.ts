/**
 * Durable single-key transactions/s: skydb's TxnManager against better-sqlite3 and lmdb-js at the
 * same concurrencies, in one run, plus in-process snapshot point reads. Prints a table and ratios.
 *
 * Run: npx -y pnpm@10.34.8 --filter @sky/bench bench   (BENCH_TIME_MS per target, default 3000)
 */
import os from 'node:os'
import { type LoadResult, runLoad } from './harness.js'
import { lmdbTarget, sqliteTarget } from './peers.js'
import { pointReadsPerSecond, skydbTarget } from './skydb.js'

const durationMs = Number(process.env.BENCH_TIME_MS ?? 3_000)
const concurrencies = (process.env.BENCH_CONCURRENCY ?? '1,16,256,4096').split(',').map(Number)
const results: LoadResult[] = []
for (const concurrency of concurrencies) {
  for (const target of [skydbTarget('sync'), lmdbTarget(), sqliteTarget()]) {
    const result = await runLoad(target, { concurrency, durationMs })
    results.push(result)
    console.log(`${result.name} c=${concurrency}: ${Math.round(result.perSecond)}/s p50 ${result.p50Ms.toFixed(2)} ms p99 ${result.p99Ms.toFixed(2)} ms`)
  }
}
console.table(
  results.map((result) => ({
    target: result.name,
    concurrency: result.concurrency,
    'txn/s': Math.round(result.perSecond),
    'p50 ms': Number(result.p50Ms.toFixed(3)),
    'p99 ms': Number(result.p99Ms.toFixed(3)),
  })),
)
const rate = (prefix: string, concurrency: number): number =>
  results.find((result) => result.name.startsWith(prefix) && result.concurrency === concurrency)?.perSecond ?? Number.NaN
console.table(
  concurrencies.map((concurrency) => ({
    concurrency,
    'skydb / lmdb': Number((rate('skydb', concurrency) / rate('lmdb', concurrency)).toFixed(2)),
    'skydb / better-sqlite3': Number((rate('skydb', concurrency) / rate('better-sqlite3', concurrency)).toFixed(1)),
  })),
)
const reads = await pointReadsPerSecond(100_000, durationMs)
console.log(`snapshot point reads, 100,000 rows, in-process: ${Math.round(reads).toLocaleString('en')}/s`)
console.log(`machine: ${os.cpus().length} cpu (${os.cpus()[0]?.model}), node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`)
