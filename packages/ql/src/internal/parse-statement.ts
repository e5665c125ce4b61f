/**
 * The statement router (blueql.md §3.1): picks the rule from the first tokens, with the checks
 * Skytable makes before parsing (statement keyword 32, blocking statement length 32, DDL routing
 * 33, `describe`/`exists` 33), then runs the rule.
 *
 * Invariants: `cursor.statementKeyword` is set as soon as the first token is known to be a
 * statement keyword, so every later error carries it; on success every token was consumed.
 */
import { assert } from '@sky/std'
import type { StatementTemplate } from '../ast.js'
import { describeToken, isKeyword, isWord } from './cursor.js'
import type { Cursor } from './cursor.js'
import { isStatementKeyword } from './keywords.js'
import type { SkytableStatementKeyword } from './keywords.js'
import {
  parseAlterModel,
  parseAlterSpace,
  parseCreateModel,
  parseCreateSpace,
  parseDropModel,
  parseDropSpace,
} from './parse-ddl.js'
import {
  parseDelete,
  parseInsert,
  parseSelect,
  parseSelectAll,
  parseUpdate,
} from './parse-dml.js'
import {
  parseBegin,
  parseEndTransaction,
  parseInspect,
  parseSysctl,
  parseUse,
} from './parse-misc.js'

/** Parses the whole token list as one statement. */
export function parseStatement(cursor: Cursor): StatementTemplate {
  const first = cursor.peek()
  if (first === undefined) return cursor.fail('QL_EXPECTED_STATEMENT', 'empty query')
  const start = first.start
  let statement: StatementTemplate
  if (first.kind === 'keyword' && isStatementKeyword(first.keyword)) {
    cursor.statementKeyword = first.keyword
    cursor.take()
    statement = parseSkytableStatement(cursor, first.keyword, start)
  } else if (isKeyword(first, 'begin')) {
    cursor.statementKeyword = 'begin'
    cursor.take()
    statement = parseBegin(cursor, start)
  } else if (isWord(first, 'commit') || isWord(first, 'rollback')) {
    const kind = isWord(first, 'commit') ? 'commit' : 'rollback'
    cursor.statementKeyword = kind
    cursor.take()
    statement = parseEndTransaction(cursor, start, kind)
  } else {
    const found = describeToken(first)
    return cursor.fail('QL_EXPECTED_STATEMENT', `expected a statement, found ${found}`)
  }
  assert(cursor.atEnd(), 'a statement consumes every token')
  return statement
}

function parseSkytableStatement(
  cursor: Cursor,
  keyword: SkytableStatementKeyword,
  start: number,
): StatementTemplate {
  switch (keyword) {
    case 'create':
    case 'alter':
    case 'drop':
      return parseDdl(cursor, keyword, start)
    case 'sysctl':
      return parseSysctl(cursor, start)
    case 'use':
      return parseUse(cursor, start)
    case 'inspect':
      return parseInspect(cursor, start)
    case 'insert':
      return parseInsert(cursor, start)
    case 'select':
      if (!cursor.takeKeyword('all')) return parseSelect(cursor, start)
      return parseSelectAll(cursor, start)
    case 'update':
      return parseUpdate(cursor, start)
    case 'delete':
      return parseDelete(cursor, start)
    case 'describe':
    case 'exists':
      return cursor.fail('QL_UNKNOWN_STATEMENT', `'${keyword}' is reserved but not a statement`)
  }
}

/**
 * create/alter/drop: two tokens at least (else 32); then `space` or `model`, followed by an
 * identifier, or `if` (create, drop), or `allow` (drop); anything else is 33.
 */
function parseDdl(
  cursor: Cursor,
  keyword: 'create' | 'alter' | 'drop',
  start: number,
): StatementTemplate {
  cursor.requireRemaining(2, 'QL_EXPECTED_STATEMENT', keyword)
  const [object, next] = [cursor.peek(), cursor.peek(1)]
  const space = isKeyword(object, 'space')
  const model = isKeyword(object, 'model')
  const nextFits =
    next?.kind === 'identifier' ||
    (keyword !== 'alter' && isKeyword(next, 'if')) ||
    (keyword === 'drop' && isKeyword(next, 'allow'))
  if (!(space || model) || !nextFits) {
    const what = `${describeToken(object)} ${describeToken(next)}`
    cursor.fail('QL_UNKNOWN_STATEMENT', `cannot route '${keyword}' followed by ${what}`, object)
  }
  cursor.take()
  if (keyword === 'create') {
    return space ? parseCreateSpace(cursor, start) : parseCreateModel(cursor, start)
  }
  if (keyword === 'alter') {
    return space ? parseAlterSpace(cursor, start) : parseAlterModel(cursor, start)
  }
  return space ? parseDropSpace(cursor, start) : parseDropModel(cursor, start)
}
