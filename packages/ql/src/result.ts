/**
 * What the executor answers: typed values mirroring Skytable 0.8's responses (blueql.md §3.3).
 *
 * The shapes are exactly `@sky/protocol`'s `Value` and `Response` (this package does not depend
 * on the protocol, so they are declared again here, structurally identical): a server passes a
 * {@link QueryResult} or an {@link ErrorResult} to `encodeResponse` as it is.
 *
 * Invariants: 8-, 16- and 32-bit integers are JS numbers within their width, 64-bit integers are
 * bigints within theirs; a multirow's rows all hold `columnCount` values.
 */

/** Integer widths carried as JS numbers. */
export type SmallIntegerType = 'uint8' | 'uint16' | 'uint32' | 'sint8' | 'sint16' | 'sint32'

/**
 * One typed value: a bare result, a list element or a cell of a row. The type is the field's
 * declared type (a point select's primary key cell takes the query literal's type, as in
 * Skytable: `uint64`, `sint64`, `string` or `binary`).
 */
export type ResultValue =
  | { readonly type: 'null' }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: SmallIntegerType; readonly value: number }
  | { readonly type: 'uint64' | 'sint64'; readonly value: bigint }
  | { readonly type: 'float32' | 'float64'; readonly value: number }
  | { readonly type: 'binary'; readonly value: Uint8Array }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'list'; readonly value: readonly ResultValue[] }

/** The answer of `select`: one value per column. */
export interface RowResult {
  readonly type: 'row'
  readonly values: readonly ResultValue[]
}

/** The answer of `select all`: rows of `columnCount` values each. */
export interface MultiRowResult {
  readonly type: 'multirow'
  readonly columnCount: number
  readonly rows: readonly (readonly ResultValue[])[]
}

/** Success with nothing to return: DDL, insert, update, delete, `use`, transactions, sysctl. */
export interface EmptyResult {
  readonly type: 'empty'
}

/**
 * A successful statement's answer. A bare value is `Bool` (create/drop with an if-clause),
 * `Null` or `String` (`use $current`, `inspect`).
 *
 * @example
 * ```ts
 * const result = await session.query('select * from s.users where username = ?', [name])
 * if (result.type === 'row') console.log(result.values[0])
 * ```
 */
export type QueryResult = ResultValue | RowResult | MultiRowResult | EmptyResult

/** A failed statement as a wire answer: the Skytable error code (see `queryErrorCodes`). */
export interface ErrorResult {
  readonly type: 'error'
  readonly code: number
}

/** A {@link QueryResult} or an {@link ErrorResult}: what `Session.respond` gives a server. */
export type QueryResponse = QueryResult | ErrorResult

/** The one empty result, shared. */
export const emptyResult: EmptyResult = Object.freeze({ type: 'empty' })
