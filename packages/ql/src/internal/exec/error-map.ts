/**
 * Engine errors as query errors: every typed error the catalog, the transaction manager or the
 * storage below can raise while a statement runs becomes a {@link QueryError} with the Skytable
 * code the spec names (blueql.md §6), keeping the original as `cause` and its `retryable`.
 *
 * | error | code |
 * |---|---|
 * | `GnsError` | its `skytableCode` (28, 100-107, 112, 3, 4 or 0) |
 * | `TXN_SERIALIZATION_FAILURE`, `MVCC_SNAPSHOT_TOO_OLD` | 200 (skydb's), retryable |
 * | `TXN_DUPLICATE_KEY` / `TXN_NOT_FOUND` / `TXN_TYPE_MISMATCH` | 108 / 111 / 109 |
 * | `TXN_UNKNOWN_MODEL`, `MVCC_UNKNOWN_MODEL` | 100 (the model was dropped meanwhile) |
 * | `TXN_CLOSED`, `TXN_TOO_LARGE`, `TXN_READ_ONLY` | 4 |
 * | any other `SkyError` (disk full, poisoned journal, I/O) | 0, retryable as the original |
 *
 * Anything that is not a SkyError is a bug and is rethrown unchanged.
 */
import { skytableCodeOf } from '@sky/gns'
import { isSkyError } from '@sky/std'
import { QueryError, queryErrorCodes } from '../../errors.js'
import type { QueryErrorCode } from '../../errors.js'

const codeByNumber: ReadonlyMap<number, QueryErrorCode> = new Map(
  (Object.entries(queryErrorCodes) as [QueryErrorCode, number][]).map(([code, n]) => [n, code]),
)

const byEngineCode: Readonly<Record<string, QueryErrorCode>> = {
  TXN_SERIALIZATION_FAILURE: 'QL_SERIALIZATION_FAILURE',
  MVCC_SNAPSHOT_TOO_OLD: 'QL_SERIALIZATION_FAILURE',
  TXN_DUPLICATE_KEY: 'QL_DUPLICATE_KEY',
  TXN_NOT_FOUND: 'QL_ROW_NOT_FOUND',
  TXN_TYPE_MISMATCH: 'QL_VALIDATION_ERROR',
  TXN_UNKNOWN_MODEL: 'QL_OBJECT_NOT_FOUND',
  MVCC_UNKNOWN_MODEL: 'QL_OBJECT_NOT_FOUND',
  TXN_CLOSED: 'QL_TRANSACTION_ERROR',
  TXN_TOO_LARGE: 'QL_TRANSACTION_ERROR',
  TXN_READ_ONLY: 'QL_TRANSACTION_ERROR',
}

/**
 * The query error for an error raised while executing a statement.
 *
 * @throws the error itself when it is not a SkyError (a bug).
 */
export function toQueryError(error: unknown): QueryError {
  if (error instanceof QueryError) return error
  if (!isSkyError(error)) throw error
  const mapped = byEngineCode[error.code]
  const gnsCode = error.code.startsWith('GNS_') ? skytableCodeOf(error) : undefined
  const code = mapped ?? (gnsCode === undefined ? undefined : codeByNumber.get(gnsCode))
  const retryable = code === 'QL_SERIALIZATION_FAILURE' || error.retryable
  return new QueryError(code ?? 'QL_SERVER_ERROR', error.message, { cause: error, retryable })
}
