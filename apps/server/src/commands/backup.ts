/**
 * `skyd backup`: a consistent backup (a checkpoint and the journal after it) of a data directory,
 * in one of two ways:
 *
 * - offline: open the data directory here (`@sky/recovery`'s engine) and back it up;
 * - online: ask a running skyd, as root over `@sky/client`, to write it with skydb's
 *   `sysctl backup to ?` while it keeps serving. Chosen by `--online` or `--endpoint`, or
 *   automatically when the offline open finds the directory locked by a running process and a
 *   password for the server is at hand.
 *
 * Progress goes to standard error (a line at the start, one per second, one when done); the
 * report to standard output (readable, or JSON with `--json`). Exit codes: README "Exit codes".
 */
import path from 'node:path'
import { HandshakeRejectedError, QueryError, connect, queryErrorName } from '@sky/client'
import type { ConnectOptions } from '@sky/client'
import { openEngine } from '@sky/recovery'
import type { RecoveryLockedError } from '@sky/recovery'
import { assert, isSkyError } from '@sky/std'
import { NodeFileSystem } from '@sky/vfs'
import { backupAnswerCodes } from '../backup-statement.js'
import type { BackupAnswer } from '../backup-statement.js'
import { configFileFlag, endpointNames, resolveConfig } from '../config.js'
import { exitCodes, ServerUsageError } from '../errors.js'
import type { ExitCode } from '../errors.js'
import { flagSet, flagValue, parseFlags } from '../internal/flags.js'
import type { ParsedFlags } from '../internal/flags.js'
import { readOperatorFile } from '../internal/read-text-file.js'
import type { CommandIo } from './io.js'
import { commonFlags, dataDirOf, printJson, withProgress } from './maintenance.js'

/** `skyd backup --help`. */
export const backupHelp = [
  'Usage: skyd backup --to <dir> [--data-dir <dir>] [--config <file>] [--json]',
  '                   [--online] [--endpoint tcp@host:port | tls@host:port] [--user <name>]',
  '                   [--password <password>] [--tls-cert <ca.pem>]',
  '',
  'Writes a consistent backup (a checkpoint and the journal after it) into <dir>, which must be',
  'missing or empty; restore it with skyd restore.',
  '',
  'Offline (default): opens the data directory here; it must not be open elsewhere.',
  'Online: asks a running skyd to write the backup while it keeps serving (skydb statement',
  '`sysctl backup to ?`, root only); <dir> is a path on the server\'s machine (a relative one',
  'is resolved here). Used with --online or --endpoint, and automatically when a running skyd',
  'holds the data directory and a password is at hand.',
  '  --endpoint     the server; else SKYDB_ENDPOINTS, else the --config file\'s endpoints,',
  '                 else tcp@127.0.0.1:2003',
  '  --user         default root',
  '  --password     else SKYDB_PASSWORD; for root also SKYDB_AUTH_ROOT_PASSWORD or the',
  '                 config file\'s auth.root_pass',
  '  --tls-cert     CA certificate (PEM) to trust for a tls endpoint',
  '',
  'Exit codes: 0 written; 1 the target is not empty or not writable, the server refused',
  '(not root: error 5) or could not be reached; 2 usage; 3 the data directory is locked and no',
  'password was given to back up through the server; 4 the data directory needs skyd repair.',
  '',
].join('\n')

const backupFlags = [
  ...commonFlags,
  { name: '--to', takesValue: true },
  { name: '--online', takesValue: false },
  { name: endpointNames.flag, takesValue: true },
  { name: '--user', takesValue: true },
  { name: '--password', takesValue: true },
  { name: '--tls-cert', takesValue: true },
]

/** `skyd backup`. */
export async function runBackup(argv: readonly string[], io: CommandIo): Promise<ExitCode> {
  const flags = parseFlags(argv, backupFlags)
  if (flagSet(flags, '--help')) {
    io.stdout(backupHelp)
    return exitCodes.ok
  }
  if (flags.positionals.length > 0) {
    throw new ServerUsageError(`unexpected argument ${flags.positionals[0]}`)
  }
  const target = flagValue(flags, '--to')
  if (target === undefined || target === '') {
    throw new ServerUsageError('skyd backup needs --to <dir>')
  }
  const targetDir = path.resolve(io.cwd, target)
  if (flagSet(flags, '--online') || flagValue(flags, endpointNames.flag) !== undefined) {
    return runOnline(flags, io, targetDir, await onlineSettings(flags, io))
  }
  const dir = await dataDirOf(flags, io)
  try {
    return await runOffline(flags, io, dir, targetDir)
  } catch (error) {
    if (!isSkyError(error, 'RECOVERY_LOCKED')) throw error
    const { pid } = error as RecoveryLockedError
    const settings = await onlineSettings(flags, io)
    if (settings.password === undefined) {
      io.stderr(`${dir} is held by process ${pid} (a running skyd?); to back up through it, ` +
        'give its root password: --password or SKYDB_PASSWORD (and --endpoint)\n')
      throw error
    }
    io.stderr(`${dir} is held by process ${pid}: backing up through the running skyd\n`)
    return runOnline(flags, io, targetDir, settings)
  }
}

async function runOffline(
  flags: ParsedFlags,
  io: CommandIo,
  dir: string,
  targetDir: string,
): Promise<ExitCode> {
  const fs = new NodeFileSystem()
  const info = await withProgress(io, `backing up ${dir} to ${targetDir}`, async () => {
    const engine = await openEngine({ fs, dir, checkpoint: { onClose: false } })
    try {
      return await engine.backup(targetDir)
    } finally {
      await engine.close()
    }
  })
  if (flagSet(flags, '--json')) printJson(io, info)
  else {
    io.stdout(`backup written to ${info.target}: checkpoint ${info.checkpoint.name} ` +
      `(${info.checkpoint.rows} rows, ${info.checkpoint.bytes} bytes), ` +
      `${info.segments.length} journal segment(s) up to lsn ${info.journalEndLsn}\n`)
  }
  return exitCodes.ok
}

/** How to reach the server; `password` undefined when none was given anywhere. */
interface OnlineSettings {
  readonly endpoint: string
  readonly options: Omit<ConnectOptions, 'password'>
  readonly password: string | undefined
}

/** A host to connect to for a listening address (a wildcard means this machine). */
function connectHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1'
  if (host === '::' || host === '[::]') return '::1'
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}

/** The server's own configuration (for its endpoint and root password), read lazily. */
async function serverConfig(flags: ParsedFlags, io: CommandIo) {
  const configFile = flagValue(flags, configFileFlag)
  const resolved = await resolveConfig({
    argv: configFile === undefined ? [] : [configFileFlag, configFile],
    env: io.env,
    cwd: io.cwd,
    readFile: async (file) => (await readOperatorFile(file)).toString('utf8'),
  })
  return resolved.config
}

async function onlineSettings(flags: ParsedFlags, io: CommandIo): Promise<OnlineSettings> {
  const user = flagValue(flags, '--user') ?? 'root'
  let password = flagValue(flags, '--password') ?? nonEmpty(io.env.SKYDB_PASSWORD)
  const endpointFlag = flagValue(flags, endpointNames.flag)
  let endpoint: { protocol: string; host: string; port: number } | undefined
  if (endpointFlag !== undefined) {
    const match = /^(tcp|tls)@(.+):(\d{1,5})$/.exec(endpointFlag)
    if (match === null) {
      throw new ServerUsageError('--endpoint: expected tcp@host:port or tls@host:port')
    }
    endpoint = { protocol: match[1] as string, host: match[2] as string, port: Number(match[3]) }
  }
  if (endpointFlag === undefined || (password === undefined && user === 'root')) {
    const config = await serverConfig(flags, io)
    if (user === 'root') password ??= config.rootPassword ?? undefined
    const listening = config.tcp === null
      ? { protocol: 'tls', ...(config.tls as { host: string; port: number }) }
      : { protocol: 'tcp', ...config.tcp }
    endpoint ??= listening
  }
  assert(endpoint !== undefined, 'an endpoint from the flag or the configuration')
  const { protocol, host, port } = endpoint
  const certFile = flagValue(flags, '--tls-cert')
  const tls = protocol === 'tls'
    ? (certFile === undefined
      ? true
      : { ca: await readOperatorFile(path.resolve(io.cwd, certFile)) })
    : undefined
  return {
    endpoint: `${protocol}@${host}:${port}`,
    options: {
      host: connectHost(host),
      port,
      username: user,
      queryTimeoutMs: 0, // a backup takes as long as the data needs
      ...(tls === undefined ? {} : { tls }),
    },
    password,
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value
}

/** What the operator reads for the server's refusal of the backup. */
function refusal(code: number): string {
  switch (code) {
    case backupAnswerCodes.permissionDenied:
      return 'permission denied: only root may back up'
    case backupAnswerCodes.targetNotEmpty:
      return 'the target exists and is not empty; choose a missing or empty directory'
    case backupAnswerCodes.invalidTarget:
      return 'the target is not an absolute path'
    case backupAnswerCodes.failed:
      return 'the server could not write the backup (full disk, no permission, a file in the ' +
        'way, or a failed engine: see the server log)'
    default:
      return `error ${code} (${queryErrorName(code) ?? 'unknown code'})`
  }
}

async function runOnline(
  flags: ParsedFlags,
  io: CommandIo,
  targetDir: string,
  settings: OnlineSettings,
): Promise<ExitCode> {
  const { endpoint, password } = settings
  if (password === undefined) {
    throw new ServerUsageError('no password: pass --password or set SKYDB_PASSWORD')
  }
  let connection
  try {
    connection = await connect({ ...settings.options, password })
  } catch (error) {
    const reason = error instanceof HandshakeRejectedError && error.skytableCode === 5
      ? 'authentication failed (wrong user or password)'
      : (error as Error).message
    io.stderr(`skyd backup: cannot connect to skyd at ${endpoint}: ${reason}\n`)
    return exitCodes.failed
  }
  let written: BackupAnswer
  try {
    const what = `backing up through skyd at ${endpoint} to ${targetDir}`
    const result = await withProgress(io, what, () =>
      connection.query('sysctl backup to ?', targetDir))
    written = JSON.parse(String(result.scalar())) as BackupAnswer
  } catch (error) {
    if (!(error instanceof QueryError)) throw error
    io.stderr(`skyd backup: refused by skyd at ${endpoint}: ${refusal(error.skytableCode)} ` +
      `[error ${error.skytableCode}]\n`)
    return exitCodes.failed
  } finally {
    await connection.close()
  }
  if (flagSet(flags, '--json')) printJson(io, { online: true, endpoint, ...written })
  else {
    io.stdout(`backup written to ${written.target} by skyd at ${endpoint}: snapshot at lsn ` +
      `${written.lsn} (${written.rows} rows), journal up to lsn ${written.journalEndLsn}, ` +
      `${written.files.length} files, ${written.bytes} bytes, in ` +
      `${(written.durationMs / 1000).toFixed(1)} s\n`)
  }
  return exitCodes.ok
}
