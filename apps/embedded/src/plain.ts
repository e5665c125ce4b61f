/**
 * Results as plain JavaScript values, for code that does not need the wire types: a row becomes
 * an array, a multirow an array of arrays, a value its JavaScript form (integers of 8 to 32 bits
 * are numbers, 64-bit ones bigints, binary a Uint8Array, a list an array, null null).
 */
import type { QueryResult, ResultValue } from '@sky/ql'

/** A plain value: what {@link toPlain} gives for one cell. */
export type PlainValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly PlainValue[]

/** The JavaScript value of one typed value. */
export function plainValue(value: ResultValue): PlainValue {
  switch (value.type) {
    case 'null':
      return null
    case 'list':
      return value.value.map(plainValue)
    default:
      return value.value
  }
}

/**
 * A result as plain values: `Empty` → `undefined`, a row → its values, a multirow → its rows,
 * a single value → that value.
 *
 * @example
 * ```ts
 * toPlain(await db.query('use $current')) // 'app'
 * ```
 */
export function toPlain(
  result: QueryResult,
): PlainValue | PlainValue[] | PlainValue[][] | undefined {
  switch (result.type) {
    case 'empty':
      return undefined
    case 'row':
      return result.values.map(plainValue)
    case 'multirow':
      return result.rows.map((row) => row.map(plainValue))
    default:
      return plainValue(result)
  }
}

/**
 * The values of a row result.
 *
 * @throws TypeError when the result is not a row.
 * @example
 * ```ts
 * const select = 'select name, age from app.users where name = ?'
 * const [name, age] = plainRow(await db.query(select, 'ann'))
 * ```
 */
export function plainRow(result: QueryResult): PlainValue[] {
  if (result.type !== 'row') throw new TypeError(`expected a row, got ${result.type}`)
  return result.values.map(plainValue)
}

/**
 * The rows of a multirow result (`select all`).
 *
 * @throws TypeError when the result is not a multirow.
 */
export function plainRows(result: QueryResult): PlainValue[][] {
  if (result.type !== 'multirow') throw new TypeError(`expected rows, got ${result.type}`)
  return result.rows.map((row) => row.map(plainValue))
}
