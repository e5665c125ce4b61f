/**
 * How long checkHistory takes on recorded workloads of the size the isolation tests use, by
 * store isolation and workload kind. Run: pnpm bench (tsx --conditions @sky/source).
 */
import { Bench } from 'tinybench'
import { checkHistory } from '../src/index.js'
import { runWorkload, type Isolation } from '../test/support/store.js'

const name = 'checkHistory, 10,000 transactions of 1-4 operations'
const bench = new Bench({ name, time: 2_000 })
for (const isolation of ['serializable', 'snapshot'] as Isolation[]) {
  for (const kinds of ['list', 'register', 'mixed'] as const) {
    for (const keys of [10, 100]) {
      const history = runWorkload(isolation, { seed: 1, transactions: 10_000, concurrency: 8, keys,
        kinds, operationsMax: 4, abortRate: 0.05 })
      bench.add(`${isolation} ${kinds} keys=${keys} realtime`, () => {
        checkHistory(history, { realtime: true })
      })
    }
  }
}
await bench.run()
console.table(bench.table())
