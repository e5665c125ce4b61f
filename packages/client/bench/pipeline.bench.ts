/**
 * What pipelining buys over loopback TCP: `concurrency` point queries in flight on one connection
 * (answered by the in-process scripted server of the tests), against the same number sent one
 * after another. queries/s = concurrency × 1000 / mean latency (ms). The ratio between the
 * `sequential` and `pipelined` rows of one concurrency is the gain; the server here does no work,
 * so this measures the client, the codec and the loopback, not a database. Run: `pnpm bench`.
 */
import { Bench } from 'tinybench'
import { connect } from '../src/index.js'
import type { Connection } from '../src/index.js'
import { startFakeServer } from '../test/fake-server.js'

const server = await startFakeServer({
  answer: (query) => ({
    type: 'row',
    values: [
      { type: 'string', value: query.queryText.slice(0, 8) },
      { type: 'uint64', value: 100n },
      { type: 'binary', value: new Uint8Array(100) },
    ],
  }),
})
const connection: Connection = await connect({
  port: server.port,
  username: 'root',
  password: 'bench',
})
const text = 'select * from bench.users where username = ?'

const bench = new Bench({ name: 'point queries on one connection, loopback', time: 2_000 })
for (const concurrency of [1, 16, 256]) {
  bench.add(`sequential c=${concurrency}`, async () => {
    for (let index = 0; index < concurrency; index += 1) await connection.query(text, 'sayan')
  })
  bench.add(`pipelined c=${concurrency}`, async () => {
    await Promise.all(
      Array.from({ length: concurrency }, () => connection.query(text, 'sayan')),
    )
  })
}
await bench.run()
console.table(bench.table())
await connection.close()
await server.close()
