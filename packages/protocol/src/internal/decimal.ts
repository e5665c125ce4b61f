/**
 * Decimal fields of Skyhash 2: ASCII digits (an optional `-` for signed values) ended by LF, and
 * the float text that Skytable writes with Rust's `Display` and reads with Rust's `f64::from_str`.
 *
 * Invariants: a scan never reads outside `[from, to)`; it says `incomplete` only when every byte it
 * saw could still begin a valid field, so a decoder that waits for more bytes is never waiting on a
 * field that is already known to be bad. Digit runs are capped at DECIMAL_DIGITS_MAX and float text
 * at FLOAT_TEXT_BYTES_MAX, so scanning an unfinished field costs O(1) per attempt.
 */
import { assert } from '@sky/std'
import { DECIMAL_DIGITS_MAX, DIGIT_0, DIGIT_9, LF, MINUS } from './wire.js'

/** A decimal field that ended with LF: digits at `[digitsFrom, digitsTo)`, next field at `end`. */
export interface DecimalLine {
  readonly negative: boolean
  readonly digitsFrom: number
  readonly digitsTo: number
  readonly end: number
}

/** Result of a scan: the field, or a wait for more bytes, or a bad byte at `offset`. */
export type Scan<T> =
  | { readonly status: 'ok'; readonly value: T }
  | { readonly status: 'incomplete' }
  | { readonly status: 'malformed'; readonly offset: number; readonly reason: string }

export const INCOMPLETE = Object.freeze({ status: 'incomplete' as const })

export function malformed(offset: number, reason: string): Scan<never> {
  return { status: 'malformed', offset, reason }
}

/**
 * Scans `[-]digits LF` starting at `from`, reading no byte at or after `to`.
 * `signed` allows one leading `-`. At least one and at most DECIMAL_DIGITS_MAX digits.
 */
export function scanDecimalLine(
  bytes: Uint8Array,
  from: number,
  to: number,
  signed: boolean,
): Scan<DecimalLine> {
  assert(from >= 0 && from <= to && to <= bytes.length, 'scan within the bytes')
  let index = from
  const negative = signed && index < to && bytes[index] === MINUS
  if (negative) index += 1
  const digitsFrom = index
  for (; index < to; index += 1) {
    const byte = bytes[index] as number
    if (byte === LF) {
      if (index === digitsFrom) return malformed(index, 'a decimal field has no digits')
      return { status: 'ok', value: { negative, digitsFrom, digitsTo: index, end: index + 1 } }
    }
    if (byte < DIGIT_0 || byte > DIGIT_9) return malformed(index, `byte ${byte} in a decimal field`)
    if (index - digitsFrom >= DECIMAL_DIGITS_MAX) {
      return malformed(index, `a decimal field longer than ${DECIMAL_DIGITS_MAX} digits`)
    }
  }
  return INCOMPLETE
}

/**
 * The value of the digits `[from, to)` as a number, or Infinity once it passes
 * Number.MAX_SAFE_INTEGER (callers compare it with a limit, so exactness past that is moot).
 */
export function digitsToNumber(bytes: Uint8Array, from: number, to: number): number {
  let value = 0
  for (let index = from; index < to; index += 1) {
    value = value * 10 + ((bytes[index] as number) - DIGIT_0)
    if (value > Number.MAX_SAFE_INTEGER) return Infinity
  }
  return value
}

/** The exact value of the digits of `line` as a bigint, negated if the line is negative. */
export function lineToBigInt(bytes: Uint8Array, line: DecimalLine): bigint {
  const { digitsFrom, digitsTo } = line
  let magnitude: bigint
  if (digitsTo - digitsFrom <= 15) {
    magnitude = BigInt(digitsToNumber(bytes, digitsFrom, digitsTo))
  } else {
    magnitude = BigInt(asciiText(bytes, digitsFrom, digitsTo))
  }
  return line.negative ? -magnitude : magnitude
}

/** The exact value of `line` as a number. REQUIRES: at most 15 digits (so it is exact). */
export function lineToSmallNumber(bytes: Uint8Array, line: DecimalLine): number {
  assert(line.digitsTo - line.digitsFrom <= 15, 'a small number has at most 15 digits')
  const magnitude = digitsToNumber(bytes, line.digitsFrom, line.digitsTo)
  return line.negative ? -magnitude : magnitude
}

/** Bytes `[from, to)` as a string of one char per byte (lossless for any byte). */
export function asciiText(bytes: Uint8Array, from: number, to: number): string {
  let text = ''
  // Chunks keep String.fromCharCode's argument count small.
  for (let index = from; index < to; index += 4096) {
    const end = Math.min(to, index + 4096)
    text += String.fromCharCode(...bytes.subarray(index, end))
  }
  return text
}

/** Longest float text accepted in a response: 5e-324 in positional form is 326 bytes. */
export const FLOAT_TEXT_BYTES_MAX = 512

/**
 * Rust's `f64::from_str` grammar: an optional sign, then `inf`, `infinity` or `nan` in any case,
 * or digits with an optional point and exponent (`1`, `1.`, `.5`, `1e5`, `2.5E-3`).
 */
const FLOAT_GRAMMAR =
  /^[+-]?(?:inf|infinity|nan|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)$/i

/** Parses float text as Rust would, or returns null when Rust would refuse it. */
export function parseFloatText(text: string): number | null {
  if (!FLOAT_GRAMMAR.test(text)) return null
  const unsigned = text.replace(/^[+-]/, '').toLowerCase()
  const negative = text.startsWith('-')
  if (unsigned === 'nan') return Number.NaN
  if (unsigned === 'inf' || unsigned === 'infinity') return negative ? -Infinity : Infinity
  const value = Number(text)
  assert(!Number.isNaN(value), 'the grammar admits only numbers Number() can read')
  return value
}

/**
 * Formats a float as Rust's `Display` does, which is what Skytable writes: the shortest decimal
 * that reads back to the same f64, never in exponent form (`1`, `0.0000001`,
 * `1000000000000000000000`), `-0` for negative zero, `NaN`, `inf` and `-inf`.
 */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Infinity) return 'inf'
  if (value === -Infinity) return '-inf'
  if (Object.is(value, -0)) return '-0'
  const shortest = String(value) // ECMAScript Number::toString: shortest round-trip digits.
  const exponentAt = shortest.indexOf('e')
  if (exponentAt < 0) return shortest
  const negative = shortest.startsWith('-')
  const mantissa = shortest.slice(negative ? 1 : 0, exponentAt)
  const exponent = Number(shortest.slice(exponentAt + 1))
  const digits = mantissa.replace('.', '')
  // The point sits after the first mantissa digit; the exponent moves it.
  const pointAt = 1 + exponent
  let plain: string
  if (pointAt >= digits.length) plain = digits + '0'.repeat(pointAt - digits.length)
  else if (pointAt <= 0) plain = '0.' + '0'.repeat(-pointAt) + digits
  else plain = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`
  return negative ? `-${plain}` : plain
}
