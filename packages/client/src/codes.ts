/**
 * Names of the numeric codes a Skytable-compatible server sends (skyhash.md §1, blueql.md §6), and
 * the codes this client treats as retryable by default.
 *
 * Invariants: the name tables are the inverse of @sky/protocol's `HandshakeErrorCode` and
 * `QueryErrorCode` (built from them when the module loads, so they cannot drift apart), plus
 * skydb's own serialization-failure code, which lies outside every range Skytable uses.
 */
import { HandshakeErrorCode, QueryErrorCode } from '@sky/protocol'
import { assert } from '@sky/std'

/**
 * skydb's code for a serialization failure: the transaction lost a race with a concurrent one and
 * was rolled back; running it again may succeed. Skytable 0.8 has no transactions and uses only
 * 0–6, 25–33 and 100–112, so 200 cannot be mistaken for one of its errors. (skydb answers 4,
 * `SysTransactionalError`, for transaction misuse: commit without begin, a statement of a failed
 * transaction; that is not retryable.)
 */
export const serializationFailureCode = 200

const QUERY_ERROR_NAMES: ReadonlyMap<number, string> = new Map([
  ...Object.entries(QueryErrorCode).map(([name, code]) => [code, name] as const),
  [serializationFailureCode, 'SkydbSerializationFailure'] as const,
])

const HANDSHAKE_ERROR_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(HandshakeErrorCode).map(([name, code]) => [code, name]),
)

/**
 * The query error codes that mean "the transaction lost a race; run it again", used by default for
 * {@link QueryError.retryable} and by {@link transaction}.
 *
 * It holds {@link serializationFailureCode} (200), the code skydb's query layer answers for a
 * serialization failure. Pass `retryableCodes` to {@link connect}, {@link createPool} or
 * {@link transaction} if a server uses another code.
 *
 * @example
 * ```ts
 * defaultRetryableCodes // [200]
 * ```
 */
export const defaultRetryableCodes: readonly number[] = Object.freeze([serializationFailureCode])

assert(QUERY_ERROR_NAMES.size === Object.keys(QueryErrorCode).length + 1, 'query codes are unique')
assert(HANDSHAKE_ERROR_NAMES.size === 6, 'handshake codes 0-5 are unique')

/**
 * Skytable's name of a query error code (`111` → `'QExecDmlRowNotFound'`; skydb's 200 →
 * `'SkydbSerializationFailure'`), or null for any other code.
 *
 * @example
 * ```ts
 * queryErrorName(108) // 'QExecDmlDuplicate'
 * ```
 */
export function queryErrorName(code: number): string | null {
  return QUERY_ERROR_NAMES.get(code) ?? null
}

/**
 * The name of a handshake refusal code (`5` → `'authenticationFailed'`), or null for an unknown
 * code.
 *
 * @example
 * ```ts
 * handshakeErrorName(5) // 'authenticationFailed'
 * ```
 */
export function handshakeErrorName(code: number): string | null {
  return HANDSHAKE_ERROR_NAMES.get(code) ?? null
}
