/**
 * QueryBackend: what the network layer needs from the database, and nothing more. The server
 * authenticates a connection into a {@link BackendSession} and runs its queries there one at a
 * time; everything about BlueQL, transactions and storage is behind this interface.
 *
 * `EmbeddedBackend` (embedded-backend.ts) implements it over `@sky/embedded`; tests of the
 * network layer may implement it with a double.
 */
import type { BackupResult } from '@sky/embedded'
import type { Parameter } from '@sky/protocol'
import type { Response } from '@sky/protocol'

/** Where a session's transaction stands (as `@sky/ql`'s Session reports it). */
export type BackendTransactionState = 'none' | 'open' | 'failed'

/** One authenticated connection's state: user, current space, open transaction. */
export interface BackendSession {
  readonly user: string
  /** True when the user is a root user now (read at each call). */
  readonly isRoot: boolean
  readonly transactionState: BackendTransactionState
  /**
   * Runs one query and resolves with the answer to send: a result, or `{ type: 'error', code }`
   * for a statement that failed. Calls are answered in call order.
   *
   * @throws only for a failure that is not the statement's (a bug, a closed database).
   */
  respond(
    query: string,
    parameters: readonly Parameter[],
    options: { readonly parameterError?: unknown },
  ): Promise<Response>
  /** Rolls back an open transaction and ends the session. Idempotent. */
  close(): void
}

/** Counters the engine keeps, where the backend can read them (undefined: not available). */
export interface EngineCounters {
  readonly commits?: number
  readonly aborts?: number
  readonly checkpoints?: number
  readonly lastCheckpoint?: {
    readonly name: string
    readonly lsn: bigint
    readonly rows: number
    readonly bytes: number
    readonly durationMs: number
    readonly at: string | null
  }
  readonly journalBytesSinceCheckpoint?: number
  /** False once the engine stopped accepting writes (fail-stop). */
  readonly healthy: boolean
  readonly detail?: string
}

/** What an online backup wrote: `@sky/embedded`'s `BackupResult` (see its fields there). */
export type BackendBackupResult = BackupResult

/** The database behind a server. */
export interface QueryBackend {
  /**
   * True when `password` is `user`'s (an unknown user and a wrong password look the same). This
   * is the slow check (scrypt); the server limits how many run at once and caches successes.
   */
  verifyPassword(user: string, password: string): Promise<boolean>
  /** A new session for `user`, already authenticated by the caller. */
  openSession(user: string): BackendSession
  /** What the engine counts, as far as it is visible. */
  counters(): EngineCounters
  /** Writes a checkpoint now. */
  checkpoint(): Promise<void>
  /**
   * Writes an online, consistent backup into `target` (absolute; missing or an empty directory)
   * while queries go on: everything acknowledged before the call is in it, no transaction partly.
   *
   * @throws errors with a stable `code`: `EMBEDDED_BACKUP_TARGET_NOT_EMPTY` (nothing written),
   *   `EMBEDDED_BACKUP_FAILED` (the target could not be created or written, or the engine
   *   stopped), `EMBEDDED_CLOSED`.
   */
  backup(target: string): Promise<BackendBackupResult>
  /** Waits for commits in flight, checkpoints, releases the data directory. Idempotent. */
  close(): Promise<void>
}
