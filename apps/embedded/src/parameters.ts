/**
 * Query parameters from plain JavaScript values: what `Database.query(blueql, ...values)` binds
 * to the `?` of the statement, in order.
 *
 * | JavaScript value | binds as |
 * |---|---|
 * | `null` (or `undefined`) | null |
 * | `boolean` | bool |
 * | `string` | string |
 * | `Uint8Array` | binary |
 * | `bigint`, or an integer `number` | uint when >= 0, sint when negative |
 * | any other `number` (1.5, NaN, Infinity) | float |
 * | a `Parameter` (`{ type, value }`, e.g. from {@link sint} or {@link float}) | as given |
 *
 * BlueQL types are strict (a uint never fits a sint field): bind a non-negative value for a
 * signed field with {@link sint}, and a whole number for a float field with {@link float}.
 */
import type { Parameter } from '@sky/ql'

/** What `query` accepts for a `?`. */
export type BindValue =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Parameter

/** A signed integer parameter (for sint fields, whatever the sign). */
export function sint(value: number | bigint): Parameter {
  return { type: 'sint', value: toBigInt(value) }
}

/** An unsigned integer parameter. */
export function uint(value: number | bigint): Parameter {
  return { type: 'uint', value: toBigInt(value) }
}

/** A float parameter (for float fields, even for a whole number). */
export function float(value: number): Parameter {
  if (typeof value !== 'number') throw new TypeError('float() takes a number')
  return { type: 'float', value }
}

function toBigInt(value: number | bigint): bigint {
  if (typeof value === 'bigint') return value
  if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`)
  return BigInt(value)
}

function isParameter(value: object): value is Parameter {
  return typeof (value as { type?: unknown }).type === 'string'
}

/**
 * The parameter a value binds as (see the table above).
 *
 * @throws TypeError for a value of another type (a function, a symbol, a plain object).
 */
export function toParameter(value: BindValue): Parameter {
  if (value === null || value === undefined) return { type: 'null' }
  switch (typeof value) {
    case 'boolean':
      return { type: 'bool', value }
    case 'string':
      return { type: 'string', value }
    case 'bigint':
      return { type: value >= 0n ? 'uint' : 'sint', value }
    case 'number':
      if (!Number.isInteger(value)) return { type: 'float', value }
      return { type: value >= 0 ? 'uint' : 'sint', value: toBigInt(value) }
    case 'object':
      if (value instanceof Uint8Array) return { type: 'binary', value }
      if (isParameter(value)) return value
      break
    default:
      break
  }
  throw new TypeError(`cannot bind a ${typeof value} to a query parameter`)
}
