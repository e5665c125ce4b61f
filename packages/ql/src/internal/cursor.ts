/**
 * Cursor: the parser's state over a token list, and the small moves every rule is made of.
 *
 * The cursor also records a {@link Slot} for each placeholder a rule accepts: what that `?`
 * may be bound to and which error Skytable gives otherwise. Skytable lexes parameters into the
 * token stream, so a null parameter is the `null` keyword and a missing one is a plain `?`;
 * slots let the text be parsed once and the parameters be checked later with the same result.
 *
 * Invariants: `index` only moves forward and never past the end; slots are recorded in token
 * order, which is parameter order; `depth` is at most `qlLimits.nestingDepthMax`.
 */
import { assert } from '@sky/std'
import type { Identifier, Placeholder, Span } from '../ast.js'
import { QueryError, locate } from '../errors.js'
import type { QueryErrorCode, StatementKeyword } from '../errors.js'
import { qlLimits } from '../limits.js'
import type { ContextWord, Keyword } from './keywords.js'
import type { Token } from './lexer.js'

/**
 * What a placeholder may be bound to: `value` (any literal or null), `literal` (any literal, not
 * null), `uint` (an unsigned integer only) or `null` (only null: the `?` stands where the `null`
 * keyword is the one thing a literal could be, such as `use ?`).
 */
export type SlotAccept = 'value' | 'literal' | 'uint' | 'null'

/** One accepted placeholder and the errors its parameter can cause. */
export interface Slot {
  readonly index: number
  readonly offset: number
  readonly accept: SlotAccept
  /** Error when the parameter is of a type `accept` excludes. */
  readonly rejectCode: QueryErrorCode
  /** Error when there is no parameter for it (Skytable then lexes a plain `?`). */
  readonly missingCode: QueryErrorCode
  /** What the position is, for messages ("WHERE value"). */
  readonly what: string
}

/** Describes a token (or the end) for an error message. */
export function describeToken(token: Token | undefined): string {
  if (token === undefined) return 'the end of the query'
  switch (token.kind) {
    case 'keyword':
      return `keyword '${token.keyword}'`
    case 'identifier':
      return `'${token.text}'`
    case 'bool':
      return `'${String(token.value)}'`
    case 'placeholder':
      return `parameter '?'`
    case 'symbol':
      return `'${token.symbol}'`
  }
}

/** True when `token` is the keyword `keyword`. */
export function isKeyword(token: Token | undefined, keyword: Keyword): boolean {
  return token !== undefined && token.kind === 'keyword' && token.keyword === keyword
}

/** True when `token` is the symbol `symbol`. */
export function isSymbol(token: Token | undefined, symbol: string): boolean {
  return token !== undefined && token.kind === 'symbol' && token.symbol === symbol
}

/** True when `token` is an identifier equal to `word` ignoring ASCII case. */
export function isWord(token: Token | undefined, word: ContextWord): boolean {
  return token !== undefined && token.kind === 'identifier' && token.text.toLowerCase() === word
}

/** A word of a fixed sequence: a keyword, or a context word written `~word`. */
export type SequenceWord = Keyword | `~${ContextWord}`

/** The parser's position in the tokens, plus what it learned on the way. */
export class Cursor {
  readonly slots: Slot[] = []
  statementKeyword: StatementKeyword | null = null
  private index = 0
  private depth = 0
  private lastEnd = 0

  constructor(
    readonly text: string,
    private readonly tokens: readonly Token[],
    readonly hasCurrentSpace: boolean,
  ) {}

  /** Tokens not yet consumed. */
  remaining(): number {
    return this.tokens.length - this.index
  }

  atEnd(): boolean {
    return this.index >= this.tokens.length
  }

  peek(ahead = 0): Token | undefined {
    return this.tokens[this.index + ahead]
  }

  /** Consumes the current token. REQUIRES: not at the end. */
  take(): Token {
    const token = this.tokens[this.index]
    assert(token !== undefined, 'take() is never called at the end')
    this.index += 1
    this.lastEnd = token.end
    return token
  }

  /** Span from `start` to the end of the last consumed token. */
  spanFrom(start: number): Span {
    assert(this.lastEnd >= start, 'spans end after they start')
    return { start, end: this.lastEnd }
  }

  /** Offset where the next token starts, or the end of the text. */
  offset(): number {
    return this.peek()?.start ?? this.text.length
  }

  /** Throws `code` at the current token (or the end). */
  fail(code: QueryErrorCode, message: string, at: Token | undefined = this.peek()): never {
    throw new QueryError(code, message, {
      position: locate(this.text, at?.start ?? this.text.length),
      statementKeyword: this.statementKeyword,
    })
  }

  /** Throws `code` at byte `offset` of the text. */
  failAt(code: QueryErrorCode, message: string, offset: number): never {
    throw new QueryError(code, message, {
      position: locate(this.text, offset),
      statementKeyword: this.statementKeyword,
    })
  }

  /** Throws `code` unless at least `count` tokens remain. */
  requireRemaining(count: number, code: QueryErrorCode, what: string): void {
    if (this.remaining() < count) {
      this.fail(code, `${what} needs at least ${count} more tokens, found ${this.remaining()}`)
    }
  }

  /** Consumes the keyword if it is next. */
  takeKeyword(keyword: Keyword): boolean {
    if (!isKeyword(this.peek(), keyword)) return false
    this.take()
    return true
  }

  /** Consumes the symbol if it is next. */
  takeSymbol(symbol: string): boolean {
    if (!isSymbol(this.peek(), symbol)) return false
    this.take()
    return true
  }

  /** Consumes the whole sequence if every word of it is next; otherwise consumes nothing. */
  takeSequence(words: readonly SequenceWord[]): boolean {
    const matches = words.every((word, ahead) => {
      const token = this.peek(ahead)
      return word.startsWith('~')
        ? isWord(token, word.slice(1) as ContextWord)
        : isKeyword(token, word as Keyword)
    })
    if (matches) for (let count = 0; count < words.length; count += 1) this.take()
    return matches
  }

  expectKeyword(keyword: Keyword, code: QueryErrorCode): Token {
    if (!isKeyword(this.peek(), keyword)) {
      this.fail(code, `expected '${keyword}', found ${describeToken(this.peek())}`)
    }
    return this.take()
  }

  expectSymbol(symbol: string, code: QueryErrorCode): Token {
    if (!isSymbol(this.peek(), symbol)) {
      this.fail(code, `expected '${symbol}', found ${describeToken(this.peek())}`)
    }
    return this.take()
  }

  /** Consumes an identifier (a keyword or `true`/`false` is not one). */
  expectIdentifier(code: QueryErrorCode, what: string): Identifier {
    const token = this.peek()
    if (token === undefined || token.kind !== 'identifier') {
      this.fail(code, `expected ${what} (an identifier), found ${describeToken(token)}`)
    }
    this.take()
    return { kind: 'identifier', text: token.text, span: { start: token.start, end: token.end } }
  }

  /** Throws error 28 if any token is left: Skytable rejects leftovers (blueql.md §3.1). */
  expectEnd(): void {
    if (!this.atEnd()) {
      this.fail('QL_INVALID_SYNTAX', `unexpected ${describeToken(this.peek())} after the statement`)
    }
  }

  /** Enters one level of list, dict or type nesting. */
  enter(): void {
    if (this.depth >= qlLimits.nestingDepthMax) {
      this.fail('QL_LIMIT_EXCEEDED', `nesting deeper than ${qlLimits.nestingDepthMax} levels`)
    }
    this.depth += 1
  }

  leave(): void {
    assert(this.depth > 0, 'leave() pairs with enter()')
    this.depth -= 1
  }

  /**
   * Consumes the placeholder `token` (the current token) and records its slot.
   * REQUIRES: `token` is the current token and a placeholder.
   */
  acceptPlaceholder(
    token: Token,
    accept: SlotAccept,
    codes: { readonly rejectCode: QueryErrorCode; readonly missingCode: QueryErrorCode },
    what: string,
  ): Placeholder {
    assert(token === this.peek(), 'the placeholder is the current token')
    assert(token.kind === 'placeholder', 'a slot is a placeholder')
    const previous = this.slots[this.slots.length - 1]
    if (previous !== undefined) assert(previous.index < token.index, 'slots in parameter order')
    this.take()
    this.slots.push({ index: token.index, offset: token.start, accept, ...codes, what })
    return { kind: 'placeholder', index: token.index, span: { start: token.start, end: token.end } }
  }
}
