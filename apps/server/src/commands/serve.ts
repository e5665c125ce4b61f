/**
 * `skyd serve`: resolve the configuration, print it (password redacted), open the data
 * directory, bind the endpoints, and run until SIGTERM or SIGINT; then shut down gracefully and
 * exit 0. A second signal during shutdown exits at once with 130.
 *
 * Every failure before `ready` is a typed error mapped to an exit code (README "Exit codes"),
 * with a message that says what to do.
 */
import {
  configOptions,
  endpointNames,
  redactConfig,
  resolveConfig,
  rootPasswordLengthMin,
} from '../config.js'
import type { ServerConfig } from '../config.js'
import { openEmbeddedBackend } from '../embedded-backend.js'
import type { EmbeddedBackend } from '../embedded-backend.js'
import { ServerEndpointError, exitCodes } from '../errors.js'
import type { ExitCode } from '../errors.js'
import { readOperatorFile } from '../internal/read-text-file.js'
import { Logger } from '../logger.js'
import { SkyServer } from '../server.js'
import type { TlsMaterial } from '../server.js'
import type { CommandIo } from './io.js'

/** `skyd serve --help`. */
export function serveHelp(): string {
  const rows = configOptions.map((entry) => {
    const names = [entry.flag, entry.env].filter((name) => name !== null).join(', ')
    const fallback = entry.defaultValue === null ? '' : ` (default ${String(entry.defaultValue)})`
    return `  ${names}\n      ${entry.describe}${fallback}`
  })
  return [
    'Usage: skyd serve [options]     (also: skyd [options])',
    '',
    'Runs the skydb server: Skyhash 2 over TCP (and TLS), BlueQL, durable commits.',
    '',
    'Options (flag, environment variable; YAML keys in the README):',
    '  --config <file>',
    '      YAML configuration file (Skytable 0.8 layout plus skydb settings)',
    `  ${endpointNames.flag} <tcp|tls>@<host>:<port>, ${endpointNames.env} (comma-separated)`,
    '      endpoints; repeat for both (default tcp@127.0.0.1:2003)',
    ...rows,
    '',
    'Precedence: flags > environment > config file > defaults.',
    'The first start of a data directory needs a root password ' +
      `(${rootPasswordLengthMin}+ characters).`,
    '',
    'Example:',
    '  skyd serve --data-dir ./data --auth-root-password "$(openssl rand -base64 18)"',
    '',
  ].join('\n')
}

/** Runs `skyd serve` with `argv` (the flags after `serve`); resolves with the exit code. */
export async function runServe(argv: readonly string[], io: CommandIo): Promise<ExitCode> {
  const resolved = await resolveConfig({
    argv,
    env: io.env,
    cwd: io.cwd,
    readFile: async (file) => (await readOperatorFile(file)).toString('utf8'),
  })
  if (resolved.help) {
    io.stdout(serveHelp())
    return exitCodes.ok
  }
  const { config } = resolved
  const log = new Logger({ level: config.logLevel, sink: (line) => io.stdout(`${line}\n`) })
  log.info('configuration', {
    config: redactConfig(config),
    // Where each non-default value came from (file, env or flag).
    origins: Object.fromEntries(
      Object.entries(resolved.origins).filter(([, source]) => source !== 'default')),
    configFile: resolved.configFile,
  })
  for (const warning of resolved.warnings) log.warn(warning)
  const tls = config.tls === null ? undefined : await readTlsMaterial(config)
  const backend = await openBackend(config, log)
  let server: SkyServer
  try {
    server = await SkyServer.start({
      config,
      backend,
      log,
      disk: backend.fs,
      ...(tls === undefined ? {} : { tls }),
    })
  } catch (error) {
    await backend.close()
    throw error
  }
  log.info('ready', { ...server.addresses, dataDir: config.dataDir, pid: process.pid })
  return waitForSignal(server, io, log)
}

async function openBackend(config: ServerConfig, log: Logger): Promise<EmbeddedBackend> {
  log.info('opening the data directory', { dataDir: config.dataDir })
  const backend = await openEmbeddedBackend({ config, log })
  const report = backend.database.recoveryReport
  log.info('data directory open', {
    fresh: report.fresh,
    checkpoint: report.checkpoint?.name ?? null,
    replayedFrames: report.replay.frames,
    replayedTransactions: report.replay.transactions,
    tornTails: report.tornTails.length,
    twoPhaseResolved: report.twoPhase.length,
    durationMs: report.durationMs,
  })
  for (const tail of report.tornTails) {
    log.warn('a torn journal tail (never acknowledged) was moved to the quarantine', { ...tail })
  }
  for (const note of report.notes) log.info('recovery note', { note })
  return backend
}

async function readTlsMaterial(config: ServerConfig): Promise<TlsMaterial> {
  const endpoint = `tls@${config.tls?.host}:${config.tls?.port}`
  const read = async (file: string, what: string): Promise<Buffer> => {
    try {
      return await readOperatorFile(file)
    } catch (error) {
      throw new ServerEndpointError(`cannot read the ${what} ${file}: ${(error as Error).message}`,
        endpoint, { cause: error })
    }
  }
  const tls = config.tls
  if (tls === null) throw new ServerEndpointError('no tls endpoint', endpoint)
  const cert = await read(tls.cert, 'certificate')
  const key = await read(tls.key, 'private key')
  if (tls.passphraseFile === null) return { cert, key }
  const passphrase = (await read(tls.passphraseFile, 'passphrase file')).toString('utf8')
  return { cert, key, passphrase: passphrase.replace(/\r?\n$/, '') }
}

function waitForSignal(server: SkyServer, io: CommandIo, log: Logger): Promise<ExitCode> {
  return new Promise((resolve) => {
    let stopping = false
    const unsubscribe = io.onSignal((signal) => {
      if (stopping) {
        log.warn('second signal: exiting without finishing the shutdown', { signal })
        unsubscribe()
        resolve(exitCodes.interrupted)
        return
      }
      stopping = true
      log.info('signal received: graceful shutdown', { signal })
      server.shutdown().then(
        () => {
          unsubscribe()
          resolve(exitCodes.ok)
        },
        (error: unknown) => {
          log.error('shutdown failed', { error })
          unsubscribe()
          resolve(exitCodes.failed)
        },
      )
    })
  })
}
