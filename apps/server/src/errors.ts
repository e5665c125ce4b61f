/**
 * The operating errors of skyd: configuration that cannot be used, an endpoint that cannot be
 * bound, a data directory that cannot be opened. Each carries a stable code and the process exit
 * code the command line reports for it (README "Exit codes"), so scripts can tell them apart.
 */
import { SkyError } from '@sky/std'
import type { SkyErrorOptions } from '@sky/std'

/** Process exit codes of every `skyd` command (README "Exit codes"). */
export const exitCodes = Object.freeze({
  /** Success; for `verify`, nothing wrong was found. */
  ok: 0,
  /** The work failed (for `verify`: a problem was found; for `repair --dry-run`: work to do). */
  failed: 1,
  /** Bad command line, configuration file or environment variable: nothing was started. */
  usage: 2,
  /** The data directory is locked by another process (a running skyd). */
  locked: 3,
  /** The data directory is damaged and `skyd repair` must run before it opens. */
  needsRepair: 4,
  /** An endpoint could not be bound (address in use, permission), or TLS material is unusable. */
  endpoint: 5,
  /** Stopped by a second SIGINT/SIGTERM before the graceful shutdown finished. */
  interrupted: 130,
})

/** One of {@link exitCodes}' values. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes]

/**
 * The configuration (file, flags or environment) is invalid or incomplete: an unknown key, a
 * value out of range, a TLS endpoint without a certificate, a root password shorter than 16
 * characters, or no root password on the first start. `source` names where the value came from.
 */
export class ServerConfigError extends SkyError {
  readonly code = 'SERVER_CONFIG_INVALID'
  readonly exitCode: ExitCode = exitCodes.usage
  constructor(
    message: string,
    readonly source: 'file' | 'env' | 'flag' | 'default' | 'data' | null = null,
    options: SkyErrorOptions = {},
  ) {
    super(source === null ? message : `${sourceName[source]}: ${message}`, options)
  }
}

const sourceName = {
  file: 'config file',
  env: 'environment',
  flag: 'command line',
  default: 'default',
  data: 'data directory',
} as const

/** An endpoint could not be bound or its TLS key and certificate could not be loaded. */
export class ServerEndpointError extends SkyError {
  readonly code = 'SERVER_ENDPOINT_FAILED'
  readonly exitCode: ExitCode = exitCodes.endpoint
  constructor(
    message: string,
    readonly endpoint: string,
    options: SkyErrorOptions = {},
  ) {
    super(`${endpoint}: ${message}`, options)
  }
}

/** The command line itself is malformed (unknown subcommand, flag without value). */
export class ServerUsageError extends SkyError {
  readonly code = 'SERVER_USAGE'
  readonly exitCode: ExitCode = exitCodes.usage
}
