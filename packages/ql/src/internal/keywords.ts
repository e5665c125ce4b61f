/**
 * The reserved words of BlueQL (blueql.md §1.3) and the context words compared by text.
 *
 * Invariants: every keyword is lowercase ASCII and appears once; the statement keywords are a
 * subset of the keywords; no context word is a keyword (context words stay usable as names).
 */
import { assert } from '@sky/std'

/** Keywords that start a Skytable statement. */
export const STATEMENT_KEYWORDS = [
  'sysctl',
  'create',
  'alter',
  'drop',
  'use',
  'inspect',
  'describe',
  'insert',
  'select',
  'update',
  'delete',
  'exists',
] as const

/** The other reserved words, in the order blueql.md §1.3 lists them. */
const OTHER_KEYWORDS = [
  'table', 'model', 'space', 'index', 'type', 'function', 'rename', 'add', 'remove', 'transform',
  'set', 'return', 'order', 'sort', 'group', 'limit', 'asc', 'desc', 'all', 'by', 'with', 'on',
  'from', 'into', 'as', 'to', 'in', 'of', 'and', 'or', 'not', 'if', 'else', 'where', 'when',
  'allow', 'auto', 'default', 'null', 'transaction', 'batch', 'lock', 'read', 'write', 'begin',
  'end', 'key', 'value', 'primary', 'truncate',
] as const

/** A reserved word, lowercase. */
export type Keyword = (typeof STATEMENT_KEYWORDS)[number] | (typeof OTHER_KEYWORDS)[number]

/** A Skytable statement keyword. */
export type SkytableStatementKeyword = (typeof STATEMENT_KEYWORDS)[number]

/** Every reserved word, lowercase. */
export const KEYWORDS: ReadonlySet<string> = new Set<string>([
  ...STATEMENT_KEYWORDS,
  ...OTHER_KEYWORDS,
])

const statementKeywords: ReadonlySet<string> = new Set<string>(STATEMENT_KEYWORDS)

/** True when `keyword` starts a Skytable statement. */
export function isStatementKeyword(keyword: Keyword): keyword is SkytableStatementKeyword {
  return statementKeywords.has(keyword)
}

/**
 * Words with a meaning in one position only; anywhere else they are ordinary identifiers. They
 * are compared ignoring ASCII case. The last group is skydb's transaction syntax, kept out of the
 * keywords so that every name Skytable accepts stays valid.
 */
export const CONTEXT_WORDS = [
  'global', 'current', 'empty', 'user', 'report', 'status',
  'commit', 'rollback', 'isolation', 'level', 'uncommitted', 'committed', 'repeatable',
  'snapshot', 'serializable',
] as const

/** A context word, lowercase. */
export type ContextWord = (typeof CONTEXT_WORDS)[number]

assert(KEYWORDS.size === STATEMENT_KEYWORDS.length + OTHER_KEYWORDS.length, 'keywords unique')
for (const word of CONTEXT_WORDS) assert(!KEYWORDS.has(word), `context word ${word} not reserved`)
