/**
 * The metrics report: what `sysctl report metrics` answers (as JSON text) and what skyd logs
 * every `metricsLogIntervalMs`. It combines the server's counters, the engine's (where the
 * backend exposes them) and the disk meter's.
 *
 * Where a figure comes from is part of the report (`sources`), so nobody mistakes a server-side
 * count for the engine's.
 */
import type { EngineCounters } from './backend.js'
import type { ServerCounters } from './internal/counters.js'
import type { MeteredFileSystem } from './metrics.js'

/** Percentiles of a latency, in ms. */
export interface LatencySummary {
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly max: number
  readonly samples: number
}

/** What `sysctl report metrics` returns, as JSON. */
export interface MetricsReport {
  readonly uptimeS: number
  readonly healthy: boolean
  readonly connections: {
    readonly open: number
    readonly accepted: number
    readonly refused: number
    readonly authFailures: number
    readonly handshakeFailures: number
    readonly idleTimeouts: number
    readonly protocolErrors: number
  }
  readonly queries: { readonly total: number; readonly errors: number }
  readonly transactions: { readonly commits: number; readonly aborts: number }
  readonly journal: {
    readonly fsyncs: number
    readonly bytes: number
    /** Mean commits per data-journal fdatasync (group commit's batch size). */
    readonly groupSize: number | null
    readonly fsyncLatencyMs: LatencySummary | null
  } | null
  readonly catalog: { readonly fsyncs: number; readonly bytes: number } | null
  readonly checkpoints: {
    /** Checkpoints published since skyd started. */
    readonly count: number | null
    readonly fsyncs: number | null
    readonly bytes: number | null
    readonly last: {
      readonly name: string
      readonly lsn: bigint | null
      readonly bytes: number
      readonly at: string
    } | null
    readonly journalBytesSince: number | null
  }
  readonly network: { readonly bytesIn: number; readonly bytesOut: number }
  /** The server process's memory (`process.memoryUsage()`), in bytes. */
  readonly memory: { readonly rssBytes: number; readonly heapUsedBytes: number }
  /** Where each group of figures comes from. */
  readonly sources: Readonly<Record<string, string>>
}

/** Inputs of {@link buildMetricsReport}. */
export interface MetricsInputs {
  readonly counters: ServerCounters
  readonly engine: EngineCounters
  readonly disk: MeteredFileSystem | null
}

/** Assembles the report from the three sources. */
export function buildMetricsReport(inputs: MetricsInputs): MetricsReport {
  const { counters, engine, disk } = inputs
  const fromEngine = engine.commits !== undefined && engine.aborts !== undefined
  const commits = fromEngine ? (engine.commits as number) : counters.commits
  const aborts = fromEngine ? (engine.aborts as number) : counters.aborts
  const journal = disk === null
    ? null
    : {
        fsyncs: disk.areas.journal.syncs,
        bytes: disk.areas.journal.bytesWritten,
        groupSize: disk.areas.journal.syncs === 0
          ? null
          : Math.round((commits / disk.areas.journal.syncs) * 100) / 100,
        fsyncLatencyMs: disk.journalSyncMs.percentiles(),
      }
  return {
    uptimeS: Math.round((Date.now() - counters.startedAt) / 1000),
    healthy: engine.healthy,
    connections: {
      open: counters.connectionsOpen,
      accepted: counters.connectionsAccepted,
      refused: counters.connectionsRefused,
      authFailures: counters.authFailures,
      handshakeFailures: counters.handshakeFailures,
      idleTimeouts: counters.idleTimeouts,
      protocolErrors: counters.protocolErrors,
    },
    queries: { total: counters.queries, errors: counters.queryErrors },
    transactions: { commits, aborts },
    journal,
    catalog: disk === null
      ? null
      : { fsyncs: disk.areas.catalog.syncs, bytes: disk.areas.catalog.bytesWritten },
    checkpoints: {
      count: engine.checkpoints ?? disk?.checkpointsSeen ?? null,
      fsyncs: disk?.areas.checkpoint.syncs ?? null,
      bytes: disk?.areas.checkpoint.bytesWritten ?? null,
      last: lastCheckpoint(engine, disk),
      journalBytesSince: engine.journalBytesSinceCheckpoint ?? null,
    },
    network: { bytesIn: counters.bytesIn, bytesOut: counters.bytesOut },
    memory: { rssBytes: process.memoryUsage.rss(), heapUsedBytes: process.memoryUsage().heapUsed },
    sources: {
      transactions: fromEngine
        ? 'engine: commits = write transactions made durable (a write outside a transaction is ' +
          'one); aborts = transactions refused at commit (serialization failures, error 200)'
        : 'server: commits = successful commit, and insert/update/delete outside a transaction; ' +
          'aborts = rollback, failed commit, connection closed in a transaction',
      journal: 'disk meter under the engine (data journal files)',
      checkpoints: engine.checkpoints === undefined
        ? 'disk meter (checkpoint files renamed into place since start); the engine does not ' +
          'expose its checkpoint counters to the server, so journalBytesSince is null'
        : 'engine and disk meter',
    },
  }
}

function lastCheckpoint(
  engine: EngineCounters,
  disk: MeteredFileSystem | null,
): MetricsReport['checkpoints']['last'] {
  const fromEngine = engine.lastCheckpoint
  const seen = disk?.lastCheckpoint ?? null
  if (fromEngine !== undefined) {
    const { name, lsn, bytes } = fromEngine
    // The engine does not timestamp checkpoints; the disk meter saw the rename into place.
    const at = fromEngine.at ?? (seen?.name === name ? new Date(seen.at).toISOString() : '')
    return { name, lsn, bytes, at }
  }
  if (seen === null) return null
  return { name: seen.name, lsn: seen.lsn, bytes: seen.bytes, at: new Date(seen.at).toISOString() }
}
