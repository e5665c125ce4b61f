/**
 * Opens the TCP or TLS socket of a connection. The caller attaches every listener before the event
 * loop runs again, so no event (an immediate `error` included) is missed.
 *
 * Invariants: the returned `readyEvent` is the first moment bytes may be written and be private:
 * `connect` for TCP, `secureConnect` (TLS handshake done, certificate checked) for TLS.
 */
import { isIP, connect as connectTcp } from 'node:net'
import type { Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'
import type { ResolvedConnectOptions } from '../options.js'

/** A socket being opened and the event after which the client hello may be written. */
export interface OpeningSocket {
  readonly socket: Socket
  readonly readyEvent: 'connect' | 'secureConnect'
}

/** Starts connecting; never throws for network conditions (they arrive as `error` events). */
export function openSocket(options: ResolvedConnectOptions): OpeningSocket {
  const { host, port } = options
  if (options.tls === null) {
    return { socket: connectTcp({ host, port }), readyEvent: 'connect' }
  }
  // SNI carries a host name, never an address (RFC 6066 §3); Node warns when given an address.
  const servername = options.tls.servername ?? (isIP(host) === 0 ? host : undefined)
  const socket = connectTls({
    ...options.tls,
    host,
    port,
    ...(servername === undefined ? {} : { servername }),
  })
  return { socket, readyEvent: 'secureConnect' }
}
