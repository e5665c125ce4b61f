/**
 * ResponseParser: the resumable core of the client decoder. Responses carry no total size, so a
 * large list or multirow is parsed item by item: each complete item (a scalar, or the header of a
 * list, row or multirow) is consumed from the queue and kept, and open containers wait on a stack.
 * An item that is not complete yet is left in the queue and read again when more bytes arrive;
 * every item header is bounded (DECIMAL_DIGITS_MAX, FLOAT_TEXT_BYTES_MAX), and a binary or string
 * waits for its known length, so no byte is scanned more than O(1) times per feed.
 *
 * Invariants: only the bottom of the stack may be a row or multirow, every other frame is a list;
 * list frames on the stack number at most `listDepthMax`; `responseBytes` (bytes consumed for the
 * response in progress) never exceeds `responseBytesMax`; between responses the stack is empty
 * and `responseBytes` is 0.
 */
import { assert } from '@sky/std'
import type { ProtocolLimits } from '../limits.js'
import { smallIntegerRange } from '../response.js'
import type { Response, SmallIntegerType, Value } from '../response.js'
import type { ByteQueue } from './byte-queue.js'
import {
  FLOAT_TEXT_BYTES_MAX,
  asciiText,
  digitsToNumber,
  lineToBigInt,
  lineToSmallNumber,
  parseFloatText,
  scanDecimalLine,
} from './decimal.js'
import type { DecimalLine, Scan } from './decimal.js'
import { decodeUtf8 } from './utf8.js'
import { ERROR_CODE_BYTES, I64_MAX, I64_MIN, LF, ResponseTypeByte, U64_MAX } from './wire.js'

type Frame =
  | { readonly kind: 'list'; readonly count: number; readonly items: Value[] }
  | { readonly kind: 'row'; readonly count: number; readonly values: Value[] }
  | {
      readonly kind: 'multirow'
      readonly rowCount: number
      readonly columnCount: number
      readonly rows: Value[][]
      current: Value[]
    }

/** A problem found at `offset` (relative to the first unread byte). */
export interface ParseProblem {
  readonly kind: 'malformed' | 'limit'
  readonly offset: number
  readonly reason: string
  readonly limit?: keyof ProtocolLimits
}

type Item =
  | { readonly status: 'item'; readonly item: Response; readonly bytes: number }
  | { readonly status: 'open'; readonly frame: Frame; readonly bytes: number }
  | { readonly status: 'incomplete'; readonly bytesNeeded: number }
  | { readonly status: 'problem'; readonly problem: ParseProblem }

/** Longest item header: a type byte and float text with its LF. Two count lines are shorter. */
const HEADER_BYTES_MAX = 1 + FLOAT_TEXT_BYTES_MAX + 1
/** Bytes that can appear in float text: digits, sign, point, exponent, `inf`, `infinity`, `nan`. */
const FLOAT_ALPHABET = /^[0-9+\-.eEiInNfFtTyYaA]*$/

const INTEGER_TYPES: Readonly<Record<number, SmallIntegerType | 'uint64' | 'sint64'>> = {
  [ResponseTypeByte.uint8]: 'uint8',
  [ResponseTypeByte.uint16]: 'uint16',
  [ResponseTypeByte.uint32]: 'uint32',
  [ResponseTypeByte.uint64]: 'uint64',
  [ResponseTypeByte.sint8]: 'sint8',
  [ResponseTypeByte.sint16]: 'sint16',
  [ResponseTypeByte.sint32]: 'sint32',
  [ResponseTypeByte.sint64]: 'sint64',
}

function problem(offset: number, reason: string): Item {
  return { status: 'problem', problem: { kind: 'malformed', offset, reason } }
}

export class ResponseParser {
  private readonly stack: Frame[] = []
  private responseBytes = 0
  private bytesNeeded = 0

  constructor(private readonly limits: ProtocolLimits) {}

  /** True while a response has begun and not ended (some of it may already be consumed). */
  get inResponse(): boolean {
    return this.stack.length > 0
  }

  /**
   * Consumes every complete item in `queue`, appending finished responses to `out`.
   * Returns null when it stopped for lack of bytes, or the problem that stops the stream.
   */
  parse(queue: ByteQueue, out: Response[]): ParseProblem | null {
    while (queue.length > 0 && queue.length >= this.bytesNeeded) {
      const read = this.readItem(queue)
      if (read.status === 'problem') return read.problem
      if (read.status === 'incomplete') {
        // No limit check on an unfinished item: it may yet turn out malformed, and the error
        // reported must not depend on where the input was split. (A binary or string checks its
        // claimed length against responseBytesMax in readBytes, as soon as the length is known.)
        assert(read.bytesNeeded > queue.length, 'incomplete means more bytes are needed')
        this.bytesNeeded = read.bytesNeeded
        return null
      }
      const over = this.checkResponseBytes(0, read.bytes)
      if (over !== null) return over
      queue.consume(read.bytes)
      this.responseBytes += read.bytes
      this.bytesNeeded = 0
      if (read.status === 'open') this.open(read.frame, out)
      else this.deliver(read.item, out)
    }
    return null
  }

  /** A problem at `offset` if this response would reach more than responseBytesMax bytes. */
  private checkResponseBytes(offset: number, bytes: number): ParseProblem | null {
    if (this.responseBytes + bytes <= this.limits.responseBytesMax) return null
    return {
      kind: 'limit',
      offset,
      reason: `response longer than responseBytesMax (${this.limits.responseBytesMax})`,
      limit: 'responseBytesMax',
    }
  }

  private open(frame: Frame, out: Response[]): void {
    if (frameComplete(frame)) this.deliver(finishFrame(frame), out)
    else this.stack.push(frame)
  }

  /** Hands a finished item to the innermost open frame, closing frames it completes. */
  private deliver(item: Response, out: Response[]): void {
    let current = item
    for (;;) {
      const top = this.stack.at(-1)
      if (top === undefined) {
        out.push(current)
        this.responseBytes = 0
        return
      }
      addToFrame(top, current as Value)
      if (!frameComplete(top)) return
      this.stack.pop()
      current = finishFrame(top)
    }
  }

  private readItem(queue: ByteQueue): Item {
    const head = queue.view(0, Math.min(queue.length, HEADER_BYTES_MAX))
    const type = head[0] as number
    const nested = this.stack.length > 0
    const integerType = INTEGER_TYPES[type]
    if (integerType !== undefined) return readInteger(head, integerType, queue.length)
    switch (type) {
      case ResponseTypeByte.null:
        return { status: 'item', item: { type: 'null' }, bytes: 1 }
      case ResponseTypeByte.bool:
        return readBool(head)
      case ResponseTypeByte.float32:
      case ResponseTypeByte.float64:
        return readFloat(head, type === ResponseTypeByte.float32 ? 'float32' : 'float64')
      case ResponseTypeByte.binary:
      case ResponseTypeByte.string:
        return this.readBytes(queue, head, type === ResponseTypeByte.string)
      case ResponseTypeByte.list:
        return this.readCounts(head, 1, (counts) => {
          const depth = this.stack.filter((frame) => frame.kind === 'list').length + 1
          if (depth > this.limits.listDepthMax) return this.limit(0, 'listDepthMax', depth)
          return { kind: 'list', count: counts[0] as number, items: [] }
        })
      case ResponseTypeByte.dict:
        return problem(0, 'dict (0x0F) is reserved and never sent in Skyhash 2')
      default:
        if (nested) return problem(0, `type byte ${type} where a value must be`)
        return this.readTopLevel(head, type)
    }
  }

  /** The response kinds that cannot be nested: error, empty, row, multirow. */
  private readTopLevel(head: Uint8Array, type: number): Item {
    switch (type) {
      case ResponseTypeByte.error: {
        if (head.length < 1 + ERROR_CODE_BYTES) return { status: 'incomplete', bytesNeeded: 3 }
        const code = (head[1] as number) | ((head[2] as number) << 8)
        return { status: 'item', item: { type: 'error', code }, bytes: 3 }
      }
      case ResponseTypeByte.empty:
        return { status: 'item', item: { type: 'empty' }, bytes: 1 }
      case ResponseTypeByte.row:
        return this.readCounts(head, 1, ([count]) => ({
          kind: 'row', count: count as number, values: [],
        }))
      case ResponseTypeByte.multirow:
        return this.readCounts(head, 2, ([rowCount, columnCount]) => ({
          kind: 'multirow',
          rowCount: rowCount as number,
          columnCount: columnCount as number,
          rows: [],
          current: [],
        }))
      default:
        return problem(0, `unknown response type byte ${type}`)
    }
  }

  /** Reads `lines` count lines after the type byte, checks each, and opens a frame. */
  private readCounts(
    head: Uint8Array,
    lines: number,
    makeFrame: (counts: readonly number[]) => Frame | Item,
  ): Item {
    const counts: number[] = []
    let at = 1
    for (let index = 0; index < lines; index += 1) {
      const scan = scanDecimalLine(head, at, head.length, false)
      if (scan.status !== 'ok') return fromScan(scan, head.length)
      const count = digitsToNumber(head, scan.value.digitsFrom, scan.value.digitsTo)
      if (count > this.limits.elementCountMax) return this.limit(at, 'elementCountMax', count)
      counts.push(count)
      at = scan.value.end
    }
    const frame = makeFrame(counts)
    if ('status' in frame) return frame
    return { status: 'open', frame, bytes: at }
  }

  private readBytes(queue: ByteQueue, head: Uint8Array, isString: boolean): Item {
    const scan = scanDecimalLine(head, 1, head.length, false)
    if (scan.status !== 'ok') return fromScan(scan, head.length)
    const length = digitsToNumber(head, scan.value.digitsFrom, scan.value.digitsTo)
    if (length > this.limits.valueBytesMax) return this.limit(1, 'valueBytesMax', length)
    const end = scan.value.end + length
    const over = this.checkResponseBytes(1, end)
    if (over !== null) return { status: 'problem', problem: over }
    if (queue.length < end) return { status: 'incomplete', bytesNeeded: end }
    const bytes = queue.copy(scan.value.end, end)
    if (!isString) return { status: 'item', item: { type: 'binary', value: bytes }, bytes: end }
    const text = decodeUtf8(bytes)
    if (text === null) return problem(scan.value.end, 'string is not valid UTF-8')
    return { status: 'item', item: { type: 'string', value: text }, bytes: end }
  }

  private limit(offset: number, limit: keyof ProtocolLimits, claimed: number): Item {
    const reason = `${claimed} claimed, ${limit} is ${this.limits[limit]}`
    return { status: 'problem', problem: { kind: 'limit', offset, reason, limit } }
  }
}

function fromScan(scan: Scan<DecimalLine>, headBytes: number): Item {
  assert(scan.status !== 'ok', 'only failed scans')
  if (scan.status === 'malformed') return problem(scan.offset, scan.reason)
  return { status: 'incomplete', bytesNeeded: headBytes + 1 }
}

function readBool(head: Uint8Array): Item {
  const byte = head[1]
  if (byte === undefined) return { status: 'incomplete', bytesNeeded: 2 }
  if (byte > 1) return problem(1, `bool byte ${byte} is not 0 or 1`)
  return { status: 'item', item: { type: 'bool', value: byte === 1 }, bytes: 2 }
}

function readInteger(
  head: Uint8Array,
  type: SmallIntegerType | 'uint64' | 'sint64',
  queueBytes: number,
): Item {
  const signed = type.startsWith('s')
  const scan = scanDecimalLine(head, 1, head.length, signed)
  if (scan.status !== 'ok') {
    assert(scan.status === 'malformed' || head.length === queueBytes, 'head holds any integer')
    return fromScan(scan, head.length)
  }
  const line = scan.value
  if (type === 'uint64' || type === 'sint64') {
    const value = lineToBigInt(head, line)
    const [min, max] = type === 'uint64' ? [0n, U64_MAX] : [I64_MIN, I64_MAX]
    if (value < min || value > max) return problem(1, `${value} does not fit ${type}`)
    return { status: 'item', item: { type, value }, bytes: line.end }
  }
  const [min, max] = smallIntegerRange(type)
  // Ten digits hold any 32-bit value; more cannot fit, and would not be exact as a number.
  const value = line.digitsTo - line.digitsFrom <= 10 ? lineToSmallNumber(head, line) : Infinity
  if (value < min || value > max) {
    return problem(1, `${asciiText(head, 1, line.end - 1)} is not ${type}`)
  }
  return { status: 'item', item: { type, value: value === 0 ? 0 : value }, bytes: line.end }
}

function readFloat(head: Uint8Array, type: 'float32' | 'float64'): Item {
  const lineEnd = head.indexOf(LF, 1)
  const textEnd = lineEnd < 0 ? head.length : lineEnd
  const text = asciiText(head, 1, textEnd)
  if (!FLOAT_ALPHABET.test(text)) return problem(1, 'float text holds a byte no float has')
  if (textEnd - 1 > FLOAT_TEXT_BYTES_MAX) return problem(1, 'float text is too long')
  if (lineEnd < 0) return { status: 'incomplete', bytesNeeded: head.length + 1 }
  const value = parseFloatText(text)
  if (value === null) return problem(1, `float text ${JSON.stringify(text)} is not a number`)
  return { status: 'item', item: { type, value }, bytes: lineEnd + 1 }
}

function addToFrame(frame: Frame, value: Value): void {
  assert(value.type !== undefined, 'a value')
  switch (frame.kind) {
    case 'list':
      frame.items.push(value)
      return
    case 'row':
      frame.values.push(value)
      return
    case 'multirow':
      frame.current.push(value)
      if (frame.current.length === frame.columnCount) {
        frame.rows.push(frame.current)
        frame.current = []
      }
  }
}

function frameComplete(frame: Frame): boolean {
  switch (frame.kind) {
    case 'list':
      return frame.items.length === frame.count
    case 'row':
      return frame.values.length === frame.count
    case 'multirow':
      return frame.columnCount === 0 || frame.rows.length === frame.rowCount
  }
}

function finishFrame(frame: Frame): Response {
  switch (frame.kind) {
    case 'list':
      return { type: 'list', value: frame.items }
    case 'row':
      return { type: 'row', values: frame.values }
    case 'multirow': {
      const { columnCount, rowCount } = frame
      // With no columns, rows carry no bytes: make them all at once.
      const rows = columnCount === 0 ? Array.from({ length: rowCount }, () => []) : frame.rows
      assert(rows.length === rowCount, 'a finished multirow has all its rows')
      return { type: 'multirow', columnCount, rows }
    }
  }
}

