/**
 * EmbeddedBackend: the server's {@link QueryBackend} over `@sky/embedded` — the whole engine in
 * this process, opened on a {@link MeteredFileSystem} so the disk's fdatasyncs and bytes are
 * counted under the engine.
 *
 * First start: a data directory without a catalog gets its root user from the configured root
 * password; without one, opening is refused (ServerConfigError) before anything is created, so a
 * database never starts with a root password nobody knows.
 */
import { open } from '@sky/embedded'
import type { Database, DatabaseSession, DatabaseStats } from '@sky/embedded'
import type { Parameter, Response } from '@sky/protocol'
import { NodeFileSystem, joinPath } from '@sky/vfs'
import type {
  BackendBackupResult,
  BackendSession,
  EngineCounters,
  QueryBackend,
} from './backend.js'
import type { ServerConfig } from './config.js'
import { ServerConfigError } from './errors.js'
import type { Logger } from './logger.js'
import { MeteredFileSystem } from './metrics.js'

/** Options of {@link openEmbeddedBackend}. */
export interface EmbeddedBackendOptions {
  readonly config: ServerConfig
  readonly log: Logger
  /** scrypt parameters for new passwords (tests lower the cost). Default: `@sky/gns`'s. */
  readonly passwordHashing?: { readonly cost?: number; readonly blockSize?: number }
}

class EmbeddedSession implements BackendSession {
  readonly #session: DatabaseSession

  constructor(session: DatabaseSession) {
    this.#session = session
  }

  get user(): string {
    return this.#session.user
  }

  get isRoot(): boolean {
    return this.#session.isRoot
  }

  get transactionState(): BackendSession['transactionState'] {
    return this.#session.transactionState
  }

  respond(
    query: string,
    parameters: readonly Parameter[],
    options: { readonly parameterError?: unknown },
  ): Promise<Response> {
    const { parameterError } = options
    const bind = parameterError === undefined ? {} : { parameterError }
    return this.#session.respond(query, parameters, bind) as Promise<Response>
  }

  close(): void {
    this.#session.close()
  }
}

/** The embedded database as a server backend. */
export class EmbeddedBackend implements QueryBackend {
  readonly database: Database
  readonly fs: MeteredFileSystem

  constructor(database: Database, fs: MeteredFileSystem) {
    this.database = database
    this.fs = fs
  }

  async verifyPassword(user: string, password: string): Promise<boolean> {
    const session = await this.database.authenticate(user, password)
    session?.close()
    return session !== null
  }

  openSession(user: string): BackendSession {
    return new EmbeddedSession(this.database.session({ user }))
  }

  counters(): EngineCounters {
    return engineCounters(this.database.stats)
  }

  async checkpoint(): Promise<void> {
    await this.database.checkpoint()
  }

  backup(target: string): Promise<BackendBackupResult> {
    return this.database.backup(target)
  }

  close(): Promise<void> {
    return this.database.close()
  }
}

/** The engine's counters as the server's metrics report takes them. */
function engineCounters(stats: DatabaseStats): EngineCounters {
  const last = stats.lastCheckpoint
  return {
    commits: stats.commits,
    aborts: stats.aborts,
    checkpoints: stats.checkpoints,
    journalBytesSinceCheckpoint: stats.journalBytesSinceCheckpoint,
    ...(last === undefined
      ? {}
      : {
          lastCheckpoint: {
            name: last.name,
            lsn: last.lsn,
            rows: last.rows,
            bytes: last.bytes,
            durationMs: last.durationMs,
            at: null,
          },
        }),
    healthy: stats.healthy,
    ...(stats.detail === undefined ? {} : { detail: stats.detail }),
  }
}

/**
 * Opens the data directory of `config` (creating it on first start) and returns the backend.
 *
 * @throws ServerConfigError when the directory holds no database yet and no root password is
 *   configured; `@sky/recovery`'s errors (`RECOVERY_LOCKED`, `RECOVERY_JOURNAL_CORRUPT`, …).
 */
export async function openEmbeddedBackend(
  options: EmbeddedBackendOptions,
): Promise<EmbeddedBackend> {
  const { config, log } = options
  const fs = new MeteredFileSystem(new NodeFileSystem(), config.dataDir)
  const existing = await fs.exists(joinPath(config.dataDir, 'gns'))
  if (!existing && config.rootPassword === null) {
    throw new ServerConfigError(
      `${config.dataDir} holds no database yet, and the first start needs a root password ` +
        `(at least 16 characters): pass --auth-root-password <password>, or set ` +
        `SKYDB_AUTH_ROOT_PASSWORD, or auth.root_pass in the config file`, 'data')
  }
  const database = await open(config.dataDir, {
    fs,
    durability: config.durability,
    ...(config.durability === 'batch' ? { batchDelayMs: config.batchDelayMs } : {}),
    checkpoint: {
      intervalMs: config.checkpointIntervalMs,
      journalBytes: config.checkpointJournalBytes,
    },
    ...(config.rootPassword === null ? {} : { rootPassword: config.rootPassword }),
    ...(options.passwordHashing === undefined ? {} : { passwordHashing: options.passwordHashing }),
  })
  const backend = new EmbeddedBackend(database, fs)
  if (existing && config.rootPassword !== null) {
    if (!(await backend.verifyPassword('root', config.rootPassword))) {
      log.warn('the configured root password is not the stored one; the stored one stays in force')
    }
  }
  return backend
}
