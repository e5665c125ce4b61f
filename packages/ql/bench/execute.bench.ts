/**
 * Per-statement cost of the executor in memory (the engine double: catalog and transactions over
 * a simulated disk), with and without the prepared-statement cache: what parsing costs against
 * what running costs. Point selects never touch the disk; inserts commit through the journal on
 * the simulated disk (no fdatasync latency). Run: `pnpm bench` (after parse.bench.ts).
 */
import { Bench } from 'tinybench'
import { Executor, StatementCache } from '../src/index.js'
import type { Parameter } from '../src/index.js'
import { EngineDouble } from '../test/engine-double.js'

const uint = (value: number): Parameter => ({ type: 'uint', value: BigInt(value) })
const text = (value: string): Parameter => ({ type: 'string', value })

const engine = await EngineDouble.open()
const setup = new Executor(engine).session()
await setup.query('create space s')
await setup.query('create model s.users(id: uint64, name: string, null email: string, age: uint8)')
for (let id = 0; id < 10_000; id++) {
  await setup.query('insert into s.users(?, ?, null, ?)', [uint(id), text(`user${id}`), uint(30)])
}

const sessions = {
  'with cache': new Executor(engine, { cache: new StatementCache() }).session(),
  'no cache': new Executor(engine, { cache: null }).session(),
}
const select = 'select name, age from s.users where id = ?'
const update = 'update s.users set age = ?, email = ? where id = ?'
let nextId = 10_000

const bench = new Bench({ name: 'executor per statement, in memory', time: 1_500 })
for (const [name, session] of Object.entries(sessions)) {
  bench.add(`point select, ${name}`, async () => {
    await session.query(select, [uint(Math.floor(Math.random() * 10_000))])
  })
  bench.add(`update 2 fields, ${name}`, async () => {
    await session.query(update, [uint(31), text('x@y'), uint(Math.floor(Math.random() * 10_000))])
  })
  bench.add(`insert, ${name}`, async () => {
    await session.query('insert into s.users(?, ?, null, ?)', [uint(nextId++), text('n'), uint(1)])
  })
}
await bench.run()
console.table(bench.table())
// Medians: the means carry the tail of garbage collections and of the executor's event-loop yield.
const median = (name: string): number | undefined => {
  const result = bench.tasks.find((task) => task.name === name)?.result
  return (result as { latency?: { p50?: number } } | undefined)?.latency?.p50
}
for (const statement of ['point select', 'update 2 fields', 'insert']) {
  const cached = median(`${statement}, with cache`)
  const uncached = median(`${statement}, no cache`)
  if (cached !== undefined && uncached !== undefined) {
    const saved = ((uncached - cached) * 1000).toFixed(2)
    console.log(`${statement}: median ${(cached * 1000).toFixed(1)} µs with the cache, ` +
      `${(uncached * 1000).toFixed(1)} µs without (${saved} µs of lexing and parsing)`)
  }
}
await engine.close()
