/**
 * Inline literals for the shell. BlueQL takes no inline numbers or strings (values travel as
 * parameters), so the shell turns each literal typed in a statement into a `?` and a typed
 * parameter, as Skytable's skysh does:
 *
 * | written          | parameter                     |
 * |------------------|-------------------------------|
 * | `'text'` `"text"`| string (`\'`, `\"`, `\\`, `\n`, `\t` escapes) |
 * | `42`             | uint                          |
 * | `-42` `+42`      | sint (a sign makes it signed) |
 * | `1.5` `-1.5e3`   | float                         |
 * | `x'00ff'`        | binary (hex)                  |
 *
 * A number only counts at a token start (`uint8` stays a type name). Everything else is passed
 * through unchanged, so `true`, `false`, `null` and `?` keep their BlueQL meaning.
 */
import { binary, float, sint, uint } from '@sky/client'
import type { QueryParameter } from '@sky/client'

/** A statement with its literals replaced by `?`. */
export interface ExtractedStatement {
  readonly query: string
  readonly parameters: readonly QueryParameter[]
}

/** A malformed literal (an unterminated string, bad hex). */
export class LiteralError extends Error {
  override readonly name = 'LiteralError'
}

const escapes: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '0': '\0' }

function readQuoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start] as string
  let value = ''
  let index = start + 1
  while (index < text.length) {
    const char = text[index] as string
    if (char === quote) return { value, end: index + 1 }
    if (char === '\\' && index + 1 < text.length) {
      const next = text[index + 1] as string
      value += escapes[next] ?? next
      index += 2
      continue
    }
    value += char
    index += 1
  }
  throw new LiteralError(`unterminated string starting at column ${start + 1}`)
}

const numberPattern = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?/

function numberParameter(raw: string): QueryParameter {
  if (/[.eE]/.test(raw)) return float(Number(raw))
  if (raw.startsWith('-') || raw.startsWith('+')) return sint(BigInt(raw))
  return uint(BigInt(raw))
}

/**
 * Replaces the literals of `text` by `?` and returns them as parameters, in order.
 *
 * @throws LiteralError for an unterminated string or malformed hex.
 * @example
 * ```ts
 * extractLiterals("insert into s.m('ann', 30, -2)")
 * // { query: 'insert into s.m(?, ?, ?)', parameters: ['ann', uint(30), sint(-2)] }
 * ```
 */
export function extractLiterals(text: string): ExtractedStatement {
  let query = ''
  const parameters: QueryParameter[] = []
  let index = 0
  while (index < text.length) {
    const char = text[index] as string
    const previous = index === 0 ? ' ' : (text[index - 1] as string)
    const atTokenStart = !/[A-Za-z0-9_]/.test(previous)
    if (char === "'" || char === '"') {
      const { value, end } = readQuoted(text, index)
      parameters.push(value)
      query += '?'
      index = end
      continue
    }
    if ((char === 'x' || char === 'X') && text[index + 1] === "'" && atTokenStart) {
      const { value, end } = readQuoted(text, index + 1)
      if (!/^([0-9a-fA-F]{2})*$/.test(value)) throw new LiteralError(`bad hex literal x'${value}'`)
      parameters.push(binary(Uint8Array.from(Buffer.from(value, 'hex'))))
      query += '?'
      index = end
      continue
    }
    if (atTokenStart && /[\d+-]/.test(char)) {
      const match = numberPattern.exec(text.slice(index))
      if (match !== null && (/\d/.test(char) || /\d/.test(text[index + 1] ?? ''))) {
        parameters.push(numberParameter(match[0]))
        query += '?'
        index += match[0].length
        continue
      }
    }
    query += char
    index += 1
  }
  return { query, parameters }
}
