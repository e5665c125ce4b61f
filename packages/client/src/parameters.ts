/**
 * How JS values become Skyhash query parameters (skyhash.md §2, blueql.md §1.4), and the explicit
 * wrappers `uint`, `sint`, `float` and `binary` for when the default mapping is not the field's
 * class (Skytable checks the class strictly: a uint into a sint field is error 109).
 *
 * Invariants: every mapped parameter fits its declared type (u64 / i64 range, a Uint8Array for
 * binary), so @sky/protocol's encoder never refuses it; the mapping depends only on the value.
 */
import type { Parameter } from '@sky/protocol'

const U64_MAX = (1n << 64n) - 1n
const I64_MIN = -(1n << 63n)
const I64_MAX = (1n << 63n) - 1n

/**
 * A parameter whose Skyhash type was chosen explicitly with {@link uint}, {@link sint},
 * {@link float} or {@link binary}. Immutable.
 */
export class TypedParameter {
  /** The parameter as @sky/protocol encodes it. */
  readonly parameter: Parameter

  /** @internal Use the wrapper functions. */
  constructor(parameter: Parameter) {
    this.parameter = parameter
    Object.freeze(this)
  }
}

/**
 * A value accepted by `query(text, ...params)`. See the mapping table in README.md: `null`,
 * booleans, strings, `Uint8Array` (Buffer too), bigints and numbers map directly; wrap a value in
 * {@link uint}, {@link sint}, {@link float} or {@link binary} to choose the type yourself.
 */
export type QueryParameter =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | TypedParameter

function toBigInt(value: number | bigint, what: string): bigint {
  if (typeof value === 'bigint') return value
  if (typeof value !== 'number') throw new TypeError(`${what} needs a number or bigint`)
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${what}: ${value} is not a safe integer; pass a bigint`)
  }
  return BigInt(value)
}

/**
 * An unsigned integer parameter (type 0x02), for `uintN` fields and primary keys.
 *
 * @throws TypeError if `value` is not a number or bigint; RangeError if it is not an integer in
 *   0..2^64−1 (or, as a number, not a safe integer).
 * @example
 * ```ts
 * await connection.query('select all * from s.m limit ?', uint(10))
 * ```
 */
export function uint(value: number | bigint): TypedParameter {
  const integer = toBigInt(value, 'uint')
  if (integer < 0n || integer > U64_MAX) throw new RangeError(`uint: ${integer} is outside u64`)
  return new TypedParameter({ type: 'uint', value: integer })
}

/**
 * A signed integer parameter (type 0x03). Needed for a non-negative value of a `sintN` field, which
 * the default mapping would send as uint.
 *
 * @throws TypeError if `value` is not a number or bigint; RangeError if it is outside i64 (or, as
 *   a number, not a safe integer).
 * @example
 * ```ts
 * await connection.query('update s.m set balance = ? where id = ?', sint(5), 'alice')
 * ```
 */
export function sint(value: number | bigint): TypedParameter {
  const integer = toBigInt(value, 'sint')
  if (integer < I64_MIN || integer > I64_MAX) {
    throw new RangeError(`sint: ${integer} is outside i64`)
  }
  return new TypedParameter({ type: 'sint', value: integer })
}

/**
 * A float parameter (type 0x04). Needed for a whole number bound for a float field, which the
 * default mapping would send as an integer.
 *
 * @throws TypeError if `value` is not a number.
 * @example
 * ```ts
 * await connection.query('insert into s.prices(?, ?)', 'tea', float(2))
 * ```
 */
export function float(value: number): TypedParameter {
  if (typeof value !== 'number') throw new TypeError('float needs a number')
  return new TypedParameter({ type: 'float', value })
}

/**
 * A binary parameter (type 0x05). A string is sent as its UTF-8 bytes; the bytes are copied, so
 * later changes to `value` do not change the parameter.
 *
 * @throws TypeError if `value` is neither a Uint8Array nor a string.
 * @example
 * ```ts
 * await connection.query('insert into s.users(?, ?)', 'sayan', binary('pw'))
 * ```
 */
export function binary(value: Uint8Array | string): TypedParameter {
  if (typeof value === 'string') {
    return new TypedParameter({ type: 'binary', value: new TextEncoder().encode(value) })
  }
  if (!(value instanceof Uint8Array)) throw new TypeError('binary needs a Uint8Array or string')
  return new TypedParameter({ type: 'binary', value: Uint8Array.from(value) })
}

function integerParameter(value: bigint): Parameter {
  if (value >= 0n) {
    if (value > U64_MAX) throw new RangeError(`${value} is outside u64`)
    return { type: 'uint', value }
  }
  if (value < I64_MIN) throw new RangeError(`${value} is outside i64`)
  return { type: 'sint', value }
}

function numberParameter(value: number, where: string): Parameter {
  if (!Number.isInteger(value)) return { type: 'float', value } // fractions, NaN, ±Infinity
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`${where}: ${value} is not a safe integer; pass a bigint or float()`)
  }
  return integerParameter(BigInt(value)) // -0 becomes uint 0
}

/**
 * Maps one JS value to a Skyhash parameter (the table in README.md).
 *
 * @throws TypeError for `undefined`, arrays (lists are written in the query text: `[?, ?]`),
 *   plain objects and other types; RangeError for an integer number beyond 2^53 or a bigint
 *   outside u64 / i64.
 * @example
 * ```ts
 * toParameter(-5n) // { type: 'sint', value: -5n }
 * ```
 */
export function toParameter(value: QueryParameter, index = 0): Parameter {
  const where = `parameter ${index}`
  if (value === null) return { type: 'null' }
  if (value instanceof TypedParameter) return value.parameter
  if (value instanceof Uint8Array) return { type: 'binary', value }
  switch (typeof value) {
    case 'boolean':
      return { type: 'bool', value }
    case 'string':
      return { type: 'string', value }
    case 'bigint':
      return integerParameter(value)
    case 'number':
      return numberParameter(value, where)
    default:
      break
  }
  const kind: string = Array.isArray(value) ? 'an array (write lists as [?, ?])' : typeof value
  throw new TypeError(`${where}: cannot send ${kind} as a Skyhash parameter`)
}

/**
 * Maps every value with {@link toParameter}.
 *
 * @throws TypeError or RangeError as {@link toParameter}, naming the parameter's index.
 */
export function toParameters(values: readonly QueryParameter[]): Parameter[] {
  return values.map((value, index) => toParameter(value, index))
}
