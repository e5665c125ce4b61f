/**
 * Query results: the successful answers of skyhash.md §3 as a union discriminated by `kind`, each
 * with accessors that return plain JS values.
 *
 *   Empty (0x12)         → { kind: 'empty' }
 *   a bare value         → { kind: 'value', value }
 *   Row (0x11)           → { kind: 'row', values }
 *   MultiRow (0x13)      → { kind: 'rows', columnCount, rows }
 *
 * An error response is never a result: it is a QueryError. Invariants: results are immutable and
 * hold the decoder's typed values unchanged; the accessors convert without losing precision
 * (64-bit integers stay bigints).
 */
import type { Response, Value } from '@sky/protocol'
import { assert, unreachable } from '@sky/std'
import { UnexpectedResultError } from './errors.js'

/**
 * A value as plain JS: null, boolean, number (8–32-bit integers and floats), bigint (64-bit
 * integers), string, Uint8Array (binary), or an array of these (list).
 */
export type PlainValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | readonly PlainValue[]

/**
 * Converts a typed value to plain JS, recursively for lists. The type name is dropped: keep the
 * {@link Value} when the width matters (`uint8` and `sint32` both become numbers).
 *
 * @example
 * ```ts
 * toPlain({ type: 'uint64', value: 100n }) // 100n
 * ```
 */
export function toPlain(value: Value): PlainValue {
  switch (value.type) {
    case 'null':
      return null
    case 'list':
      return value.value.map(toPlain)
    default:
      return value.value
  }
}

/** Accessors shared by every result kind. */
abstract class ResultBase {
  abstract readonly kind: QueryResult['kind']

  /**
   * The single value of a `value` result, as plain JS.
   *
   * @throws UnexpectedResultError for any other kind.
   */
  scalar(): PlainValue {
    if (this.kind !== 'value') throw new UnexpectedResultError('value', this.kind)
    return toPlain((this as unknown as ValueResult).value)
  }

  /**
   * The cells of a `row` result (`select`), as plain JS.
   *
   * @throws UnexpectedResultError for any other kind.
   */
  row(): PlainValue[] {
    if (this.kind !== 'row') throw new UnexpectedResultError('row', this.kind)
    return (this as unknown as RowResult).values.map(toPlain)
  }

  /**
   * The rows of a `rows` result (`select all`), each as plain JS cells.
   *
   * @throws UnexpectedResultError for any other kind.
   */
  allRows(): PlainValue[][] {
    if (this.kind !== 'rows') throw new UnexpectedResultError('rows', this.kind)
    return (this as unknown as RowsResult).rows.map((row) => row.map(toPlain))
  }

  /**
   * Checks that the result is `empty` (DDL, insert, update, delete, use).
   *
   * @throws UnexpectedResultError for any other kind.
   */
  expectEmpty(): void {
    if (this.kind !== 'empty') throw new UnexpectedResultError('empty', this.kind)
  }
}

/** Success with nothing to return (Empty, 0x12). */
export class EmptyResult extends ResultBase {
  readonly kind = 'empty'
}

/** One bare value: `Bool` of `create … if not exists`, `String` of `inspect`, `Null`… */
export class ValueResult extends ResultBase {
  readonly kind = 'value'

  constructor(readonly value: Value) {
    super()
  }
}

/** One row (`select`): a typed value per column. */
export class RowResult extends ResultBase {
  readonly kind = 'row'

  constructor(readonly values: readonly Value[]) {
    super()
  }
}

/** Rows of `columnCount` typed values each (`select all`); `rows` may be empty. */
export class RowsResult extends ResultBase {
  readonly kind = 'rows'

  constructor(
    readonly columnCount: number,
    readonly rows: readonly (readonly Value[])[],
  ) {
    super()
  }
}

/**
 * What a successful query returns; switch on `kind`, or use the accessors (`scalar()`, `row()`,
 * `allRows()`, `expectEmpty()`) that throw {@link UnexpectedResultError} on another kind.
 *
 * @example
 * ```ts
 * const result = await connection.query('select * from s.users where username = ?', 'sayan')
 * if (result.kind === 'row') console.log(result.values[0]) // { type: 'string', value: 'sayan' }
 * ```
 */
export type QueryResult = EmptyResult | ValueResult | RowResult | RowsResult

/** Builds the result of a non-error response. REQUIRES: `response.type !== 'error'`. */
export function resultFromResponse(response: Response): QueryResult {
  assert(response.type !== 'error', 'an error response is a QueryError, not a result')
  let result: QueryResult
  switch (response.type) {
    case 'empty':
      result = new EmptyResult()
      break
    case 'row':
      result = new RowResult(response.values)
      break
    case 'multirow':
      result = new RowsResult(response.columnCount, response.rows)
      break
    case 'null':
    case 'bool':
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'uint64':
    case 'sint8':
    case 'sint16':
    case 'sint32':
    case 'sint64':
    case 'float32':
    case 'float64':
    case 'binary':
    case 'string':
    case 'list':
      result = new ValueResult(response)
      break
    default:
      return unreachable(response)
  }
  return Object.freeze(result)
}
