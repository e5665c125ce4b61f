/**
 * ServerDecoder: turns the bytes a client sends into a handshake, then query packets, one chunk at
 * a time (skyhash.md §1, §2, §4). Input may be split at any byte; packets may be pipelined.
 *
 * States (phase / status):
 *
 *   handshake ──hello decoded (decodeHello)──▶ query ◀──┐ packet decoded (decodePacket)
 *      │                                         │ ────┘ illegal packet: report error 6,
 *      │ bad or oversized hello                  │       drop the buffer, stay (illegalPacket)
 *      ▼                                         ▼ oversized packet, query or parameter count
 *   failed ◀──────────────────────────────────────┘ (fail)
 *
 * Invariants (assertInvariants): `failure` is set exactly in the failed state, and then nothing is
 * buffered; `bytesNeeded` is never more than a frame allowed by the limits; every loop step in
 * `feed` consumes bytes, clears the buffer, fails, or stops, so `feed` always returns.
 */
import { assert } from '@sky/std'
import { HandshakeErrorCode, QueryErrorCode } from './codes.js'
import { ProtocolError } from './errors.js'
import type { ProtocolErrorCode } from './errors.js'
import { ByteQueue } from './internal/byte-queue.js'
import { asciiText, digitsToNumber, scanDecimalLine } from './internal/decimal.js'
import type { DecimalLine } from './internal/decimal.js'
import { decodeUtf8 } from './internal/utf8.js'
import {
  AUTH_MODE_PASSWORD,
  DECIMAL_DIGITS_MAX,
  EXCHANGE_MODE_QUERY_TIME,
  HANDSHAKE_MARKER,
  HANDSHAKE_VERSION,
  HELLO_FIXED_BYTES,
  PROTOCOL_VERSION,
  QUERY_MARKER,
  QUERY_MODE_BQL1,
} from './internal/wire.js'
import { resolveProtocolLimits } from './limits.js'
import type { ProtocolLimits } from './limits.js'
import { decodeParameters } from './parameter.js'
import type { Parameter } from './parameter.js'

/** A decoded client hello. The server checks the credentials and answers accept or refuse. */
export interface HandshakeMessage {
  readonly kind: 'handshake'
  readonly username: string
  readonly password: string
}

/** A decoded query packet. */
export interface QueryMessage {
  readonly kind: 'query'
  /** The statement text, exactly as sent. */
  readonly query: Uint8Array
  /** The same bytes, one char per byte (Latin-1), for a lexer that scans strings. */
  readonly queryText: string
  /** The parameters, in order, up to the first one that could not be read. */
  readonly parameters: readonly Parameter[]
  /**
   * Null when every parameter was read. Otherwise why parameter `parameters.length` is bad
   * (`PROTOCOL_INVALID_PARAMETER`, error 25). Skytable reads parameters lazily, one per `?`, so
   * the lexer answers with this error only when it reaches the `?` that would take that
   * parameter; with fewer `?`, the bad parameter is ignored like any leftover parameter.
   */
  readonly parameterError: ProtocolError | null
}

/** A problem in the input. See {@link ProtocolError} for what the server must do. */
export interface ErrorMessage {
  readonly kind: 'error'
  readonly error: ProtocolError
}

/** What {@link ServerDecoder.feed} returns, in input order. */
export type ServerMessage = HandshakeMessage | QueryMessage | ErrorMessage

/**
 * `idle`: nothing buffered, between frames; `partial`: part of a frame is buffered and more bytes
 * are needed; `failed`: a fatal error was reported, input is ignored from now on.
 */
export type DecoderStatus = 'idle' | 'partial' | 'failed'

/** Options of {@link ServerDecoder}. */
export interface ServerDecoderOptions {
  /** Limits to override; the rest take {@link defaultProtocolLimits}. */
  readonly limits?: Partial<ProtocolLimits>
  /** `query` skips the handshake (for embedding and tests). Default `handshake`. */
  readonly initialPhase?: 'handshake' | 'query'
}

type Step = ServerMessage | null

/** Expected byte and refusal of each fixed hello byte after the marker (skyhash.md §1). */
const HELLO_BYTES: readonly (readonly [number, HandshakeErrorCode, ProtocolErrorCode])[] = [
  [HANDSHAKE_MARKER, HandshakeErrorCode.corruptedPacket, 'PROTOCOL_HANDSHAKE_CORRUPTED'],
  [HANDSHAKE_VERSION, HandshakeErrorCode.handshakeVersionRejected,
    'PROTOCOL_HANDSHAKE_VERSION_REJECTED'],
  [PROTOCOL_VERSION, HandshakeErrorCode.protocolVersionRejected, 'PROTOCOL_VERSION_REJECTED'],
  [EXCHANGE_MODE_QUERY_TIME, HandshakeErrorCode.exchangeModeRejected,
    'PROTOCOL_EXCHANGE_MODE_REJECTED'],
  [QUERY_MODE_BQL1, HandshakeErrorCode.queryModeRejected, 'PROTOCOL_QUERY_MODE_REJECTED'],
  [AUTH_MODE_PASSWORD, HandshakeErrorCode.authenticationFailed, 'PROTOCOL_AUTH_MODE_REJECTED'],
]
assert(HELLO_BYTES.length === HELLO_FIXED_BYTES, 'one rule per fixed hello byte')

/** A decimal line is at most this long: digits, LF. */
const DECIMAL_LINE_BYTES_MAX = DECIMAL_DIGITS_MAX + 1
const ILLEGAL_PACKET = QueryErrorCode.SysNetworkSystemIllegalClientPacket

/**
 * Incremental decoder for the client → server direction: first the hello, then query packets.
 *
 * Guarantees: the messages are the same however the input is split into chunks, as long as the
 * input is valid; `feed` never throws on any bytes and always returns; a claimed length beyond a
 * limit is reported as soon as its digits end, before its bytes are waited for or allocated;
 * buffering costs O(bytes fed) copying in any chunking.
 *
 * After an illegal packet (first byte not `S`, bad digits, inconsistent lengths) the decoder
 * reports error 6 and drops everything it has buffered, including the rest of the chunk being
 * fed: the next packet must start at the first byte of a later chunk, as in Skytable, whose server
 * clears its read buffer. Oversized claims and bad hellos are fatal.
 *
 * @example
 * ```ts
 * const decoder = new ServerDecoder()
 * socket.on('data', (chunk) => {
 *   for (const message of decoder.feed(chunk)) handle(message)
 * })
 * ```
 */
export class ServerDecoder {
  private readonly limits: ProtocolLimits
  private readonly queue = new ByteQueue()
  private currentPhase: 'handshake' | 'query'
  private failureError: ProtocolError | null = null
  /** The current frame cannot be complete before this many bytes are buffered. */
  private bytesNeeded = 0

  /** @throws RangeError for an invalid limit. */
  constructor(options: ServerDecoderOptions = {}) {
    this.limits = resolveProtocolLimits(options.limits)
    this.currentPhase = options.initialPhase ?? 'handshake'
  }

  /** `handshake` until a hello has been decoded, then `query`. */
  get phase(): 'handshake' | 'query' {
    return this.currentPhase
  }

  /** Whether the decoder is between frames, inside one, or failed. */
  get status(): DecoderStatus {
    if (this.failureError !== null) return 'failed'
    return this.queue.length > 0 ? 'partial' : 'idle'
  }

  /** The fatal error that failed the decoder, or null. */
  get failure(): ProtocolError | null {
    return this.failureError
  }

  /** Bytes received and not yet decoded. */
  get bufferedBytes(): number {
    return this.queue.length
  }

  /**
   * Adds a chunk of input and returns every message it completes, in order. A failed decoder
   * ignores input and returns no messages.
   *
   * @throws TypeError if `chunk` is not a Uint8Array (a Buffer is one).
   */
  feed(chunk: Uint8Array): ServerMessage[] {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('feed takes a Uint8Array')
    const messages: ServerMessage[] = []
    if (this.failureError !== null) return messages
    this.queue.append(chunk)
    while (this.failureError === null && this.queue.length > 0) {
      if (this.queue.length < this.bytesNeeded) break
      const step = this.currentPhase === 'handshake' ? this.decodeHello() : this.decodePacket()
      if (step === null) break
      messages.push(step)
    }
    this.assertInvariants()
    return messages
  }

  private decodeHello(): Step {
    const queue = this.queue
    const fixed = Math.min(queue.length, HELLO_FIXED_BYTES)
    for (let index = 0; index < fixed; index += 1) {
      const [expected, skytableCode, code] = HELLO_BYTES[index] as (typeof HELLO_BYTES)[number]
      const byte = queue.byteAt(index)
      if (byte !== expected) {
        return this.fail(code, skytableCode, index, `hello byte ${index} is ${byte}`)
      }
    }
    // Wait byte by byte, not for all six: a wrong byte is refused as soon as it arrives.
    if (queue.length < HELLO_FIXED_BYTES) return this.wait(queue.length + 1)
    const headBytes = HELLO_FIXED_BYTES + 2 * DECIMAL_LINE_BYTES_MAX
    const head = queue.view(0, Math.min(queue.length, headBytes))
    const usernameLine = this.helloLength(head, HELLO_FIXED_BYTES, 'usernameBytesMax')
    if (!isLine(usernameLine)) return usernameLine
    const passwordLine = this.helloLength(head, usernameLine.end, 'passwordBytesMax')
    if (!isLine(passwordLine)) return passwordLine
    const usernameBytes = digitsToNumber(head, usernameLine.digitsFrom, usernameLine.digitsTo)
    const passwordBytes = digitsToNumber(head, passwordLine.digitsFrom, passwordLine.digitsTo)
    const usernameFrom = passwordLine.end
    const passwordFrom = usernameFrom + usernameBytes
    const total = passwordFrom + passwordBytes
    if (queue.length < total) return this.wait(total)
    const username = decodeUtf8(queue.view(usernameFrom, passwordFrom))
    const password = decodeUtf8(queue.view(passwordFrom, total))
    if (username === null || password === null) {
      return this.fail('PROTOCOL_CREDENTIALS_NOT_UTF8', HandshakeErrorCode.authenticationFailed,
        username === null ? usernameFrom : passwordFrom, 'credentials are not valid UTF-8')
    }
    queue.consume(total)
    this.bytesNeeded = 0
    this.currentPhase = 'query'
    return { kind: 'handshake', username, password }
  }

  /** Scans a hello length line in `head` at `from` and checks it against `limit`. */
  private helloLength(
    head: Uint8Array,
    from: number,
    limit: 'usernameBytesMax' | 'passwordBytesMax',
  ): DecimalLine | Step {
    const scan = scanDecimalLine(head, from, head.length, false)
    if (scan.status === 'incomplete') {
      assert(head.length === this.queue.length, 'the head holds any complete length line')
      return this.wait(this.queue.length + 1)
    }
    if (scan.status === 'malformed') {
      return this.fail('PROTOCOL_HANDSHAKE_CORRUPTED', HandshakeErrorCode.corruptedPacket,
        scan.offset, `hello length: ${scan.reason}`)
    }
    const length = digitsToNumber(head, scan.value.digitsFrom, scan.value.digitsTo)
    if (length > this.limits[limit]) {
      return this.fail('PROTOCOL_LIMIT_EXCEEDED', HandshakeErrorCode.corruptedPacket, from,
        `${length} bytes claimed, ${limit} is ${this.limits[limit]}`, limit)
    }
    return scan.value
  }

  private decodePacket(): Step {
    const queue = this.queue
    const first = queue.byteAt(0)
    if (first !== QUERY_MARKER) return this.illegalPacket(0, `packet starts with byte ${first}`)
    const head = queue.view(0, Math.min(queue.length, 1 + DECIMAL_LINE_BYTES_MAX))
    const sizeScan = scanDecimalLine(head, 1, head.length, false)
    if (sizeScan.status === 'incomplete') {
      assert(head.length === queue.length, 'the head holds any complete size line')
      return this.wait(queue.length + 1)
    }
    if (sizeScan.status === 'malformed') {
      return this.illegalPacket(sizeScan.offset, `packet size: ${sizeScan.reason}`)
    }
    const size = digitsToNumber(head, sizeScan.value.digitsFrom, sizeScan.value.digitsTo)
    if (size > this.limits.packetBytesMax) {
      return this.fail('PROTOCOL_LIMIT_EXCEEDED', ILLEGAL_PACKET,
        1, `packet of ${size} bytes, packetBytesMax is ${this.limits.packetBytesMax}`,
        'packetBytesMax')
    }
    const bodyFrom = sizeScan.value.end
    const total = bodyFrom + size
    if (queue.length < total) return this.wait(total)
    const step = this.decodeBody(queue.view(bodyFrom, total), bodyFrom)
    if (step.kind === 'query') {
      queue.consume(total)
      this.bytesNeeded = 0
    }
    return step
  }

  /** Decodes a complete packet body found at `bodyFrom` in the queue. */
  private decodeBody(body: Uint8Array, bodyFrom: number): ServerMessage {
    const lengthScan = scanDecimalLine(body, 0, body.length, false)
    if (lengthScan.status !== 'ok') {
      const offset = lengthScan.status === 'malformed' ? lengthScan.offset : body.length
      const reason = lengthScan.status === 'malformed' ? lengthScan.reason : 'cut by packet end'
      return this.illegalPacket(bodyFrom + offset, `query length: ${reason}`)
    }
    const line = lengthScan.value
    const queryBytes = digitsToNumber(body, line.digitsFrom, line.digitsTo)
    if (queryBytes > this.limits.queryBytesMax) {
      return this.fail('PROTOCOL_LIMIT_EXCEEDED', ILLEGAL_PACKET,
        bodyFrom, `query of ${queryBytes} bytes, queryBytesMax is ${this.limits.queryBytesMax}`,
        'queryBytesMax')
    }
    if (queryBytes > body.length - line.end) {
      return this.illegalPacket(bodyFrom, `query of ${queryBytes} bytes overruns the packet`)
    }
    const queryEnd = line.end + queryBytes
    const query = body.slice(line.end, queryEnd)
    const decoded = decodeParameters(body.subarray(queryEnd), {
      parameterCountMax: this.limits.parameterCountMax,
      streamOffset: this.queue.streamOffset + bodyFrom + queryEnd,
    })
    if (decoded.countExceeded) {
      return this.fail('PROTOCOL_LIMIT_EXCEEDED', ILLEGAL_PACKET,
        bodyFrom + queryEnd, `more than ${this.limits.parameterCountMax} parameters`,
        'parameterCountMax')
    }
    const queryText = asciiText(query, 0, query.length)
    const { parameters, error: parameterError } = decoded
    return { kind: 'query', query, queryText, parameters, parameterError }
  }

  private wait(bytesNeeded: number): null {
    assert(bytesNeeded > this.queue.length, 'wait only for bytes not yet here')
    this.bytesNeeded = bytesNeeded
    return null
  }

  /** Error 6, not fatal: report, drop everything buffered, expect a new packet. */
  private illegalPacket(index: number, reason: string): ErrorMessage {
    const error = new ProtocolError({
      code: 'PROTOCOL_ILLEGAL_PACKET',
      message: `illegal client packet: ${reason}`,
      skytableCode: ILLEGAL_PACKET,
      reply: 'query',
      fatal: false,
      offset: this.queue.streamOffset + index,
    })
    this.queue.clear()
    this.bytesNeeded = 0
    return { kind: 'error', error }
  }

  /** A fatal error: report it and ignore all input from now on. */
  private fail(
    code: ProtocolErrorCode,
    skytableCode: number,
    index: number,
    reason: string,
    limit?: string,
  ): ErrorMessage {
    const handshake = this.currentPhase === 'handshake'
    const error = new ProtocolError({
      code,
      message: `${handshake ? 'handshake refused' : 'connection closed'}: ${reason}`,
      skytableCode,
      reply: handshake ? 'handshake' : 'query',
      fatal: true,
      offset: this.queue.streamOffset + index,
      ...(limit === undefined ? {} : { limit }),
    })
    this.failureError = error
    this.queue.clear()
    this.bytesNeeded = 0
    return { kind: 'error', error }
  }

  private assertInvariants(): void {
    const failure = this.failureError
    if (failure !== null) assert(this.queue.length === 0, 'a failed decoder holds nothing')
    if (failure !== null) assert(failure.fatal, 'only fatal errors fail')
    assert(this.bytesNeeded <= this.frameBytesMax(), 'never wait beyond the limits')
  }

  private frameBytesMax(): number {
    const { usernameBytesMax, passwordBytesMax, packetBytesMax } = this.limits
    const hello =
      HELLO_FIXED_BYTES + 2 * DECIMAL_LINE_BYTES_MAX + usernameBytesMax + passwordBytesMax
    return Math.max(hello, 1 + DECIMAL_LINE_BYTES_MAX + packetBytesMax)
  }
}

function isLine(value: DecimalLine | Step): value is DecimalLine {
  return value !== null && !('kind' in value)
}

