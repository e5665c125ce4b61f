/**
 * The BlueQL conformance table: statements run in order on one fresh database, each with its
 * exact expected result or Skytable error code. Derived from blueql.md: every row of its §9
 * (marked `§9 #n`; where skydb's documented choice differs from §9, the row says so), then each
 * section's rules (DDL, DML, `use`, `inspect`, `sysctl`), every type, every error code the
 * language can produce, and skydb's transactions. Connections: `R` and `B` are root, `A` is the
 * user `alice` (created by the table itself).
 *
 * Invariant: rows only depend on the rows before them; the table starts from a database holding
 * nothing but the root user.
 */
import type { Parameter } from './parameter.js'
import type { QueryResult, ResultValue } from './result.js'

/** A connection of the table: `R`, `B` (root) or `A` (alice). */
export type ConformanceConnection = 'R' | 'A' | 'B'

/** What a row expects: an error code, an exact result, or a described predicate. */
export type ConformanceExpectation =
  | number
  | QueryResult
  | { readonly satisfies: (result: QueryResult) => boolean; readonly description: string }

/** One statement of the table. */
export interface ConformanceRow {
  /** `§9 #n`, or the section and a number. */
  readonly id: string
  readonly connection: ConformanceConnection
  readonly query: string
  readonly parameters: readonly Parameter[]
  /** Set when the parameter after `parameters` could not be decoded (wire type byte 7). */
  readonly parameterError?: true
  readonly expect: ConformanceExpectation
}

// --- parameters -----------------------------------------------------------------------------

const s = (value: string): Parameter => ({ type: 'string', value })
const u = (value: number | bigint): Parameter => ({ type: 'uint', value: BigInt(value) })
const i = (value: number | bigint): Parameter => ({ type: 'sint', value: BigInt(value) })
const f = (value: number): Parameter => ({ type: 'float', value })
const b = (value: boolean): Parameter => ({ type: 'bool', value })
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
const x = (text: string): Parameter => ({ type: 'binary', value: bytes(text) })
const nul: Parameter = { type: 'null' }

// --- results --------------------------------------------------------------------------------

const empty: QueryResult = { type: 'empty' }
const yes: QueryResult = { type: 'bool', value: true }
const no: QueryResult = { type: 'bool', value: false }
const none: QueryResult = { type: 'null' }
const text = (value: string): ResultValue => ({ type: 'string', value })
const row = (...values: ResultValue[]): QueryResult => ({ type: 'row', values })
const rows = (columnCount: number, ...values: ResultValue[][]): QueryResult => ({
  type: 'multirow',
  columnCount,
  rows: values,
})
const cell = {
  null: { type: 'null' } as ResultValue,
  bool: (value: boolean): ResultValue => ({ type: 'bool', value }),
  u8: (value: number): ResultValue => ({ type: 'uint8', value }),
  u16: (value: number): ResultValue => ({ type: 'uint16', value }),
  u32: (value: number): ResultValue => ({ type: 'uint32', value }),
  u64: (value: bigint): ResultValue => ({ type: 'uint64', value }),
  i8: (value: number): ResultValue => ({ type: 'sint8', value }),
  i16: (value: number): ResultValue => ({ type: 'sint16', value }),
  i32: (value: number): ResultValue => ({ type: 'sint32', value }),
  i64: (value: bigint): ResultValue => ({ type: 'sint64', value }),
  f32: (value: number): ResultValue => ({ type: 'float32', value }),
  f64: (value: number): ResultValue => ({ type: 'float64', value }),
  bin: (value: string): ResultValue => ({ type: 'binary', value: bytes(value) }),
  list: (...value: ResultValue[]): ResultValue => ({ type: 'list', value }),
}

// --- building the table ---------------------------------------------------------------------

const table: ConformanceRow[] = []
let section = ''
let sectionCount = 0

function begin(name: string): void {
  section = name
  sectionCount = 0
}

function add(
  connection: ConformanceConnection,
  query: string,
  parameters: readonly Parameter[],
  expect: ConformanceExpectation,
  spec?: number,
): void {
  sectionCount++
  const id = spec === undefined ? `${section} ${sectionCount}` : `§9 #${spec}`
  table.push({ id, connection, query, parameters, expect })
}

/** Root connection R. */
type Adder = (
  query: string,
  parameters: readonly Parameter[],
  expect: ConformanceExpectation,
  spec?: number,
) => void
const r: Adder = (query, parameters, expect, spec) => add('R', query, parameters, expect, spec)

// The row of s.users that §9 inserts first, and its select.
const sayan = [s('sayan'), x('pw'), nul, u(30), s('a'), s('b')]
const insertUser = 'insert into s.users(?, ?, ?, ?, [?, ?])'

// ---------------------------------------------------------------------------------------------
begin('ddl: spaces and models')
r('create space s', [], empty, 1)
r('create space s', [], 103, 2)
r('create space if not exists s', [], no, 3)
r('CREATE SPACE IF NOT EXISTS t', [], yes, 4)
r('create space x with { env: ? }', [u(1)], 102, 5)
// §9 #6 expects success, but `limit` is a keyword (§1.3): @sky/ql's documented choice is 28.
r('create space y with { env: { limit: ? } }', [u(100)], 28, 6)
r('create space y with { env: { lim: ? } }', [u(100)], empty)
r('create space', [], 32, 7)
r('create table s.t', [], 33, 8)
r('create space if not exists s with { env: ? }', [u(1)], 102) // properties before existence
r('create space q with { other: ? }', [u(1)], 102)
r('create space z with { env: null }', [], empty)
r('drop space z', [], empty)
r(
  'create model s.users(username: string, password: binary, null email: string, age: uint8, ' +
    'tags: list { type: string })',
  [],
  empty,
  9,
)
r('create model if not exists s.users(a: string, b: string)', [], no, 10)
r('create model s.users(a: string, b: string)', [], 103)
r('create model s.m(a: string)', [], 27, 11)
r('create model if not exists s.one(a: string)', [], yes, 12)
r('create model s.m(k: float64, v: string)', [], 106, 13)
r('create model s.m(primary a: string, primary b: string)', [], 106, 14)
r('create model s.m(a: string, b: list)', [], 105, 15)
r('create model s.m(a: string, b: String)', [], 105, 16)
r('create model s.m(a: string, b: string { maxlen: ? })', [u(5)], 105, 17)
r('create model s.m(a: string, b: string) with { p: ? }', [u(1)], 106, 18)
r('create model s.m(key: string, v: string)', [], 28, 19)
r('create model s.m(primary null a: string, b: string)', [], 30, 20)
r('create model m(a: string, b: string)', [], 28, 21)
r('create model nope.m(a: string, b: string)', [], 100, 22)
r('create model s.m(a: bool, b: string)', [], 106)
r('create model s.m(null a: string, b: string)', [], 106) // §7 item 8: skydb refuses it
r('create model s.m(a: string, a: uint8)', [], 106)
r('create model s.m(a: string, b: list { type: list })', [], 105)
r('create model s.m(a: string, b: uint8 { type: string })', [], 105)
r('create model s.m(a: string, b: uint128)', [], 105)
r('create model s.m(a: string, primary c: list { type: string })', [], 106)
r('create model s.plain(a: string, b: string) with {}', [], empty)

// ---------------------------------------------------------------------------------------------
begin('dml: insert, select, update, delete')
r(insertUser, sayan, empty, 23)
r(insertUser, sayan, 108, 24)
r('insert into s.users(?, ?, ?, ?, [])', [s('joe'), x('pw'), nul, u(300)], 109, 25)
r('insert into s.users(?, ?, ?, ?, [])', [s('joe'), x('pw'), nul, i(30)], 109, 26)
r('insert into s.users(?, ?, ?, ?)', [s('joe'), x('pw'), nul, u(3)], 109, 27)
r('insert into s.users(?, null, null, ?, [])', [s('joe'), u(3)], 109, 28)
r(insertUser, [s('joe'), x('pw'), nul, u(3), s('a'), u(1)], 28, 29)
r('insert into s.users(?, ?, ?, 3, [])', [s('joe'), x('pw'), nul], 26, 30)
r("insert into s.users('joe', ?, ?, ?, [])", [x('pw'), nul, u(3)], 28, 31)
r('insert into s.users(?, ?, ?, ?, [])', [], 28, 32)
r(
  'insert into s.users { username: ?, password: ?, email: ?, age: ?, tags: [] }',
  [s('joe'), x('pw'), s('j@x'), u(20)],
  empty,
  33,
)
r('insert into s.one(@uuidstr())', [], empty, 34)
r('insert into s.users { username: ?, password: ?, email: ?, age: ?, ghost: [] }',
  [s('kim'), x('pw'), nul, u(20)], 109)
r('insert into s.users { username: ?, password: ?, age: ?, tags: [] }',
  [s('kim'), x('pw'), u(20)], 109)
r('insert into s.users(?, ?, ?, ?, ?)', [s('kim'), x('pw'), nul, u(20), s('tag')], 109)
r('insert into s.users(?, ?, ?, ?, [[?]])', [s('kim'), x('pw'), nul, u(20), s('tag')], 109)
r('insert into s.users(?, ?, ?, ?, [?])', [s('kim'), x('pw'), nul, u(20), u(1)], 109)
r('insert into s.users(?, ?, ?, ?, [null])', [s('kim'), x('pw'), nul, u(20)], 28)
r('insert into ghost.users(?)', [s('kim')], 100)
r('insert into s.ghost(?)', [s('kim')], 100)
const sayanRow = row(
  text('sayan'), cell.bin('pw'), cell.null, cell.u8(30), cell.list(text('a'), text('b')),
)
r('select * from s.users where username = ?', [s('sayan')], sayanRow, 35)
r('SELECT age, username FROM s.users WHERE username = ?', [s('sayan')],
  row(cell.u8(30), text('sayan')), 36)
r('select * from s.users where username = ?', [s('nobody')], 111, 37)
r('select nope from s.users where username = ?', [s('sayan')], 101, 38)
r('select * from s.users where age = ?', [u(30)], 110, 39)
r('select * from s.users where username > ?', [s('a')], 110, 40)
r('select * from s.users', [], 110, 41) // §7 item 2: the intended answer
r('select * from S.users where username = ?', [s('sayan')], 100, 42)
r('select username, username from s.users where username = ?', [s('sayan')],
  row(text('sayan'), text('sayan')))
r('select * from s.users where username = ? and age = ?', [s('sayan'), u(99)], sayanRow)
r('select * from s.users where username = ?', [x('sayan')], 110)
r('select nope from s.users where username = ?', [s('nobody')], 111) // row before column
r('update s.users set age += ?, email = ? where username = ?',
  [u(1), s('s@x'), s('sayan')], empty, 43)
r('update s.users set tags += ? where username = ?', [s('c'), s('sayan')], empty, 44)
r('select age, email, tags from s.users where username = ?', [s('sayan')],
  row(cell.u8(31), text('s@x'), cell.list(text('a'), text('b'), text('c'))))
r('update s.users set tags += ? where username = ?', [u(1), s('sayan')], 109, 45)
r('update s.users set age = ? where username = ?', [s('x'), s('sayan')], 109, 46)
r('update s.users set username = ? where username = ?', [s('x'), s('sayan')], 101, 47)
r('update s.users set email = ? where username = ?', [nul, s('sayan')], 28, 48)
r('update s.users set age = ? where username = ?', [u(1), s('ghost')], 111, 49)
r('update s.users set password += ?, nope = ? where username = ?',
  [x('x'), u(1), s('sayan')], 101, 50)
r('select password from s.users where username = ?', [s('sayan')], row(cell.bin('pw')))
r('update s.users set tags = ? where username = ?', [s('t'), s('sayan')], 109)
r('update s.users set email = ? where username = ?', [u(1), s('sayan')], 109)
r('update s.users set age = ? where username > ?', [u(1), s('sayan')], 110)
r('update s.users set age = ? where age = ?', [u(1), u(31)], 110)
r('update ghost.users set age = ? where username = ?', [u(1), s('sayan')], 100)
r('select all * from s.users limit ?', [u(10)], rows(5,
  [text('joe'), cell.bin('pw'), text('j@x'), cell.u8(20), cell.list()],
  [text('sayan'), cell.bin('pw'), text('s@x'), cell.u8(31),
    cell.list(text('a'), text('b'), text('c'))],
), 51)
r('select all * from s.users', [], 28, 52)
r('select all * from s.users limit ?', [i(10)], 28, 53)
r('select all nope from s.users limit ?', [u(10)], 101, 54)
r('delete from s.users where username = ?', [s('joe')], empty, 55)
r('delete from s.users where username = ?', [s('joe')], 111)
r('delete from s.users where age = ?', [u(31)], 110)
r('delete from s.ghost where k = ?', [u(31)], 100)

// ---------------------------------------------------------------------------------------------
begin('use and inspect')
r('inspect model users', [], 31) // no current space
r('select * from users where username = ?', [s('sayan')], 28) // no current space: @sky/ql's choice
r('inspect global', [], text('{"spaces":["s","t","y"],"users":["root"],"settings":{}}'))
r('inspect', [], 27)
r('inspect space', [], 27)
r('inspect space ghost', [], 100)
r('inspect model s.ghost', [], 100)
r('inspect models', [], 28)
r('use $current', [], none, 56)
r('use nope', [], 100, 57)
r('use s', [], empty, 58)
r('use $current', [], text('s'), 59)
r('select username from users where username = ?', [s('sayan')], row(text('sayan')), 60)
r('drop model users', [], 31, 61)
r('inspect model users', [], text(
  '{"decl":"{*username:String,!password:Binary,?email:String,!age:UInt8,!tags:[String]}",' +
    '"rows":1,"properties":{}}'), 62)
r('inspect space t', [], text('{"models":[]}'), 63) // §7 item 7: valid JSON, no extra brace
r('use s.users', [], 28)

// ---------------------------------------------------------------------------------------------
begin('alter model')
r('alter model s.users add bio { type: string, nullable: true }', [], empty, 64)
r('select * from s.users where username = ?', [s('sayan')], row(text('sayan'), cell.bin('pw'),
  text('s@x'), cell.u8(31), cell.list(text('a'), text('b'), text('c')), cell.null))
r('alter model s.users add bio { type: string }', [], 107, 65)
r('alter model s.users add (x { type: string }, )', [], 28, 66)
r('alter model s.users remove username', [], 107, 67)
r('alter model s.users remove ghost', [], 101, 68)
r('alter model s.users remove (bio, bio)', [], 107, 69)
r('alter model s.users update age { type: uint64 }', [], empty, 70)
r('select age from s.users where username = ?', [s('sayan')], row(cell.u64(31n)))
r('alter model s.users update age { type: uint8 }', [], 112, 71)
r('alter model s.users update age { type: sint64 }', [], 105, 72)
r('alter model s.users update email { nullable: false }', [], 112, 73)
r('alter model s.users update username { type: string }', [], 107, 74)
r('alter model s.users rename x', [], 32, 75)
r('alter model s.users add x { type: string, nullable: null }', [], 102) // §7 item 5
r('alter model s.users add x { nullable: true }', [], 105)
r('alter model s.users add x { type: string, nullable: ? }', [u(1)], 102)
r('alter model s.users update ghost { type: string }', [], 101)
r('alter model s.users update email { type: string, nullable: true, foo: ? }', [u(1)], 107)
r('alter model s.users update tags { type: list { type: list { type: string } } }', [], 107)
r('alter model s.users update email { type: string, nullable: true }', [], empty)
r('alter model s.users update age { type: uint32 }', [], 112)
r('alter model nope.users add x { type: string }', [], 100)
r('alter model s.ghost add x { type: string }', [], 100)
r('alter model users add x { type: string }', [], 31)
r('alter model s.users add (c1 { type: uint8, nullable: true }, ' +
  'c2 { type: list { type: string }, nullable: true })', [], empty)
r('select bio, c1, c2 from s.users where username = ?', [s('sayan')],
  row(cell.null, cell.null, cell.null))
r('alter model s.users remove (c1, c2)', [], empty)
r('insert into s.users(?, ?, ?, ?, [], ?)', [s('big'), x('pw'), nul, u(300), nul], empty)
r('alter model s.users remove bio', [], empty)
r('select * from s.users where username = ?', [s('big')],
  row(text('big'), cell.bin('pw'), cell.null, cell.u64(300n), cell.list()))
r('select * from s.users where username = ?', [s('sayan')], row(text('sayan'), cell.bin('pw'),
  text('s@x'), cell.u64(31n), cell.list(text('a'), text('b'), text('c'))))

// ---------------------------------------------------------------------------------------------
begin('types')
r('create model s.types(k: uint64, b: bool, u8: uint8, u16: uint16, u32: uint32, u64: uint64, ' +
  'i8: sint8, i16: sint16, i32: sint32, i64: sint64, f32: float32, f64: float64, bn: binary, ' +
  'st: string, l: list { type: uint8 }, ll: list { type: list { type: string } }, null n: string)',
[], empty)

interface TypesRow {
  readonly scalars: readonly Parameter[] // k … st: 14 parameters
  readonly l: readonly Parameter[] | Parameter
  readonly ll: readonly (readonly Parameter[])[] | readonly Parameter[]
  readonly n: Parameter
}

const typesBase: TypesRow = {
  scalars: [u(1), b(true), u(255), u(65535), u(4294967295), u(18446744073709551615n), i(-128),
    i(-32768), i(-2147483648), i(-9223372036854775808n), f(1.5), f(-0.25), x('xy'), s('hé')],
  l: [u(1), u(2)],
  ll: [[s('a')], []],
  n: nul,
}

function listText(values: readonly (Parameter | readonly Parameter[])[]): string {
  return `[${values.map((value) => (Array.isArray(value) ? listText(value) : '?')).join(', ')}]`
}

/** The insert of a types row with some columns replaced (index into `scalars`, or l/ll/n). */
function typesInsert(changes: Partial<TypesRow> & { readonly at?: Record<number, Parameter> }) {
  const scalars = typesBase.scalars.map((value, index) => changes.at?.[index] ?? value)
  const l = changes.l ?? typesBase.l
  const ll = changes.ll ?? typesBase.ll
  const n = changes.n ?? typesBase.n
  const lText = Array.isArray(l) ? listText(l) : '?'
  const marks = scalars.map(() => '?').join(', ')
  const query = `insert into s.types(${marks}, ${lText}, ${listText(ll)}, ?)`
  const parameters = [...scalars, ...(Array.isArray(l) ? l : [l]), ...ll.flat(), n]
  return [query, parameters] as const
}

const typesFailures: readonly [string, Partial<TypesRow> & { at?: Record<number, Parameter> }][] = [
  ['uint8 256', { at: { 2: u(256) } }],
  ['uint16 65536', { at: { 3: u(65536) } }],
  ['uint32 2^32', { at: { 4: u(4294967296) } }],
  ['sint8 128', { at: { 6: i(128) } }],
  ['sint8 -129', { at: { 6: i(-129) } }],
  ['sint16 32768', { at: { 7: i(32768) } }],
  ['sint32 2^31', { at: { 8: i(2147483648) } }],
  ['float32 3.5e38', { at: { 10: f(3.5e38) } }],
  ['float32 inf', { at: { 10: f(Number.POSITIVE_INFINITY) } }],
  ['float64 inf', { at: { 11: f(Number.NEGATIVE_INFINITY) } }],
  ['float64 NaN', { at: { 11: f(Number.NaN) } }],
  ['string into binary', { at: { 12: s('xy') } }],
  ['binary into string', { at: { 13: x('xy') } }],
  ['uint into bool', { at: { 1: u(1) } }],
  ['sint into uint8', { at: { 2: i(1) } }],
  ['uint into sint8', { at: { 6: u(1) } }],
  ['uint into float64', { at: { 11: u(1) } }],
  ['null into bool', { at: { 1: nul } }],
  ['list element 256', { l: [u(256)] }],
  ['sint list element', { l: [i(1)] }],
  ['scalar into list', { l: u(1) }],
  ['flat list into nested list', { ll: [s('a')] }],
  ['uint into string', { n: u(1) }],
]
for (const [index, [, changes]] of typesFailures.entries()) {
  const [query, parameters] = typesInsert({ ...changes, at: { 0: u(10 + index), ...changes.at } })
  r(query, parameters, 109)
}
r(...typesInsert({}), empty)
r(...typesInsert({}), 108)
r(...typesInsert({
  at: { 0: u(2), 1: b(false), 2: u(0), 3: u(0), 4: u(0), 5: u(0), 6: i(127), 7: i(32767),
    8: i(2147483647), 9: i(9223372036854775807n), 10: f(-3.4028234663852886e38), 11: f(1e308),
    12: x(''), 13: s('') },
  l: [],
  ll: [],
  n: s('x'),
}), empty)
r('select * from s.types where k = ?', [u(1)], row(cell.u64(1n), cell.bool(true), cell.u8(255),
  cell.u16(65535), cell.u32(4294967295), cell.u64(18446744073709551615n), cell.i8(-128),
  cell.i16(-32768), cell.i32(-2147483648), cell.i64(-9223372036854775808n), cell.f32(1.5),
  cell.f64(-0.25), cell.bin('xy'), text('hé'), cell.list(cell.u8(1), cell.u8(2)),
  cell.list(cell.list(text('a')), cell.list()), cell.null))
r('select i8, i16, i32, i64, f32, f64, bn, st, l, ll, n, k from s.types where k = ?', [u(2)],
  row(cell.i8(127), cell.i16(32767), cell.i32(2147483647), cell.i64(9223372036854775807n),
    cell.f32(-3.4028234663852886e38), cell.f64(1e308), cell.bin(''), text(''), cell.list(),
    cell.list(), text('x'), cell.u64(2n)))
r('select k from s.types where b = ? and k = ?', [b(true), u(1)], row(cell.u64(1n)))
r('select k from s.types where nope = ? and k = ?', [b(true), u(1)], row(cell.u64(1n)))
r('select k from s.types where k = ?', [i(1)], 110)
r('select k from s.types where k = ?', [f(1)], 110)
r('select k from s.types where k = ?', [b(true)], 110)
r('select k from s.types where k >= ?', [u(1)], 110)
r('select k from s.types where k != ?', [u(1)], 110)
r('select k from s.types where k = ?', [u(99)], 111)
r('select k from s.types where k = ? or b = ?', [u(1), b(true)], 28)

const update = (set: string, parameters: readonly Parameter[], expect: ConformanceExpectation) =>
  r(`update s.types set ${set} where k = ?`, [...parameters, u(1)], expect)
update('u8 += ?', [u(1)], 109)
update('u8 -= ?', [u(5)], empty)
update('u8 *= ?', [u(2)], 109)
update('u8 /= ?', [u(0)], 109)
update('u8 /= ?', [u(3)], empty)
update('i8 -= ?', [i(1)], 109)
update('i8 /= ?', [i(-1)], 109)
update('i8 += ?', [i(100)], empty)
update('i16 *= ?', [i(-1)], 109)
update('f32 *= ?', [f(1e38)], empty)
update('f32 *= ?', [f(10)], 109)
update('f64 /= ?', [f(0)], 109)
update('f64 += ?', [f(0.5)], empty)
update('st += ?', [s('!')], empty)
update('st -= ?', [s('!')], 109)
update('bn += ?', [x('z')], empty)
update('bn *= ?', [x('z')], 109)
update('b += ?', [b(true)], 109)
update('b = ?', [b(false)], empty)
update('l += ?', [u(3)], empty)
update('l += ?', [u(300)], 109)
update('l = ?', [u(1)], 109)
update('ll += ?', [s('x')], 109)
update('n += ?', [s('x')], 109)
update('n = ?', [s('set')], empty)
update('u64 += ?', [u(1)], 109)
update('i64 -= ?', [i(1)], 109)
update('u8 = ?', [i(1)], 109)
update('u16 = ?', [u(65536)], 109)
update('u8 = ?, u16 = ?', [u(1), u(70000)], 109)
update('u32 = ?, u32 += ?', [u(1), u(1)], empty)
update('k = ?', [u(5)], 101)
r('select * from s.types where k = ?', [u(1)], row(cell.u64(1n), cell.bool(false), cell.u8(83),
  cell.u16(65535), cell.u32(2), cell.u64(18446744073709551615n), cell.i8(-28),
  cell.i16(-32768), cell.i32(-2147483648), cell.i64(-9223372036854775808n), cell.f32(1.5 * 1e38),
  cell.f64(0.25), cell.bin('xyz'), text('hé!'), cell.list(cell.u8(1), cell.u8(2), cell.u8(3)),
  cell.list(cell.list(text('a')), cell.list()), text('set')))

r('create model s.small(id: uint8, v: string)', [], empty)
r('insert into s.small(?, ?)', [u(200), s('a')], empty)
r('insert into s.small(?, ?)', [u(256), s('a')], 109)
r('select * from s.small where id = ?', [u(1000)], 111) // key lookups check the class only
r('select * from s.small where id = ?', [u(200)], row(cell.u64(200n), text('a')))
r('insert into s.small(@timesec(), ?)', [s('t')], 109)
r('select all id, v from s.small limit ?', [u(0)], rows(2))
r('select all id, id, id from s.small limit ?', [u(5)], 101)
r('select all ghost from s.small limit ?', [u(5)], 101)
r('insert into s.small(?, ?)', [u(7), s('b')], empty)
r('select all * from s.small limit ?', [u(10)],
  rows(2, [cell.u8(7), text('b')], [cell.u8(200), text('a')]))
r('select all v from s.small limit ?', [u(1)], rows(1, [text('b')]))
r('select all * from ghost.m limit ?', [u(1)], 100)
r('insert into s.small { id: ?, v: ? }', [u(9), s('m')], empty)
r('insert into s.small { id: ?, ghost: ? }', [u(10), s('m')], 109)
r('insert into s.small { id: ? }', [u(10)], 109)
r('insert into s.small { v: ?, id: ? }', [s('o'), u(11)], empty)
r('select all id from s.small limit ?', [u(10)],
  rows(1, [cell.u8(7)], [cell.u8(9)], [cell.u8(11)], [cell.u8(200)]))

r('create model s.signed(id: sint16, v: string)', [], empty)
r('insert into s.signed(?, ?)', [i(-5), s('neg')], empty)
r('insert into s.signed(?, ?)', [i(40000), s('big')], 109)
r('select * from s.signed where id = ?', [u(5)], 110)
r('select * from s.signed where id = ?', [i(-5)], row(cell.i64(-5n), text('neg')))
r('update s.signed set v = ? where id = ?', [s('n2'), i(-5)], empty)
r('select all * from s.signed limit ?', [u(5)], rows(2, [cell.i16(-5), text('n2')]))
r('delete from s.signed where id = ?', [i(-5)], empty)
r('delete from s.signed where id = ?', [i(-5)], 111)

r('create model s.blobs(id: binary, v: uint8)', [], empty)
r('insert into s.blobs(?, ?)', [x('k1'), u(1)], empty)
r('select * from s.blobs where id = ?', [s('k1')], 110)
r('select * from s.blobs where id = ?', [x('k1')], row(cell.bin('k1'), cell.u8(1)))
r('update s.blobs set v += ? where id = ?', [u(1), x('k1')], empty)
r('select v from s.blobs where id = ?', [x('k1')], row(cell.u8(2)))
r('delete from s.blobs where id = ?', [x('k1')], empty)

r('create model s.fn(id: string, t: uint64, raw: binary)', [], empty)
r('insert into s.fn(@uuidstr(), @timesec(), @uuidbin())', [], empty)
r('select all * from s.fn limit ?', [u(5)], {
  description: 'one row: a 36-character v4 UUID, the current Unix second, 16 bytes',
  satisfies: (result) => {
    if (result.type !== 'multirow' || result.rows.length !== 1) return false
    const [id, t, raw] = result.rows[0] ?? []
    const now = BigInt(Math.floor(Date.now() / 1000))
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    return id?.type === 'string' && uuid.test(id.value) &&
      t?.type === 'uint64' && t.value <= now && t.value > now - 86_400n &&
      raw?.type === 'binary' && raw.value.length === 16
  },
})
r('insert into s.fn(@uuidbin(), @timesec(), @uuidbin())', [], 109)
r('insert into s.fn(@uuidstr(), @uuidstr(), @uuidbin())', [], 109)
r('insert into s.fn(@nope(), @timesec(), @uuidbin())', [], 28)
r('inspect space s', [],
  text('{"models":["blobs","fn","one","plain","signed","small","types","users"]}'))
r('inspect model s.small', [], text('{"decl":"{*id:UInt8,!v:String}","rows":4,"properties":{}}'))
r('inspect model s.types', [], text('{"decl":"{*k:UInt64,!b:Bool,!u8:UInt8,!u16:UInt16,' +
  '!u32:UInt32,' +
  '!u64:UInt64,!i8:SInt8,!i16:SInt16,!i32:SInt32,!i64:SInt64,!f32:Float32,!f64:Float64,' +
  '!bn:Binary,!st:String,!l:[UInt8],!ll:[[String]],?n:String}","rows":2,"properties":{}}'))

// ---------------------------------------------------------------------------------------------
begin('transactions')
const smallV = 'select v from s.small where id = ?'
const setV = 'update s.small set v = ? where id = ?'
r('commit', [], 4)
r('rollback', [], empty)
r('begin', [], empty)
r('begin', [], 4)
r('create space tx', [], 4)
r('sysctl create user tx with { password: ? }', [s('p')], 4)
r('insert into s.small(?, ?)', [u(1), s('tx')], empty)
add('B', smallV, [u(1)], 111)
r(smallV, [u(1)], row(text('tx')))
r('select all id from s.small limit ?', [u(2)], rows(1, [cell.u8(1)], [cell.u8(7)]))
r('inspect model s.small', [], text('{"decl":"{*id:UInt8,!v:String}","rows":5,"properties":{}}'))
r('insert into s.small(?, ?)', [u(1), s('dup')], 108) // a statement error keeps the transaction
r('rollback', [], empty)
r(smallV, [u(1)], 111)
r('begin isolation level serializable', [], empty)
r('insert into s.small(?, ?)', [u(2), s('two')], empty)
r('insert into s.small(?, ?)', [u(2), s('again')], 108)
r('commit', [], empty)
add('B', smallV, [u(2)], row(text('two')))
r('begin', [], empty)
add('B', 'begin', [], empty)
r(smallV, [u(2)], row(text('two')))
add('B', smallV, [u(2)], row(text('two')))
r(setV, [s('r'), u(2)], empty)
add('B', setV, [s('b'), u(2)], empty)
r('commit', [], empty)
add('B', 'commit', [], 200) // skydb's serialization failure code
add('B', smallV, [u(2)], row(text('r')))
add('B', 'commit', [], 4)
r('begin transaction isolation level read committed', [], empty)
r('commit transaction', [], empty)
r('begin isolation level repeatable read', [], empty)
r(smallV, [u(2)], row(text('r')))
add('B', setV, [s('b2'), u(2)], empty)
r(smallV, [u(2)], row(text('r'))) // the snapshot taken at begin
r('rollback transaction', [], empty)
r('begin isolation level read committed', [], empty)
r(smallV, [u(2)], row(text('b2')))
add('B', setV, [s('b3'), u(2)], empty)
r(smallV, [u(2)], row(text('b3'))) // the latest committed state
r('rollback', [], empty)
r('begin isolation level snapshot', [], empty)
r('rollback', [], empty)
r('begin isolation level read uncommitted', [], empty)
r('rollback', [], empty)
r('begin isolation level chaos', [], 28)
r('begin', [], empty)
r(smallV, [u(2)], row(text('b3')))
add('B', 'alter model s.small add extra { type: string, nullable: true }', [], empty)
r(smallV, [u(2)], 200) // the model changed under the transaction
r(smallV, [u(2)], 4) // the transaction failed: only commit or rollback
r('commit', [], 4)
r('commit', [], 4)
r('rollback', [], empty)
r('select * from s.small where id = ?', [u(2)], row(cell.u64(2n), text('b3'), cell.null))

// ---------------------------------------------------------------------------------------------
begin('sysctl')
const a: Adder = (query, parameters, expect, spec) => add('A', query, parameters, expect, spec)
r('sysctl create user alice with { password: ? }', [s('pw1')], empty, 76)
r('sysctl create user bob with { password: ?, role: ? }', [s('pw'), s('x')], 102, 77)
r('sysctl create user ? with { password: ? }', [s('bob'), s('pw')], 29, 78)
r('sysctl alter user alice with { password: ? }', [s('pw2')], 3, 79)
r('sysctl drop user root', [], 3, 80)
r('sysctl create user alice with { password: ? }', [s('x')], 3)
r('sysctl create user carl with { password: ? }', [u(1)], 102)
r('sysctl create user carl with { pass: ? }', [s('x')], 102)
r('sysctl drop user ghost', [], 3)
r('sysctl drop user alice extra', [], 28)
r('sysctl report status extra', [], 28)
r('sysctl report', [], 32)
a('create space z', [], 5, 81)
a('create space', [], 5) // permission before syntax, as Skytable
a('create table s.t', [], 5)
a('drop model s.users', [], 5)
a('alter space s with { env: {} }', [], 5)
a('sysctl create user dan with { password: ? }', [s('p')], 5)
a('sysctl drop user root', [], 5)
a('sysctl alter user alice with { password: ? }', [s('p')], 5)
a('sysctl create user ? with { password: ? }', [s('dan'), s('p')], 29) // parse errors first
a('sysctl report status', [], empty, 82)
a('inspect global', [], text('{"spaces":["s","t","y"],"settings":{}}'), 83)
r('inspect global', [], text('{"spaces":["s","t","y"],"users":["alice","root"],"settings":{}}'))
a('select username from s.users where username = ?', [s('sayan')], row(text('sayan')))
a('use s', [], empty)
a(smallV.replace('s.small', 'small'), [u(2)], row(text('b3')))
a('begin', [], empty)
a('update small set v = ? where id = ?', [s('alice'), u(2)], empty)
a('commit', [], empty)
r(smallV, [u(2)], row(text('alice')))
r('sysctl magic moon', [], 33, 84)
r('sysctl drop user alice', [], empty)
r('inspect global', [], text('{"spaces":["s","t","y"],"users":["root"],"settings":{}}'))

// ---------------------------------------------------------------------------------------------
begin('drop and errors')
r('alter space s with { env: { a: ? } }', [u(1)], empty, 85)
r('alter space s with { env: { a: ? } }', [s('x')], 102, 86)
r('alter space nope with { env: {} }', [], 100, 87)
r('alter space s with { env: { a: null } }', [], empty)
r('alter space s with { env: { a: ? } }', [s('x')], empty) // a was deleted: any class again
r('alter space s with { env: null }', [], empty)
r('alter space s with { other: ? }', [u(1)], 102)
r('alter space s with { }', [], empty)
r('drop space s', [], 104, 88)
r('drop model s.users', [], 104, 89)
r('drop model allow not empty s.users', [], empty, 90)
r('drop model if exists s.users', [], no, 91)
r('drop model if exists nope.m', [], 100, 92)
r('drop space if exists t', [], yes, 93)
r('drop model s.one', [], 104)
r('drop model s.ghost', [], 100)
r('drop model if exists allow not empty s.one', [], yes)
r('drop space ghost', [], 100)
r('drop space if exists ghost', [], no)
r('drop space s force', [], 28)
r('drop space allow not empty s', [], empty, 94)
r('use $current', [], 100) // the current space was dropped: cleared
r('use $current', [], none)
r('describe s.users', [], 33, 95)
r('', [], 32, 96)
r('use s', [], 100, 97)
table.push({
  id: '§9 #98',
  connection: 'R',
  query: 'select * from y.m where k = ?',
  parameters: [],
  parameterError: true,
  expect: 25,
})
r('exists s.users', [], 33)
r('use null', [], empty)
r('use ?', [nul], empty)
r('select * from y.m where k = ?;', [u(1)], 28)
r('select * from y.m where k = ?\r', [u(1)], 26)
r('select * from y.m where k = \u00e9', [], 26)
r('select * from y.m where k = ?', [s('\ud800')], 25)
r(`insert into y.m(${'['.repeat(70)}${']'.repeat(70)})`, [], 6)
r('select * from y.ghost where k = ?', [u(1)], 100)
r('begin', [], empty)
r('select * from y.ghost where k = ?', [u(1)], 100)
r('commit', [], empty)
r('inspect space y', [], text('{"models":[]}'))
r('inspect global', [], text('{"spaces":["y"],"users":["root"],"settings":{}}'))

/** The table, in the order it runs. */
export const conformanceTable: readonly ConformanceRow[] = Object.freeze(table)
