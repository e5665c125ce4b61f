/**
 * fast-check arbitraries: grammatical BlueQL statements (every one must prepare), parameters of
 * every type (some out of range), and mutations that break statements at the byte and token
 * level.
 */
import fc from 'fast-check'
import type { Parameter } from '../src/index.js'

const nameArb = fc.constantFrom('a', 'b', 'users', 'Xy_1', 'global', 'commit', '_', 'k2', 'Mdl')
const qualifiedArb = fc.tuple(nameArb, nameArb).map(([space, model]) => `${space}.${model}`)
const entityArb = fc.oneof(qualifiedArb, nameArb)
const literalArb = fc.constantFrom('?', '?', 'true', 'FALSE')
const spaceArb = fc.constantFrom(' ', ' ', '  ', '\n', '\t')

function join(parts: readonly string[], separator = ', '): string {
  return parts.join(separator)
}

/** `{ key: value, … }` with unique keys; values literals, null or nested dicts. */
const { dict: dictArb } = fc.letrec<{ dict: string }>((tie) => ({
  dict: fc
    .uniqueArray(
      fc.tuple(nameArb, fc.oneof({ depthSize: 'small', withCrossShrink: true }, literalArb,
        fc.constant('null'), tie('dict'))),
      { selector: ([key]) => key, maxLength: 3 },
    )
    .chain((entries) =>
      fc.boolean().map((trailingComma) => {
        if (entries.length === 0) return '{}'
        const body = join(entries.map(([key, value]) => `${key}: ${value}`))
        return `{ ${body}${trailingComma ? ',' : ''} }`
      }),
    ),
}))

const typeNameArb = fc.constantFrom('string', 'uint8', 'binary', 'list', 'String', 'sint64')

/** A type spec with optional body holding `type:` and properties. */
const { type: typeArb } = fc.letrec<{ type: string }>((tie) => ({
  type: fc.tuple(
    typeNameArb,
    fc.option(fc.oneof({ depthSize: 'small' }, fc.constant(null), tie('type')), { nil: undefined }),
    fc.uniqueArray(fc.tuple(nameArb, literalArb), { selector: ([key]) => key, maxLength: 2 }),
  ).map(([name, element, properties]) => {
    if (element === undefined) return name
    const entries = [
      ...(element === null ? [] : [`type: ${element}`]),
      ...properties.map(([key, value]) => `${key}: ${value}`),
    ]
    return `${name} { ${join(entries)} }`
  }),
}))

const fieldArb = fc.tuple(fc.constantFrom('', 'primary ', 'null '), nameArb, typeArb)
  .map(([prefix, name, type]) => `${prefix}${name}: ${type}`)

const alterFieldArb = fc.tuple(nameArb, typeArb, fc.constantFrom('', ', nullable: ?', ', x: true'))
  .map(([name, type, extra]) => `${name} { type: ${type}${extra} }`)

/** An insert list of one depth: `?` at the bottom, any level possibly empty. */
function listOfDepth(depth: number): fc.Arbitrary<string> {
  const item = depth === 1 ? fc.constant('?') : listOfDepth(depth - 1)
  return fc.array(item, { maxLength: 2 }).map((items) => `[${join(items)}]`)
}
const listArb = fc.integer({ min: 1, max: 3 }).chain(listOfDepth)

const insertValueArb = fc.oneof(
  fc.constantFrom('?', '?', 'null', 'true', '@uuidstr()', '@timesec()'),
  listArb,
)

const operatorArb = fc.constantFrom('=', '!=', '>', '>=', '<', '<=', '> =')
const conditionsArb = fc.uniqueArray(nameArb, { minLength: 1, maxLength: 3 })
  .chain((fields) => fc.tuple(...fields.map((field) =>
    fc.tuple(operatorArb, literalArb).map(([op, value]) => `${field} ${op} ${value}`))))
  .map((conditions) => join(conditions, ' and '))
const assignArb = fc.constantFrom('=', '+=', '-=', '*=', '/=', '+ =')
const columnsArb = fc.oneof(fc.constant('*'), fc.array(nameArb, { minLength: 1, maxLength: 3 })
  .map((names) => join(names)))

const ddlArb = fc.oneof(
  fc.tuple(fc.boolean(), nameArb, fc.option(dictArb)).map(([ifNot, name, dict]) =>
    `create space ${ifNot ? 'if not exists ' : ''}${name}${dict === null ? '' : ` with ${dict}`}`),
  fc.tuple(nameArb, dictArb).map(([name, dict]) => `alter space ${name} with ${dict}`),
  fc.tuple(fc.boolean(), fc.boolean(), nameArb).map(([ifExists, force, name]) =>
    `drop space ${ifExists ? 'if exists ' : ''}${force ? 'allow not empty ' : ''}${name}`),
  fc.tuple(fc.boolean(), qualifiedArb, fc.array(fieldArb, { minLength: 2, maxLength: 4 }),
    fc.option(dictArb)).map(([ifNot, entity, fields, dict]) =>
    `create model ${ifNot ? 'if not exists ' : ''}${entity}(${join(fields)})` +
    (dict === null ? '' : ` with ${dict}`)),
  fc.tuple(qualifiedArb, fc.constantFrom('add', 'update'),
    fc.array(alterFieldArb, { minLength: 1, maxLength: 3 }), fc.boolean()).map(
    ([entity, action, fields, parens]) => fields.length === 1 && !parens
      ? `alter model ${entity} ${action} ${fields[0] ?? ''}`
      : `alter model ${entity} ${action} (${join(fields)})`),
  fc.tuple(qualifiedArb, fc.array(nameArb, { minLength: 1, maxLength: 3 })).map(
    ([entity, names]) => `alter model ${entity} remove (${join(names)})`),
  fc.tuple(fc.boolean(), fc.boolean(), qualifiedArb).map(([ifExists, force, entity]) =>
    `drop model ${ifExists ? 'if exists ' : ''}${force ? 'allow not empty ' : ''}${entity}`),
)

const dmlArb = fc.oneof(
  fc.tuple(qualifiedArb, fc.array(insertValueArb, { maxLength: 4 })).map(
    ([entity, values]) => `insert into ${entity}(${join(values)})`),
  fc.tuple(qualifiedArb, fc.uniqueArray(nameArb, { maxLength: 3 }), insertValueArb).map(
    ([entity, keys, value]) =>
      `insert into ${entity} { ${join(keys.map((key) => `${key}: ${value}`))} }`),
  fc.tuple(columnsArb, qualifiedArb, fc.option(conditionsArb)).map(([columns, entity, where]) =>
    `select ${columns} from ${entity}${where === null ? '' : ` where ${where}`}`),
  fc.tuple(columnsArb, entityArb).map(([columns, entity]) =>
    `select all ${columns} from ${entity} limit ?`),
  fc.tuple(entityArb, fc.array(fc.tuple(nameArb, assignArb, literalArb), { minLength: 1,
    maxLength: 3 }), conditionsArb).map(([entity, sets, where]) =>
    `update ${entity} set ${join(sets.map(([field, op, value]) => `${field} ${op} ${value}`))} ` +
    `where ${where}`),
  fc.tuple(entityArb, conditionsArb).map(([entity, where]) =>
    `delete from ${entity} where ${where}`),
)

const otherArb = fc.oneof(
  fc.tuple(fc.constantFrom('use'), fc.oneof(nameArb, fc.constantFrom('null', '$current', '?')))
    .map(([use, target]) => `${use} ${target}`),
  fc.constantFrom('inspect global', 'sysctl report status', 'begin', 'commit', 'rollback',
    'begin transaction isolation level serializable', 'BEGIN ISOLATION LEVEL READ COMMITTED'),
  fc.tuple(fc.constantFrom('space', 'model'), qualifiedArb, nameArb).map(([what, entity, name]) =>
    what === 'space' ? `inspect space ${name}` : `inspect model ${entity}`),
  fc.tuple(fc.constantFrom('create', 'alter'), nameArb).map(([action, user]) =>
    `sysctl ${action} user ${user} with { password: ? }`),
  nameArb.map((user) => `sysctl drop user ${user}`),
)

/** A grammatical statement, with random whitespace between its words. */
export const statementArb: fc.Arbitrary<string> = fc
  .tuple(fc.oneof(ddlArb, dmlArb, otherArb), spaceArb, fc.boolean())
  .map(([text, space, upper]) => {
    const spaced = text.replaceAll(' ', space)
    return upper ? spaced.replace(/^[a-z]+/, (word) => word.toUpperCase()) : spaced
  })

/** A parameter of any type, sometimes out of range or with a lone surrogate. */
export const parameterArb: fc.Arbitrary<Parameter> = fc.oneof(
  fc.constant<Parameter>({ type: 'null' }),
  fc.boolean().map((value): Parameter => ({ type: 'bool', value })),
  fc.bigInt({ min: -1n, max: 1n << 64n }).map((value): Parameter => ({ type: 'uint', value })),
  fc.bigInt({ min: -(1n << 63n) - 1n, max: 1n << 63n }).map((value): Parameter =>
    ({ type: 'sint', value })),
  fc.double().map((value): Parameter => ({ type: 'float', value })),
  fc.uint8Array({ maxLength: 4 }).map((value): Parameter => ({ type: 'binary', value })),
  fc.string({ maxLength: 4, unit: 'binary' }).map((value): Parameter =>
    ({ type: 'string', value })),
)

export const parametersArb = fc.array(parameterArb, { maxLength: 8 })

const vocabulary = [
  'create', 'alter', 'drop', 'select', 'all', 'insert', 'update', 'delete', 'use', 'inspect',
  'sysctl', 'space', 'model', 'if', 'not', 'exists', 'allow', 'empty', 'with', 'from', 'into',
  'where', 'and', 'or', 'limit', 'set', 'null', 'true', 'primary', 'type', 'list', 'string',
  'user', 'report', 'status', 'global', '$', 'current', 'begin', 'commit', 'isolation', 'level',
  '?', '(', ')', '{', '}', '[', ']', ',', ':', '.', '=', '+', '>', '<', '!', '@', 'uuidstr',
  'a', 'b', 's', 'm', ';', '5', '\r', '\u00e9',
]
const tokenArb = fc.constantFrom(...vocabulary)

/** A soup of BlueQL words, symbols and a few bad bytes. */
export const tokenSoupArb = fc.array(tokenArb, { maxLength: 24 }).map((tokens) => tokens.join(' '))

type Mutation = (text: string) => string

const charArb = fc.oneof(
  fc.constantFrom(...'?(){}[],:.=+-*/!<>@$ \n\t\r_aZ09'.split('')),
  fc.integer({ min: 0, max: 255 }).map((code) => String.fromCharCode(code)),
)

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 4 })).map(([at, length]): Mutation => (text) => {
    const start = at % (text.length + 1)
    return text.slice(0, start) + text.slice(start + length)
  }),
  fc.tuple(fc.nat(), charArb).map(([at, char]): Mutation => (text) => {
    const start = at % (text.length + 1)
    return text.slice(0, start) + char + text.slice(start)
  }),
  fc.tuple(fc.nat(), charArb).map(([at, char]): Mutation => (text) => {
    const start = at % (text.length + 1)
    return text.slice(0, start) + char + text.slice(start + 1)
  }),
  fc.tuple(fc.nat(), fc.constantFrom('delete', 'duplicate', 'swap'), fc.nat(), tokenArb).map(
    ([at, action, other, word]): Mutation => (text) => {
      const words = text.split(' ')
      const index = at % words.length
      const target = other % words.length
      if (action === 'delete') words.splice(index, 1)
      else if (action === 'duplicate') words.splice(index, 0, words[index] ?? word)
      else [words[index], words[target]] = [words[target] ?? word, words[index] ?? word]
      return words.join(' ')
    },
  ),
  fc.tuple(fc.nat(), tokenArb).map(([at, word]): Mutation => (text) => {
    const words = text.split(' ')
    words[at % words.length] = word
    return words.join(' ')
  }),
)

/** A grammatical statement with one to three mutations applied. */
export const mutatedStatementArb: fc.Arbitrary<string> = fc
  .tuple(statementArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 }))
  .map(([text, mutations]) => mutations.reduce((current, mutate) => mutate(current), text))
