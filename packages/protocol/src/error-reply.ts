/**
 * The bytes a server owes a client for a ProtocolError: a handshake refusal or an error response.
 *
 * Invariant: the reply is exactly what skyhash.md prescribes for the error's Skytable code.
 */
import { assert } from '@sky/std'
import type { ProtocolError } from './errors.js'
import { encodeHandshakeRejected } from './handshake.js'
import { encodeErrorResponse } from './response.js'

/**
 * The reply a server sends for `error` before (if `error.fatal`) closing the connection:
 * `H 00 01 <code>` for a handshake error, `10 <code u16 LE>` for a query-phase error.
 *
 * @throws RangeError if `error.reply` is `none` (a client-side error has no reply).
 * @example
 * ```ts
 * socket.write(encodeProtocolErrorReply(message.error)) // e.g. 10 06 00 for an illegal packet
 * ```
 */
export function encodeProtocolErrorReply(error: ProtocolError): Uint8Array {
  if (error.reply === 'none') throw new RangeError(`${error.code} has no reply to send`)
  assert(error.skytableCode !== null, 'a reply has a code')
  if (error.reply === 'handshake') return encodeHandshakeRejected(error.skytableCode)
  return encodeErrorResponse(error.skytableCode)
}
