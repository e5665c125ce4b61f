/**
 * Rules shared by several statements: literals, dicts and type specs (blueql.md §4).
 *
 * A dict is `{ key: value, … }` with an optional trailing comma, no `{,}`, no repeated key, and
 * values that are literals, `null` or dicts. The error code of a malformed dict depends on the
 * statement (28 in create space, 29 in alter space and sysctl, 30 in a create model type), so
 * every rule here takes the code to use.
 *
 * Invariants: each rule consumes exactly the tokens of what it returns; every nested dict or
 * type spec enters one nesting level and leaves it on success.
 */
import type {
  BoolLiteral,
  Dict,
  DictEntry,
  DictValue,
  Literal,
  Placeholder,
  TypeSpec,
} from '../ast.js'
import type { QueryErrorCode } from '../errors.js'
import { describeToken, isKeyword, isSymbol } from './cursor.js'
import type { Cursor } from './cursor.js'
import type { Token } from './lexer.js'

/** Error codes of one dict: `openCode` if the `{` is missing, `code` for anything inside. */
export interface DictCodes {
  readonly openCode: QueryErrorCode
  readonly code: QueryErrorCode
}

/** A `true`/`false` token as a literal. REQUIRES: `token` is a bool token. */
export function boolLiteral(token: Token & { readonly kind: 'bool' }): BoolLiteral {
  return {
    kind: 'bool',
    value: token.value,
    span: { start: token.start, end: token.end },
    parameterIndex: null,
  }
}

/**
 * Reads a literal where `null` is not accepted (WHERE and SET values, list elements): error 28
 * for anything else, and later for a null or missing parameter.
 */
export function parseLiteral(cursor: Cursor, what: string): Literal | Placeholder {
  const token = cursor.peek()
  if (token?.kind === 'bool') {
    cursor.take()
    return boolLiteral(token)
  }
  if (token?.kind === 'placeholder') {
    const codes = { rejectCode: 'QL_INVALID_SYNTAX', missingCode: 'QL_INVALID_SYNTAX' } as const
    return cursor.acceptPlaceholder(token, 'literal', codes, what)
  }
  const found = isKeyword(token, 'null') ? "'null' (not accepted here)" : describeToken(token)
  return cursor.fail('QL_INVALID_SYNTAX', `expected a literal or '?' as ${what}, found ${found}`)
}

/**
 * Parses `{ entry, … }` with an optional trailing comma, calling `entry` once per entry; `entry`
 * consumes exactly one entry. REQUIRES: the current token is `{`.
 */
export function parseBraced(cursor: Cursor, code: QueryErrorCode, entry: () => void): void {
  cursor.take()
  for (;;) {
    if (cursor.takeSymbol('}')) return
    entry()
    if (cursor.takeSymbol(',')) continue
    if (cursor.takeSymbol('}')) return
    cursor.fail(code, `expected ',' or '}', found ${describeToken(cursor.peek())}`)
  }
}

/** Parses one `key: value` of a dict; `keys` holds the keys seen so far in the same dict. */
export function parseDictEntry(
  cursor: Cursor,
  codes: DictCodes,
  keys: Set<string>,
  what: string,
): DictEntry<Placeholder> {
  const keyToken = cursor.peek()
  const key = cursor.expectIdentifier(codes.code, `${what} name`)
  if (keys.has(key.text)) cursor.fail(codes.code, `${what} '${key.text}' given twice`, keyToken)
  keys.add(key.text)
  cursor.expectSymbol(':', codes.code)
  const value = parseDictValue(cursor, codes, `value of '${key.text}'`)
  return { key, value, span: cursor.spanFrom(key.span.start) }
}

function parseDictValue(cursor: Cursor, codes: DictCodes, what: string): DictValue<Placeholder> {
  const token = cursor.peek()
  if (token?.kind === 'bool') {
    cursor.take()
    return boolLiteral(token)
  }
  if (token?.kind === 'placeholder') {
    const slotCodes = { rejectCode: codes.code, missingCode: codes.code }
    return cursor.acceptPlaceholder(token, 'value', slotCodes, what)
  }
  if (token !== undefined && isKeyword(token, 'null')) {
    cursor.take()
    return { kind: 'null', span: { start: token.start, end: token.end }, parameterIndex: null }
  }
  if (isSymbol(token, '{')) return parseDict(cursor, { openCode: codes.code, code: codes.code })
  const found = describeToken(token)
  return cursor.fail(codes.code, `expected a literal, null or a dict as ${what}, found ${found}`)
}

/** Parses a dict `{ key: value, … }`. */
export function parseDict(cursor: Cursor, codes: DictCodes): Dict<Placeholder> {
  const open = cursor.peek()
  if (open === undefined || !isSymbol(open, '{')) {
    return cursor.fail(codes.openCode, `expected '{', found ${describeToken(open)}`)
  }
  cursor.enter()
  const entries: DictEntry<Placeholder>[] = []
  const keys = new Set<string>()
  parseBraced(cursor, codes.code, () => {
    entries.push(parseDictEntry(cursor, codes, keys, 'key'))
  })
  cursor.leave()
  return { kind: 'dict', entries, span: cursor.spanFrom(open.start) }
}

/**
 * Parses a type spec `name [ { entries } ]`, where the entry `type: spec` gives a list's element
 * type and the others are type properties. Every problem is `code` (30 in create model).
 */
export function parseTypeSpec(cursor: Cursor, code: QueryErrorCode): TypeSpec<Placeholder> {
  cursor.enter()
  const name = cursor.expectIdentifier(code, 'a type name')
  let elementType: TypeSpec<Placeholder> | null = null
  const properties: DictEntry<Placeholder>[] = []
  if (isSymbol(cursor.peek(), '{')) {
    const keys = new Set<string>()
    const codes = { openCode: code, code }
    parseBraced(cursor, code, () => {
      const token = cursor.peek()
      if (!isKeyword(token, 'type')) {
        properties.push(parseDictEntry(cursor, codes, keys, 'type property'))
        return
      }
      if (elementType !== null) cursor.fail(code, "'type' given twice in one type")
      cursor.take()
      cursor.expectSymbol(':', code)
      elementType = parseTypeSpec(cursor, code)
    })
  }
  cursor.leave()
  return { kind: 'type', name, elementType, properties, span: cursor.spanFrom(name.span.start) }
}
