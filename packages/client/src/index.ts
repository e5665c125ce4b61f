/**
 * @packageDocumentation
 * `@sky/client` is the Node client for Skyhash 2, the wire protocol of Skytable 0.8, spoken by
 * skydb's `skyd` and by Skytable itself. {@link connect} opens a TCP or TLS connection and
 * authenticates; {@link Connection.query} sends BlueQL with typed parameters and resolves with a
 * typed {@link QueryResult}, pipelining concurrent calls on one socket; {@link createPool} keeps a
 * few connections; {@link transaction} runs a function in `begin … commit` on skydb and retries it
 * on serialization failures. Every failure is a `SkyError` with a stable `CLIENT_…` code. All
 * encoding and decoding is @sky/protocol's.
 */

// connection.ts: one session.
export { Connection, connect } from './connection.js'
export type { ConnectionState } from './connection.js'

// options.ts
export { defaultTcpPort, defaultTlsPort } from './options.js'
export type { ConnectOptions } from './options.js'

// parameters.ts: JS values → Skyhash parameters.
export { TypedParameter, binary, float, sint, toParameter, uint } from './parameters.js'
export type { QueryParameter } from './parameters.js'

// result.ts: answers → typed results.
export { toPlain } from './result.js'
export type {
  EmptyResult,
  PlainValue,
  QueryResult,
  RowResult,
  RowsResult,
  ValueResult,
} from './result.js'

// pool.ts
export { Pool, createPool } from './pool.js'
export type { PoolOptions, PoolStats } from './pool.js'

// transaction.ts
export { transaction } from './transaction.js'
export type { IsolationLevel, Transaction, TransactionOptions } from './transaction.js'

// codes.ts, errors.ts
export {
  defaultRetryableCodes,
  handshakeErrorName,
  queryErrorName,
  serializationFailureCode,
} from './codes.js'
export {
  AcquireTimeoutError,
  ConnectError,
  ConnectTimeoutError,
  ConnectionClosedError,
  HandshakeRejectedError,
  PoolClosedError,
  QueryError,
  QueryTimeoutError,
  QueueFullError,
  TransactionFinishedError,
  UnexpectedResultError,
} from './errors.js'
export type { ConnectionClosedReason } from './errors.js'

// Re-exported from @sky/protocol: the typed values inside results.
export type { Value, ValueType } from '@sky/protocol'
