/**
 * The statement table: every row is a query (with parameters and options) and what the front
 * end must answer: a Skytable error code, or the shape of the statement (a partial AST, spans
 * left out). Rows are derived from blueql.md section by section; `§9 #n` marks a row of the
 * spec's conformance table (execution results there are the executor's: such rows must parse).
 */
import type { Parameter } from '../src/index.js'

export interface TableRow {
  readonly query: string
  readonly parameters?: readonly Parameter[]
  /** Parse without a current space (bare model names rejected). */
  readonly noCurrentSpace?: boolean
  /** A parameterError for the parameter after `parameters`. */
  readonly parameterError?: true
  /** A Skytable error code, or a partial statement. */
  readonly expect: number | Record<string, unknown>
  readonly source: string
}

export const str = (value: string): Parameter => ({ type: 'string', value })
export const uint = (value: number | bigint): Parameter => ({ type: 'uint', value: BigInt(value) })
export const sint = (value: number | bigint): Parameter => ({ type: 'sint', value: BigInt(value) })
export const float = (value: number): Parameter => ({ type: 'float', value })
export const bool = (value: boolean): Parameter => ({ type: 'bool', value })
export const bin = (text: string): Parameter => ({
  type: 'binary',
  value: new TextEncoder().encode(text),
})
export const nul: Parameter = { type: 'null' }

const id = (text: string) => ({ kind: 'identifier', text })
const ent = (space: string | null, model: string) => ({
  kind: 'entity',
  space: space === null ? null : id(space),
  model: id(model),
})
const type = (name: string, elementType: unknown = null, properties: unknown[] = []) => ({
  kind: 'type',
  name: id(name),
  elementType,
  properties,
})
const field = (name: string, t: unknown, primary = false, nullable = false) => ({
  kind: 'field',
  name: id(name),
  primary,
  nullable,
  type: t,
})
const lit = (kind: string, value: unknown, parameterIndex: number | null = null) => ({
  kind,
  value,
  parameterIndex,
})
const cond = (name: string, operator: string, value: unknown) => ({
  kind: 'condition',
  field: id(name),
  operator,
  value,
})
const entry = (key: string, value: unknown) => ({ key: id(key), value })
const dict = (...entries: unknown[]) => ({ kind: 'dict', entries })
const nullValue = (parameterIndex: number | null = null) => ({ kind: 'null', parameterIndex })

const USERS =
  'create model s.users(username: string, password: binary, null email: string, age: uint8, ' +
  'tags: list { type: string })'

/** Rows from the conformance table (§9), in its order. */
const conformance: TableRow[] = [
  {
    source: '§9 #1',
    query: 'create space s',
    expect: { kind: 'create-space', ifNotExists: false, name: id('s'), properties: null },
  },
  {
    source: '§9 #3',
    query: 'create space if not exists s',
    expect: { kind: 'create-space', ifNotExists: true, name: id('s') },
  },
  {
    source: '§9 #4',
    query: 'CREATE SPACE IF NOT EXISTS t',
    expect: { kind: 'create-space', ifNotExists: true, name: id('t') },
  },
  {
    source: '§9 #5',
    query: 'create space x with { env: ? }',
    parameters: [uint(1)],
    expect: { kind: 'create-space', properties: dict(entry('env', lit('uint', 1n, 0))) },
  },
  {
    source: '§9 #6 (keyword key, see README)',
    query: 'create space y with { env: { limit: ? } }',
    parameters: [uint(100)],
    expect: 28,
  },
  { source: '§9 #7', query: 'create space', expect: 32 },
  { source: '§9 #8', query: 'create table s.t', expect: 33 },
  {
    source: '§9 #9',
    query: USERS,
    expect: {
      kind: 'create-model',
      entity: ent('s', 'users'),
      fields: [
        field('username', type('string')),
        field('password', type('binary')),
        field('email', type('string'), false, true),
        field('age', type('uint8')),
        field('tags', type('list', type('string'))),
      ],
      properties: null,
    },
  },
  {
    source: '§9 #10',
    query: 'create model if not exists s.users(a: string, b: string)',
    expect: { kind: 'create-model', ifNotExists: true },
  },
  { source: '§9 #11', query: 'create model s.m(a: string)', expect: 27 },
  {
    source: '§9 #12',
    query: 'create model if not exists s.one(a: string)',
    expect: { kind: 'create-model', ifNotExists: true, fields: [field('a', type('string'))] },
  },
  {
    source: '§9 #13',
    query: 'create model s.m(k: float64, v: string)',
    expect: { kind: 'create-model' },
  },
  {
    source: '§9 #14',
    query: 'create model s.m(primary a: string, primary b: string)',
    expect: { fields: [field('a', type('string'), true), field('b', type('string'), true)] },
  },
  {
    source: '§9 #15',
    query: 'create model s.m(a: string, b: list)',
    expect: { fields: [field('a', type('string')), field('b', type('list'))] },
  },
  {
    source: '§9 #16',
    query: 'create model s.m(a: string, b: String)',
    expect: { fields: [field('a', type('string')), field('b', type('String'))] },
  },
  {
    source: '§9 #17',
    query: 'create model s.m(a: string, b: string { maxlen: ? })',
    parameters: [uint(5)],
    expect: {
      fields: [
        field('a', type('string')),
        field('b', type('string', null, [entry('maxlen', lit('uint', 5n, 0))])),
      ],
    },
  },
  {
    source: '§9 #18',
    query: 'create model s.m(a: string, b: string) with { p: ? }',
    parameters: [uint(1)],
    expect: { properties: dict(entry('p', lit('uint', 1n, 0))) },
  },
  { source: '§9 #19', query: 'create model s.m(key: string, v: string)', expect: 28 },
  { source: '§9 #20', query: 'create model s.m(primary null a: string, b: string)', expect: 30 },
  { source: '§9 #21', query: 'create model m(a: string, b: string)', expect: 28 },
  {
    source: '§9 #22',
    query: 'create model nope.m(a: string, b: string)',
    expect: { entity: ent('nope', 'm') },
  },
  {
    source: '§9 #23',
    query: 'insert into s.users(?, ?, ?, ?, [?, ?])',
    parameters: [str('sayan'), bin('pw'), nul, uint(30), str('a'), str('b')],
    expect: {
      kind: 'insert',
      entity: ent('s', 'users'),
      data: {
        kind: 'tuple',
        values: [
          lit('string', 'sayan', 0),
          lit('binary', new TextEncoder().encode('pw'), 1),
          nullValue(2),
          lit('uint', 30n, 3),
          { kind: 'list', elements: [lit('string', 'a', 4), lit('string', 'b', 5)] },
        ],
      },
    },
  },
  {
    source: '§9 #25',
    query: 'insert into s.users(?, ?, ?, ?, [])',
    parameters: [str('joe'), bin('pw'), nul, uint(300)],
    expect: {
      data: {
        kind: 'tuple',
        values: [{}, {}, nullValue(2), lit('uint', 300n, 3), { kind: 'list', elements: [] }],
      },
    },
  },
  {
    source: '§9 #26',
    query: 'insert into s.users(?, ?, ?, ?, [])',
    parameters: [str('joe'), bin('pw'), nul, sint(30)],
    expect: { kind: 'insert' },
  },
  {
    source: '§9 #27',
    query: 'insert into s.users(?, ?, ?, ?)',
    parameters: [str('joe'), bin('pw'), nul, uint(3)],
    expect: { data: { kind: 'tuple', values: [{}, {}, {}, {}] } },
  },
  {
    source: '§9 #28',
    query: 'insert into s.users(?, null, null, ?, [])',
    parameters: [str('joe'), uint(3)],
    expect: {
      data: {
        values: [
          lit('string', 'joe', 0),
          nullValue(),
          nullValue(),
          lit('uint', 3n, 1),
          { kind: 'list' },
        ],
      },
    },
  },
  {
    source: '§9 #29',
    query: 'insert into s.users(?, ?, ?, ?, [?, ?])',
    parameters: [str('joe'), bin('pw'), nul, uint(3), str('a'), uint(1)],
    expect: 28,
  },
  {
    source: '§9 #30',
    query: 'insert into s.users(?, ?, ?, 3, [])',
    parameters: [str('joe'), bin('pw'), nul],
    expect: 26,
  },
  {
    source: '§9 #31',
    query: "insert into s.users('joe', ?, ?, ?, [])",
    parameters: [bin('pw'), nul, uint(3)],
    expect: 28,
  },
  { source: '§9 #32', query: 'insert into s.users(?, ?, ?, ?, [])', expect: 28 },
  {
    source: '§9 #33',
    query: 'insert into s.users { username: ?, password: ?, email: ?, age: ?, tags: [] }',
    parameters: [str('joe'), bin('pw'), str('j@x'), uint(20)],
    expect: {
      data: {
        kind: 'map',
        entries: [
          entry('username', lit('string', 'joe', 0)),
          entry('password', {}),
          entry('email', {}),
          entry('age', lit('uint', 20n, 3)),
          entry('tags', { kind: 'list', elements: [] }),
        ],
      },
    },
  },
  {
    source: '§9 #34',
    query: 'insert into s.one(@uuidstr())',
    expect: { data: { values: [{ kind: 'function', name: 'uuidstr' }] } },
  },
  {
    source: '§9 #35',
    query: 'select * from s.users where username = ?',
    parameters: [str('sayan')],
    expect: {
      kind: 'select',
      columns: '*',
      entity: ent('s', 'users'),
      where: [cond('username', '=', lit('string', 'sayan', 0))],
    },
  },
  {
    source: '§9 #36',
    query: 'SELECT age, username FROM s.users WHERE username = ?',
    parameters: [str('sayan')],
    expect: { columns: [id('age'), id('username')] },
  },
  {
    source: '§9 #38',
    query: 'select nope from s.users where username = ?',
    parameters: [str('sayan')],
    expect: { columns: [id('nope')] },
  },
  {
    source: '§9 #39',
    query: 'select * from s.users where age = ?',
    parameters: [uint(30)],
    expect: { where: [cond('age', '=', lit('uint', 30n, 0))] },
  },
  {
    source: '§9 #40',
    query: 'select * from s.users where username > ?',
    parameters: [str('a')],
    expect: { where: [cond('username', '>', {})] },
  },
  { source: '§9 #41', query: 'select * from s.users', expect: { kind: 'select', where: [] } },
  {
    source: '§9 #42',
    query: 'select * from S.users where username = ?',
    parameters: [str('sayan')],
    expect: { entity: ent('S', 'users') },
  },
  {
    source: '§9 #43',
    query: 'update s.users set age += ?, email = ? where username = ?',
    parameters: [uint(1), str('s@x'), str('sayan')],
    expect: {
      kind: 'update',
      entity: ent('s', 'users'),
      assignments: [
        { kind: 'assignment', field: id('age'), operator: '+=', value: lit('uint', 1n, 0) },
        { field: id('email'), operator: '=', value: lit('string', 's@x', 1) },
      ],
      where: [cond('username', '=', lit('string', 'sayan', 2))],
    },
  },
  {
    source: '§9 #45',
    query: 'update s.users set tags += ? where username = ?',
    parameters: [uint(1), str('sayan')],
    expect: { kind: 'update' },
  },
  {
    source: '§9 #48',
    query: 'update s.users set email = ? where username = ?',
    parameters: [nul, str('sayan')],
    expect: 28,
  },
  {
    source: '§9 #50',
    query: 'update s.users set password += ?, nope = ? where username = ?',
    parameters: [bin('x'), uint(1), str('sayan')],
    expect: { assignments: [{ operator: '+=' }, { field: id('nope') }] },
  },
  {
    source: '§9 #51',
    query: 'select all * from s.users limit ?',
    parameters: [uint(10)],
    expect: {
      kind: 'select-all',
      columns: '*',
      entity: ent('s', 'users'),
      limit: lit('uint', 10n, 0),
    },
  },
  { source: '§9 #52', query: 'select all * from s.users', expect: 28 },
  {
    source: '§9 #53',
    query: 'select all * from s.users limit ?',
    parameters: [sint(10)],
    expect: 28,
  },
  {
    source: '§9 #54',
    query: 'select all nope from s.users limit ?',
    parameters: [uint(10)],
    expect: { columns: [id('nope')] },
  },
  {
    source: '§9 #55',
    query: 'delete from s.users where username = ?',
    parameters: [str('joe')],
    expect: { kind: 'delete', entity: ent('s', 'users'), where: [cond('username', '=', {})] },
  },
  { source: '§9 #56', query: 'use $current', expect: { kind: 'use', target: { kind: 'current' } } },
  {
    source: '§9 #57',
    query: 'use nope',
    expect: { kind: 'use', target: { kind: 'space', name: id('nope') } },
  },
  {
    source: '§9 #60',
    query: 'select username from users where username = ?',
    parameters: [str('sayan')],
    expect: { entity: ent(null, 'users') },
  },
  { source: '§9 #61', query: 'drop model users', expect: 31 },
  {
    source: '§9 #62',
    query: 'inspect model users',
    expect: { kind: 'inspect-model', entity: ent(null, 'users') },
  },
  { source: '§9 #63', query: 'inspect space t', expect: { kind: 'inspect-space', name: id('t') } },
  {
    source: '§9 #64',
    query: 'alter model s.users add bio { type: string, nullable: true }',
    expect: {
      kind: 'alter-model-add',
      entity: ent('s', 'users'),
      fields: [
        {
          kind: 'alter-field',
          name: id('bio'),
          type: type('string'),
          nullable: lit('bool', true),
          properties: [],
        },
      ],
    },
  },
  {
    source: '§9 #65 (5 tokens from the name, see README)',
    query: 'alter model s.users add bio { type: string }',
    expect: { fields: [{ name: id('bio'), type: type('string'), nullable: null }] },
  },
  { source: '§9 #66', query: 'alter model s.users add (x { type: string }, )', expect: 28 },
  {
    source: '§9 #67',
    query: 'alter model s.users remove username',
    expect: { kind: 'alter-model-remove', fields: [id('username')] },
  },
  {
    source: '§9 #69',
    query: 'alter model s.users remove (bio, bio)',
    expect: { fields: [id('bio'), id('bio')] },
  },
  {
    source: '§9 #70',
    query: 'alter model s.users update age { type: uint64 }',
    expect: { kind: 'alter-model-update', fields: [{ name: id('age'), type: type('uint64') }] },
  },
  {
    source: '§9 #73',
    query: 'alter model s.users update email { nullable: false }',
    expect: { fields: [{ type: null, nullable: lit('bool', false) }] },
  },
  { source: '§9 #75', query: 'alter model s.users rename x', expect: 32 },
  {
    source: '§9 #76',
    query: 'sysctl create user alice with { password: ? }',
    parameters: [str('pw1')],
    expect: {
      kind: 'sysctl-create-user',
      user: id('alice'),
      properties: dict(entry('password', lit('string', 'pw1', 0))),
    },
  },
  {
    source: '§9 #77',
    query: 'sysctl create user bob with { password: ?, role: ? }',
    parameters: [str('pw'), str('x')],
    expect: { properties: dict(entry('password', {}), entry('role', {})) },
  },
  {
    source: '§9 #78',
    query: 'sysctl create user ? with { password: ? }',
    parameters: [str('bob'), str('pw')],
    expect: 29,
  },
  {
    source: '§9 #79',
    query: 'sysctl alter user alice with { password: ? }',
    parameters: [str('pw2')],
    expect: { kind: 'sysctl-alter-user', user: id('alice') },
  },
  {
    source: '§9 #80',
    query: 'sysctl drop user root',
    expect: { kind: 'sysctl-drop-user', user: id('root') },
  },
  { source: '§9 #82', query: 'sysctl report status', expect: { kind: 'sysctl-report-status' } },
  { source: '§9 #83', query: 'inspect global', expect: { kind: 'inspect-global' } },
  { source: '§9 #84', query: 'sysctl magic moon', expect: 33 },
  {
    source: '§9 #85',
    query: 'alter space s with { env: { a: ? } }',
    parameters: [uint(1)],
    expect: {
      kind: 'alter-space',
      name: id('s'),
      properties: dict(entry('env', dict(entry('a', lit('uint', 1n, 0))))),
    },
  },
  {
    source: '§9 #87',
    query: 'alter space nope with { env: {} }',
    expect: { properties: dict(entry('env', dict())) },
  },
  {
    source: '§9 #88',
    query: 'drop space s',
    expect: { kind: 'drop-space', ifExists: false, allowNotEmpty: false, name: id('s') },
  },
  {
    source: '§9 #89',
    query: 'drop model s.users',
    expect: {
      kind: 'drop-model',
      ifExists: false,
      allowNotEmpty: false,
      entity: ent('s', 'users'),
    },
  },
  {
    source: '§9 #90',
    query: 'drop model allow not empty s.users',
    expect: { kind: 'drop-model', allowNotEmpty: true },
  },
  {
    source: '§9 #91',
    query: 'drop model if exists s.users',
    expect: { kind: 'drop-model', ifExists: true, allowNotEmpty: false },
  },
  {
    source: '§9 #93',
    query: 'drop space if exists t',
    expect: { kind: 'drop-space', ifExists: true, name: id('t') },
  },
  {
    source: '§9 #94',
    query: 'drop space allow not empty s',
    expect: { kind: 'drop-space', allowNotEmpty: true, name: id('s') },
  },
  { source: '§9 #95', query: 'describe s.users', expect: 33 },
  { source: '§9 #96', query: '', expect: 32 },
  { source: '§9 #98', query: 'select * from y.m where k = ?', parameterError: true, expect: 25 },
]

/** The other rows of §9: the same shapes again, with the parameters of their row. */
const conformanceRest: TableRow[] = [
  {
    source: '§9 #37',
    query: 'select * from s.users where username = ?',
    parameters: [str('nobody')],
    expect: { kind: 'select' },
  },
  {
    source: '§9 #44',
    query: 'update s.users set tags += ? where username = ?',
    parameters: [str('c'), str('sayan')],
    expect: { assignments: [{ field: id('tags'), operator: '+=', value: lit('string', 'c', 0) }] },
  },
  {
    source: '§9 #46',
    query: 'update s.users set age = ? where username = ?',
    parameters: [str('x'), str('sayan')],
    expect: { assignments: [{ field: id('age'), value: lit('string', 'x', 0) }] },
  },
  {
    source: '§9 #47',
    query: 'update s.users set username = ? where username = ?',
    parameters: [str('x'), str('sayan')],
    expect: { assignments: [{ field: id('username') }] },
  },
  {
    source: '§9 #49',
    query: 'update s.users set age = ? where username = ?',
    parameters: [uint(1), str('ghost')],
    expect: { where: [cond('username', '=', lit('string', 'ghost', 1))] },
  },
  {
    source: '§9 #58',
    query: 'use s',
    expect: { kind: 'use', target: { kind: 'space', name: id('s') } },
  },
  {
    source: '§9 #68',
    query: 'alter model s.users remove ghost',
    expect: { fields: [id('ghost')] },
  },
  {
    source: '§9 #71',
    query: 'alter model s.users update age { type: uint8 }',
    expect: { fields: [{ type: type('uint8') }] },
  },
  {
    source: '§9 #72',
    query: 'alter model s.users update age { type: sint64 }',
    expect: { fields: [{ type: type('sint64') }] },
  },
  {
    source: '§9 #74',
    query: 'alter model s.users update username { type: string }',
    expect: { fields: [{ name: id('username') }] },
  },
  { source: '§9 #81', query: 'create space z', expect: { kind: 'create-space', name: id('z') } },
  {
    source: '§9 #86',
    query: 'alter space s with { env: { a: ? } }',
    parameters: [str('x')],
    expect: { kind: 'alter-space' },
  },
  {
    source: '§9 #92',
    query: 'drop model if exists nope.m',
    expect: { ifExists: true, entity: ent('nope', 'm') },
  },
]

/** §1: lexical structure. */
const lexical: TableRow[] = [
  { source: '§1.1 no terminator', query: 'create space s;', expect: 28 },
  { source: '§1.1 no comments', query: 'create space s # hi', expect: 28 },
  {
    source: '§1.2 tab and LF are whitespace',
    query: 'create\tspace\ns',
    expect: { kind: 'create-space', name: id('s') },
  },
  { source: '§1.2 CR is not whitespace', query: 'create space s\r\n', expect: 26 },
  { source: '§1.2 non-ASCII byte', query: 'create space s\u00e9', expect: 26 },
  { source: '§1.2 char above 0xFF', query: 'create space \u4e2d', expect: 26 },
  { source: '§1.2 NUL byte', query: 'use\u0000s', expect: 26 },
  { source: '§1.2 digit at token start', query: 'create space 1s', expect: 26 },
  { source: '§1.2 negative number', query: 'select * from s.m where k = -5', expect: 26 },
  {
    source: '§1.2 digits inside a name',
    query: 'create space s2_x9',
    expect: { name: id('s2_x9') },
  },
  { source: '§1.2 underscore starts a name', query: 'create space _s', expect: { name: id('_s') } },
  { source: '§1.2 lex error beats statement error', query: 'hello 5', expect: 26 },
  {
    source: '§1.2 inline string lexes as quote tokens',
    query: 'select * from s.m where k = "joe"',
    expect: 28,
  },
  {
    source: '§1.2 two-char operator split by space',
    query: 'update s.m set a + = ? where k = ?',
    parameters: [uint(1), str('k')],
    expect: { assignments: [{ operator: '+=' }] },
  },
  {
    source: '§1.2 != split by space',
    query: 'select * from s.m where a ! = ?',
    parameters: [uint(1)],
    expect: { where: [cond('a', '!=', {})] },
  },
  { source: '§1.2 ?, no parameter left', query: 'select * from s.m where k = ?', expect: 28 },
  {
    source: '§1.3 keywords ignore case',
    query: 'SeLeCt * FrOm s.m WhErE k = ?',
    parameters: [uint(1)],
    expect: { kind: 'select' },
  },
  {
    source: '§1.3 names keep case',
    query: 'select * from S.M where K = ?',
    parameters: [uint(1)],
    expect: { entity: ent('S', 'M'), where: [cond('K', '=', {})] },
  },
  {
    source: '§1.3 keyword as field name',
    query: 'create model s.m(a: string, value: string)',
    expect: 28,
  },
  { source: '§3.1 keyword as space name (routing)', query: 'create space order', expect: 33 },
  { source: '§1.3 keyword as space name', query: 'drop space if exists order', expect: 28 },
  { source: '§1.3 keyword as use name', query: 'use order', expect: 28 },
  { source: '§3.1 true as a space name (routing)', query: 'create space true', expect: 33 },
  { source: '§1.3 true as a name', query: 'drop space allow not empty true', expect: 28 },
  {
    source: '§1.3 TRUE is a bool literal',
    query: 'select * from s.m where k = TRUE',
    expect: { where: [cond('k', '=', lit('bool', true))] },
  },
  {
    source: '§1.3 context words are names',
    query: 'create space global',
    expect: { name: id('global') },
  },
  {
    source: '§1.3 keyword as dict key',
    query: 'create space s with { type: ? }',
    parameters: [uint(1)],
    expect: 28,
  },
  {
    source: '§1.4 null parameter is the null keyword',
    query: 'insert into s.m(?, ?)',
    parameters: [str('k'), nul],
    expect: { data: { values: [{}, nullValue(1)] } },
  },
  {
    source: '§1.4 leftover parameters ignored',
    query: 'use s',
    parameters: [uint(1), str('x')],
    expect: { kind: 'use' },
  },
  {
    source: '§1.4 null parameter in WHERE',
    query: 'select * from s.m where k = ?',
    parameters: [nul],
    expect: 28,
  },
  {
    source: '§1.4 null parameter as LIMIT',
    query: 'select all * from s.m limit ?',
    parameters: [nul],
    expect: 28,
  },
  {
    source: '§1.4 uint out of range',
    query: 'select * from s.m where k = ?',
    parameters: [uint(1n << 64n)],
    expect: 25,
  },
  {
    source: '§1.4 sint out of range',
    query: 'select * from s.m where k = ?',
    parameters: [sint(-(1n << 63n) - 1n)],
    expect: 25,
  },
  {
    source: '§1.4 string not valid UTF-8',
    query: 'select * from s.m where k = ?',
    parameters: [str('\ud800')],
    expect: 25,
  },
  {
    source: '§1.4 bad parameter after the last ? is ignored',
    query: 'select * from s.m where k = ?',
    parameters: [uint(1)],
    parameterError: true,
    expect: { kind: 'select' },
  },
  {
    source: '§1.4 bad parameter beats a later syntax error',
    query: 'select ? from',
    parameterError: true,
    expect: 25,
  },
  {
    source: '§1.4 bad byte before the ? beats the bad parameter',
    query: 'select 5 ?',
    parameterError: true,
    expect: 26,
  },
  {
    source: '§1.4 bad parameter before a bad byte',
    query: 'select ? 5',
    parameterError: true,
    expect: 25,
  },
  {
    source: '§1.4 float NaN accepted',
    query: 'select * from s.m where k = ?',
    parameters: [float(Number.NaN)],
    expect: { where: [cond('k', '=', lit('float', Number.NaN, 0))] },
  },
]

/** §3: statement routing and minimum token counts. */
const routing: TableRow[] = [
  { source: '§3.1 not a statement keyword', query: 'hello world', expect: 32 },
  { source: '§3.1 keyword that is not a statement', query: 'model s.m', expect: 32 },
  { source: '§3.1 symbol first', query: '* from s.m', expect: 32 },
  { source: '§3.1 only whitespace', query: ' \n\t ', expect: 32 },
  { source: '§3.1 create alone', query: 'create', expect: 32 },
  { source: '§3.1 alter with one token', query: 'alter space', expect: 32 },
  { source: '§3.1 drop with one token', query: 'drop s', expect: 32 },
  { source: '§3.1 sysctl with one token', query: 'sysctl report', expect: 32 },
  { source: '§3.1 create space with', query: 'create space with', expect: 33 },
  { source: '§3.1 alter space if', query: 'alter space if exists s with {}', expect: 33 },
  { source: '§3.1 alter model allow', query: 'alter model allow x', expect: 33 },
  { source: '§3.1 create model allow', query: 'create model allow not empty s.m', expect: 33 },
  { source: '§3.1 drop index', query: 'drop index s.m', expect: 33 },
  { source: '§3.1 create user', query: 'create user bob', expect: 33 },
  {
    source: '§8 drop allow not empty without model',
    query: 'drop allow not empty s.m',
    expect: 33,
  },
  { source: '§3.1 exists', query: 'exists s.m', expect: 33 },
  { source: '§3.1 describe alone', query: 'describe', expect: 33 },
  { source: '§4.15 truncate', query: 'truncate s.m', expect: 32 },
  {
    source: '§4.15 upsert is not a statement',
    query: 'upsert into s.m(?)',
    parameters: [uint(1)],
    expect: 32,
  },
  {
    source: '§3.2 create space after if not exists',
    query: 'create space if not exists',
    expect: 27,
  },
  { source: '§3.2 create space if not x', query: 'create space if not x', expect: 28 },
  {
    source: '§3.2 create model counted with if-clause',
    query: 'create model if not exists s.m(a: string)',
    expect: { ifNotExists: true },
  },
  { source: '§3.2 create model 9 tokens', query: 'create model s.m(a: string) with', expect: 27 },
  {
    source: '§3.2 create model 10 tokens, empty with',
    query: 'create model s.m(a: string) with {}',
    expect: { fields: [field('a', type('string'))], properties: dict() },
  },
  {
    source: '§3.2 field needs 2 tokens',
    query: 'create model s.m(a: string, b: string, c',
    expect: 27,
  },
  {
    source: '§3.2 trailing comma, one token left',
    query: 'create model s.m(a: string, b: string,)',
    expect: 27,
  },
  {
    source: '§4.4 trailing comma among fields',
    query: 'create model s.m(a: string, b: string,) with {}',
    expect: 28,
  },
  { source: '§3.2 alter space 3 tokens', query: 'alter space s with', expect: 27 },
  {
    source: '§3.2 alter space 4 tokens',
    query: 'alter space s with {}',
    expect: { kind: 'alter-space', properties: dict() },
  },
  { source: '§3.2 alter model 2 tokens', query: 'alter model s.', expect: 28 },
  { source: '§7 #3 alter model nothing after name', query: 'alter model s.m', expect: 27 },
  { source: '§3.2 alter model add 4 tokens', query: 'alter model s.m add x { }', expect: 27 },
  {
    source: '§3.2 alter model add field body',
    query: 'alter model s.m add (x {}, y { type: string })',
    expect: { fields: [{ name: id('x'), type: null }, { name: id('y') }] },
  },
  {
    source: '§3.2 alter model add last field body 4 tokens',
    query: 'alter model s.m add (y { type: string }, x {})',
    expect: 27,
  },
  { source: '§3.2 alter model remove nothing', query: 'alter model s.m remove', expect: 27 },
  { source: '§3.2 drop space if exists nothing', query: 'drop space if exists', expect: 27 },
  { source: '§3.2 drop model if exists nothing', query: 'drop model if exists', expect: 27 },
  { source: '§3.2 insert 4 tokens', query: 'insert into m()', expect: 27 },
  {
    source: '§3.2 insert 5 tokens bare',
    query: 'insert into m(?)',
    parameters: [uint(1)],
    expect: { entity: ent(null, 'm') },
  },
  { source: '§3.2 select 2 tokens', query: 'select * from', expect: 27 },
  {
    source: '§3.2 select 3 tokens',
    query: 'select * from m',
    expect: { entity: ent(null, 'm'), where: [] },
  },
  { source: '§3.2 select all 4 tokens', query: 'select all * from m', expect: 27 },
  { source: '§3.2 select all after columns 3', query: 'select all a, b from m', expect: 27 },
  {
    source: '§3.2 select all, bare model',
    query: 'select all a from m limit ?',
    parameters: [uint(5)],
    expect: { columns: [id('a')], entity: ent(null, 'm') },
  },
  {
    source: '§3.2 update 8 tokens',
    query: 'update m set a = ? where k =',
    parameters: [uint(1)],
    expect: 27,
  },
  {
    source: '§3.2 update 9 tokens bare',
    query: 'update m set a = ? where k = ?',
    parameters: [uint(1), uint(2)],
    expect: { entity: ent(null, 'm') },
  },
  { source: '§3.2 delete 4 tokens', query: 'delete from s.m', expect: 27 },
  { source: '§4.13 delete 5 tokens without where', query: 'delete from s.m x', expect: 28 },
  {
    source: '§3.2 sysctl create user 6 tokens',
    query: 'sysctl create user a with { }',
    expect: 28,
  },
  { source: '§3.2 inspect nothing', query: 'inspect', expect: 27 },
  { source: '§3.2 inspect space nothing', query: 'inspect space', expect: 27 },
  { source: '§3.2 use nothing', query: 'use', expect: 28 },
  { source: '§3.2 use three tokens', query: 'use a b c', expect: 28 },
]

/** §4.1–4.8: DDL, use and inspect. */
const ddl: TableRow[] = [
  {
    source: '§4.1 with a dict',
    query: 'create space s with { env: { a: ?, b: { c: true } } }',
    parameters: [str('x')],
    expect: {
      properties: dict(
        entry(
          'env',
          dict(entry('a', lit('string', 'x', 0)), entry('b', dict(entry('c', lit('bool', true))))),
        ),
      ),
    },
  },
  {
    source: '§4.1 env null',
    query: 'create space s with { env: null }',
    expect: { properties: dict(entry('env', nullValue())) },
  },
  {
    source: '§4.1 trailing comma in dict',
    query: 'create space s with { env: {}, }',
    expect: { properties: dict(entry('env', dict())) },
  },
  { source: '§4.1 {,}', query: 'create space s with {,}', expect: 28 },
  {
    source: '§4.1 duplicate key',
    query: 'create space s with { env: null, env: null }',
    expect: 28,
  },
  { source: '§4.1 list in a dict', query: 'create space s with { env: [] }', expect: 28 },
  { source: '§4.1 anything but with', query: 'create space s env', expect: 28 },
  { source: '§4.1 with and nothing', query: 'create space s with', expect: 28 },
  { source: '§4.1 unterminated dict', query: 'create space s with { env: null', expect: 28 },
  { source: '§4.1 trailing tokens', query: 'create space s with {} x', expect: 28 },
  { source: '§4.1 missing dict parameter', query: 'create space s with { env: ? }', expect: 28 },
  { source: '§4.1 qualified space name', query: 'create space s.t', expect: 28 },
  { source: '§4.2 missing with', query: 'alter space s set { env: {} }', expect: 28 },
  { source: '§4.2 missing brace is header', query: 'alter space s with env x', expect: 28 },
  { source: '§4.2 malformed dict', query: 'alter space s with { env: }', expect: 29 },
  { source: '§4.2 duplicate key', query: 'alter space s with { env: {}, env: {} }', expect: 29 },
  { source: '§4.2 unterminated dict', query: 'alter space s with { env: {}', expect: 29 },
  {
    source: '§4.2 missing parameter in dict',
    query: 'alter space s with { env: { a: ? } }',
    expect: 29,
  },
  {
    source: '§4.2 missing parameter beats trailing tokens',
    query: 'alter space s with { env: ? } x',
    expect: 29,
  },
  {
    source: '§4.2 trailing tokens',
    query: 'alter space s with { env: ? } x',
    parameters: [uint(1)],
    expect: 28,
  },
  {
    source: '§4.2 null parameter in dict',
    query: 'alter space s with { env: { a: ? } }',
    parameters: [nul],
    expect: { properties: dict(entry('env', dict(entry('a', nullValue(0))))) },
  },
  {
    source: '§4.3 both clauses',
    query: 'drop space if exists allow not empty s',
    expect: { kind: 'drop-space', ifExists: true, allowNotEmpty: true, name: id('s') },
  },
  {
    source: '§4.3 EMPTY in capitals',
    query: 'drop space allow not EMPTY s',
    expect: { allowNotEmpty: true },
  },
  {
    source: '§4.3 clauses out of order',
    query: 'drop space allow not empty if exists s',
    expect: 28,
  },
  { source: '§4.3 force', query: 'drop space s force', expect: 28 },
  { source: '§4.3 allow not empty without name', query: 'drop space allow not empty', expect: 28 },
  {
    source: '§4.4 list of list',
    query: 'create model s.m(k: uint64, v: list { type: list { type: uint8 } })',
    expect: {
      fields: [field('k', type('uint64')), field('v', type('list', type('list', type('uint8'))))],
    },
  },
  {
    source: '§4.4 explicit primary',
    query: 'create model s.m(a: string, primary b: uint64)',
    expect: { fields: [field('a', type('string')), field('b', type('uint64'), true)] },
  },
  {
    source: '§4.4 type after properties',
    query: 'create model s.m(a: string, b: list { x: true, type: string, })',
    expect: {
      fields: [{}, field('b', type('list', type('string'), [entry('x', lit('bool', true))]))],
    },
  },
  {
    source: '§4.4 empty type body',
    query: 'create model s.m(a: string, b: string {})',
    expect: { fields: [{}, field('b', type('string'))] },
  },
  {
    source: '§4.4 null then primary',
    query: 'create model s.m(null primary a: string, b: string)',
    expect: 28,
  },
  { source: '§4.4 type is a keyword', query: 'create model s.m(a: string, b: null)', expect: 30 },
  {
    source: '§4.4 bad type body',
    query: 'create model s.m(a: string, b: list { type })',
    expect: 30,
  },
  {
    source: '§4.4 type given twice',
    query: 'create model s.m(a: string, b: list { type: string, type: uint8 })',
    expect: 30,
  },
  {
    source: '§4.4 duplicate type property',
    query: 'create model s.m(a: string, b: string { x: ?, x: ? })',
    parameters: [uint(1), uint(2)],
    expect: 30,
  },
  {
    source: '§4.4 missing parameter in type body',
    query: 'create model s.m(a: string, b: string { maxlen: ? })',
    expect: 30,
  },
  { source: '§4.4 missing colon', query: 'create model s.m(a string, b: string)', expect: 28 },
  {
    source: '§4.4 missing parenthesis',
    query: 'create model s.m a: string, b: string',
    expect: 28,
  },
  {
    source: '§4.4 missing close parenthesis',
    query: 'create model s.m(a: string, b: string with {}',
    expect: 28,
  },
  { source: '§4.4 no fields', query: 'create model s.m() with { a: null }', expect: 28 },
  {
    source: '§4.4 with dict missing parameter',
    query: 'create model s.m(a: string, b: string) with { p: ? }',
    expect: 28,
  },
  { source: '§4.4 trailing tokens', query: 'create model s.m(a: string, b: string) x', expect: 28 },
  {
    source: '§4.4 ? as null prefix',
    query: 'create model s.m(a: string, ? b: string)',
    parameters: [nul],
    expect: { fields: [field('a', type('string')), field('b', type('string'), false, true)] },
  },
  {
    source: '§4.4 ? as null prefix, not null',
    query: 'create model s.m(a: string, ? b: string)',
    parameters: [str('x')],
    expect: 28,
  },
  {
    source: '§4.4 primary ? with null parameter',
    query: 'create model s.m(primary ? a: string, b: string)',
    parameters: [nul],
    expect: 30,
  },
  {
    source: '§4.4 primary ? with a string',
    query: 'create model s.m(primary ? a: string, b: string)',
    parameters: [str('x')],
    expect: 28,
  },
  {
    source: '§4.5 add several',
    query:
      'alter model s.m add (a { type: string }, b { type: list { type: uint8 }, nullable: ? })',
    parameters: [bool(true)],
    expect: {
      kind: 'alter-model-add',
      fields: [
        { name: id('a'), type: type('string') },
        { name: id('b'), type: type('list', type('uint8')), nullable: lit('bool', true, 0) },
      ],
    },
  },
  {
    source: '§4.5 add extra keys kept',
    query: 'alter model s.m add a { type: string, foo: ? }',
    parameters: [uint(1)],
    expect: { fields: [{ properties: [entry('foo', lit('uint', 1n, 0))] }] },
  },
  {
    source: '§4.5 add without type parses',
    query: 'alter model s.m add a { nullable: true }',
    expect: { fields: [{ type: null, nullable: lit('bool', true) }] },
  },
  {
    source: '§4.5 colon before body',
    query: 'alter model s.m add a: { type: string }',
    expect: 28,
  },
  { source: '§4.5 unqualified model', query: 'alter model m add a { type: string }', expect: 31 },
  { source: '§4.5 unknown action', query: 'alter model s.m drop a', expect: 32 },
  {
    source: '§4.5 nullable null parses',
    query: 'alter model s.m update a { nullable: null }',
    expect: { fields: [{ nullable: nullValue() }] },
  },
  {
    source: '§4.5 remove list trailing comma',
    query: 'alter model s.m remove (a, b,)',
    expect: 28,
  },
  { source: '§4.5 remove empty list', query: 'alter model s.m remove ()', expect: 28 },
  { source: '§4.5 remove keyword name', query: 'alter model s.m remove key', expect: 28 },
  { source: '§4.5 trailing tokens', query: 'alter model s.m remove a b', expect: 28 },
  {
    source: '§4.5 duplicate xbody key',
    query: 'alter model s.m update a { nullable: true, nullable: false }',
    expect: 28,
  },
  {
    source: '§4.5 bad type in xbody',
    query: 'alter model s.m update a { type: list { type } }',
    expect: 28,
  },
  {
    source: '§4.6 if exists and allow not empty',
    query: 'drop model if exists allow not empty s.m',
    expect: { ifExists: true, allowNotEmpty: true },
  },
  {
    source: '§4.6 allow not empty, unqualified',
    query: 'drop model allow not empty m',
    expect: 31,
  },
  { source: '§4.6 trailing tokens', query: 'drop model s.m x', expect: 28 },
  { source: '§4.7 use null', query: 'use null', expect: { kind: 'use', target: { kind: 'null' } } },
  {
    source: '§4.7 use ? with null',
    query: 'use ?',
    parameters: [nul],
    expect: { kind: 'use', target: { kind: 'null' } },
  },
  { source: '§4.7 use ? with a string', query: 'use ?', parameters: [str('s')], expect: 28 },
  { source: '§4.7 use $CURRENT', query: 'use $CURRENT', expect: { target: { kind: 'current' } } },
  { source: '§4.7 use $other', query: 'use $other', expect: 28 },
  { source: '§4.7 use qualified', query: 'use s.m', expect: 28 },
  { source: '§4.7 use two names', query: 'use a b', expect: 28 },
  { source: '§4.7 use keyword', query: 'use space', expect: 28 },
  { source: '§4.8 inspect GLOBAL', query: 'INSPECT GLOBAL', expect: { kind: 'inspect-global' } },
  {
    source: '§4.8 inspect qualified model',
    query: 'inspect model s.m',
    expect: { kind: 'inspect-model', entity: ent('s', 'm') },
  },
  {
    source: '§4.8 inspect model, no current space',
    query: 'inspect model m',
    noCurrentSpace: true,
    expect: 31,
  },
  { source: '§4.8 inspect model nothing', query: 'inspect model', expect: 31 },
  { source: '§4.8 inspect other word', query: 'inspect spaces', expect: 28 },
  { source: '§4.8 inspect global trailing', query: 'inspect global x', expect: 28 },
  { source: '§4.8 inspect space qualified', query: 'inspect space s.m', expect: 28 },
]

/** §4.9–4.14: DML and sysctl. */
const dml: TableRow[] = [
  {
    source: '§4.9 nested lists',
    query: 'insert into s.m(?, [[?], [], [?, ?]])',
    parameters: [str('k'), uint(1), uint(2), uint(3)],
    expect: {
      data: {
        values: [
          {},
          {
            kind: 'list',
            elements: [
              { kind: 'list', elements: [{}] },
              { kind: 'list', elements: [] },
              { kind: 'list' },
            ],
          },
        ],
      },
    },
  },
  {
    source: '§4.9 nested lists disagree',
    query: 'insert into s.m(?, [[?], [?]])',
    parameters: [str('k'), uint(1), sint(2)],
    expect: 28,
  },
  {
    source: '§4.9 list and scalar mixed',
    query: 'insert into s.m(?, [?, [?]])',
    parameters: [str('k'), uint(1), uint(2)],
    expect: 28,
  },
  {
    source: '§4.9 depths disagree',
    query: 'insert into s.m(?, [[[?]], [?]])',
    parameters: [str('k'), uint(1), uint(2)],
    expect: 28,
  },
  {
    source: '§4.9 disagreement deep down',
    query: 'insert into s.m(?, [[[?]], [[?]]])',
    parameters: [str('k'), uint(1), str('x')],
    expect: 28,
  },
  {
    source: '§4.9 bool and function in a list',
    query: 'insert into s.m(?, [true, @uuidstr()])',
    parameters: [str('k')],
    expect: 28,
  },
  {
    source: '§4.9 null in a list',
    query: 'insert into s.m(?, [null])',
    parameters: [str('k')],
    expect: 28,
  },
  {
    source: '§4.9 null parameter in a list',
    query: 'insert into s.m(?, [?])',
    parameters: [str('k'), nul],
    expect: 28,
  },
  {
    source: '§4.9 trailing comma in a list',
    query: 'insert into s.m(?, [?,])',
    parameters: [str('k'), uint(1)],
    expect: 28,
  },
  {
    source: '§4.9 trailing comma in a tuple',
    query: 'insert into s.m(?, ?,)',
    parameters: [str('k'), uint(1)],
    expect: 28,
  },
  {
    source: '§4.9 trailing comma in a map',
    query: 'insert into s.m { a: ?, }',
    parameters: [str('k')],
    expect: 28,
  },
  {
    source: '§4.9 repeated map key',
    query: 'insert into s.m { a: ?, a: ? }',
    parameters: [str('k'), str('j')],
    expect: 28,
  },
  {
    source: '§4.9 empty tuple parses',
    query: 'insert into s.m()',
    expect: { data: { kind: 'tuple', values: [] } },
  },
  {
    source: '§4.9 empty map parses',
    query: 'insert into s.m {}',
    expect: { data: { kind: 'map', entries: [] } },
  },
  {
    source: '§4.9 all functions',
    query: 'insert into s.m(@uuidstr(), @uuidbin(), @timesec())',
    expect: { data: { values: [{ name: 'uuidstr' }, { name: 'uuidbin' }, { name: 'timesec' }] } },
  },
  {
    source: '§4.9 functions in a list',
    query: 'insert into s.m(?, [@timesec(), ?])',
    parameters: [str('k'), uint(5)],
    expect: {
      data: {
        values: [{}, { kind: 'list', elements: [{ kind: 'function' }, lit('uint', 5n, 1)] }],
      },
    },
  },
  {
    source: '§4.9 function and literal disagree',
    query: 'insert into s.m(?, [@timesec(), ?])',
    parameters: [str('k'), str('x')],
    expect: 28,
  },
  { source: '§4.9 unknown function', query: 'insert into s.m(@uuid())', expect: 28 },
  {
    source: '§4.9 function names are case-sensitive',
    query: 'insert into s.m(@UUIDSTR())',
    expect: 28,
  },
  {
    source: '§4.9 function with an argument',
    query: 'insert into s.m(@timesec(?))',
    parameters: [uint(1)],
    expect: 28,
  },
  {
    source: '§4.9 missing into',
    query: 'insert s.m(?, ?, ?)',
    parameters: [uint(1), uint(2), uint(3)],
    expect: 28,
  },
  {
    source: '§4.9 bool literals inline',
    query: 'insert into s.m(?, true, FALSE)',
    parameters: [str('k')],
    expect: { data: { values: [{}, lit('bool', true), lit('bool', false)] } },
  },
  {
    source: '§4.9 dict as a value',
    query: 'insert into s.m(?, { a: ? })',
    parameters: [str('k'), uint(1)],
    expect: 28,
  },
  {
    source: '§4.9 bare model, no current space',
    query: 'insert into m(?, ?)',
    parameters: [str('k'), uint(1)],
    noCurrentSpace: true,
    expect: 28,
  },
  {
    source: '§4.9 trailing tokens',
    query: 'insert into s.m(?) x',
    parameters: [str('k')],
    expect: 28,
  },
  {
    source: '§4.10 all operators',
    query: 'select * from s.m where a = ? and b != ? and c > ? and d >= ? and e < ? and f <= ?',
    parameters: [uint(1), uint(2), uint(3), uint(4), uint(5), uint(6)],
    expect: {
      where: [
        cond('a', '=', {}),
        cond('b', '!=', {}),
        cond('c', '>', {}),
        cond('d', '>=', {}),
        cond('e', '<', {}),
        cond('f', '<=', {}),
      ],
    },
  },
  {
    source: '§4.10 field twice in WHERE',
    query: 'select * from s.m where k = ? and k = ?',
    parameters: [uint(1), uint(2)],
    expect: 28,
  },
  {
    source: '§4.10 or',
    query: 'select * from s.m where k = ? or a = ?',
    parameters: [uint(1), uint(2)],
    expect: 28,
  },
  { source: '§4.10 where and nothing', query: 'select * from s.m where', expect: 28 },
  {
    source: '§4.10 dangling and',
    query: 'select * from s.m where k = ? and',
    parameters: [uint(1)],
    expect: 28,
  },
  {
    source: '§4.10 repeated columns',
    query: 'select a, a from s.m where k = ?',
    parameters: [uint(1)],
    expect: { columns: [id('a'), id('a')] },
  },
  {
    source: '§4.10 star and a column',
    query: 'select *, a from s.m where k = ?',
    parameters: [uint(1)],
    expect: 28,
  },
  {
    source: '§4.10 trailing comma in columns',
    query: 'select a, from s.m where k = ?',
    parameters: [uint(1)],
    expect: 28,
  },
  {
    source: '§4.10 bad operator',
    query: 'select * from s.m where k == ?',
    parameters: [uint(1)],
    expect: 28,
  },
  {
    source: '§4.10 bare ! operator',
    query: 'select * from s.m where k ! ?',
    parameters: [uint(1)],
    expect: 28,
  },
  { source: '§4.10 null in WHERE', query: 'select * from s.m where k = null', expect: 28 },
  {
    source: '§4.10 bare model, no current space',
    query: 'select * from m where k = ?',
    parameters: [uint(1)],
    noCurrentSpace: true,
    expect: 28,
  },
  {
    source: '§7 #2 bare model, nothing after',
    query: 'select a from m',
    expect: { columns: [id('a')], where: [] },
  },
  { source: '§4.11 limit from text', query: 'select all * from s.m limit true', expect: 28 },
  { source: '§4.11 limit identifier', query: 'select all * from s.m limit x', expect: 28 },
  {
    source: '§4.11 limit float',
    query: 'select all * from s.m limit ?',
    parameters: [float(1)],
    expect: 28,
  },
  { source: '§4.11 limit missing parameter', query: 'select all * from s.m limit ?', expect: 28 },
  {
    source: '§4.11 limit 0',
    query: 'select all a, b from s.m limit ?',
    parameters: [uint(0)],
    expect: { limit: lit('uint', 0n, 0) },
  },
  {
    source: '§4.11 where instead of limit',
    query: 'select all * from s.m where k = ?',
    parameters: [uint(1)],
    expect: 28,
  },
  {
    source: '§4.11 trailing tokens',
    query: 'select all * from s.m limit ? x',
    parameters: [uint(1)],
    expect: 28,
  },
  {
    source: '§4.12 every operator',
    query: 'update s.m set a = ?, b += ?, c -= ?, d *= ?, e /= ? where k = ?',
    parameters: [uint(1), sint(-2), float(0.5), uint(3), float(2), str('k')],
    expect: {
      assignments: [
        { operator: '=' },
        { operator: '+=', value: lit('sint', -2n, 1) },
        { operator: '-=', value: lit('float', 0.5, 2) },
        { operator: '*=' },
        { operator: '/=' },
      ],
    },
  },
  {
    source: '§4.12 same field twice',
    query: 'update s.m set a += ?, a += ? where k = ?',
    parameters: [uint(1), uint(1), str('k')],
    expect: { assignments: [{ field: id('a') }, { field: id('a') }] },
  },
  {
    source: '§4.12 null in SET',
    query: 'update s.m set a = null where k = ?',
    parameters: [str('k')],
    expect: 28,
  },
  {
    source: '§4.12 list in SET',
    query: 'update s.m set a += [?] where k = ?',
    parameters: [uint(1), str('k')],
    expect: 28,
  },
  {
    source: '§4.12 function in SET',
    query: 'update s.m set a = @timesec() where k = ?',
    parameters: [str('k')],
    expect: 28,
  },
  {
    source: '§4.12 %= is not an operator',
    query: 'update s.m set a %= ? where k = ?',
    parameters: [uint(1), str('k')],
    expect: 28,
  },
  {
    source: '§4.12 without where',
    query: 'update s.m set a = ?, b = ? c',
    parameters: [uint(1), uint(2)],
    expect: 28,
  },
  {
    source: '§4.12 trailing comma in SET',
    query: 'update s.m set a = ?, where k = ?',
    parameters: [uint(1), str('k')],
    expect: 28,
  },
  {
    source: '§4.12 bool from text in SET',
    query: 'update s.m set a = true where k = ?',
    parameters: [str('k')],
    expect: { assignments: [{ value: lit('bool', true) }] },
  },
  {
    source: '§4.13 delete with two conditions',
    query: 'delete from s.m where k = ? and a > ?',
    parameters: [str('k'), uint(1)],
    expect: { kind: 'delete', where: [cond('k', '=', {}), cond('a', '>', {})] },
  },
  {
    source: '§4.13 missing from',
    query: 'delete s.m where k = ?',
    parameters: [str('k')],
    expect: 28,
  },
  {
    source: '§4.13 bare model',
    query: 'delete from m where k = ?',
    parameters: [str('k')],
    expect: { entity: ent(null, 'm') },
  },
  {
    source: '§4.14 sysctl in capitals',
    query: 'SYSCTL REPORT STATUS',
    expect: { kind: 'sysctl-report-status' },
  },
  { source: '§4.14 report status trailing', query: 'sysctl report status now', expect: 28 },
  { source: '§4.14 report other', query: 'sysctl report health', expect: 33 },
  { source: '§4.14 create other', query: 'sysctl create space s', expect: 33 },
  {
    source: '§4.14 user name keyword',
    query: 'sysctl create user space with { password: ? }',
    parameters: [str('x')],
    expect: 29,
  },
  {
    source: '§4.14 user without with',
    query: 'sysctl create user alice set { password: ? }',
    parameters: [str('x')],
    expect: 29,
  },
  {
    source: '§4.14 malformed user dict',
    query: 'sysctl create user alice with { password ?, }',
    parameters: [str('x')],
    expect: 29,
  },
  {
    source: '§4.14 user dict missing parameter',
    query: 'sysctl create user alice with { password: ? }',
    expect: 29,
  },
  {
    source: '§4.14 user dict trailing',
    query: 'sysctl alter user alice with { password: ? } x',
    parameters: [str('x')],
    expect: 28,
  },
  { source: '§4.14 drop user nothing', query: 'sysctl drop user', expect: 28 },
  { source: '§4.14 drop two users', query: 'sysctl drop user a b', expect: 28 },
  { source: '§4.14 drop user ?', query: 'sysctl drop user ?', parameters: [str('a')], expect: 28 },
  {
    source: '§4.14 drop user in capitals',
    query: 'sysctl drop USER alice',
    expect: { user: id('alice') },
  },
]

/** skydb's transaction statements (README). */
const transactions: TableRow[] = [
  { source: 'txn begin', query: 'begin', expect: { kind: 'begin', isolation: null } },
  {
    source: 'txn begin transaction',
    query: 'BEGIN TRANSACTION',
    expect: { kind: 'begin', isolation: null },
  },
  {
    source: 'txn read uncommitted',
    query: 'begin isolation level read uncommitted',
    expect: { isolation: 'read-uncommitted' },
  },
  {
    source: 'txn read committed',
    query: 'begin transaction isolation level read committed',
    expect: { isolation: 'read-committed' },
  },
  {
    source: 'txn repeatable read',
    query: 'begin isolation level repeatable read',
    expect: { isolation: 'repeatable-read' },
  },
  {
    source: 'txn snapshot',
    query: 'Begin Isolation Level Snapshot',
    expect: { isolation: 'snapshot' },
  },
  {
    source: 'txn serializable',
    query: 'begin isolation level serializable',
    expect: { isolation: 'serializable' },
  },
  { source: 'txn unknown level', query: 'begin isolation level chaos', expect: 28 },
  { source: 'txn level missing', query: 'begin isolation level', expect: 28 },
  { source: 'txn read alone', query: 'begin isolation level read', expect: 28 },
  { source: 'txn missing level word', query: 'begin isolation serializable', expect: 28 },
  { source: 'txn trailing', query: 'begin isolation level snapshot now', expect: 28 },
  { source: 'txn commit', query: 'commit', expect: { kind: 'commit' } },
  { source: 'txn COMMIT TRANSACTION', query: 'COMMIT TRANSACTION', expect: { kind: 'commit' } },
  { source: 'txn rollback', query: 'rollback', expect: { kind: 'rollback' } },
  { source: 'txn rollback trailing', query: 'rollback now', expect: 28 },
  {
    source: 'txn commit is still a name',
    query: 'create space commit',
    expect: { name: id('commit') },
  },
  { source: 'txn end is reserved, not a statement', query: 'end', expect: 32 },
]

/** Every row of the table. */
export const statementTable: readonly TableRow[] = [
  ...conformance,
  ...conformanceRest,
  ...lexical,
  ...routing,
  ...ddl,
  ...dml,
  ...transactions,
]
