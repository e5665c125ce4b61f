/**
 * Query parameters: the typed values a client sends for each `?` (skyhash.md §2, blueql.md §1.4).
 * Encoding writes a parameter block; decoding reads one back, stopping at the first bad parameter.
 *
 * Invariants: `decodeParameters(encodeParameters(p))` gives back `p` (floats compare by
 * SameValue, so NaN and -0 survive); a decoded `uint` is within u64 and a `sint` within i64.
 */
import { QueryErrorCode } from './codes.js'
import { ProtocolError } from './errors.js'
import { ByteWriter } from './internal/byte-writer.js'
import {
  asciiText,
  formatFloat,
  lineToBigInt,
  parseFloatText,
  scanDecimalLine,
  digitsToNumber,
} from './internal/decimal.js'
import { decodeUtf8, encodeUtf8 } from './internal/utf8.js'
import { I64_MAX, I64_MIN, LF, ParameterTypeByte, U64_MAX } from './internal/wire.js'

/**
 * One query parameter. Integers are bigints so the whole u64 and i64 ranges fit; the type, not the
 * sign, picks `uint` (0x02) or `sint` (0x03): a non-negative value for a signed field must still be
 * sent as `sint`.
 *
 * @example
 * ```ts
 * const parameters: Parameter[] = [
 *   { type: 'string', value: 'sayan' },
 *   { type: 'uint', value: 100n },
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

/** Writes one parameter: its type byte and its value. */
export function writeParameter(writer: ByteWriter, parameter: Parameter, index: number): void {
  const where = `parameter ${index}`
  switch (parameter.type) {
    case 'null':
      writer.byte(ParameterTypeByte.null)
      return
    case 'bool':
      if (typeof parameter.value !== 'boolean') throw new TypeError(`${where}: needs a boolean`)
      writer.byte(ParameterTypeByte.bool)
      writer.byte(parameter.value ? 1 : 0)
      return
    case 'uint':
      checkBigInt(parameter.value, 0n, U64_MAX, `${where}: uint`)
      writer.byte(ParameterTypeByte.uint)
      writer.decimalLine(parameter.value)
      return
    case 'sint':
      checkBigInt(parameter.value, I64_MIN, I64_MAX, `${where}: sint`)
      writer.byte(ParameterTypeByte.sint)
      writer.decimalLine(parameter.value)
      return
    case 'float':
      if (typeof parameter.value !== 'number') throw new TypeError(`${where}: float needs a number`)
      writer.byte(ParameterTypeByte.float)
      writer.ascii(formatFloat(parameter.value))
      writer.byte(LF)
      return
    case 'binary':
      if (!(parameter.value instanceof Uint8Array)) {
        throw new TypeError(`${where}: binary needs a Uint8Array`)
      }
      writer.byte(ParameterTypeByte.binary)
      writer.decimalLine(parameter.value.length)
      writer.bytes(parameter.value)
      return
    case 'string': {
      if (typeof parameter.value !== 'string') throw new TypeError(`${where}: needs a string`)
      const bytes = encodeUtf8(parameter.value, where)
      writer.byte(ParameterTypeByte.string)
      writer.decimalLine(bytes.length)
      writer.bytes(bytes)
      return
    }
    default:
      throw new TypeError(`${where}: unknown type ${String((parameter as Parameter).type)}`)
  }
}

function checkBigInt(value: unknown, min: bigint, max: bigint, what: string): void {
  if (typeof value !== 'bigint') throw new TypeError(`${what} needs a bigint`)
  if (value < min || value > max) throw new RangeError(`${what} ${value} not in [${min}, ${max}]`)
}

/**
 * Encodes parameters as a parameter block: each one's type byte and value, back to back.
 *
 * @throws TypeError if a value does not match its type; RangeError if an integer is outside u64
 *   (`uint`) or i64 (`sint`), or a string holds a lone surrogate.
 * @example
 * ```ts
 * encodeParameters([{ type: 'string', value: 'sayan' }]) // 06 "5\n" "sayan"
 * ```
 */
export function encodeParameters(parameters: readonly Parameter[]): Uint8Array {
  const writer = new ByteWriter()
  parameters.forEach((parameter, index) => writeParameter(writer, parameter, index))
  return writer.finish()
}

/** One decoded parameter and where the next begins, or why the block is bad at `offset`. */
export type ParameterRead =
  | { readonly ok: true; readonly parameter: Parameter; readonly end: number }
  | { readonly ok: false; readonly offset: number; readonly reason: string }

function bad(offset: number, reason: string): ParameterRead {
  return { ok: false, offset, reason }
}

/**
 * Reads the parameter starting at `from` in a complete block. Every failure (unknown type byte,
 * truncation, non-digits, overflow, missing LF, bool byte other than 0/1, invalid UTF-8) is what
 * Skytable answers with error 25 (LexInvalidInput).
 */
export function readParameter(block: Uint8Array, from: number): ParameterRead {
  const typeByte = block[from]
  if (typeByte === undefined) return bad(from, 'no parameter left')
  const at = from + 1
  switch (typeByte) {
    case ParameterTypeByte.null:
      return { ok: true, parameter: { type: 'null' }, end: at }
    case ParameterTypeByte.bool: {
      const byte = block[at]
      if (byte === undefined) return bad(at, 'bool parameter has no value byte')
      if (byte > 1) return bad(at, `bool parameter byte ${byte} is not 0 or 1`)
      return { ok: true, parameter: { type: 'bool', value: byte === 1 }, end: at + 1 }
    }
    case ParameterTypeByte.uint:
    case ParameterTypeByte.sint:
      return readInteger(block, at, typeByte === ParameterTypeByte.sint)
    case ParameterTypeByte.float:
      return readFloat(block, at)
    case ParameterTypeByte.binary:
    case ParameterTypeByte.string:
      return readBytes(block, at, typeByte === ParameterTypeByte.string)
    default:
      return bad(from, `unknown parameter type byte ${typeByte}`)
  }
}

function readInteger(block: Uint8Array, at: number, signed: boolean): ParameterRead {
  const scan = scanDecimalLine(block, at, block.length, signed)
  if (scan.status === 'incomplete') return bad(block.length, 'integer parameter is cut short')
  if (scan.status === 'malformed') return bad(scan.offset, scan.reason)
  const value = lineToBigInt(block, scan.value)
  const [min, max] = signed ? [I64_MIN, I64_MAX] : [0n, U64_MAX]
  if (value < min || value > max) return bad(at, `integer parameter ${value} overflows`)
  const parameter: Parameter = signed ? { type: 'sint', value } : { type: 'uint', value }
  return { ok: true, parameter, end: scan.value.end }
}

function readFloat(block: Uint8Array, at: number): ParameterRead {
  const lineEnd = block.indexOf(LF, at)
  // No length cap here, unlike in responses: the block is complete, so the scan is bounded by the
  // packet, and Rust reads float text of any length.
  if (lineEnd < 0) return bad(block.length, 'float parameter has no LF')
  const value = parseFloatText(asciiText(block, at, lineEnd))
  if (value === null) return bad(at, 'float parameter is not a number')
  return { ok: true, parameter: { type: 'float', value }, end: lineEnd + 1 }
}

function readBytes(block: Uint8Array, at: number, isString: boolean): ParameterRead {
  const scan = scanDecimalLine(block, at, block.length, false)
  if (scan.status === 'incomplete') return bad(block.length, 'length is cut short')
  if (scan.status === 'malformed') return bad(scan.offset, scan.reason)
  const length = digitsToNumber(block, scan.value.digitsFrom, scan.value.digitsTo)
  const start = scan.value.end
  if (length > block.length - start) return bad(start, `${length} bytes claimed, fewer remain`)
  const bytes = block.slice(start, start + length)
  const end = start + length
  if (!isString) return { ok: true, parameter: { type: 'binary', value: bytes }, end }
  const text = decodeUtf8(bytes)
  if (text === null) return bad(start, 'string parameter is not valid UTF-8')
  return { ok: true, parameter: { type: 'string', value: text }, end }
}

/** Result of decoding a parameter block. */
export interface DecodedParameters {
  /** The parameters before the first bad one (all of them when `error` is null). */
  readonly parameters: readonly Parameter[]
  /**
   * Why parameter number `parameters.length` could not be read (`PROTOCOL_INVALID_PARAMETER`,
   * Skytable error 25, not fatal), or null. See {@link QueryMessage.parameterError} for when it
   * becomes the query's answer.
   */
  readonly error: ProtocolError | null
  /** True when the block holds more than `parameterCountMax` parameters; reading stopped there. */
  readonly countExceeded: boolean
}

/**
 * Decodes a whole parameter block, stopping at the first parameter that cannot be read.
 * `streamOffset` is added to the offsets in the error (the block's position in the input stream).
 *
 * @example
 * ```ts
 * const { parameters, error } = decodeParameters(encodeParameters([{ type: 'bool', value: true }]))
 * ```
 */
export function decodeParameters(
  block: Uint8Array,
  options: { readonly parameterCountMax?: number; readonly streamOffset?: number } = {},
): DecodedParameters {
  const countMax = options.parameterCountMax ?? Number.POSITIVE_INFINITY
  const streamOffset = options.streamOffset ?? 0
  const parameters: Parameter[] = []
  let at = 0
  while (at < block.length) {
    if (parameters.length >= countMax) return { parameters, error: null, countExceeded: true }
    const read = readParameter(block, at)
    if (!read.ok) {
      const error = new ProtocolError({
        code: 'PROTOCOL_INVALID_PARAMETER',
        message: `parameter ${parameters.length}: ${read.reason}`,
        skytableCode: QueryErrorCode.LexInvalidInput,
        reply: 'query',
        fatal: false,
        offset: streamOffset + read.offset,
        parameterIndex: parameters.length,
      })
      return { parameters, error, countExceeded: false }
    }
    parameters.push(read.parameter)
    at = read.end
  }
  return { parameters, error: null, countExceeded: false }
}
