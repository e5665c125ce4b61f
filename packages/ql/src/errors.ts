/**
 * QueryError: the one typed error of the BlueQL front end (and of the executor built on it).
 *
 * Every failure a query can produce is a QueryError whose `code` (`QL_…`, stable) fixes the
 * Skytable numeric code sent on the wire (`skytableCode`, blueql.md §6). The table
 * {@link queryErrorCodes} is the only place where the pairs are written.
 *
 * Invariants: `skytableCode === queryErrorCodes[code]`; `position`, when present, points inside
 * (or just past the end of) the query text the error is about.
 */
import { SkyError } from '@sky/std'
import type { SkyErrorOptions } from '@sky/std'

/**
 * Every QueryError code and the Skytable 0.8 error code it is answered with (blueql.md §6).
 *
 * The lexer and parser raise 6 and 25–33; the executor raises 0, 3, 4, 5, 100–112 and skydb's
 * 200 (a serialization failure).
 */
export const queryErrorCodes = {
  /** 0 SysServerError: a storage or I/O failure, or an unhealthy server (executor). */
  QL_SERVER_ERROR: 0,
  /** 3 SysAuthError: user management refused (executor). */
  QL_AUTH_ERROR: 3,
  /**
   * 4 SysTransactionalError: a transaction statement out of place (commit with no transaction,
   * begin inside one, DDL inside one), a transaction ended by a failure or the idle timeout, or a
   * catalog operation waiting on a two-phase DDL (executor).
   */
  QL_TRANSACTION_ERROR: 4,
  /** 5 SysPermissionDenied: statement needs root (executor). */
  QL_PERMISSION_DENIED: 5,
  /** 6 SysNetworkSystemIllegalClientPacket: a skydb limit was exceeded (nesting depth). */
  QL_LIMIT_EXCEEDED: 6,
  /** 25 LexInvalidInput: a parameter could not be decoded or is out of range. */
  QL_INVALID_PARAMETER: 25,
  /** 26 LexUnexpectedByte: a byte no token can start with. */
  QL_UNEXPECTED_BYTE: 26,
  /** 27 QLUnexpectedEndOfStatement: fewer tokens than the statement's minimum. */
  QL_UNEXPECTED_END: 27,
  /** 28 QLInvalidSyntax: general syntax error, leftover tokens, missing parameter. */
  QL_INVALID_SYNTAX: 28,
  /** 29 QLInvalidCollectionSyntax: malformed dict in alter space or sysctl user. */
  QL_INVALID_COLLECTION_SYNTAX: 29,
  /** 30 QLInvalidTypeDefinitionSyntax: malformed type spec in create model; `primary null`. */
  QL_INVALID_TYPE_DEFINITION_SYNTAX: 30,
  /** 31 QLExpectedEntity: a model name that is not (or cannot be made) qualified. */
  QL_EXPECTED_ENTITY: 31,
  /** 32 QLExpectedStatement: no statement keyword; statement too short; unknown alter action. */
  QL_EXPECTED_STATEMENT: 32,
  /** 33 QLUnknownStatement: unroutable statement, `describe`, `exists`, unknown sysctl. */
  QL_UNKNOWN_STATEMENT: 33,
  /** 100 QExecObjectNotFound (executor). */
  QL_OBJECT_NOT_FOUND: 100,
  /** 101 QExecUnknownField (executor). */
  QL_UNKNOWN_FIELD: 101,
  /** 102 QExecDdlInvalidProperties (executor). */
  QL_INVALID_PROPERTIES: 102,
  /** 103 QExecDdlObjectAlreadyExists (executor). */
  QL_ALREADY_EXISTS: 103,
  /** 104 QExecDdlNotEmpty (executor). */
  QL_NOT_EMPTY: 104,
  /** 105 QExecDdlInvalidTypeDefinition (executor). */
  QL_INVALID_TYPE_DEFINITION: 105,
  /** 106 QExecDdlModelBadDefinition (executor). */
  QL_BAD_MODEL_DEFINITION: 106,
  /** 107 QExecDdlModelAlterIllegal (executor). */
  QL_ILLEGAL_ALTER: 107,
  /** 108 QExecDmlDuplicate (executor). */
  QL_DUPLICATE_KEY: 108,
  /** 109 QExecDmlValidationError (executor). */
  QL_VALIDATION_ERROR: 109,
  /** 110 QExecDmlWhereHasUnindexedColumn (executor). */
  QL_WHERE_NOT_INDEXED: 110,
  /** 111 QExecDmlRowNotFound (executor). */
  QL_ROW_NOT_FOUND: 111,
  /** 112 QExecNeedLock (executor). */
  QL_NEED_LOCK: 112,
  /**
   * 200, skydb's own code (Skytable 0.8 has no transactions, so no code for this): the
   * transaction could not be serialized with concurrent ones and was rolled back; run it again.
   * Exported as {@link serializationFailureCode}. The executor raises it with `retryable: true`.
   */
  QL_SERIALIZATION_FAILURE: 200,
} as const

/**
 * The error code skydb answers when a transaction loses a serialization race (at `commit`, or a
 * statement of a transaction whose models changed definition under it): 200. Skytable 0.8 uses
 * 0–6, 25–33 and 100–112; 200 lies outside every range it uses, so no Skytable client can mistake
 * it for one of its own errors. Clients should treat it as retryable: run the whole transaction
 * again.
 */
export const serializationFailureCode = 200

/** A stable {@link QueryError} code. */
export type QueryErrorCode = keyof typeof queryErrorCodes

/** The Skytable wire code of a {@link QueryErrorCode}. */
export type SkytableErrorCode = (typeof queryErrorCodes)[QueryErrorCode]

/** A place in the query text: byte offset (0-based), line and column (1-based, in bytes). */
export interface SourcePosition {
  readonly offset: number
  readonly line: number
  readonly column: number
}

/**
 * The statement keyword a query starts with: Skytable's twelve, plus skydb's transaction
 * statements (`begin`, `commit`, `rollback`).
 */
export type StatementKeyword =
  | 'sysctl'
  | 'create'
  | 'alter'
  | 'drop'
  | 'use'
  | 'inspect'
  | 'describe'
  | 'insert'
  | 'select'
  | 'update'
  | 'delete'
  | 'exists'
  | 'begin'
  | 'commit'
  | 'rollback'

/** Constructor options of {@link QueryError}. */
export interface QueryErrorOptions extends SkyErrorOptions {
  /** Where in the query text the problem is, if it is about the text. */
  readonly position?: SourcePosition | null
  /** See {@link QueryError.statementKeyword}. */
  readonly statementKeyword?: StatementKeyword | null
  /** The parameter (0-based) the error is about, if any. */
  readonly parameterIndex?: number | null
  /**
   * Whether running the same statement (or transaction) again may succeed. Default false; the
   * executor sets it for serialization failures and for storage conditions that clear (disk full).
   */
  readonly retryable?: boolean
}

/**
 * A query that cannot run, with its stable code and the Skytable code to answer with.
 *
 * @example
 * ```ts
 * try { parseQuery('select * from s.m where k = ?', []) } catch (error) {
 *   if (error instanceof QueryError) reply(error.skytableCode) // 28: no parameter for `?`
 * }
 * ```
 */
export class QueryError extends SkyError {
  /** Stable code, `QL_…`. */
  readonly code: QueryErrorCode
  /** The Skytable 0.8 error code (blueql.md §6) a server sends for this error. */
  readonly skytableCode: SkytableErrorCode
  /** Where in the query text, or null when the error is not about a place in the text. */
  readonly position: SourcePosition | null
  /**
   * The statement keyword the query starts with, or null when lexing failed or the first token
   * is not a statement keyword. Skytable checks permissions right after lexing: when this is
   * `create`, `alter` or `drop` and the user is not root, the server answers error 5
   * (`QL_PERMISSION_DENIED`) instead of this error (blueql.md §3.1).
   */
  readonly statementKeyword: StatementKeyword | null
  /** The parameter (0-based) this error is about, or null. */
  readonly parameterIndex: number | null
  /** See {@link QueryErrorOptions.retryable}. */
  override readonly retryable: boolean

  constructor(code: QueryErrorCode, message: string, options: QueryErrorOptions = {}) {
    const position = options.position ?? null
    const where = position === null ? '' : ` (line ${position.line}, column ${position.column})`
    super(`${message}${where}`, options.cause === undefined ? {} : { cause: options.cause })
    this.code = code
    this.skytableCode = queryErrorCodes[code]
    this.position = position
    this.statementKeyword = options.statementKeyword ?? null
    this.parameterIndex = options.parameterIndex ?? null
    this.retryable = options.retryable ?? false
  }
}

/**
 * Line and column (1-based) of a byte offset in the query text. Only LF starts a line: CR is not
 * whitespace in BlueQL, so a query holding one fails to lex anyway.
 *
 * @example
 * ```ts
 * locate('select *\nfrom', 9) // { offset: 9, line: 2, column: 1 }
 * ```
 */
export function locate(text: string, offset: number): SourcePosition {
  let line = 1
  let lineStart = 0
  const end = Math.min(offset, text.length)
  for (let index = 0; index < end; index += 1) {
    if (text.charCodeAt(index) === 0x0a) {
      line += 1
      lineStart = index + 1
    }
  }
  return { offset, line, column: offset - lineStart + 1 }
}
