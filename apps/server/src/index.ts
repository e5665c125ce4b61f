/**
 * @packageDocumentation
 * `@sky/server` is skyd, the skydb server: the whole engine (`@sky/embedded`) behind Skyhash 2
 * over TCP and TLS, with Skytable 0.8's configuration names, password authentication, one
 * session per connection, bounded connections, graceful shutdown, JSON logs and metrics, and
 * the maintenance commands (repair, verify, backup, restore) and a BlueQL shell. The `skyd`
 * binary is `bin/skyd.mjs`; this entry exposes the same pieces for tests and embedding.
 */

// cli.ts, commands/: the command line.
export { describeFailure, runCli, skydHelp, skydVersion } from './cli.js'
export { processIo } from './commands/io.js'
export type { CommandIo } from './commands/io.js'

// config.ts
export {
  configFileFlag,
  configOptions,
  defaultTcpPort,
  defaultTlsPort,
  endpointNames,
  redactConfig,
  resolveConfig,
  rootPasswordLengthMin,
} from './config.js'
export type {
  ConfigOption,
  ConfigSource,
  ResolveConfigInput,
  ResolvedConfig,
  ScalarConfig,
  ServerConfig,
  TcpEndpoint,
  TlsEndpoint,
} from './config.js'

// server.ts, connection.ts, backend.ts, backup-statement.ts, embedded-backend.ts
export { SkyServer } from './server.js'
export type { ServerAddresses, ServerOptions, TlsMaterial } from './server.js'
export type { CloseReason, ConnectionLimits } from './connection.js'
export type {
  BackendBackupResult,
  BackendSession,
  BackendTransactionState,
  EngineCounters,
  QueryBackend,
} from './backend.js'
export { backupAnswerCodes } from './backup-statement.js'
export type { BackupAnswer } from './backup-statement.js'
export { EmbeddedBackend, openEmbeddedBackend } from './embedded-backend.js'
export type { EmbeddedBackendOptions } from './embedded-backend.js'

// metrics.ts, metrics-report.ts, logger.ts
export { LatencyRing, MeteredFileSystem } from './metrics.js'
export type { AreaCounters, CheckpointSeen, DiskArea } from './metrics.js'
export { buildMetricsReport } from './metrics-report.js'
export type { LatencySummary, MetricsInputs, MetricsReport } from './metrics-report.js'
export { Logger, logLevels, silentLogger } from './logger.js'
export type { LogFields, LoggerOptions, LogLevel } from './logger.js'

// errors.ts
export { ServerConfigError, ServerEndpointError, ServerUsageError, exitCodes } from './errors.js'
export type { ExitCode } from './errors.js'

// shell/: inline literals and answer formatting.
export { LiteralError, extractLiterals } from './shell/literals.js'
export type { ExtractedStatement } from './shell/literals.js'
export {
  columnNames,
  formatQueryError,
  formatResult,
  formatTable,
  formatValue,
} from './shell/format.js'
