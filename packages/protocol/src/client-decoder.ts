/**
 * ClientDecoder: turns the bytes a server sends into its handshake answer, then one response per
 * query, one chunk at a time (skyhash.md §1, §3). Input may be split at any byte.
 *
 * States (phase / status):
 *
 *   handshake ──H 00 00 00 (decodeAnswer)──▶ response ──response decoded (ResponseParser)──┐
 *      │  └──H 00 01 <code> (decodeAnswer)──▶ rejected        ▲──────────────────────────────┘
 *      │ bad answer              any byte │         │ bad bytes, oversized claim
 *      ▼                                  ▼         ▼
 *   failed ◀─────────────────────────────────────────
 *
 * A server stream has no resynchronisation point, so every error here is fatal: the connection
 * must be closed. Invariants (assertInvariants): `failure` is set exactly in the failed state, and
 * then nothing is buffered; in the rejected phase nothing is buffered.
 */
import { assert } from '@sky/std'
import { ProtocolError } from './errors.js'
import type { ProtocolErrorCode } from './errors.js'
import { ByteQueue } from './internal/byte-queue.js'
import { ResponseParser } from './internal/response-parser.js'
import type { ParseProblem } from './internal/response-parser.js'
import {
  HANDSHAKE_ANSWER_ACCEPTED,
  HANDSHAKE_ANSWER_BYTES,
  HANDSHAKE_ANSWER_REJECTED,
  HANDSHAKE_ANSWER_RESERVED,
  HANDSHAKE_MARKER,
} from './internal/wire.js'
import { resolveProtocolLimits } from './limits.js'
import type { ProtocolLimits } from './limits.js'
import type { Response } from './response.js'
import type { DecoderStatus, ErrorMessage } from './server-decoder.js'

/** The server accepted the hello; responses follow. */
export interface HandshakeAcceptedMessage {
  readonly kind: 'handshake-accepted'
}

/** The server refused the hello with a {@link HandshakeErrorCode}, and closes the connection. */
export interface HandshakeRejectedMessage {
  readonly kind: 'handshake-rejected'
  readonly code: number
}

/** One complete response, answering the oldest query not answered yet. */
export interface ResponseMessage {
  readonly kind: 'response'
  readonly response: Response
}

/** What {@link ClientDecoder.feed} returns, in input order. */
export type ClientMessage =
  | HandshakeAcceptedMessage
  | HandshakeRejectedMessage
  | ResponseMessage
  | ErrorMessage

/** Options of {@link ClientDecoder}. */
export interface ClientDecoderOptions {
  /** Limits to override; the rest take {@link defaultProtocolLimits}. */
  readonly limits?: Partial<ProtocolLimits>
  /** `response` skips the handshake answer (for tests). Default `handshake`. */
  readonly initialPhase?: 'handshake' | 'response'
}

/**
 * Incremental decoder for the server → client direction: the handshake answer, then responses.
 *
 * Guarantees: the messages are the same however the input is split into chunks, as long as the
 * input is valid; `feed` never throws on any bytes and always returns; a claimed length or count
 * beyond a limit is reported before its bytes are waited for; a large response is parsed item by
 * item, so feeding it costs O(bytes) in any chunking. Every error is fatal (`reply` `none`).
 *
 * @example
 * ```ts
 * const decoder = new ClientDecoder()
 * socket.on('data', (chunk) => {
 *   for (const message of decoder.feed(chunk)) settleOldestQuery(message)
 * })
 * ```
 */
export class ClientDecoder {
  private readonly limits: ProtocolLimits
  private readonly queue = new ByteQueue()
  private readonly parser: ResponseParser
  private currentPhase: 'handshake' | 'response' | 'rejected'
  private failureError: ProtocolError | null = null

  /** @throws RangeError for an invalid limit. */
  constructor(options: ClientDecoderOptions = {}) {
    this.limits = resolveProtocolLimits(options.limits)
    this.parser = new ResponseParser(this.limits)
    this.currentPhase = options.initialPhase ?? 'handshake'
  }

  /** `handshake` until the answer arrives, then `response`, or `rejected` for good. */
  get phase(): 'handshake' | 'response' | 'rejected' {
    return this.currentPhase
  }

  /** `partial` while a handshake answer or response has begun and not ended. */
  get status(): DecoderStatus {
    if (this.failureError !== null) return 'failed'
    return this.queue.length > 0 || this.parser.inResponse ? 'partial' : 'idle'
  }

  /** The fatal error that failed the decoder, or null. */
  get failure(): ProtocolError | null {
    return this.failureError
  }

  /** Bytes received and not yet decoded (parts of a response already decoded are not counted). */
  get bufferedBytes(): number {
    return this.queue.length
  }

  /**
   * Adds a chunk of input and returns every message it completes, in order. A failed decoder
   * ignores input and returns no messages.
   *
   * @throws TypeError if `chunk` is not a Uint8Array (a Buffer is one).
   */
  feed(chunk: Uint8Array): ClientMessage[] {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('feed takes a Uint8Array')
    const messages: ClientMessage[] = []
    if (this.failureError !== null) return messages
    this.queue.append(chunk)
    if (this.currentPhase === 'handshake') this.decodeAnswer(messages)
    if (this.currentPhase === 'rejected' && this.queue.length > 0) {
      messages.push(this.fail('PROTOCOL_MALFORMED_RESPONSE', 0, 'bytes after a refused handshake'))
    }
    if (this.currentPhase === 'response' && this.failureError === null) {
      const responses: Response[] = []
      const problem = this.parser.parse(this.queue, responses)
      for (const response of responses) messages.push({ kind: 'response', response })
      if (problem !== null) messages.push(this.failFromProblem(problem))
    }
    this.assertInvariants()
    return messages
  }

  /** Checks the answer byte by byte, so a wrong byte is reported before all four arrive. */
  private decodeAnswer(messages: ClientMessage[]): void {
    const queue = this.queue
    const seen = Math.min(queue.length, HANDSHAKE_ANSWER_BYTES)
    const expected = [HANDSHAKE_MARKER, HANDSHAKE_ANSWER_RESERVED]
    for (let index = 0; index < seen; index += 1) {
      const byte = queue.byteAt(index)
      const wrong =
        index < 2 ? byte !== expected[index]
        : index === 2 ? byte !== HANDSHAKE_ANSWER_ACCEPTED && byte !== HANDSHAKE_ANSWER_REJECTED
        : queue.byteAt(2) === HANDSHAKE_ANSWER_ACCEPTED && byte !== 0
      if (wrong) {
        messages.push(this.fail('PROTOCOL_MALFORMED_RESPONSE', index,
          `handshake answer byte ${index} is ${byte}`))
        return
      }
    }
    if (seen < HANDSHAKE_ANSWER_BYTES) return
    const accepted = queue.byteAt(2) === HANDSHAKE_ANSWER_ACCEPTED
    const code = queue.byteAt(3)
    queue.consume(HANDSHAKE_ANSWER_BYTES)
    if (accepted) {
      this.currentPhase = 'response'
      messages.push({ kind: 'handshake-accepted' })
    } else {
      this.currentPhase = 'rejected'
      messages.push({ kind: 'handshake-rejected', code })
    }
  }

  private failFromProblem(problem: ParseProblem): ErrorMessage {
    const code: ProtocolErrorCode =
      problem.kind === 'limit' ? 'PROTOCOL_LIMIT_EXCEEDED' : 'PROTOCOL_MALFORMED_RESPONSE'
    return this.fail(code, problem.offset, problem.reason, problem.limit)
  }

  private fail(
    code: ProtocolErrorCode,
    index: number,
    reason: string,
    limit?: string,
  ): ErrorMessage {
    const error = new ProtocolError({
      code,
      message: `bad server stream: ${reason}`,
      skytableCode: null,
      reply: 'none',
      fatal: true,
      offset: this.queue.streamOffset + index,
      ...(limit === undefined ? {} : { limit }),
    })
    this.failureError = error
    this.queue.clear()
    return { kind: 'error', error }
  }

  private assertInvariants(): void {
    const failed = this.failureError !== null
    if (failed) assert(this.queue.length === 0, 'a failed decoder holds nothing')
    if (this.currentPhase === 'rejected') assert(this.queue.length === 0, 'nothing after a refusal')
    assert(this.limits.listDepthMax >= 0, 'limits were resolved')
  }
}

/**
 * Decodes bytes that hold exactly one response (no handshake answer). A convenience for tests and
 * tools; a connection uses {@link ClientDecoder}.
 *
 * @throws ProtocolError if the bytes are malformed, exceed a limit, end inside the response
 *   (`PROTOCOL_MALFORMED_RESPONSE`), or hold more than one response.
 * @example
 * ```ts
 * decodeResponse(Uint8Array.of(0x10, 0x6f, 0x00)) // { type: 'error', code: 111 }
 * ```
 */
export function decodeResponse(
  bytes: Uint8Array,
  options: { readonly limits?: Partial<ProtocolLimits> } = {},
): Response {
  const decoder = new ClientDecoder({ ...options, initialPhase: 'response' })
  const messages = decoder.feed(bytes)
  const [first, extra] = messages
  if (first?.kind === 'error') throw first.error
  if (first === undefined || decoder.status !== 'idle') {
    throw truncated(bytes.length, 'the bytes end inside a response')
  }
  if (extra !== undefined) throw truncated(0, 'the bytes hold more than one response')
  assert(first.kind === 'response', 'only responses after the handshake')
  return first.response
}

function truncated(offset: number, reason: string): ProtocolError {
  return new ProtocolError({
    code: 'PROTOCOL_MALFORMED_RESPONSE',
    message: `bad server stream: ${reason}`,
    skytableCode: null,
    reply: 'none',
    fatal: true,
    offset,
  })
}
