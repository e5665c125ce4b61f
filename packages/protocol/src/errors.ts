/**
 * ProtocolError: the one typed error of this package. Every malformed, oversized or unexpected byte
 * sequence a decoder meets becomes a ProtocolError; nothing else is thrown or reported by a decoder
 * except AssertionError, which means a bug in this package.
 *
 * Invariants: `reply` says which answer the server owes (`handshake` → `H 00 01 <skytableCode>`,
 * `query` → error response `10 <skytableCode u16 LE>`, `none` → nothing, client side), and
 * `skytableCode` is null exactly when `reply` is `none`. A handshake error is always fatal.
 */
import { SkyError, assert } from '@sky/std'

/**
 * Stable codes of {@link ProtocolError}. The Skytable code each one carries is fixed by the code,
 * except for `PROTOCOL_LIMIT_EXCEEDED` (0 during the handshake, 6 after it, none on the client).
 */
export type ProtocolErrorCode =
  | 'PROTOCOL_HANDSHAKE_CORRUPTED'
  | 'PROTOCOL_HANDSHAKE_VERSION_REJECTED'
  | 'PROTOCOL_VERSION_REJECTED'
  | 'PROTOCOL_EXCHANGE_MODE_REJECTED'
  | 'PROTOCOL_QUERY_MODE_REJECTED'
  | 'PROTOCOL_AUTH_MODE_REJECTED'
  | 'PROTOCOL_CREDENTIALS_NOT_UTF8'
  | 'PROTOCOL_ILLEGAL_PACKET'
  | 'PROTOCOL_INVALID_PARAMETER'
  | 'PROTOCOL_LIMIT_EXCEEDED'
  | 'PROTOCOL_MALFORMED_RESPONSE'

/** What a server must send when it meets a {@link ProtocolError}. */
export type ProtocolErrorReply = 'handshake' | 'query' | 'none'

/** Constructor fields of {@link ProtocolError}. */
export interface ProtocolErrorInit {
  readonly code: ProtocolErrorCode
  readonly message: string
  /** Code to send (handshake code or query error code); null on the client side. */
  readonly skytableCode: number | null
  readonly reply: ProtocolErrorReply
  /** True when the connection must be closed after the reply. */
  readonly fatal: boolean
  /** Offset in the decoder's input (bytes fed since it was made) where the error was seen. */
  readonly offset: number
  /** Name of the limit that was exceeded, for `PROTOCOL_LIMIT_EXCEEDED`. */
  readonly limit?: string
  /** Index of the parameter that failed, for `PROTOCOL_INVALID_PARAMETER`. */
  readonly parameterIndex?: number
}

/**
 * A malformed, oversized or unexpected frame. Decoders report it as a message (they never throw
 * it), so that the frames decoded before it in the same chunk are not lost.
 *
 * What the server does with it: send {@link encodeProtocolErrorReply}`(error)` if `reply` is not
 * `none`, then close the connection if `fatal`. A non-fatal error (`PROTOCOL_ILLEGAL_PACKET`,
 * `PROTOCOL_INVALID_PARAMETER`) leaves the connection usable.
 *
 * @example
 * ```ts
 * for (const message of decoder.feed(chunk)) {
 *   if (message.kind !== 'error') continue
 *   socket.write(encodeProtocolErrorReply(message.error))
 *   if (message.error.fatal) socket.end()
 * }
 * ```
 */
export class ProtocolError extends SkyError {
  /** Stable code; see the error table in README.md. */
  readonly code: ProtocolErrorCode
  /** Handshake code (0–5) or query error code (6, 25) to send; null on the client side. */
  readonly skytableCode: number | null
  /** Which reply the server owes: `H 00 01 <code>`, `10 <code LE>`, or none. */
  readonly reply: ProtocolErrorReply
  /** True when the connection must be closed after the reply; the decoder has failed. */
  readonly fatal: boolean
  /** Position in the decoder's input (bytes fed since it was made) where the problem was seen. */
  readonly offset: number
  /** Name of the exceeded limit (a key of ProtocolLimits) for `PROTOCOL_LIMIT_EXCEEDED`. */
  readonly limit: string | null
  /** Index of the unreadable parameter for `PROTOCOL_INVALID_PARAMETER`. */
  readonly parameterIndex: number | null

  constructor(init: ProtocolErrorInit) {
    super(init.message)
    assert((init.skytableCode === null) === (init.reply === 'none'), 'a reply needs a code')
    if (init.reply === 'handshake') assert(init.fatal, 'a refused handshake closes the connection')
    this.code = init.code
    this.skytableCode = init.skytableCode
    this.reply = init.reply
    this.fatal = init.fatal
    this.offset = init.offset
    this.limit = init.limit ?? null
    this.parameterIndex = init.parameterIndex ?? null
  }
}
