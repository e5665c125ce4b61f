/**
 * DML rules: insert, select, select all, update, delete (blueql.md §4.9–4.13, counts of §3.2).
 *
 * Every DML syntax error is 28 except the token-count checks (27), so error order inside a DML
 * statement never changes the answer. A bare model name needs a current space: with none, it is
 * a syntax error (28), as Skytable's entity rule leaves the parse poisoned.
 *
 * Invariants: WHERE fields are unique; insert map keys are unique; every inline list holds only
 * lists or only scalars of one class, at every depth (checked again after binding).
 */
import type {
  Assignment,
  AssignmentOperator,
  ComparisonOperator,
  Columns,
  Condition,
  DeleteStatement,
  EntityRef,
  FunctionCall,
  FunctionName,
  Identifier,
  InsertMapEntry,
  InsertStatement,
  InsertValue,
  ListElement,
  ListValue,
  Placeholder,
  SelectAllStatement,
  SelectStatement,
  UpdateStatement,
} from '../ast.js'
import type { QueryErrorCode } from '../errors.js'
import { describeToken, isKeyword, isSymbol } from './cursor.js'
import type { Cursor } from './cursor.js'
import { listConflict } from './list-shape.js'
import { boolLiteral, parseLiteral } from './parse-collections.js'

const SYNTAX = 'QL_INVALID_SYNTAX'
const END = 'QL_UNEXPECTED_END'
const ERROR_28 = { rejectCode: SYNTAX, missingCode: SYNTAX } as const
const FUNCTION_NAMES: ReadonlySet<string> = new Set<FunctionName>(['uuidstr', 'uuidbin', 'timesec'])

/**
 * `space.model`, or a bare `model` when a current space may be set. Otherwise `code` (28 in DML,
 * 31 in inspect model).
 */
export function parseEntity(cursor: Cursor, code: QueryErrorCode): EntityRef {
  const [first, dot, second] = [cursor.peek(), cursor.peek(1), cursor.peek(2)]
  if (first?.kind !== 'identifier') {
    return cursor.fail(code, `expected a model name, found ${describeToken(first)}`)
  }
  if (isSymbol(dot, '.') && second?.kind === 'identifier') {
    const space = cursor.expectIdentifier(code, 'a space name')
    cursor.take()
    const model = cursor.expectIdentifier(code, 'a model name')
    return { kind: 'entity', space, model, span: cursor.spanFrom(space.span.start) }
  }
  if (!cursor.hasCurrentSpace) {
    cursor.fail(code, `model '${first.text}' is not qualified and no space is in use`)
  }
  const model = cursor.expectIdentifier(code, 'a model name')
  return { kind: 'entity', space: null, model, span: model.span }
}

/** `insert into entity ( values ) | { key: value, … }`, after `insert`. */
export function parseInsert(cursor: Cursor, start: number): InsertStatement<Placeholder> {
  cursor.requireRemaining(5, END, 'insert')
  cursor.expectKeyword('into', SYNTAX)
  const entity = parseEntity(cursor, SYNTAX)
  const open = cursor.peek()
  let data: InsertStatement<Placeholder>['data']
  if (isSymbol(open, '(') && open !== undefined) {
    cursor.take()
    const values: InsertValue<Placeholder>[] = []
    if (!cursor.takeSymbol(')')) {
      do values.push(parseInsertValue(cursor))
      while (cursor.takeSymbol(','))
      cursor.expectSymbol(')', SYNTAX)
    }
    data = { kind: 'tuple', values, span: cursor.spanFrom(open.start) }
  } else if (isSymbol(open, '{') && open !== undefined) {
    cursor.take()
    const entries = cursor.takeSymbol('}') ? [] : parseInsertMapEntries(cursor)
    data = { kind: 'map', entries, span: cursor.spanFrom(open.start) }
  } else {
    return cursor.fail(SYNTAX, `expected '(' or '{' after the model, found ${describeToken(open)}`)
  }
  cursor.expectEnd()
  return { kind: 'insert', entity, data, span: cursor.spanFrom(start) }
}

/** `key: value, … }` (the `{` taken, not empty). */
function parseInsertMapEntries(cursor: Cursor): InsertMapEntry<Placeholder>[] {
  const entries: InsertMapEntry<Placeholder>[] = []
  const keys = new Set<string>()
  do {
    const keyToken = cursor.peek()
    const key = cursor.expectIdentifier(SYNTAX, 'a field name')
    if (keys.has(key.text)) cursor.fail(SYNTAX, `field '${key.text}' given twice`, keyToken)
    keys.add(key.text)
    cursor.expectSymbol(':', SYNTAX)
    const value = parseInsertValue(cursor)
    entries.push({ key, value, span: cursor.spanFrom(key.span.start) })
  } while (cursor.takeSymbol(','))
  cursor.expectSymbol('}', SYNTAX)
  return entries
}

/** `lit | null | ? | [list] | @function()`. */
function parseInsertValue(cursor: Cursor): InsertValue<Placeholder> {
  const token = cursor.peek()
  if (token === undefined) return cursor.fail(SYNTAX, 'expected a value, found the end')
  if (token.kind === 'placeholder') {
    return cursor.acceptPlaceholder(token, 'value', ERROR_28, 'an insert value')
  }
  if (isKeyword(token, 'null')) {
    cursor.take()
    return { kind: 'null', span: { start: token.start, end: token.end }, parameterIndex: null }
  }
  return parseListElement(cursor, 'an insert value')
}

/** `lit | ? | [list] | @function()`: what a list may hold (never null). */
function parseListElement(cursor: Cursor, what: string): ListElement<Placeholder> {
  const token = cursor.peek()
  if (isSymbol(token, '[')) return parseList(cursor)
  if (isSymbol(token, '@')) return parseFunctionCall(cursor)
  if (token?.kind === 'bool') {
    cursor.take()
    return boolLiteral(token)
  }
  if (token?.kind === 'placeholder') {
    return cursor.acceptPlaceholder(token, 'literal', ERROR_28, what)
  }
  const found = isKeyword(token, 'null') ? "'null' (not allowed in a list)" : describeToken(token)
  return cursor.fail(SYNTAX, `expected ${what}, found ${found}`)
}

/** `[ elem, … ]`, no trailing comma; elements agree in shape. REQUIRES: current token is `[`. */
function parseList(cursor: Cursor): ListValue<Placeholder> {
  const open = cursor.take()
  cursor.enter()
  const elements: ListElement<Placeholder>[] = []
  if (!cursor.takeSymbol(']')) {
    do elements.push(parseListElement(cursor, 'a list element'))
    while (cursor.takeSymbol(','))
    cursor.expectSymbol(']', SYNTAX)
  }
  cursor.leave()
  const list: ListValue<Placeholder> = { kind: 'list', elements, span: cursor.spanFrom(open.start) }
  const conflict = listConflict(list)
  if (conflict !== null) {
    cursor.failAt(SYNTAX, `list elements disagree: ${conflict.reason}`, conflict.offset)
  }
  return list
}

/** `@name()`. REQUIRES: current token is `@`. */
function parseFunctionCall(cursor: Cursor): FunctionCall {
  const at = cursor.take()
  const nameToken = cursor.peek()
  const name = cursor.expectIdentifier(SYNTAX, 'a function name')
  if (!FUNCTION_NAMES.has(name.text)) {
    cursor.fail(SYNTAX, `unknown function @${name.text} (uuidstr, uuidbin, timesec)`, nameToken)
  }
  cursor.expectSymbol('(', SYNTAX)
  cursor.expectSymbol(')', SYNTAX)
  return { kind: 'function', name: name.text as FunctionName, span: cursor.spanFrom(at.start) }
}

/** `* | name, …`. */
function parseColumns(cursor: Cursor): Columns {
  if (cursor.takeSymbol('*')) return '*'
  const names: Identifier[] = []
  do names.push(cursor.expectIdentifier(SYNTAX, 'a column name'))
  while (cursor.takeSymbol(','))
  return names
}

/** `= | != | > | >= | < | <=`, two-byte operators as two tokens (space allowed between). */
function parseComparison(cursor: Cursor): ComparisonOperator {
  const token = cursor.peek()
  if (cursor.takeSymbol('=')) return '='
  if (cursor.takeSymbol('!')) {
    cursor.expectSymbol('=', SYNTAX)
    return '!='
  }
  if (cursor.takeSymbol('>')) return cursor.takeSymbol('=') ? '>=' : '>'
  if (cursor.takeSymbol('<')) return cursor.takeSymbol('=') ? '<=' : '<'
  return cursor.fail(SYNTAX, `expected a comparison operator, found ${describeToken(token)}`)
}

/** `cond { and cond }`, each field at most once. */
function parseConditions(cursor: Cursor): Condition<Placeholder>[] {
  const conditions: Condition<Placeholder>[] = []
  const fields = new Set<string>()
  do {
    const fieldToken = cursor.peek()
    const field = cursor.expectIdentifier(SYNTAX, 'a field name in WHERE')
    if (fields.has(field.text)) cursor.fail(SYNTAX, `'${field.text}' twice in WHERE`, fieldToken)
    fields.add(field.text)
    const operator = parseComparison(cursor)
    const value = parseLiteral(cursor, 'a WHERE value')
    const span = cursor.spanFrom(field.span.start)
    conditions.push({ kind: 'condition', field, operator, value, span })
  } while (cursor.takeKeyword('and'))
  return conditions
}

/** `select cols from entity [where …]`, after `select` (not `select all`). */
export function parseSelect(cursor: Cursor, start: number): SelectStatement<Placeholder> {
  cursor.requireRemaining(3, END, 'select')
  const columns = parseColumns(cursor)
  cursor.expectKeyword('from', SYNTAX)
  const entity = parseEntity(cursor, SYNTAX)
  let where: Condition<Placeholder>[] = []
  if (!cursor.atEnd()) {
    cursor.expectKeyword('where', SYNTAX)
    where = parseConditions(cursor)
  }
  cursor.expectEnd()
  return { kind: 'select', columns, entity, where, span: cursor.spanFrom(start) }
}

/** `select all cols from entity limit lit`, after `all`. LIMIT takes a uint only. */
export function parseSelectAll(cursor: Cursor, start: number): SelectAllStatement<Placeholder> {
  cursor.requireRemaining(5, END, 'select all')
  const columns = parseColumns(cursor)
  cursor.requireRemaining(4, END, 'select all after the columns')
  cursor.expectKeyword('from', SYNTAX)
  const entity = parseEntity(cursor, SYNTAX)
  cursor.expectKeyword('limit', SYNTAX)
  const token = cursor.peek()
  if (token?.kind !== 'placeholder') {
    return cursor.fail(SYNTAX, `LIMIT needs an unsigned integer '?', found ${describeToken(token)}`)
  }
  const limit = cursor.acceptPlaceholder(token, 'uint', ERROR_28, 'the LIMIT')
  cursor.expectEnd()
  return { kind: 'select-all', columns, entity, limit, span: cursor.spanFrom(start) }
}

/** `= | += | -= | *= | /=`, two-byte operators as two tokens. */
function parseAssignmentOperator(cursor: Cursor): AssignmentOperator {
  const token = cursor.peek()
  if (cursor.takeSymbol('=')) return '='
  for (const symbol of ['+', '-', '*', '/'] as const) {
    if (!cursor.takeSymbol(symbol)) continue
    cursor.expectSymbol('=', SYNTAX)
    return `${symbol}=`
  }
  return cursor.fail(SYNTAX, `expected an assignment operator, found ${describeToken(token)}`)
}

/** `update entity set field op lit, … where cond and …`, after `update`. */
export function parseUpdate(cursor: Cursor, start: number): UpdateStatement<Placeholder> {
  cursor.requireRemaining(9, END, 'update')
  const entity = parseEntity(cursor, SYNTAX)
  cursor.expectKeyword('set', SYNTAX)
  const assignments: Assignment<Placeholder>[] = []
  do {
    const field = cursor.expectIdentifier(SYNTAX, 'a field name in SET')
    const operator = parseAssignmentOperator(cursor)
    const value = parseLiteral(cursor, 'a SET value')
    const span = cursor.spanFrom(field.span.start)
    assignments.push({ kind: 'assignment', field, operator, value, span })
  } while (cursor.takeSymbol(','))
  cursor.expectKeyword('where', SYNTAX)
  const where = parseConditions(cursor)
  cursor.expectEnd()
  return { kind: 'update', entity, assignments, where, span: cursor.spanFrom(start) }
}

/** `delete from entity where cond and …`, after `delete`. */
export function parseDelete(cursor: Cursor, start: number): DeleteStatement<Placeholder> {
  cursor.requireRemaining(5, END, 'delete')
  cursor.expectKeyword('from', SYNTAX)
  const entity = parseEntity(cursor, SYNTAX)
  cursor.expectKeyword('where', SYNTAX)
  const where = parseConditions(cursor)
  cursor.expectEnd()
  return { kind: 'delete', entity, where, span: cursor.spanFrom(start) }
}
