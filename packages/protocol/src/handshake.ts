/**
 * Handshake encoders (skyhash.md §1): the client hello and the server's accept or refuse answer.
 *
 * Invariants: a hello always carries version and mode bytes 0 (the only values Skytable 0.8
 * knows); an answer is exactly 4 bytes.
 */
import { HandshakeErrorCode } from './codes.js'
import { ByteWriter } from './internal/byte-writer.js'
import { encodeUtf8 } from './internal/utf8.js'
import {
  AUTH_MODE_PASSWORD,
  EXCHANGE_MODE_QUERY_TIME,
  HANDSHAKE_ANSWER_ACCEPTED,
  HANDSHAKE_ANSWER_REJECTED,
  HANDSHAKE_ANSWER_RESERVED,
  HANDSHAKE_MARKER,
  HANDSHAKE_VERSION,
  PROTOCOL_VERSION,
  QUERY_MODE_BQL1,
} from './internal/wire.js'

/** Credentials of a client hello; strings are sent as UTF-8. */
export interface ClientHello {
  readonly username: string
  readonly password: string
}

/**
 * Encodes the client hello: `H 00 00 00 00 00`, the user name and password lengths as decimal
 * lines, then the user name and password bytes with no separator.
 *
 * @throws TypeError if a credential is not a string; RangeError if one holds a lone surrogate.
 * @example
 * ```ts
 * encodeClientHello({ username: 'root', password: 'pass123' })
 * // "H\0\0\0\0\0" "4\n" "7\n" "rootpass123"
 * ```
 */
export function encodeClientHello(hello: ClientHello): Uint8Array {
  if (typeof hello.username !== 'string') throw new TypeError('username must be a string')
  if (typeof hello.password !== 'string') throw new TypeError('password must be a string')
  const username = encodeUtf8(hello.username, 'username')
  const password = encodeUtf8(hello.password, 'password')
  const writer = new ByteWriter(6 + 2 * 21 + username.length + password.length)
  writer.byte(HANDSHAKE_MARKER)
  writer.byte(HANDSHAKE_VERSION)
  writer.byte(PROTOCOL_VERSION)
  writer.byte(EXCHANGE_MODE_QUERY_TIME)
  writer.byte(QUERY_MODE_BQL1)
  writer.byte(AUTH_MODE_PASSWORD)
  writer.decimalLine(username.length)
  writer.decimalLine(password.length)
  writer.bytes(username)
  writer.bytes(password)
  return writer.finish()
}

/**
 * The server's acceptance, `H 00 00 00`; queries may follow.
 *
 * @example
 * ```ts
 * socket.write(encodeHandshakeAccepted())
 * ```
 */
export function encodeHandshakeAccepted(): Uint8Array {
  return Uint8Array.of(
    HANDSHAKE_MARKER,
    HANDSHAKE_ANSWER_RESERVED,
    HANDSHAKE_ANSWER_ACCEPTED,
    0,
  )
}

/**
 * The server's refusal, `H 00 01 <code>`; the server closes the connection after writing it.
 *
 * @throws RangeError if `code` is not an integer in 0..255.
 * @example
 * ```ts
 * socket.end(encodeHandshakeRejected(HandshakeErrorCode.authenticationFailed)) // 48 00 01 05
 * ```
 */
export function encodeHandshakeRejected(code: HandshakeErrorCode | number): Uint8Array {
  if (!Number.isInteger(code) || code < 0 || code > 0xff) {
    throw new RangeError(`handshake error code ${String(code)} is not a byte`)
  }
  return Uint8Array.of(HANDSHAKE_MARKER, HANDSHAKE_ANSWER_RESERVED, HANDSHAKE_ANSWER_REJECTED, code)
}
