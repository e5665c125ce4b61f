/**
 * `sysctl backup to ?`: skydb's server-level statement (not Skytable's) asking the running skyd
 * to write an online, consistent backup into a directory on the server's machine, the string
 * parameter. The server answers it itself, as it answers `sysctl report metrics`; it never
 * reaches BlueQL (where any other `sysctl` sub-command is error 33).
 *
 * The checks, in order (each answered with the Skytable code in brackets):
 *
 * | check | answer |
 * |---|---|
 * | the text is not exactly `sysctl backup to ?` (keywords in any case) | 28 QLInvalidSyntax |
 * | a parameter could not be decoded | 25 LexInvalidInput |
 * | not exactly one parameter, or not a string | 28 QLInvalidSyntax |
 * | the user is not root | 5 SysPermissionDenied |
 * | the connection has a transaction open | 4 SysTransactionalError |
 * | the path is not absolute (or holds a NUL byte) | 102 QExecDdlInvalidProperties |
 * | the target exists and is not an empty directory | 103 QExecDdlObjectAlreadyExists |
 * | the target cannot be created or written, or the engine stopped | 0 SysServerError |
 * | written | a String: the JSON of {@link BackupAnswer} |
 *
 * Parse errors come before the permission check, as for `sysctl create user`. Invariant: the
 * answer is always a response; only a bug (an assertion) escapes, and it stops the process as
 * everywhere else in skyd.
 */
import path from 'node:path'
import type { Parameter, Response } from '@sky/protocol'
import { isSkyError } from '@sky/std'
import type { BackendBackupResult, BackendSession, QueryBackend } from './backend.js'
import type { Logger } from './logger.js'

/** Skytable codes of the answers to `sysctl backup to ?` (see the table in the file header). */
export const backupAnswerCodes = Object.freeze({
  invalidSyntax: 28,
  invalidParameter: 25,
  permissionDenied: 5,
  inTransaction: 4,
  invalidTarget: 102,
  targetNotEmpty: 103,
  failed: 0,
})

/** The JSON of a successful backup's answer (LSNs as decimal strings). */
export interface BackupAnswer {
  readonly target: string
  readonly lsn: string
  readonly commitTs: number
  readonly journalEndLsn: string
  readonly rows: number
  readonly startedAt: string
  readonly durationMs: number
  readonly bytes: number
  readonly files: readonly string[]
}

/** Any statement that starts `sysctl backup`: the server answers all of them. */
const startPattern = /^[ \t\n]*sysctl[ \t\n]+backup(?![A-Za-z0-9_])/i
/** The one well-formed statement. */
const statementPattern = /^[ \t\n]*sysctl[ \t\n]+backup[ \t\n]+to[ \t\n]*\?[ \t\n]*$/i
/** Longest query text looked at (the statement is short; a long text is never it). */
const queryLengthMax = 256

/** True when the server answers `query` itself as a backup statement. */
export function isBackupStatement(query: string): boolean {
  return query.length <= queryLengthMax && startPattern.test(query)
}

/** What the statement needs from its connection and server. */
export interface BackupStatementContext {
  readonly session: BackendSession
  readonly backend: QueryBackend
  readonly log: Logger
}

/** A decoded `sysctl backup` query. */
export interface BackupQuery {
  readonly queryText: string
  readonly parameters: readonly Parameter[]
  readonly parameterError: unknown
}

function error(code: number): Response {
  return { type: 'error', code }
}

/** The answer to a refused statement, or the target path to back up into. */
function check(query: BackupQuery, session: BackendSession): Response | string {
  if (!statementPattern.test(query.queryText)) return error(backupAnswerCodes.invalidSyntax)
  if (query.parameterError !== null && query.parameterError !== undefined) {
    return error(backupAnswerCodes.invalidParameter)
  }
  const [parameter] = query.parameters
  if (query.parameters.length !== 1 || parameter?.type !== 'string') {
    return error(backupAnswerCodes.invalidSyntax)
  }
  if (!session.isRoot) return error(backupAnswerCodes.permissionDenied)
  if (session.transactionState !== 'none') return error(backupAnswerCodes.inTransaction)
  const target = parameter.value
  if (!path.isAbsolute(target) || target.includes('\0')) {
    return error(backupAnswerCodes.invalidTarget)
  }
  return path.resolve(target)
}

function answer(result: BackendBackupResult): BackupAnswer {
  return {
    target: result.target,
    lsn: result.lsn.toString(),
    commitTs: result.commitTs,
    journalEndLsn: result.journalEndLsn.toString(),
    rows: result.rows,
    startedAt: result.startedAt.toISOString(),
    durationMs: Math.round(result.durationMs),
    bytes: result.bytes,
    files: result.files,
  }
}

/**
 * Answers one `sysctl backup` query (see the file header): runs the backend's online backup and
 * logs what it wrote or why it failed.
 *
 * @returns the response to send; never rejects except for a bug (an assertion).
 */
export async function answerBackupStatement(
  query: BackupQuery,
  context: BackupStatementContext,
): Promise<Response> {
  const { session, backend, log } = context
  const checked = check(query, session)
  if (typeof checked !== 'string') {
    log.info('backup refused', { user: session.user, code: (checked as { code: number }).code })
    return checked
  }
  log.info('backup started', { user: session.user, target: checked })
  try {
    const result = await backend.backup(checked)
    const written = answer(result)
    log.info('backup written', { ...written, files: written.files.length })
    return { type: 'string', value: JSON.stringify(written) }
  } catch (failure) {
    if (failure instanceof Error && failure.name === 'AssertionError') throw failure
    if (isSkyError(failure, 'EMBEDDED_BACKUP_TARGET_NOT_EMPTY')) {
      log.warn('backup refused: the target is not empty', { target: checked })
      return error(backupAnswerCodes.targetNotEmpty)
    }
    log.error('backup failed', { target: checked, error: failure })
    return error(backupAnswerCodes.failed)
  }
}
