/**
 * Responses (server → client, skyhash.md §3): the `Value` and `Response` unions and their encoder.
 * One response answers one query; a single value is sent bare, with its type byte and no wrapper.
 *
 * Invariants: `decode(encodeResponse(r))` gives back `r` for every valid `r` (floats compare by
 * SameValue); the encoder refuses, with TypeError or RangeError, any value its width cannot hold,
 * so a server never writes bytes a client would reject.
 */
import { ByteWriter } from './internal/byte-writer.js'
import { formatFloat } from './internal/decimal.js'
import { encodeUtf8 } from './internal/utf8.js'
import { I64_MAX, I64_MIN, LF, ResponseTypeByte, U64_MAX } from './internal/wire.js'

/** Integer widths carried as JS numbers. */
export type SmallIntegerType = 'uint8' | 'uint16' | 'uint32' | 'sint8' | 'sint16' | 'sint32'

/**
 * A typed value: a bare response, a list element, or a row cell. 8-, 16- and 32-bit integers are
 * numbers; 64-bit integers are bigints. Floats of both widths are JS numbers (skydb keeps floats as
 * 64-bit values even in float32 fields, and writes the 64-bit value's text).
 */
export type Value =
  | { readonly type: 'null' }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: SmallIntegerType; readonly value: number }
  | { readonly type: 'uint64' | 'sint64'; readonly value: bigint }
  | { readonly type: 'float32' | 'float64'; readonly value: number }
  | { readonly type: 'binary'; readonly value: Uint8Array }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'list'; readonly value: readonly Value[] }

/** The `type` of a {@link Value}. */
export type ValueType = Value['type']

/** A row (`select`): one value per column. */
export interface RowResponse {
  readonly type: 'row'
  readonly values: readonly Value[]
}

/** Rows of `columnCount` values each (`select all`); `columnCount` is sent even with no rows. */
export interface MultiRowResponse {
  readonly type: 'multirow'
  readonly columnCount: number
  readonly rows: readonly (readonly Value[])[]
}

/** Success with nothing to return (DDL, insert, update, delete, use). */
export interface EmptyResponse {
  readonly type: 'empty'
}

/** A failed query: a code of {@link QueryErrorCode} (any u16 on the wire). */
export interface ErrorResponse {
  readonly type: 'error'
  readonly code: number
}

/**
 * Everything a server can answer to a query. A bare {@link Value} is a response too.
 *
 * @example
 * ```ts
 * const answer: Response = { type: 'row', values: [{ type: 'string', value: 'sayan' }] }
 * ```
 */
export type Response = Value | RowResponse | MultiRowResponse | EmptyResponse | ErrorResponse

/** The `type` of a {@link Response}. */
export type ResponseType = Response['type']

const SMALL_INTEGER_RANGE: Readonly<Record<SmallIntegerType, readonly [number, number]>> = {
  uint8: [0, 0xff],
  uint16: [0, 0xffff],
  uint32: [0, 0xffff_ffff],
  sint8: [-0x80, 0x7f],
  sint16: [-0x8000, 0x7fff],
  sint32: [-0x8000_0000, 0x7fff_ffff],
}

/** The inclusive range of a small integer width, shared with the decoder. */
export function smallIntegerRange(type: SmallIntegerType): readonly [number, number] {
  return SMALL_INTEGER_RANGE[type]
}

/**
 * Encodes one response as the exact bytes to write, in one buffer (the official Node driver reads
 * a whole response from one socket read, so a server should write it with one write).
 *
 * @throws TypeError if a field has the wrong JS type or `type` is unknown; RangeError if an integer
 *   is outside its width, an error code outside u16, a multirow row has the wrong number of
 *   values, or a string holds a lone surrogate.
 * @example
 * ```ts
 * encodeResponse({ type: 'error', code: 111 }) // 10 6F 00
 * ```
 */
export function encodeResponse(response: Response): Uint8Array {
  const writer = new ByteWriter()
  writeResponse(writer, response)
  return writer.finish()
}

/**
 * Encodes the error response for a query error code: `10 <code as u16 LE>`.
 *
 * @throws RangeError if `code` is not an integer in 0..65535.
 */
export function encodeErrorResponse(code: number): Uint8Array {
  return encodeResponse({ type: 'error', code })
}

function writeResponse(writer: ByteWriter, response: Response): void {
  switch (response.type) {
    case 'empty':
      writer.byte(ResponseTypeByte.empty)
      return
    case 'error':
      if (!Number.isInteger(response.code) || response.code < 0 || response.code > 0xffff) {
        throw new RangeError(`error code ${String(response.code)} is not a u16`)
      }
      writer.byte(ResponseTypeByte.error)
      writer.byte(response.code & 0xff)
      writer.byte(response.code >>> 8)
      return
    case 'row':
      writer.byte(ResponseTypeByte.row)
      writeValues(writer, response.values, 'row')
      return
    case 'multirow':
      writeMultiRow(writer, response)
      return
    default:
      writeValue(writer, response, 'response')
  }
}

function writeValues(writer: ByteWriter, values: readonly Value[], where: string): void {
  if (!Array.isArray(values)) throw new TypeError(`${where} needs an array of values`)
  writer.decimalLine(values.length)
  values.forEach((value, index) => writeValue(writer, value, `${where}[${index}]`))
}

function writeMultiRow(writer: ByteWriter, response: MultiRowResponse): void {
  const { columnCount, rows } = response
  if (!Number.isSafeInteger(columnCount) || columnCount < 0) {
    throw new RangeError(`multirow columnCount ${String(columnCount)} is not a count`)
  }
  if (!Array.isArray(rows)) throw new TypeError('multirow needs an array of rows')
  writer.byte(ResponseTypeByte.multirow)
  writer.decimalLine(rows.length)
  writer.decimalLine(columnCount)
  rows.forEach((row, rowIndex) => {
    if (!Array.isArray(row) || row.length !== columnCount) {
      throw new RangeError(`multirow row ${rowIndex} does not have ${columnCount} values`)
    }
    row.forEach((value, column) => writeValue(writer, value, `rows[${rowIndex}][${column}]`))
  })
}

function writeValue(writer: ByteWriter, value: Value, where: string): void {
  switch (value.type) {
    case 'null':
      writer.byte(ResponseTypeByte.null)
      return
    case 'bool':
      if (typeof value.value !== 'boolean') throw new TypeError(`${where}: bool needs a boolean`)
      writer.byte(ResponseTypeByte.bool)
      writer.byte(value.value ? 1 : 0)
      return
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'sint8':
    case 'sint16':
    case 'sint32':
      writeSmallInteger(writer, value.type, value.value, where)
      return
    case 'uint64':
    case 'sint64':
      writeBigInteger(writer, value.type, value.value, where)
      return
    case 'float32':
    case 'float64':
      if (typeof value.value !== 'number') throw new TypeError(`${where}: float needs a number`)
      writer.byte(ResponseTypeByte[value.type])
      writer.ascii(formatFloat(value.value))
      writer.byte(LF)
      return
    default:
      writeVariableValue(writer, value, where)
  }
}

function writeVariableValue(writer: ByteWriter, value: Value, where: string): void {
  switch (value.type) {
    case 'binary':
      if (!(value.value instanceof Uint8Array)) throw new TypeError(`${where}: needs a Uint8Array`)
      writer.byte(ResponseTypeByte.binary)
      writer.decimalLine(value.value.length)
      writer.bytes(value.value)
      return
    case 'string': {
      if (typeof value.value !== 'string') throw new TypeError(`${where}: string needs a string`)
      const bytes = encodeUtf8(value.value, where)
      writer.byte(ResponseTypeByte.string)
      writer.decimalLine(bytes.length)
      writer.bytes(bytes)
      return
    }
    case 'list':
      writer.byte(ResponseTypeByte.list)
      writeValues(writer, value.value, where)
      return
    default:
      throw new TypeError(`${where}: unknown value type ${String((value as Value).type)}`)
  }
}

function writeSmallInteger(
  writer: ByteWriter,
  type: SmallIntegerType,
  value: number,
  where: string,
): void {
  if (typeof value !== 'number') throw new TypeError(`${where}: ${type} needs a number`)
  const [min, max] = SMALL_INTEGER_RANGE[type]
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${where}: ${String(value)} is not a ${type}`)
  }
  writer.byte(ResponseTypeByte[type])
  // -0 is an integer too; it is written as 0.
  writer.decimalLine(value === 0 ? 0 : value)
}

function writeBigInteger(
  writer: ByteWriter,
  type: 'uint64' | 'sint64',
  value: bigint,
  where: string,
): void {
  if (typeof value !== 'bigint') throw new TypeError(`${where}: ${type} needs a bigint`)
  const [min, max] = type === 'uint64' ? [0n, U64_MAX] : [I64_MIN, I64_MAX]
  if (value < min || value > max) throw new RangeError(`${where}: ${value} is not a ${type}`)
  writer.byte(ResponseTypeByte[type])
  writer.decimalLine(value)
}
