/**
 * Connection options, their defaults and their checks at the public boundary.
 *
 * Invariants of a resolved options object: every number is a safe integer within its documented
 * range (timeouts fit Node's timer range), credentials are strings, and `tls` is null or an
 * options object for `tls.connect`.
 */
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls'
import { resolveProtocolLimits } from '@sky/protocol'
import type { ProtocolLimits } from '@sky/protocol'
import { assert } from '@sky/std'
import { defaultRetryableCodes } from './codes.js'

/** Skytable's TCP port. */
export const defaultTcpPort = 2003
/** Skytable's TLS port. */
export const defaultTlsPort = 2004

/** Longest timeout Node's timers accept (2^31 − 1 ms, about 24.8 days). */
const timeoutMsMax = 2 ** 31 - 1

/** Options of {@link connect} (and, with pool options added, of {@link createPool}). */
export interface ConnectOptions {
  /** Server host name or address. Default `'127.0.0.1'`. */
  readonly host?: string
  /** Server port. Default 2003, or 2004 when `tls` is set (Skytable's ports). */
  readonly port?: number
  /**
   * Use TLS: `true` for Node's defaults (the server certificate must be trusted), or options for
   * `tls.connect` (`ca`, `rejectUnauthorized`, `servername`, client certificates…). Default off.
   */
  readonly tls?: boolean | TlsConnectionOptions
  /** User name sent in the handshake. */
  readonly username: string
  /** Password sent in the handshake (in clear text unless `tls` is set). */
  readonly password: string
  /** Time for TCP connect, TLS and the handshake answer together. Default 10 000 ms. */
  readonly connectTimeoutMs?: number
  /**
   * Longest wait for one query's answer, counted from the `query` call; 0 disables it. A timeout
   * closes the connection (see QueryTimeoutError). Default 60 000 ms.
   */
  readonly queryTimeoutMs?: number
  /** Query error codes reported as `retryable`. Default {@link defaultRetryableCodes} ([200]). */
  readonly retryableCodes?: readonly number[]
  /** Most queries sent or queued and not answered, per connection. Default 16 384. */
  readonly pendingQueriesMax?: number
  /** Most bytes of queries queued while the socket applies backpressure. Default 64 MiB. */
  readonly unsentBytesMax?: number
  /** Limits on what the server may send (response, value and list sizes); see @sky/protocol. */
  readonly limits?: Partial<ProtocolLimits>
}

/** {@link ConnectOptions} with every default filled in and every value checked. */
export interface ResolvedConnectOptions {
  readonly host: string
  readonly port: number
  readonly tls: TlsConnectionOptions | null
  readonly username: string
  readonly password: string
  readonly connectTimeoutMs: number
  readonly queryTimeoutMs: number
  readonly retryableCodes: ReadonlySet<number>
  readonly pendingQueriesMax: number
  readonly unsentBytesMax: number
  readonly limits: ProtocolLimits
}

function checkInteger(name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`)
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${String(value)}`)
  }
  return value
}

function resolveTls(value: ConnectOptions['tls']): TlsConnectionOptions | null {
  if (value === undefined || value === false) return null
  if (value === true) return {}
  if (typeof value !== 'object' || value === null) {
    throw new TypeError('tls must be a boolean or tls.connect options')
  }
  return value
}

/**
 * Resolves {@link ConnectOptions}.
 *
 * @throws TypeError for a missing or mistyped field; RangeError for a number out of range.
 */
export function resolveConnectOptions(options: ConnectOptions): ResolvedConnectOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('connect options must be an object')
  }
  if (typeof options.username !== 'string') throw new TypeError('username must be a string')
  if (typeof options.password !== 'string') throw new TypeError('password must be a string')
  const host = options.host ?? '127.0.0.1'
  if (typeof host !== 'string' || host.length === 0) throw new TypeError('host must be a string')
  const tls = resolveTls(options.tls)
  const port = options.port ?? (tls === null ? defaultTcpPort : defaultTlsPort)
  const codes = options.retryableCodes ?? defaultRetryableCodes
  if (!Array.isArray(codes)) throw new TypeError('retryableCodes must be an array')
  codes.forEach((code: number) => checkInteger('retryableCodes[i]', code, 0, 0xffff))
  const resolved: ResolvedConnectOptions = {
    host,
    port: checkInteger('port', port, 1, 65_535),
    tls,
    username: options.username,
    password: options.password,
    connectTimeoutMs: checkInteger('connectTimeoutMs', options.connectTimeoutMs ?? 10_000, 1,
      timeoutMsMax),
    queryTimeoutMs: checkInteger('queryTimeoutMs', options.queryTimeoutMs ?? 60_000, 0,
      timeoutMsMax),
    retryableCodes: new Set(codes),
    pendingQueriesMax: checkInteger('pendingQueriesMax', options.pendingQueriesMax ?? 16_384, 1,
      2 ** 30),
    unsentBytesMax: checkInteger('unsentBytesMax', options.unsentBytesMax ?? 64 * 1024 * 1024, 0,
      Number.MAX_SAFE_INTEGER),
    limits: resolveProtocolLimits(options.limits),
  }
  assert(resolved.port > 0, 'a port to connect to')
  return resolved
}
