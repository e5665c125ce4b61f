/**
 * Parse cost by statement and path: parseQuery (lex + parse + bind every time) against a
 * StatementCache hit (bind only). The ratio per statement is what the prepared-statement cache
 * saves; the rows across statements show how cost grows with statement size. Run: `pnpm bench`.
 */
import { Bench } from 'tinybench'
import { StatementCache, parseQuery } from '../src/index.js'
import type { Parameter } from '../src/index.js'

const text = (value: string): Parameter => ({ type: 'string', value })
const uint = (value: bigint): Parameter => ({ type: 'uint', value })

const statements: readonly (readonly [string, string, readonly Parameter[]])[] = [
  ['point select', 'select * from s.users where username = ?', [text('sayan')]],
  ['insert, 5 values', 'insert into s.users(?, ?, ?, ?, [?, ?])',
    [text('sayan'), text('pw'), text('e'), uint(30n), text('a'), text('b')]],
  ['update, 3 assignments', 'update s.users set age += ?, email = ?, bio = ? where username = ?',
    [uint(1n), text('x'), text('y'), text('sayan')]],
  ['create model, 5 fields',
    'create model s.users(username: string, password: binary, null email: string, ' +
    'age: uint8, tags: list { type: string })', []],
]

const bench = new Bench({ name: 'BlueQL parse', time: 1_000 })
const cache = new StatementCache()
for (const [name, query, parameters] of statements) {
  bench.add(`${name}: parseQuery`, () => {
    parseQuery(query, parameters)
  })
  bench.add(`${name}: cache hit`, () => {
    cache.parse(query, parameters)
  })
}
await bench.run()
console.table(bench.table())
