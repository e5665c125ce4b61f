/**
 * compile: query text → statement template, or the error the text alone leads to, keeping what
 * binding needs to give the exact Skytable answer for given parameters.
 *
 * Invariants: on success every `?` of the text is a slot (`slots.length ===
 * placeholderOffsets.length`); on failure `slots` lists the placeholders accepted before the
 * failing token, in order; `placeholderOffsets` lists every `?` before the first bad byte.
 */
import { assert } from '@sky/std'
import type { StatementTemplate } from '../ast.js'
import { QueryError } from '../errors.js'
import type { StatementKeyword } from '../errors.js'
import { Cursor } from './cursor.js'
import type { Slot } from './cursor.js'
import { lex } from './lexer.js'
import { parseStatement } from './parse-statement.js'

interface CompiledBase {
  readonly text: string
  readonly slots: readonly Slot[]
  readonly placeholderOffsets: readonly number[]
  readonly statementKeyword: StatementKeyword | null
}

/** A statement that parsed, for any parameters its slots accept. */
export interface Compiled extends CompiledBase {
  readonly ok: true
  readonly template: StatementTemplate
}

/** Text that cannot parse: `error`, unless a slot before it rejects its parameter first. */
export interface CompileFailure extends CompiledBase {
  readonly ok: false
  readonly error: QueryError
}

/** Lexes and parses `text` (one char per byte). Never throws a QueryError: it is returned. */
export function compile(text: string, hasCurrentSpace: boolean): Compiled | CompileFailure {
  const lexed = lex(text)
  const { placeholderOffsets } = lexed
  if (lexed.error !== null) {
    const base = { text, slots: [], placeholderOffsets, statementKeyword: null }
    return { ok: false, error: lexed.error, ...base }
  }
  const cursor = new Cursor(text, lexed.tokens, hasCurrentSpace)
  let template: StatementTemplate
  try {
    template = parseStatement(cursor)
  } catch (error) {
    if (!(error instanceof QueryError)) throw error
    const { slots, statementKeyword } = cursor
    return { ok: false, error, text, slots, placeholderOffsets, statementKeyword }
  }
  assert(cursor.slots.length === placeholderOffsets.length, 'every ? of a statement is a slot')
  const { slots, statementKeyword } = cursor
  return { ok: true, template, text, slots, placeholderOffsets, statementKeyword }
}
