/**
 * DDL rules: create/alter/drop of spaces and models (blueql.md §3.1 step 3, §3.2, §4.1–4.6).
 *
 * Each rule starts after `space`/`model`, the routing having checked the two tokens that follow
 * the statement keyword. Error codes follow the spec statement by statement; where it is silent
 * the choice is written beside the rule and in the README.
 *
 * Invariants: a rule either returns a node spanning every token from the statement keyword to
 * the end, or throws a QueryError; nothing is left unconsumed on success.
 */
import type {
  AlterFieldSpec,
  AlterModelAddStatement,
  AlterModelRemoveStatement,
  AlterModelUpdateStatement,
  AlterSpaceStatement,
  CreateModelStatement,
  CreateSpaceStatement,
  DictEntry,
  DictValue,
  DropModelStatement,
  DropSpaceStatement,
  FieldDefinition,
  Identifier,
  Placeholder,
  QualifiedEntityRef,
  TypeSpec,
} from '../ast.js'
import type { QueryErrorCode } from '../errors.js'
import { describeToken, isKeyword, isSymbol } from './cursor.js'
import type { Cursor } from './cursor.js'
import { parseBraced, parseDict, parseDictEntry, parseTypeSpec } from './parse-collections.js'

const SYNTAX = 'QL_INVALID_SYNTAX'
const END = 'QL_UNEXPECTED_END'

/** `space.model`, the only form DDL accepts; anything else is `code`. */
export function parseQualifiedEntity(cursor: Cursor, code: QueryErrorCode): QualifiedEntityRef {
  const [first, dot, second] = [cursor.peek(), cursor.peek(1), cursor.peek(2)]
  const qualified =
    first?.kind === 'identifier' && isSymbol(dot, '.') && second?.kind === 'identifier'
  if (!qualified) {
    cursor.fail(code, `expected a qualified model name space.model, found ${describeToken(first)}`)
  }
  const space = cursor.expectIdentifier(code, 'a space name')
  cursor.take()
  const model = cursor.expectIdentifier(code, 'a model name')
  return { kind: 'entity', space, model, span: cursor.spanFrom(space.span.start) }
}

/** `create space [if not exists] name [with dict]`, after `space`. */
export function parseCreateSpace(cursor: Cursor, start: number): CreateSpaceStatement<Placeholder> {
  const ifNotExists = cursor.takeSequence(['if', 'not', 'exists'])
  if (ifNotExists) cursor.requireRemaining(1, END, "create space after 'if not exists'")
  const name = cursor.expectIdentifier(SYNTAX, 'a space name')
  let properties = null
  if (!cursor.atEnd()) {
    cursor.expectKeyword('with', SYNTAX)
    properties = parseDict(cursor, { openCode: SYNTAX, code: SYNTAX })
  }
  cursor.expectEnd()
  return { kind: 'create-space', ifNotExists, name, properties, span: cursor.spanFrom(start) }
}

/** `alter space name with dict`, after `space`: header 28, dict body 29. */
export function parseAlterSpace(cursor: Cursor, start: number): AlterSpaceStatement<Placeholder> {
  cursor.requireRemaining(4, END, 'alter space')
  const name = cursor.expectIdentifier(SYNTAX, 'a space name')
  cursor.expectKeyword('with', SYNTAX)
  const properties = parseDict(cursor, { openCode: SYNTAX, code: 'QL_INVALID_COLLECTION_SYNTAX' })
  cursor.expectEnd()
  return { kind: 'alter-space', name, properties, span: cursor.spanFrom(start) }
}

/** The `[if exists] [allow not empty]` of drop, with the token counts of §3.2. */
function parseDropClauses(cursor: Cursor, what: string): {
  readonly ifExists: boolean
  readonly allowNotEmpty: boolean
} {
  cursor.requireRemaining(1, END, what)
  const ifExists = cursor.takeSequence(['if', 'exists'])
  if (ifExists) cursor.requireRemaining(1, END, `${what} after 'if exists'`)
  const allowNotEmpty = cursor.takeSequence(['allow', 'not', '~empty'])
  return { ifExists, allowNotEmpty }
}

/** `drop space [if exists] [allow not empty] name`, after `space`. */
export function parseDropSpace(cursor: Cursor, start: number): DropSpaceStatement {
  const { ifExists, allowNotEmpty } = parseDropClauses(cursor, 'drop space')
  const name = cursor.expectIdentifier(SYNTAX, 'a space name')
  cursor.expectEnd()
  return { kind: 'drop-space', ifExists, allowNotEmpty, name, span: cursor.spanFrom(start) }
}

/** `drop model [if exists] [allow not empty] space.model`, after `model`. */
export function parseDropModel(cursor: Cursor, start: number): DropModelStatement {
  const { ifExists, allowNotEmpty } = parseDropClauses(cursor, 'drop model')
  const entity = parseQualifiedEntity(cursor, 'QL_EXPECTED_ENTITY')
  cursor.expectEnd()
  return { kind: 'drop-model', ifExists, allowNotEmpty, entity, span: cursor.spanFrom(start) }
}

/**
 * `create model [if not exists] space.model(field, …) [with dict]`, after `model`. At least ten
 * tokens, counted with the if-clause (§3.2); no trailing comma among fields.
 */
export function parseCreateModel(cursor: Cursor, start: number): CreateModelStatement<Placeholder> {
  cursor.requireRemaining(10, END, 'create model')
  const ifNotExists = cursor.takeSequence(['if', 'not', 'exists'])
  const entity = parseQualifiedEntity(cursor, SYNTAX)
  cursor.expectSymbol('(', SYNTAX)
  const fields: FieldDefinition<Placeholder>[] = []
  for (;;) {
    fields.push(parseFieldDefinition(cursor))
    if (cursor.takeSymbol(',')) continue
    if (cursor.takeSymbol(')')) break
    cursor.fail(SYNTAX, `expected ',' or ')' after a field, found ${describeToken(cursor.peek())}`)
  }
  let properties = null
  if (!cursor.atEnd()) {
    cursor.expectKeyword('with', SYNTAX)
    properties = parseDict(cursor, { openCode: SYNTAX, code: SYNTAX })
  }
  cursor.expectEnd()
  const span = cursor.spanFrom(start)
  return { kind: 'create-model', ifNotExists, entity, fields, properties, span }
}

/**
 * `[primary] [null] name: type`. A `?` where `null` may stand is taken as `null` and must be
 * bound to a null parameter: Skytable lexes a null parameter as the `null` keyword.
 */
function parseFieldDefinition(cursor: Cursor): FieldDefinition<Placeholder> {
  cursor.requireRemaining(2, END, 'a field')
  const start = cursor.offset()
  const primary = cursor.takeKeyword('primary')
  let nullable = false
  const token = cursor.peek()
  if (token !== undefined && (isKeyword(token, 'null') || token.kind === 'placeholder')) {
    if (token.kind === 'placeholder') {
      const codes = { rejectCode: SYNTAX, missingCode: SYNTAX } as const
      cursor.acceptPlaceholder(token, 'null', codes, "'null' before a field name")
    } else {
      cursor.take()
    }
    nullable = true
    if (primary) {
      cursor.fail('QL_INVALID_TYPE_DEFINITION_SYNTAX', "a field cannot be 'primary null'", token)
    }
  }
  const name = cursor.expectIdentifier(SYNTAX, 'a field name')
  cursor.expectSymbol(':', SYNTAX)
  const type = parseTypeSpec(cursor, 'QL_INVALID_TYPE_DEFINITION_SYNTAX')
  return { kind: 'field', name, primary, nullable, type, span: cursor.spanFrom(start) }
}

type AlterModelStatement =
  | AlterModelAddStatement<Placeholder>
  | AlterModelUpdateStatement<Placeholder>
  | AlterModelRemoveStatement

/**
 * `alter model space.model (add | update | remove) …`, after `model`. Fewer than three tokens is
 * 28, an unqualified name 31, an unknown action 32, nothing after the name 27 (§7 item 3).
 */
export function parseAlterModel(cursor: Cursor, start: number): AlterModelStatement {
  cursor.requireRemaining(3, SYNTAX, 'alter model')
  const entity = parseQualifiedEntity(cursor, 'QL_EXPECTED_ENTITY')
  const action = cursor.peek()
  if (action === undefined) cursor.fail(END, 'alter model needs add, update or remove')
  if (isKeyword(action, 'remove')) {
    cursor.take()
    cursor.requireRemaining(1, END, 'alter model remove')
    const fields = parseNameList(cursor)
    cursor.expectEnd()
    return { kind: 'alter-model-remove', entity, fields, span: cursor.spanFrom(start) }
  }
  const add = isKeyword(action, 'add')
  if (!add && !isKeyword(action, 'update')) {
    cursor.fail('QL_EXPECTED_STATEMENT', `unknown alter model action ${describeToken(action)}`)
  }
  cursor.take()
  cursor.requireRemaining(5, END, `alter model ${add ? 'add' : 'update'}`)
  const fields = parseAlterFields(cursor)
  cursor.expectEnd()
  const kind = add ? 'alter-model-add' : 'alter-model-update'
  return { kind, entity, fields, span: cursor.spanFrom(start) }
}

/** `name | ( name, … )`, no trailing comma. */
function parseNameList(cursor: Cursor): Identifier[] {
  if (!cursor.takeSymbol('(')) return [cursor.expectIdentifier(SYNTAX, 'a field name')]
  const names: Identifier[] = []
  for (;;) {
    names.push(cursor.expectIdentifier(SYNTAX, 'a field name'))
    if (cursor.takeSymbol(',')) continue
    cursor.expectSymbol(')', SYNTAX)
    return names
  }
}

/** `field | ( field, … )`, no trailing comma. */
function parseAlterFields(cursor: Cursor): AlterFieldSpec<Placeholder>[] {
  if (!cursor.takeSymbol('(')) return [parseAlterField(cursor)]
  const fields: AlterFieldSpec<Placeholder>[] = []
  for (;;) {
    // The name is checked before the field's token count: `add (x { … }, )` is 28, not 27.
    const token = cursor.peek()
    if (token?.kind !== 'identifier') {
      cursor.fail(SYNTAX, `expected a field name, found ${describeToken(token)}`)
    }
    fields.push(parseAlterField(cursor))
    if (cursor.takeSymbol(',')) continue
    cursor.expectSymbol(')', SYNTAX)
    return fields
  }
}

/**
 * `name { type: spec, nullable: lit, … }`: dict entries, the keyword `type` taking a type spec.
 * Five tokens at least from the name (`x { type: t }`), see the README on §3.2's "6".
 */
function parseAlterField(cursor: Cursor): AlterFieldSpec<Placeholder> {
  cursor.requireRemaining(5, END, 'an alter model field')
  const name = cursor.expectIdentifier(SYNTAX, 'a field name')
  if (!isSymbol(cursor.peek(), '{')) {
    const found = describeToken(cursor.peek())
    cursor.fail(SYNTAX, `expected '{' after field '${name.text}', found ${found}`)
  }
  let type: TypeSpec<Placeholder> | null = null
  let nullable: DictValue<Placeholder> | null = null
  const properties: DictEntry<Placeholder>[] = []
  const keys = new Set<string>()
  const codes = { openCode: SYNTAX, code: SYNTAX } as const
  cursor.enter()
  parseBraced(cursor, SYNTAX, () => {
    if (!isKeyword(cursor.peek(), 'type')) {
      const entry = parseDictEntry(cursor, codes, keys, 'field property')
      if (entry.key.text === 'nullable') nullable = entry.value
      else properties.push(entry)
      return
    }
    if (type !== null) cursor.fail(SYNTAX, "'type' given twice")
    cursor.take()
    cursor.expectSymbol(':', SYNTAX)
    type = parseTypeSpec(cursor, SYNTAX)
  })
  cursor.leave()
  const span = cursor.spanFrom(name.span.start)
  return { kind: 'alter-field', name, type, nullable, properties, span }
}
