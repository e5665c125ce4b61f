/**
 * Parameters: the typed values bound to the `?` of a query, in order (blueql.md §1.4).
 *
 * The shape is the one `@sky/protocol` decodes from a query packet, so its `parameters` array can
 * be passed as is. Checking a parameter enforces what Skytable's decoder enforces (integers within
 * u64/i64, strings that are valid UTF-8): a violation is error 25, as on the wire.
 */
import type { Literal, NullValue, Span } from './ast.js'
import { QueryError } from './errors.js'

/**
 * One query parameter. Integers are bigints; the type, not the sign, picks unsigned or signed
 * (a non-negative value for a signed field is still `sint`).
 *
 * @example
 * ```ts
 * const parameters: Parameter[] = [
 *   { type: 'string', value: 'sayan' },
 *   { type: 'uint', value: 30n },
 * ]
 * ```
 */
export type Parameter =
  | { readonly type: 'null' }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'uint'; readonly value: bigint }
  | { readonly type: 'sint'; readonly value: bigint }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'binary'; readonly value: Uint8Array }
  | { readonly type: 'string'; readonly value: string }

/** The `type` of a {@link Parameter}. */
export type ParameterType = Parameter['type']

const U64_MAX = (1n << 64n) - 1n
const I64_MIN = -(1n << 63n)
const I64_MAX = (1n << 63n) - 1n

function invalid(index: number, message: string): QueryError {
  return new QueryError('QL_INVALID_PARAMETER', `parameter ${index}: ${message}`, {
    parameterIndex: index,
  })
}

/** True when `text` has no lone surrogate, so it encodes to valid UTF-8. */
function isWellFormed(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index)
    if (unit < 0xd800 || unit > 0xdfff) continue
    if (unit > 0xdbff) return false
    const next = text.charCodeAt(index + 1)
    if (!(next >= 0xdc00 && next <= 0xdfff)) return false
    index += 1
  }
  return true
}

/**
 * Checks parameter `index` and turns it into a value node spanning `span`.
 *
 * @throws TypeError when the parameter is not a {@link Parameter} (a caller bug);
 *   QueryError `QL_INVALID_PARAMETER` (25) when an integer is out of range or a string is not
 *   valid UTF-8 (what Skytable's decoder rejects).
 */
export function parameterToValue(
  parameter: Parameter,
  index: number,
  span: Span,
): Literal | NullValue {
  if (typeof parameter !== 'object' || parameter === null) {
    throw new TypeError(`parameter ${index} is not a Parameter object`)
  }
  const base = { span, parameterIndex: index }
  const { type } = parameter
  switch (type) {
    case 'null':
      return { kind: 'null', ...base }
    case 'bool':
      if (typeof parameter.value !== 'boolean') throw new TypeError(`parameter ${index}: bool`)
      return { kind: 'bool', value: parameter.value, ...base }
    case 'uint':
    case 'sint': {
      const { value } = parameter
      if (typeof value !== 'bigint') throw new TypeError(`parameter ${index}: ${type} bigint`)
      const [min, max] = type === 'uint' ? [0n, U64_MAX] : [I64_MIN, I64_MAX]
      if (value < min || value > max) throw invalid(index, `${type} ${value} out of range`)
      return type === 'uint' ? { kind: 'uint', value, ...base } : { kind: 'sint', value, ...base }
    }
    case 'float':
      if (typeof parameter.value !== 'number') throw new TypeError(`parameter ${index}: float`)
      return { kind: 'float', value: parameter.value, ...base }
    case 'binary':
      if (!(parameter.value instanceof Uint8Array)) {
        throw new TypeError(`parameter ${index}: binary needs a Uint8Array`)
      }
      return { kind: 'binary', value: parameter.value, ...base }
    case 'string':
      if (typeof parameter.value !== 'string') throw new TypeError(`parameter ${index}: string`)
      if (!isWellFormed(parameter.value)) throw invalid(index, 'string is not valid UTF-8')
      return { kind: 'string', value: parameter.value, ...base }
    default:
      throw new TypeError(`parameter ${index}: unknown type ${String(type as unknown)}`)
  }
}
