/**
 * The BlueQL lexer (blueql.md §1.2): statement text → tokens, left to right, stopping at the
 * first byte no token may start with (error 26).
 *
 * The text is one JS char per byte (Latin-1), as the server passes it; a `Uint8Array` is turned
 * into such a string first. Every `?` becomes a placeholder numbered in text order: the parser
 * decides what each one may be bound to, so lexing never depends on the parameters.
 *
 * Invariants: tokens are in text order, do not overlap and cover every byte that is not
 * whitespace (space, LF, TAB); `placeholderOffsets[i]` is the offset of placeholder `i`, and
 * every placeholder before the error (if any) is listed.
 */
import { QueryError, locate } from '../errors.js'
import { KEYWORDS } from './keywords.js'
import type { Keyword } from './keywords.js'

interface TokenSpan {
  readonly start: number
  readonly end: number
}

/** A token with its byte offsets `[start, end)`. */
export type Token = TokenSpan &
  (
    | { readonly kind: 'keyword'; readonly keyword: Keyword }
    | { readonly kind: 'identifier'; readonly text: string }
    | { readonly kind: 'bool'; readonly value: boolean }
    | { readonly kind: 'placeholder'; readonly index: number }
    | { readonly kind: 'symbol'; readonly symbol: string }
  )

/** What {@link lex} found: the tokens up to the first bad byte, and that byte's error. */
export interface LexResult {
  readonly tokens: readonly Token[]
  readonly placeholderOffsets: readonly number[]
  readonly error: QueryError | null
}

/** The symbol bytes of blueql.md §1.2 (`?` is handled before this table is consulted). */
const SYMBOLS = '+-*/!&^|=()[]{}<>\'"@#$%\\:;,.?~`'

const CLASS_OTHER = 0
const CLASS_SPACE = 1
const CLASS_WORD_START = 2
const CLASS_DIGIT = 3
const CLASS_SYMBOL = 4

const byteClass = new Uint8Array(128)
for (const char of SYMBOLS) byteClass[char.charCodeAt(0)] = CLASS_SYMBOL
for (const code of [0x20, 0x0a, 0x09]) byteClass[code] = CLASS_SPACE
for (let code = 0x30; code <= 0x39; code += 1) byteClass[code] = CLASS_DIGIT
for (let code = 0x41; code <= 0x5a; code += 1) byteClass[code] = CLASS_WORD_START
for (let code = 0x61; code <= 0x7a; code += 1) byteClass[code] = CLASS_WORD_START
byteClass[0x5f] = CLASS_WORD_START

const QUESTION_MARK = 0x3f

function classOf(code: number): number {
  return code < 128 ? (byteClass[code] ?? CLASS_OTHER) : CLASS_OTHER
}

function isWordByte(code: number): boolean {
  const kind = classOf(code)
  return kind === CLASS_WORD_START || kind === CLASS_DIGIT
}

/**
 * Converts query bytes to the one-char-per-byte string the lexer reads. A string is returned as
 * is (a char above 0xFF is rejected by the lexer like any non-ASCII byte).
 */
export function toQueryText(query: string | Uint8Array): string {
  if (typeof query === 'string') return query
  let text = ''
  const chunkBytes = 8192
  for (let start = 0; start < query.length; start += chunkBytes) {
    const chunk = query.subarray(start, start + chunkBytes)
    text += String.fromCharCode.apply(null, chunk as unknown as number[])
  }
  return text
}

function describeByte(code: number): string {
  const hex = code.toString(16).padStart(2, '0')
  if (code >= 0x21 && code < 0x7f) return `'${String.fromCharCode(code)}' (0x${hex})`
  return code > 0xff ? `char U+${code.toString(16).padStart(4, '0')}` : `byte 0x${hex}`
}

function wordToken(text: string, start: number, end: number): Token {
  const word = text.slice(start, end)
  const lower = word.toLowerCase()
  if (KEYWORDS.has(lower)) return { kind: 'keyword', keyword: lower as Keyword, start, end }
  if (lower === 'true' || lower === 'false') {
    return { kind: 'bool', value: lower === 'true', start, end }
  }
  return { kind: 'identifier', text: word, start, end }
}

/** Splits `text` into tokens (blueql.md §1.2). Never throws: the error is returned. */
export function lex(text: string): LexResult {
  const tokens: Token[] = []
  const placeholderOffsets: number[] = []
  let at = 0
  while (at < text.length) {
    const code = text.charCodeAt(at)
    const kind = classOf(code)
    if (kind === CLASS_SPACE) {
      at += 1
    } else if (kind === CLASS_WORD_START) {
      let end = at + 1
      while (end < text.length && isWordByte(text.charCodeAt(end))) end += 1
      tokens.push(wordToken(text, at, end))
      at = end
    } else if (code === QUESTION_MARK) {
      tokens.push({ kind: 'placeholder', index: placeholderOffsets.length, start: at, end: at + 1 })
      placeholderOffsets.push(at)
      at += 1
    } else if (kind === CLASS_SYMBOL) {
      tokens.push({ kind: 'symbol', symbol: text.charAt(at), start: at, end: at + 1 })
      at += 1
    } else {
      const what = kind === CLASS_DIGIT ? 'a digit (BlueQL has no inline numbers)' : 'this byte'
      const error = new QueryError(
        'QL_UNEXPECTED_BYTE',
        `unexpected ${describeByte(code)}: no token starts with ${what}`,
        { position: locate(text, at) },
      )
      return { tokens, placeholderOffsets, error }
    }
  }
  return { tokens, placeholderOffsets, error: null }
}
