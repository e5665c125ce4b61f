/**
 * The small statements: use, inspect, sysctl (blueql.md §4.7, 4.8, 4.14) and skydb's
 * transaction statements begin, commit and rollback.
 *
 * Invariants: as in every rule file, success means every token was consumed; context words
 * (`global`, `current`, `user`, `report`, `status`, the isolation words) are compared ignoring
 * ASCII case and are never reserved.
 */
import type {
  BeginStatement,
  CommitStatement,
  InspectGlobalStatement,
  InspectModelStatement,
  InspectSpaceStatement,
  IsolationLevel,
  Placeholder,
  RollbackStatement,
  SysctlAlterUserStatement,
  SysctlCreateUserStatement,
  SysctlDropUserStatement,
  SysctlReportStatusStatement,
  UseStatement,
  UseTarget,
} from '../ast.js'
import { describeToken, isKeyword, isSymbol, isWord } from './cursor.js'
import type { Cursor, SequenceWord } from './cursor.js'
import { parseDict } from './parse-collections.js'
import { parseEntity } from './parse-dml.js'

const SYNTAX = 'QL_INVALID_SYNTAX'
const END = 'QL_UNEXPECTED_END'
const COLLECTION = 'QL_INVALID_COLLECTION_SYNTAX'

/** `use name | null | $current`, after `use`: one or two tokens, else 28. */
export function parseUse(cursor: Cursor, start: number): UseStatement {
  const count = cursor.remaining()
  if (count < 1 || count > 2) cursor.fail(SYNTAX, `use takes one name, found ${count} tokens`)
  const token = cursor.peek()
  let target: UseTarget
  if (token?.kind === 'identifier') {
    target = { kind: 'space', name: cursor.expectIdentifier(SYNTAX, 'a space name') }
  } else if (isKeyword(token, 'null')) {
    cursor.take()
    target = { kind: 'null' }
  } else if (token?.kind === 'placeholder') {
    // A null parameter is the `null` keyword: `use ?` is `use null`, and nothing else.
    const codes = { rejectCode: SYNTAX, missingCode: SYNTAX } as const
    cursor.acceptPlaceholder(token, 'null', codes, 'the space of use')
    target = { kind: 'null' }
  } else if (isSymbol(token, '$') && isWord(cursor.peek(1), 'current')) {
    cursor.take()
    cursor.take()
    target = { kind: 'current' }
  } else {
    return cursor.fail(SYNTAX, `use needs a space, null or $current, found ${describeToken(token)}`)
  }
  cursor.expectEnd()
  return { kind: 'use', target, span: cursor.spanFrom(start) }
}

type InspectStatement = InspectGlobalStatement | InspectSpaceStatement | InspectModelStatement

/** `inspect global | space name | model entity`, after `inspect`. */
export function parseInspect(cursor: Cursor, start: number): InspectStatement {
  cursor.requireRemaining(1, END, 'inspect')
  const token = cursor.peek()
  let statement: InspectStatement
  if (isWord(token, 'global')) {
    cursor.take()
    cursor.expectEnd()
    statement = { kind: 'inspect-global', span: cursor.spanFrom(start) }
  } else if (isKeyword(token, 'space')) {
    cursor.take()
    cursor.requireRemaining(1, END, 'inspect space')
    const name = cursor.expectIdentifier(SYNTAX, 'a space name')
    cursor.expectEnd()
    statement = { kind: 'inspect-space', name, span: cursor.spanFrom(start) }
  } else if (isKeyword(token, 'model')) {
    cursor.take()
    const entity = parseEntity(cursor, 'QL_EXPECTED_ENTITY')
    cursor.expectEnd()
    statement = { kind: 'inspect-model', entity, span: cursor.spanFrom(start) }
  } else {
    statement = cursor.fail(SYNTAX, `inspect global, space or model, not ${describeToken(token)}`)
  }
  return statement
}

type SysctlStatement =
  | SysctlReportStatusStatement
  | SysctlCreateUserStatement<Placeholder>
  | SysctlAlterUserStatement<Placeholder>
  | SysctlDropUserStatement

/**
 * `sysctl report status | create user … | alter user … | drop user name`, after `sysctl`.
 * Fewer than two tokens 32, an unknown sub-command 33, trailing tokens 28; in create/alter, a
 * user name or dict that is not well formed 29.
 */
export function parseSysctl(cursor: Cursor, start: number): SysctlStatement {
  cursor.requireRemaining(2, 'QL_EXPECTED_STATEMENT', 'sysctl')
  if (cursor.takeSequence(['~report', '~status'])) {
    cursor.expectEnd()
    return { kind: 'sysctl-report-status', span: cursor.spanFrom(start) }
  }
  for (const action of ['create', 'alter'] as const) {
    if (!cursor.takeSequence([action, '~user'] satisfies SequenceWord[])) continue
    cursor.requireRemaining(7, SYNTAX, `sysctl ${action} user`)
    const user = cursor.expectIdentifier(COLLECTION, 'a user name')
    cursor.expectKeyword('with', COLLECTION)
    const properties = parseDict(cursor, { openCode: COLLECTION, code: COLLECTION })
    cursor.expectEnd()
    const kind = action === 'create' ? 'sysctl-create-user' : 'sysctl-alter-user'
    return { kind, user, properties, span: cursor.spanFrom(start) }
  }
  if (cursor.takeSequence(['drop', '~user'])) {
    if (cursor.remaining() !== 1) {
      cursor.fail(SYNTAX, `sysctl drop user takes one name, found ${cursor.remaining()} tokens`)
    }
    const user = cursor.expectIdentifier(SYNTAX, 'a user name')
    return { kind: 'sysctl-drop-user', user, span: cursor.spanFrom(start) }
  }
  const found = describeToken(cursor.peek())
  return cursor.fail('QL_UNKNOWN_STATEMENT', `unknown sysctl command ${found}`)
}

/** The isolation levels, each as its words (`~` marks a context word). */
const ISOLATION_LEVELS: readonly (readonly [IsolationLevel, readonly SequenceWord[]])[] = [
  ['read-uncommitted', ['read', '~uncommitted']],
  ['read-committed', ['read', '~committed']],
  ['repeatable-read', ['~repeatable', 'read']],
  ['snapshot', ['~snapshot']],
  ['serializable', ['~serializable']],
]

/** `begin [transaction] [isolation level level]`, after `begin` (skydb extension). */
export function parseBegin(cursor: Cursor, start: number): BeginStatement {
  cursor.takeKeyword('transaction')
  let isolation: IsolationLevel | null = null
  if (!cursor.atEnd()) {
    if (!cursor.takeSequence(['~isolation', '~level'])) {
      cursor.fail(SYNTAX, `expected 'isolation level', found ${describeToken(cursor.peek())}`)
    }
    const level = ISOLATION_LEVELS.find(([, words]) => cursor.takeSequence(words))
    if (level === undefined) {
      cursor.fail(SYNTAX, `unknown isolation level ${describeToken(cursor.peek())}`)
    }
    isolation = level[0]
  }
  cursor.expectEnd()
  return { kind: 'begin', isolation, span: cursor.spanFrom(start) }
}

/** `commit [transaction]` or `rollback [transaction]`, after the word (skydb extension). */
export function parseEndTransaction(
  cursor: Cursor,
  start: number,
  kind: 'commit' | 'rollback',
): CommitStatement | RollbackStatement {
  cursor.takeKeyword('transaction')
  cursor.expectEnd()
  return { kind, span: cursor.spanFrom(start) }
}
