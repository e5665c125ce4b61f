/**
 * skyd's configuration: one table of options ({@link configOptions}) naming each option's YAML
 * path, flag and environment variable, with Skytable 0.8's names and meaning where they overlap;
 * and {@link resolveConfig}, which layers defaults < YAML file < environment < flags into one
 * validated {@link ServerConfig} and records where each value came from.
 *
 * Invariants of a resolved config: at least one endpoint; a TLS endpoint has a certificate and a
 * key; a root password, when set, has at least 16 characters (Skytable's minimum); every limit is
 * a positive safe integer (timeouts may be 0 = off where documented); `queryBytesMax <=
 * frameBytesMax`; paths are absolute. The root password never appears in {@link redactConfig}.
 */
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ServerConfigError } from './errors.js'
import { parseFlags } from './internal/flags.js'
import type { FlagSpec } from './internal/flags.js'
import { logLevels } from './logger.js'
import type { LogLevel } from './logger.js'

/** Where a value came from, lowest precedence first. */
export type ConfigSource = 'default' | 'file' | 'env' | 'flag'

/** Skytable's minimum root password length (`ROOT_PASSWORD_MIN_LEN`). */
export const rootPasswordLengthMin = 16

/** Skytable's ports: Skyhash over TCP, and over TLS. */
export const defaultTcpPort = 2003
/** Skytable's TLS port. */
export const defaultTlsPort = 2004

/** The options with one value each (everything but the endpoints). */
export interface ScalarConfig {
  /** `dev` or `prod`; `prod` refuses `durability: none`. */
  readonly mode: 'dev' | 'prod'
  /** The data directory (absolute). */
  readonly dataDir: string
  /** Skytable's auth plugin: only `pwd` exists. */
  readonly authPlugin: 'pwd'
  /** The root password to set on first start; null when not given. */
  readonly rootPassword: string | null
  /** How long a verified password is remembered (0: verify every handshake). */
  readonly authCacheTtlMs: number
  /** TLS certificate (PEM file path). */
  readonly tlsCert: string | null
  /** TLS private key (PEM file path). */
  readonly tlsKey: string | null
  /** A file holding the private key's passphrase (Skytable: `pkey_passphrase`). */
  readonly tlsPassphraseFile: string | null
  /** Journal durability: `sync` (acknowledged = on disk), `batch`, or `none` (tests only). */
  readonly durability: 'sync' | 'batch' | 'none'
  /** With `batch`: the most a commit waits for its batch, in ms. */
  readonly batchDelayMs: number
  readonly logLevel: LogLevel
  /** Checkpoint at most this long after the first write since the last one (0: never by time). */
  readonly checkpointIntervalMs: number
  /** Checkpoint after this many journal bytes. */
  readonly checkpointJournalBytes: number
  /** Log the counters of `sysctl report metrics` this often (0: never). */
  readonly metricsLogIntervalMs: number
  /** Connections open at once; more are closed at accept. */
  readonly connectionsMax: number
  /** Largest query packet (Skyhash `S` frame) in bytes: error 6 and close beyond it. */
  readonly frameBytesMax: number
  /** Largest query text in bytes: error 6 and close beyond it. */
  readonly queryBytesMax: number
  /** Disconnect a client that sends nothing (or reads nothing) this long; 0: never. */
  readonly idleTimeoutMs: number
  /** The hello (and TLS handshake) must complete within this time. */
  readonly handshakeTimeoutMs: number
  /** Received queries waiting to run on one connection, in bytes, before reading pauses. */
  readonly connectionInputBytesMax: number
  /** Unsent response bytes on one connection before execution pauses. */
  readonly connectionOutputBytesMax: number
  /** Graceful shutdown waits this long for in-flight queries before closing connections. */
  readonly shutdownTimeoutMs: number
  /** Skytable's reliability service window (`rs_window`): accepted and ignored. */
  readonly serviceWindowS: number | null
}

/** A TCP endpoint. */
export interface TcpEndpoint {
  readonly host: string
  readonly port: number
}

/** A TLS endpoint, with its key material's paths. */
export interface TlsEndpoint extends TcpEndpoint {
  readonly cert: string
  readonly key: string
  readonly passphraseFile: string | null
}

/** The resolved configuration of `skyd serve`. */
export interface ServerConfig extends ScalarConfig {
  readonly tcp: TcpEndpoint | null
  readonly tls: TlsEndpoint | null
}

/** One row of the options table. */
export interface ConfigOption {
  readonly key: keyof ScalarConfig
  /** Dotted path in the YAML file, or null. */
  readonly yaml: string | null
  readonly flag: string | null
  readonly env: string | null
  readonly describe: string
  /** True where the name and meaning are Skytable 0.8's. */
  readonly skytable: boolean
  readonly parse: (raw: unknown) => unknown
  readonly defaultValue: unknown
}

// --- value parsers ------------------------------------------------------------------------------

function text(raw: unknown): string {
  if (typeof raw === 'string') return raw
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw)
  throw new TypeError('expected a string')
}

function oneOf<T extends string>(values: readonly T[]): (raw: unknown) => T {
  return (raw) => {
    const value = text(raw)
    if (!(values as readonly string[]).includes(value)) {
      throw new TypeError(`expected one of ${values.join(', ')}, got ${JSON.stringify(value)}`)
    }
    return value as T
  }
}

function integer(min: number): (raw: unknown) => number {
  return (raw) => {
    const value = typeof raw === 'number' ? raw : /^\d+$/.test(text(raw)) ? Number(raw) : NaN
    if (!Number.isSafeInteger(value) || value < min) {
      throw new TypeError(`expected an integer >= ${min}, got ${JSON.stringify(raw)}`)
    }
    return value
  }
}

const MiB = 1024 * 1024

function option(
  key: keyof ScalarConfig,
  names: { yaml: string | null; flag: string | null; env: string | null },
  parse: (raw: unknown) => unknown,
  defaultValue: unknown,
  describe: string,
  skytable = false,
): ConfigOption {
  return { key, ...names, parse, defaultValue, describe, skytable }
}

/**
 * Every option of `skyd serve` but the endpoints (see {@link endpointNames}). The README's
 * configuration table is this table.
 */
export const configOptions: readonly ConfigOption[] = [
  option('mode', { yaml: 'system.mode', flag: '--mode', env: 'SKYDB_RUN_MODE' },
    oneOf(['dev', 'prod'] as const), 'dev', 'dev or prod; prod refuses durability none', true),
  option('serviceWindowS',
    { yaml: 'system.rs_window', flag: '--service-window', env: 'SKYDB_SERVICE_WINDOW' },
    integer(1), null, "Skytable's flush window: accepted and ignored (every commit is durable)",
    true),
  option('authPlugin', { yaml: 'auth.plugin', flag: '--auth-plugin', env: 'SKYDB_AUTH_PLUGIN' },
    oneOf(['pwd'] as const), 'pwd', 'authentication plugin: pwd (passwords)', true),
  option('rootPassword',
    { yaml: 'auth.root_pass', flag: '--auth-root-password', env: 'SKYDB_AUTH_ROOT_PASSWORD' },
    text, null, `root password, set on first start (at least ${rootPasswordLengthMin} characters)`,
    true),
  option('authCacheTtlMs',
    { yaml: 'auth.cache_ttl_ms', flag: '--auth-cache-ttl-ms', env: 'SKYDB_AUTH_CACHE_TTL_MS' },
    integer(0), 300_000,
    'remember a verified password this long (0: scrypt on every handshake; ' +
      'wrong ones never cached)'),
  option('tlsCert', { yaml: 'endpoints.secure.cert', flag: '--tlscert', env: 'SKYDB_TLS_CERT' },
    text, null, 'TLS certificate chain (PEM file)', true),
  option('tlsKey',
    { yaml: 'endpoints.secure.private_key', flag: '--tlskey', env: 'SKYDB_TLS_KEY' },
    text, null, 'TLS private key (PEM file)', true),
  option('tlsPassphraseFile',
    { yaml: 'endpoints.secure.pkey_passphrase', flag: '--tls-passphrase',
      env: 'SKYDB_TLS_PASSPHRASE' },
    text, null, 'file holding the private key passphrase', true),
  option('dataDir', { yaml: 'system.data_dir', flag: '--data-dir', env: 'SKYDB_DATA_DIR' },
    text, './skydb-data', 'data directory (created if missing)'),
  option('durability',
    { yaml: 'system.durability', flag: '--durability', env: 'SKYDB_DURABILITY' },
    oneOf(['sync', 'batch', 'none'] as const), 'sync',
    'sync: acknowledged = fdatasync done; batch: wait up to batch_delay_ms; none: tests only'),
  option('batchDelayMs',
    { yaml: 'system.batch_delay_ms', flag: '--batch-delay-ms', env: 'SKYDB_BATCH_DELAY_MS' },
    integer(1), 2, 'with durability batch: longest wait for a batch (ms)'),
  option('logLevel', { yaml: 'system.log_level', flag: '--log-level', env: 'SKYDB_LOG_LEVEL' },
    oneOf(logLevels), 'info', 'debug, info, warn or error'),
  option('checkpointIntervalMs',
    { yaml: 'system.checkpoint_interval_ms', flag: '--checkpoint-interval-ms',
      env: 'SKYDB_CHECKPOINT_INTERVAL_MS' },
    integer(0), 300_000, 'checkpoint this long after the first write since the last (0: never)'),
  option('checkpointJournalBytes',
    { yaml: 'system.checkpoint_journal_bytes', flag: '--checkpoint-journal-bytes',
      env: 'SKYDB_CHECKPOINT_JOURNAL_BYTES' },
    integer(1), 64 * MiB, 'checkpoint after this many journal bytes'),
  option('metricsLogIntervalMs',
    { yaml: 'system.metrics_log_interval_ms', flag: '--metrics-log-interval-ms',
      env: 'SKYDB_METRICS_LOG_INTERVAL_MS' },
    integer(0), 60_000, 'log the counters this often (0: never)'),
  option('connectionsMax',
    { yaml: 'limits.max_connections', flag: '--max-connections', env: 'SKYDB_MAX_CONNECTIONS' },
    integer(1), 1024, 'connections open at once; more are closed at accept'),
  option('frameBytesMax',
    { yaml: 'limits.max_frame_bytes', flag: '--max-frame-bytes', env: 'SKYDB_MAX_FRAME_BYTES' },
    integer(16), 16 * MiB, 'largest query packet; error 6 and close beyond'),
  option('queryBytesMax',
    { yaml: 'limits.max_query_bytes', flag: '--max-query-bytes', env: 'SKYDB_MAX_QUERY_BYTES' },
    integer(1), MiB, 'largest query text; error 6 and close beyond'),
  option('idleTimeoutMs',
    { yaml: 'limits.idle_timeout_ms', flag: '--idle-timeout-ms', env: 'SKYDB_IDLE_TIMEOUT_MS' },
    integer(0), 600_000, 'close a connection idle (or not reading) this long; 0: never'),
  option('handshakeTimeoutMs',
    { yaml: 'limits.handshake_timeout_ms', flag: '--handshake-timeout-ms',
      env: 'SKYDB_HANDSHAKE_TIMEOUT_MS' },
    integer(1), 10_000, 'TLS handshake and hello must complete within this time'),
  option('connectionInputBytesMax',
    { yaml: 'limits.max_connection_input_bytes', flag: '--max-connection-input-bytes',
      env: 'SKYDB_MAX_CONNECTION_INPUT_BYTES' },
    integer(1), 4 * MiB, 'queued (pipelined) query bytes per connection before reading pauses'),
  option('connectionOutputBytesMax',
    { yaml: 'limits.max_connection_output_bytes', flag: '--max-connection-output-bytes',
      env: 'SKYDB_MAX_CONNECTION_OUTPUT_BYTES' },
    integer(1), 4 * MiB, 'unsent response bytes per connection before execution pauses'),
  option('shutdownTimeoutMs',
    { yaml: 'limits.shutdown_timeout_ms', flag: '--shutdown-timeout-ms',
      env: 'SKYDB_SHUTDOWN_TIMEOUT_MS' },
    integer(0), 30_000, 'graceful shutdown: longest wait for in-flight queries'),
]

/** Names of the endpoint settings (Skytable's). */
export const endpointNames = Object.freeze({
  flag: '--endpoint',
  env: 'SKYDB_ENDPOINTS',
  yamlTcp: 'endpoints.insecure',
  yamlTls: 'endpoints.secure',
})

/** The flag naming the YAML file. */
export const configFileFlag = '--config'

/** The flags of `skyd serve`. */
export const serveFlagSpecs: readonly FlagSpec[] = [
  { name: configFileFlag, takesValue: true },
  { name: endpointNames.flag, takesValue: true, repeatable: true },
  { name: '--help', takesValue: false, aliases: ['-h'] },
  ...configOptions.flatMap((entry) =>
    entry.flag === null ? [] : [{ name: entry.flag, takesValue: true }],
  ),
]

// --- resolving ----------------------------------------------------------------------------------

/** What {@link resolveConfig} reads. */
export interface ResolveConfigInput {
  /** The flags after `serve`. */
  readonly argv: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
  /** Relative paths are resolved against this directory. */
  readonly cwd: string
  /** Reads the YAML file named by `--config`. */
  readonly readFile: (path: string) => Promise<string>
}

/** A resolved configuration and how it was reached. */
export interface ResolvedConfig {
  readonly config: ServerConfig
  /** For each `ScalarConfig` key, and `endpoints`: where the value came from. */
  readonly origins: Readonly<Record<string, ConfigSource>>
  /** Settings accepted but without effect, to log at start-up. */
  readonly warnings: readonly string[]
  /** The YAML file read, or null. */
  readonly configFile: string | null
  /** True when `--help` was given (nothing else is meaningful then). */
  readonly help: boolean
}

interface Layer {
  readonly source: Exclude<ConfigSource, 'default'>
  readonly values: Map<string, unknown>
  endpoints: ParsedEndpoint[] | null
}

interface ParsedEndpoint {
  readonly protocol: 'tcp' | 'tls'
  readonly host: string
  readonly port: number
}

/**
 * Layers defaults < YAML file (`--config`) < environment < flags, and validates the result.
 * Endpoints are taken whole from the highest layer that names any (as in Skytable, naming only a
 * TLS endpoint means no TCP one).
 *
 * @throws ServerConfigError naming the source and the setting for any invalid or unknown setting,
 *   an unreadable or malformed YAML file, a short root password, a TLS endpoint without key or
 *   certificate, or `durability: none` in prod mode. ServerUsageError for malformed flags.
 * @example
 * ```ts
 * const { config } = await resolveConfig({ argv: ['--data-dir', '/tmp/db'], env: process.env,
 *   cwd: process.cwd(), readFile: (file) => fs.readFile(file, 'utf8') })
 * ```
 */
export async function resolveConfig(input: ResolveConfigInput): Promise<ResolvedConfig> {
  const flags = parseFlags(input.argv, serveFlagSpecs)
  if (flags.positionals.length > 0) {
    throw new ServerConfigError(`unexpected argument ${flags.positionals[0]}`, 'flag')
  }
  const help = flags.values.has('--help')
  const configFile = flags.values.get(configFileFlag)?.[0] ?? null
  const layers: Layer[] = []
  if (configFile !== null) {
    const file = path.resolve(input.cwd, configFile)
    layers.push(yamlLayer(await readConfigFile(input, file)))
  }
  layers.push(envLayer(input.env))
  layers.push(flagLayer(flags.values))
  return { ...combine(layers, input.cwd), configFile, help }
}

async function readConfigFile(input: ResolveConfigInput, file: string): Promise<unknown> {
  let source: string
  try {
    source = await input.readFile(file)
  } catch (error) {
    throw new ServerConfigError(`cannot read ${file}: ${(error as Error).message}`, 'file', {
      cause: error,
    })
  }
  try {
    return parseYaml(source) ?? {}
  } catch (error) {
    throw new ServerConfigError(`${file} is not valid YAML: ${(error as Error).message}`, 'file', {
      cause: error,
    })
  }
}

const yamlEndpointKeys = new Set([
  'endpoints.insecure.host', 'endpoints.insecure.port',
  'endpoints.secure.host', 'endpoints.secure.port',
])

function yamlLayer(document: unknown): Layer {
  const leaves = new Map<string, unknown>()
  flatten(document, '', leaves)
  const byPath = new Map(configOptions.flatMap((entry) =>
    entry.yaml === null ? [] : [[entry.yaml, entry] as const]))
  const values = new Map<string, unknown>()
  for (const [key, value] of leaves) {
    const entry = byPath.get(key)
    if (entry === undefined && !yamlEndpointKeys.has(key)) {
      throw new ServerConfigError(`unknown setting ${key}`, 'file')
    }
    if (entry === undefined || value === null) continue
    values.set(entry.key, parseValue(entry, value, key, 'file'))
  }
  const endpoints: ParsedEndpoint[] = []
  for (const [protocol, name] of [['tcp', 'insecure'], ['tls', 'secure']] as const) {
    const host = leaves.get(`endpoints.${name}.host`)
    const port = leaves.get(`endpoints.${name}.port`)
    const hasBlock = [...leaves.keys()].some((key) => key.startsWith(`endpoints.${name}.`))
    if (!hasBlock) continue
    const where = `endpoints.${name}`
    endpoints.push({
      protocol,
      host: host === undefined || host === null
        ? '127.0.0.1'
        : checkHost(text(host), where, 'file'),
      port: port === undefined || port === null
        ? (protocol === 'tcp' ? defaultTcpPort : defaultTlsPort)
        : parsePort(port, `${where}.port`, 'file'),
    })
  }
  return { source: 'file', values, endpoints: endpoints.length === 0 ? null : endpoints }
}

function flatten(node: unknown, prefix: string, into: Map<string, unknown>): void {
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    const entries = Object.entries(node as Record<string, unknown>)
    if (prefix !== '' && entries.length === 0) into.set(`${prefix}.{}`, null)
    for (const [key, value] of entries) {
      flatten(value, prefix === '' ? key : `${prefix}.${key}`, into)
    }
    return
  }
  if (prefix === '') {
    throw new ServerConfigError('the file must hold a mapping (key: value)', 'file')
  }
  if (Array.isArray(node)) throw new ServerConfigError(`${prefix} must not be a list`, 'file')
  into.set(prefix, node)
}

function envLayer(env: Readonly<Record<string, string | undefined>>): Layer {
  const values = new Map<string, unknown>()
  for (const entry of configOptions) {
    if (entry.env === null) continue
    const raw = env[entry.env]
    if (raw === undefined || raw === '') continue
    values.set(entry.key, parseValue(entry, raw, entry.env, 'env'))
  }
  const list = env[endpointNames.env]
  const endpoints = list === undefined || list === ''
    ? null
    : parseEndpoints(list.split(','), endpointNames.env, 'env')
  return { source: 'env', values, endpoints }
}

function flagLayer(flags: ReadonlyMap<string, readonly string[]>): Layer {
  const values = new Map<string, unknown>()
  for (const entry of configOptions) {
    if (entry.flag === null) continue
    const raw = flags.get(entry.flag)?.[0]
    if (raw !== undefined) values.set(entry.key, parseValue(entry, raw, entry.flag, 'flag'))
  }
  const list = flags.get(endpointNames.flag)
  const endpoints = list === undefined ? null : parseEndpoints(list, endpointNames.flag, 'flag')
  return { source: 'flag', values, endpoints }
}

function parseValue(
  entry: ConfigOption,
  raw: unknown,
  name: string,
  source: ConfigSource,
): unknown {
  try {
    return entry.parse(raw)
  } catch (error) {
    throw new ServerConfigError(`${name}: ${(error as Error).message}`, source)
  }
}

function parsePort(raw: unknown, name: string, source: ConfigSource): number {
  const port = typeof raw === 'number' ? raw : /^\d{1,5}$/.test(text(raw)) ? Number(raw) : NaN
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ServerConfigError(`${name}: port must be 0-65535, got ${JSON.stringify(raw)}`, source)
  }
  return port
}

function checkHost(host: string, name: string, source: ConfigSource): string {
  if (host === '' || /\s/.test(host)) {
    throw new ServerConfigError(`${name}: invalid host ${JSON.stringify(host)}`, source)
  }
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}

/** Parses Skytable's `protocol@host:port` endpoints (at most one TCP and one TLS). */
function parseEndpoints(
  list: readonly string[],
  name: string,
  source: ConfigSource,
): ParsedEndpoint[] {
  const endpoints: ParsedEndpoint[] = []
  for (const raw of list) {
    const item = raw.trim()
    const match = /^(tcp|tls)@(.+):([^:\]]+)$/.exec(item)
    if (match === null) {
      throw new ServerConfigError(
        `${name}: invalid endpoint ${JSON.stringify(item)}; the syntax is protocol@host:port ` +
          '(tcp@127.0.0.1:2003, tls@0.0.0.0:2004)', source)
    }
    const protocol = match[1] as 'tcp' | 'tls'
    if (endpoints.some((endpoint) => endpoint.protocol === protocol)) {
      throw new ServerConfigError(`${name}: more than one ${protocol} endpoint`, source)
    }
    endpoints.push({
      protocol,
      host: checkHost(match[2] as string, name, source),
      port: parsePort(match[3], name, source),
    })
  }
  return endpoints
}

function combine(
  layers: readonly Layer[],
  cwd: string,
): Omit<ResolvedConfig, 'configFile' | 'help'> {
  const origins: Record<string, ConfigSource> = {}
  const scalar: Record<string, unknown> = {}
  for (const entry of configOptions) {
    scalar[entry.key] = entry.defaultValue
    origins[entry.key] = 'default'
    for (const layer of layers) {
      if (!layer.values.has(entry.key)) continue
      scalar[entry.key] = layer.values.get(entry.key)
      origins[entry.key] = layer.source
    }
  }
  let endpoints: ParsedEndpoint[] = [{ protocol: 'tcp', host: '127.0.0.1', port: defaultTcpPort }]
  origins.endpoints = 'default'
  for (const layer of layers) {
    if (layer.endpoints === null) continue
    endpoints = layer.endpoints
    origins.endpoints = layer.source
  }
  // A lowered frame limit lowers the default query limit with it (a query fits in a frame).
  if (origins.queryBytesMax === 'default') {
    scalar.queryBytesMax = Math.min(scalar.queryBytesMax as number, scalar.frameBytesMax as number)
  }
  const values = scalar as unknown as ScalarConfig
  const absolute = (file: string | null): string | null =>
    (file === null ? null : path.resolve(cwd, file))
  const resolved: ScalarConfig = {
    ...values,
    dataDir: path.resolve(cwd, values.dataDir),
    tlsCert: absolute(values.tlsCert),
    tlsKey: absolute(values.tlsKey),
    tlsPassphraseFile: absolute(values.tlsPassphraseFile),
  }
  const warnings = validate(resolved, origins, endpoints)
  const tcp = endpoints.find((endpoint) => endpoint.protocol === 'tcp')
  const tls = endpoints.find((endpoint) => endpoint.protocol === 'tls')
  const config: ServerConfig = {
    ...resolved,
    tcp: tcp === undefined ? null : { host: tcp.host, port: tcp.port },
    tls: tls === undefined
      ? null
      : {
          host: tls.host,
          port: tls.port,
          cert: resolved.tlsCert as string,
          key: resolved.tlsKey as string,
          passphraseFile: resolved.tlsPassphraseFile,
        },
  }
  return { config, origins, warnings }
}

function validate(
  config: ScalarConfig,
  origins: Readonly<Record<string, ConfigSource>>,
  endpoints: readonly ParsedEndpoint[],
): string[] {
  const source = (key: string): ConfigSource => origins[key] ?? 'default'
  const warnings: string[] = []
  const password = config.rootPassword
  if (password !== null && [...password].length < rootPasswordLengthMin) {
    throw new ServerConfigError(
      `the root password must have at least ${rootPasswordLengthMin} characters ` +
        `(as in Skytable), got ${[...password].length}`, source('rootPassword'))
  }
  if (endpoints.length === 0) {
    throw new ServerConfigError('no endpoint configured', source('endpoints'))
  }
  const hasTls = endpoints.some((endpoint) => endpoint.protocol === 'tls')
  if (hasTls && (config.tlsCert === null || config.tlsKey === null)) {
    throw new ServerConfigError(
      'a tls endpoint needs a certificate and a private key: --tlscert and --tlskey ' +
        '(SKYDB_TLS_CERT, SKYDB_TLS_KEY; endpoints.secure.cert, endpoints.secure.private_key)',
      source('endpoints'))
  }
  if (!hasTls && (config.tlsCert !== null || config.tlsKey !== null)) {
    warnings.push('a TLS certificate or key is configured but no tls endpoint: TLS is off')
  }
  if (config.mode === 'prod' && config.durability === 'none') {
    throw new ServerConfigError(
      'durability none can lose acknowledged writes and is refused in prod mode',
      source('durability'))
  }
  if (config.queryBytesMax > config.frameBytesMax) {
    throw new ServerConfigError(
      `max query bytes (${config.queryBytesMax}) exceeds max frame bytes (${config.frameBytesMax})`,
      source('queryBytesMax'))
  }
  if (config.serviceWindowS !== null) {
    warnings.push('the service window (rs_window) is ignored: every commit is on disk before ' +
      'its acknowledgement')
  }
  return warnings
}

/**
 * The configuration as printed at start-up and by `--help`: the root password replaced by
 * `"(redacted)"` (or null when not set). Safe to log.
 */
export function redactConfig(config: ServerConfig): Record<string, unknown> {
  return { ...config, rootPassword: config.rootPassword === null ? null : '(redacted)' }
}
