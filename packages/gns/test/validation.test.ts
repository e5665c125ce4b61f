/**
 * Goal: every invalid name, type, duplicate, missing object and bad property yields its typed error
 * with the Skytable code the spec names, and leaves the catalog unchanged (same version, nothing
 * written: a reopen sees the same catalog). Method: one catalog shaped like the spec's conformance
 * examples (§9), then a table of bad statements, each checked for code, Skytable code and no
 * change.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import type { DdlOp, Gns } from '../src/index.js'
import { skytableCodeOf } from '../src/index.js'
import type { SimFileSystem } from '@sky/vfs'
import {
  bin,
  bool,
  createModel,
  createSpace,
  createUser,
  describeCatalog,
  dict,
  fields,
  float,
  newSim,
  open,
  sint,
  str,
  typeSpec,
  uint,
} from './helpers.js'

const alter = (
  space: string,
  name: string,
  action: Extract<DdlOp, { kind: 'alterModel' }>['action'],
): DdlOp => ({
  kind: 'alterModel',
  space,
  name,
  action,
})
const add = (name: string, type?: string, properties?: Parameters<typeof dict>[0]) => ({
  name,
  ...(type === undefined ? {} : { type: typeSpec(type) }),
  ...(properties === undefined ? {} : { properties: dict(properties) }),
})
const nullable = (value: boolean) => ({ nullable: bool(value) })

/** [label, statement, code, Skytable code] */
const badStatements: [string, DdlOp, string, number][] = [
  // names (E28: a keyword or non-identifier where a name belongs)
  ['space named with a keyword', createSpace('model'), 'GNS_INVALID_NAME', 28],
  ['space named with a keyword in capitals', createSpace('KEY'), 'GNS_INVALID_NAME', 28],
  ['space named true', createSpace('True'), 'GNS_INVALID_NAME', 28],
  ['space name starting with a digit', createSpace('1abc'), 'GNS_INVALID_NAME', 28],
  ['space name with a dash', createSpace('a-b'), 'GNS_INVALID_NAME', 28],
  ['empty space name', createSpace(''), 'GNS_INVALID_NAME', 28],
  ['non-ASCII space name', createSpace('café'), 'GNS_INVALID_NAME', 28],
  ['space name over 255 bytes', createSpace('x'.repeat(256)), 'GNS_INVALID_NAME', 28],
  ['model named with a keyword', createModel('s', 'select', 'a:string'), 'GNS_INVALID_NAME', 28],
  [
    'field named key (spec §9 #19)',
    createModel('s', 'm', 'key:string', 'v:string'),
    'GNS_INVALID_NAME',
    28,
  ],
  [
    'model in a space named with a keyword',
    createModel('space', 'm', 'a:string'),
    'GNS_INVALID_NAME',
    28,
  ],
  [
    'added field named value',
    alter('s', 'users', { kind: 'add', fields: [add('value', 'string')] }),
    'GNS_INVALID_NAME',
    28,
  ],
  [
    'removed field named with a keyword',
    alter('s', 'users', { kind: 'remove', names: ['from'] }),
    'GNS_INVALID_NAME',
    28,
  ],
  [
    'drop model named with a keyword',
    { kind: 'dropModel', space: 's', name: 'limit' },
    'GNS_INVALID_NAME',
    28,
  ],
  ['drop space named with a keyword', { kind: 'dropSpace', name: 'null' }, 'GNS_INVALID_NAME', 28],
  ['user named with a keyword', createUser('where', 'pw'), 'GNS_INVALID_NAME', 28],
  ['drop user named with a dash', { kind: 'dropUser', name: 'a-b' }, 'GNS_INVALID_NAME', 28],
  // missing objects (E100)
  [
    'model in a missing space (spec §9 #22)',
    createModel('nope', 'm', 'a:string', 'b:string'),
    'GNS_NOT_FOUND',
    100,
  ],
  [
    'alter a missing space (spec §9 #87)',
    { kind: 'alterSpace', name: 'nope', properties: dict({ env: {} }) },
    'GNS_NOT_FOUND',
    100,
  ],
  ['drop a missing space', { kind: 'dropSpace', name: 'nope' }, 'GNS_NOT_FOUND', 100],
  [
    'alter a model in a missing space',
    alter('nope', 'm', { kind: 'remove', names: ['a'] }),
    'GNS_NOT_FOUND',
    100,
  ],
  [
    'alter a missing model',
    alter('s', 'nope', { kind: 'remove', names: ['a'] }),
    'GNS_NOT_FOUND',
    100,
  ],
  ['drop a missing model', { kind: 'dropModel', space: 's', name: 'nope' }, 'GNS_NOT_FOUND', 100],
  [
    'drop if exists in a missing space (spec §9 #92)',
    { kind: 'dropModel', space: 'nope', name: 'm', ifExists: true },
    'GNS_NOT_FOUND',
    100,
  ],
  // unknown fields (E101)
  [
    'update an unknown field',
    alter('s', 'users', { kind: 'update', fields: [add('ghost', 'string')] }),
    'GNS_UNKNOWN_FIELD',
    101,
  ],
  [
    'remove an unknown field (spec §9 #68)',
    alter('s', 'users', { kind: 'remove', names: ['ghost'] }),
    'GNS_UNKNOWN_FIELD',
    101,
  ],
  // properties (E102)
  [
    'space property other than env',
    createSpace('x', { properties: dict({ colour: str('red') }) }),
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'env that is not a dict (spec §9 #5)',
    createSpace('x', { properties: dict({ env: uint(1) }) }),
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'env key that is a keyword',
    createSpace('x', { properties: dict({ env: { order: uint(1) } }) }),
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'env nested deeper than 8',
    createSpace('x', {
      properties: dict({
        env: { a: { a: { a: { a: { a: { a: { a: { a: { a: uint(1) } } } } } } } } },
      }),
    }),
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'env over 64 KiB',
    createSpace('x', { properties: dict({ env: { big: str('x'.repeat(70_000)) } }) }),
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'alter space env class change (spec §9 #86)',
    { kind: 'alterSpace', name: 's', properties: dict({ env: { a: str('x') } }) },
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'alter space with another property',
    { kind: 'alterSpace', name: 's', properties: dict({ other: null }) },
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'alter space env that is a literal',
    { kind: 'alterSpace', name: 's', properties: dict({ env: bool(true) }) },
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'nullable that is not a bool (add)',
    alter('s', 'users', { kind: 'add', fields: [add('bio', 'string', { nullable: uint(1) })] }),
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'nullable that is null (update)',
    alter('s', 'users', { kind: 'update', fields: [add('email', undefined, { nullable: null })] }),
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'user without password',
    { kind: 'createUser', name: 'bob', properties: dict({}) },
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'user with an extra property (spec §9 #77)',
    { kind: 'createUser', name: 'bob', properties: dict({ password: str('pw'), role: str('x') }) },
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  [
    'user password that is not a string',
    { kind: 'createUser', name: 'bob', properties: dict({ password: bin('pw') }) },
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  ['user password over 1 KiB', createUser('bob', 'p'.repeat(1025)), 'GNS_INVALID_PROPERTIES', 102],
  [
    'alter user with a bad property',
    { kind: 'alterUser', name: 'alice', properties: dict({ pass: str('x') }) },
    'GNS_INVALID_PROPERTIES',
    102,
  ],
  // duplicates (E103)
  ['create an existing space (spec §9 #2)', createSpace('s'), 'GNS_ALREADY_EXISTS', 103],
  [
    'create an existing model',
    createModel('s', 'users', 'a:string', 'b:string'),
    'GNS_ALREADY_EXISTS',
    103,
  ],
  // not empty (E104)
  [
    'drop a space with models (spec §9 #88)',
    { kind: 'dropSpace', name: 's' },
    'GNS_NOT_EMPTY',
    104,
  ],
  [
    'drop a model with data (spec §9 #89)',
    { kind: 'dropModel', space: 's', name: 'users', hasData: true },
    'GNS_NOT_EMPTY',
    104,
  ],
  // types (E105)
  ['bare list (spec §9 #15)', createModel('s', 'm', 'a:string', 'b:list'), 'GNS_INVALID_TYPE', 105],
  [
    'type name in capitals (spec §9 #16)',
    createModel('s', 'm', 'a:string', 'b:String'),
    'GNS_INVALID_TYPE',
    105,
  ],
  ['unknown type', createModel('s', 'm', 'a:string', 'b:int'), 'GNS_INVALID_TYPE', 105],
  [
    'type properties (spec §9 #17)',
    {
      kind: 'createModel',
      space: 's',
      name: 'm',
      fields: [
        ...fields('a:string'),
        { name: 'b', type: { name: 'string', properties: dict({ maxlen: uint(5) }) } },
      ],
    },
    'GNS_INVALID_TYPE',
    105,
  ],
  [
    'element type on a scalar',
    {
      kind: 'createModel',
      space: 's',
      name: 'm',
      fields: [
        ...fields('a:string'),
        { name: 'b', type: { name: 'uint8', element: { name: 'uint8' } } },
      ],
    },
    'GNS_INVALID_TYPE',
    105,
  ],
  [
    'lists nested deeper than 8',
    createModel('s', 'm', 'a:string', `b:${'list<'.repeat(9)}uint8${'>'.repeat(9)}`),
    'GNS_INVALID_TYPE',
    105,
  ],
  [
    'add without a type',
    alter('s', 'users', { kind: 'add', fields: [add('bio')] }),
    'GNS_INVALID_TYPE',
    105,
  ],
  [
    'add with an unknown type',
    alter('s', 'users', { kind: 'add', fields: [add('bio', 'text')] }),
    'GNS_INVALID_TYPE',
    105,
  ],
  [
    'update changing class (spec §9 #72)',
    alter('s', 'users', { kind: 'update', fields: [add('age', 'sint64')] }),
    'GNS_INVALID_TYPE',
    105,
  ],
  [
    'update list to scalar',
    alter('s', 'users', { kind: 'update', fields: [add('tags', 'string')] }),
    'GNS_INVALID_TYPE',
    105,
  ],
  [
    'update string to binary',
    alter('s', 'users', { kind: 'update', fields: [add('email', 'binary', nullable(true))] }),
    'GNS_INVALID_TYPE',
    105,
  ],
  // model definitions (E106)
  [
    'model properties (spec §9 #18)',
    { ...createModel('s', 'm', 'a:string', 'b:string'), properties: dict({ p: uint(1) }) } as DdlOp,
    'GNS_BAD_MODEL_DEFINITION',
    106,
  ],
  [
    'duplicate field',
    createModel('s', 'm', 'a:string', 'a:uint8'),
    'GNS_BAD_MODEL_DEFINITION',
    106,
  ],
  [
    'two primary keys (spec §9 #14)',
    createModel('s', 'm', '*a:string', '*b:string'),
    'GNS_BAD_MODEL_DEFINITION',
    106,
  ],
  [
    'float primary key (spec §9 #13)',
    createModel('s', 'm', 'k:float64', 'v:string'),
    'GNS_BAD_MODEL_DEFINITION',
    106,
  ],
  [
    'bool primary key',
    createModel('s', 'm', 'v:string', '*k:bool'),
    'GNS_BAD_MODEL_DEFINITION',
    106,
  ],
  ['list primary key', createModel('s', 'm', 'k:list<uint8>'), 'GNS_BAD_MODEL_DEFINITION', 106],
  [
    'nullable implicit primary key (spec §7.8, intended)',
    createModel('s', 'm', '?k:string', 'v:string'),
    'GNS_BAD_MODEL_DEFINITION',
    106,
  ],
  [
    'nullable explicit primary key',
    createModel('s', 'm', '*?k:string', 'v:string'),
    'GNS_BAD_MODEL_DEFINITION',
    106,
  ],
  [
    'model without fields',
    { kind: 'createModel', space: 's', name: 'm', fields: [] },
    'GNS_BAD_MODEL_DEFINITION',
    106,
  ],
  [
    'model with 1025 fields',
    createModel('s', 'm', ...Array.from({ length: 1025 }, (_, at) => `f${at}:uint8`)),
    'GNS_BAD_MODEL_DEFINITION',
    106,
  ],
  // alter rules (E107)
  [
    'add an existing field (spec §9 #65)',
    alter('s', 'users', { kind: 'add', fields: [add('email', 'string')] }),
    'GNS_ILLEGAL_ALTER',
    107,
  ],
  [
    'add the same field twice',
    alter('s', 'users', { kind: 'add', fields: [add('bio', 'string'), add('bio', 'string')] }),
    'GNS_ILLEGAL_ALTER',
    107,
  ],
  [
    'add the primary key',
    alter('s', 'users', { kind: 'add', fields: [add('username', 'string')] }),
    'GNS_ILLEGAL_ALTER',
    107,
  ],
  [
    'remove the primary key (spec §9 #67)',
    alter('s', 'users', { kind: 'remove', names: ['username'] }),
    'GNS_ILLEGAL_ALTER',
    107,
  ],
  [
    'remove a field twice (spec §9 #69)',
    alter('s', 'users', { kind: 'remove', names: ['email', 'email'] }),
    'GNS_ILLEGAL_ALTER',
    107,
  ],
  [
    'update the primary key (spec §9 #74)',
    alter('s', 'users', { kind: 'update', fields: [add('username', 'string')] }),
    'GNS_ILLEGAL_ALTER',
    107,
  ],
  [
    'update with an extra key',
    alter('s', 'users', { kind: 'update', fields: [add('age', 'uint16', { default: uint(1) })] }),
    'GNS_ILLEGAL_ALTER',
    107,
  ],
  [
    'update adding list levels',
    alter('s', 'users', { kind: 'update', fields: [add('tags', 'list<list<string>>')] }),
    'GNS_ILLEGAL_ALTER',
    107,
  ],
  [
    'update a scalar to a list',
    alter('s', 'users', { kind: 'update', fields: [add('age', 'list<uint8>')] }),
    'GNS_ILLEGAL_ALTER',
    107,
  ],
  [
    'update a field twice',
    alter('s', 'users', { kind: 'update', fields: [add('age', 'uint16'), add('age', 'uint32')] }),
    'GNS_ILLEGAL_ALTER',
    107,
  ],
  // need lock (E112)
  [
    'narrow a type (spec §9 #71)',
    alter('s', 'wide', { kind: 'update', fields: [add('n', 'uint8')] }),
    'GNS_NEED_LOCK',
    112,
  ],
  [
    'narrow a float',
    alter('s', 'wide', { kind: 'update', fields: [add('f', 'float32')] }),
    'GNS_NEED_LOCK',
    112,
  ],
  [
    'nullable to non-nullable (spec §9 #73)',
    alter('s', 'users', { kind: 'update', fields: [add('email', undefined, nullable(false))] }),
    'GNS_NEED_LOCK',
    112,
  ],
  [
    'nullable left out on a nullable field',
    alter('s', 'users', { kind: 'update', fields: [add('email', 'string')] }),
    'GNS_NEED_LOCK',
    112,
  ],
  // users (E3)
  ['create an existing user', createUser('alice', 'pw'), 'GNS_AUTH', 3],
  ['drop an unknown user', { kind: 'dropUser', name: 'ghost' }, 'GNS_AUTH', 3],
  ['drop yourself (spec §9 #80)', { kind: 'dropUser', name: 'root', actor: 'root' }, 'GNS_AUTH', 3],
  [
    'alter an unknown user',
    { kind: 'alterUser', name: 'ghost', properties: dict({ password: str('x') }) },
    'GNS_AUTH',
    3,
  ],
]

describe('bad input', () => {
  let fs: SimFileSystem
  let gns: Gns
  let before: unknown

  beforeAll(async () => {
    fs = await newSim()
    gns = await open(fs)
    await gns.execute(createSpace('s', { properties: dict({ env: { a: uint(1) } }) }))
    await gns.execute(
      createModel(
        's',
        'users',
        'username:string',
        'password:binary',
        '?email:string',
        'age:uint8',
        'tags:list<string>',
      ),
    )
    await gns.execute(createModel('s', 'wide', 'id:uint64', 'n:uint64', 'f:float64'))
    await gns.execute({
      kind: 'createUser',
      name: 'root',
      properties: dict({ password: str('rootpw') }),
      root: true,
    })
    await gns.execute(createUser('alice', 'pw1'))
    before = describeCatalog(gns.current)
  })

  it.each(badStatements)(
    'rejects %s with its typed error and changes nothing',
    async (_, statement, code, skytableCode) => {
      const version = gns.current
      const error = await gns.execute(statement).then(
        () => undefined,
        (caught: unknown) => caught,
      )
      expect(error).toMatchObject({ code, skytableCode, retryable: false })
      expect(skytableCodeOf(error)).toBe(skytableCode)
      expect(gns.current).toBe(version)
      expect(describeCatalog(gns.current)).toEqual(before)
    },
  )

  it('rejects the same statements in prepare, changing nothing', async () => {
    for (const [label, statement, code] of badStatements) {
      await expect(gns.prepare(statement), label).rejects.toMatchObject({ code })
    }
    expect(describeCatalog(gns.current)).toEqual(before)
  })

  it('wrote nothing for any of them: a reopen sees the same catalog', async () => {
    await gns.close()
    const again = await open(fs)
    expect(describeCatalog(again.current)).toEqual(before)
    expect(again.report.damage).toEqual([])
    gns = again
  })

  it('rejects malformed arguments with TypeError', async () => {
    await expect(gns.execute(null as never)).rejects.toBeInstanceOf(TypeError)
    await expect(gns.execute({ kind: 'frobnicate' } as never)).rejects.toBeInstanceOf(TypeError)
    await expect(
      gns.execute({
        kind: 'alterModel',
        space: 's',
        name: 'users',
        action: { kind: 'rename' },
      } as never),
    ).rejects.toBeInstanceOf(TypeError)
    expect(() => gns.commit(7 as never)).toThrow(TypeError)
    expect(describeCatalog(gns.current)).toEqual(before)
  })
})

describe('DDL semantics (spec §4, §9)', () => {
  it('answers if (not) exists without changing anything (spec §9 #3, #10, #91)', async () => {
    const gns = await open(await newSim())
    expect((await gns.execute(createSpace('s'))).changed).toBe(true)
    const seq = gns.current.seq
    const again = await gns.execute(createSpace('s', { ifNotExists: true }))
    expect(again).toMatchObject({ changed: false, echo: undefined })
    expect(
      (await gns.execute({ ...createModel('s', 'm', 'a:string'), ifNotExists: true } as DdlOp))
        .changed,
    ).toBe(true)
    expect(
      (await gns.execute({ ...createModel('s', 'm', 'x:uint8'), ifNotExists: true } as DdlOp))
        .changed,
    ).toBe(false)
    expect(
      (await gns.execute({ kind: 'dropModel', space: 's', name: 'gone', ifExists: true })).changed,
    ).toBe(false)
    expect((await gns.execute({ kind: 'dropSpace', name: 'gone', ifExists: true })).changed).toBe(
      false,
    )
    expect(gns.current.seq).toBe(seq + 1)
    await gns.close()
  })

  it('never reuses an id: a dropped and recreated model is a different model', async () => {
    const gns = await open(await newSim())
    await gns.execute(createSpace('s'))
    await gns.execute(createModel('s', 'm', 'a:string'))
    const first = gns.current.model('s', 'm')!.id
    await gns.execute({ kind: 'dropModel', space: 's', name: 'm' })
    await gns.execute(createModel('s', 'm', 'a:string'))
    const second = gns.current.model('s', 'm')!.id
    expect(second).toBeGreaterThan(first)
    expect(gns.current.modelById(first)).toBeUndefined()
    await gns.close()
  })

  it('merges env on alter space: adds, replaces in class, deletes on null', async () => {
    const gns = await open(await newSim())
    await gns.execute(
      createSpace('s', {
        properties: dict({ env: { a: uint(1), b: str('x'), d: { x: bool(true) }, gone: null } }),
      }),
    )
    expect([...gns.current.space('s')!.env.keys()]).toEqual(['a', 'b', 'd'])
    await gns.execute({
      kind: 'alterSpace',
      name: 's',
      properties: dict({ env: { a: uint(2), b: null, c: sint(-3), d: { y: float(1.5) } } }),
    })
    const env = gns.current.space('s')!.env
    expect(env.get('a')).toEqual(uint(2))
    expect(env.has('b')).toBe(false)
    expect(env.get('c')).toEqual(sint(-3))
    expect([...(env.get('d') as Map<string, unknown>).keys()]).toEqual(['x', 'y'])
    expect(
      (await gns.execute({ kind: 'alterSpace', name: 's', properties: dict({}) })).changed,
    ).toBe(false)
    await gns.execute({ kind: 'alterSpace', name: 's', properties: dict({ env: null }) })
    expect(gns.current.space('s')!.env.size).toBe(0)
    await gns.close()
  })

  it('applies alter model add, update and remove as the spec says (§9 #64, #70)', async () => {
    const gns = await open(await newSim())
    await gns.execute(createSpace('s'))
    await gns.execute(createModel('s', 'users', 'username:string', '?email:string', 'age:uint8'))
    await gns.execute(
      alter('s', 'users', {
        kind: 'add',
        fields: [add('bio', 'string', nullable(true)), add('n', 'uint8', { ignored: uint(1) })],
      }),
    )
    await gns.execute(alter('s', 'users', { kind: 'update', fields: [add('age', 'uint64')] }))
    expect(
      (await gns.execute(alter('s', 'users', { kind: 'update', fields: [add('age', 'uint64')] })))
        .changed,
    ).toBe(false)
    await gns.execute(
      alter('s', 'users', { kind: 'update', fields: [add('n', undefined, nullable(true))] }),
    )
    await gns.execute(alter('s', 'users', { kind: 'remove', names: ['email'] }))
    const model = gns.current.model('s', 'users')!
    expect(
      model.fields.map((field) => `${field.nullable ? '?' : ''}${field.name}:${field.type.kind}`),
    ).toEqual(['username:string', 'age:uint64', '?bio:string', '?n:uint8'])
    expect(model.primaryKey).toBe('username')
    await gns.close()
  })

  it('drops a non-empty space and its models with allow not empty (§9 #94)', async () => {
    const gns = await open(await newSim())
    await gns.execute(createSpace('s'))
    await gns.execute(createModel('s', 'm', 'a:string'))
    const modelId = gns.current.model('s', 'm')!.id
    await gns.execute({ kind: 'dropSpace', name: 's', allowNotEmpty: true })
    expect(gns.current.space('s')).toBeUndefined()
    expect(gns.current.modelById(modelId)).toBeUndefined()
    await gns.close()
  })

  it('keeps every published version unchanged for readers that hold it', async () => {
    const gns = await open(await newSim())
    await gns.execute(createSpace('s'))
    const held = gns.snapshot()
    const heldView = describeCatalog(held)
    await gns.execute(createModel('s', 'm', 'a:string'))
    await gns.execute({ kind: 'dropSpace', name: 's', allowNotEmpty: true })
    expect(describeCatalog(held)).toEqual(heldView)
    expect(Object.isFrozen(held)).toBe(true)
    expect(gns.current).not.toBe(held)
    await gns.close()
  })

  it('checks passwords with scrypt, per-user salt, the same cost for unknown users', async () => {
    const gns = await open(await newSim())
    await gns.execute(createUser('a', 'same'))
    await gns.execute(createUser('b', 'same'))
    const [a, b] = [
      gns.current.users.get('a')!.credential!,
      gns.current.users.get('b')!.credential!,
    ]
    expect(Buffer.from(a.salt).equals(Buffer.from(b.salt))).toBe(false)
    expect(Buffer.from(a.hash).equals(Buffer.from(b.hash))).toBe(false)
    expect(await gns.verifyPassword('a', 'same')).toBe(true)
    expect(await gns.verifyPassword('a', 'other')).toBe(false)
    expect(await gns.verifyPassword('nobody', 'same')).toBe(false)
    await gns.execute({ kind: 'alterUser', name: 'a', properties: dict({ password: str('new') }) })
    expect(await gns.verifyPassword('a', 'new')).toBe(true)
    expect(await gns.verifyPassword('a', 'same')).toBe(false)
    await gns.close()
  })
})
