/**
 * checkHistory: from a recorded history to the anomalies it contains.
 *
 * Pipeline: validate and index the writes; decide which transactions the graph holds (committed
 * ones, and unknown-outcome ones whose writes were read); walk every read, reporting read
 * anomalies (G1a, G1b, garbage, internal, duplicates) and adding ww, wr, rw edges from what the
 * reads prove about each key's version order; add real-time edges if asked; find cycles. Pure: no
 * I/O, no clock, the input is not modified, and the same input gives the same output.
 */
import type { Anomaly, AnomalyType, CycleAnomaly, Edge } from './anomaly.js'
import type { History } from './history.js'
import { findCycles, type FoundCycle } from './internal/cycles.js'
import { DependencyGraph, edgeTypeNames } from './internal/graph.js'
import { indexHistory } from './internal/history-index.js'
import { includedTransactions } from './internal/inclusion.js'
import { inferListAppend } from './internal/list-append.js'
import { addRealtimeEdges } from './internal/realtime.js'
import { inferRegisters } from './internal/register.js'
import { Reporter } from './internal/reporter.js'

/** Options of {@link checkHistory}. */
export interface CheckOptions {
  /**
   * Adds real-time edges (a completed before b began) to check strict serializability; cycles
   * that need them are reported as the `-realtime` anomaly types. Default `false`.
   */
  readonly realtime?: boolean
  /**
   * For registers, assume a transaction that read version v of a key and then wrote the key
   * installed its version after v. True when the store orders versions by commit and reads only
   * committed data (skydb's MVCC does both). Default `true`; `false` infers less but assumes less.
   */
  readonly writesFollowReads?: boolean
  /**
   * Edge visits a G-single search may spend inside one huge component (see the README's limits)
   * before giving up and counting itself in `stats.truncatedSearches`. Default 10,000,000.
   */
  readonly searchEdgeVisitsMax?: number
}

/** Counts describing one check. */
export interface CheckStats {
  /** Transactions in the history. */
  readonly transactions: number
  readonly committed: number
  readonly aborted: number
  readonly unknown: number
  /** Transactions in the dependency graph: committed ones and observed unknown ones. */
  readonly included: number
  readonly keys: number
  /** Edges in the dependency graph. */
  readonly edges: number
  readonly edgesByType: Readonly<Record<Edge['type'], number>>
  /** Strongly connected components with more than one transaction. */
  readonly cyclicComponents: number
  /** Cycle searches that gave up (0 unless a component is very large); see the README. */
  readonly truncatedSearches: number
}

/** What {@link checkHistory} returns. */
export interface CheckResult {
  /** True when no anomaly was found. */
  readonly ok: boolean
  /**
   * Non-cycle anomalies first (list keys, then register keys), then cycles, one strongly
   * connected component after another. The order is deterministic for a given history.
   */
  readonly anomalies: readonly Anomaly[]
  /** How many anomalies of each type (types with none are absent). */
  readonly counts: Readonly<Partial<Record<AnomalyType, number>>>
  readonly stats: CheckStats
}

const defaultSearchEdgeVisitsMax = 10_000_000

function checkOptions(options: CheckOptions): Required<CheckOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object')
  }
  const { realtime = false, writesFollowReads = true } = options
  const { searchEdgeVisitsMax = defaultSearchEdgeVisitsMax } = options
  if (typeof realtime !== 'boolean') throw new TypeError('realtime must be a boolean')
  if (typeof writesFollowReads !== 'boolean') {
    throw new TypeError('writesFollowReads must be a boolean')
  }
  if (!Number.isSafeInteger(searchEdgeVisitsMax) || searchEdgeVisitsMax < 1) {
    throw new RangeError('searchEdgeVisitsMax must be a positive integer')
  }
  return { realtime, writesFollowReads, searchEdgeVisitsMax }
}

/**
 * Checks a history for the anomalies of Adya's isolation levels and reports each with the
 * transactions and edges involved.
 *
 * Guarantees: every reported anomaly is real under the model of the README (unique values per
 * key, registers start as nil, and `writesFollowReads` for registers unless turned off); cycle
 * searches are exhaustive per component unless `stats.truncatedSearches > 0`. Not guaranteed:
 * that every anomaly is found; register version orders are only partly observable.
 *
 * @throws TypeError when the history or options are malformed; RangeError when a value is written
 * twice to one key or a key is used both as a register and as a list.
 * @example
 * ```ts
 * const result = checkHistory(recorder.history(), { realtime: true })
 * if (!result.ok) throw new Error(result.anomalies.map(explain).join('\n'))
 * ```
 */
export function checkHistory(history: History, options: CheckOptions = {}): CheckResult {
  const settings = checkOptions(options)
  const index = indexHistory(history)
  const included = includedTransactions(index)
  const graph = new DependencyGraph(history.length)
  const reporter = new Reporter(history)
  const inference = { index, included, graph, reporter }
  inferListAppend(inference)
  inferRegisters(inference, settings.writesFollowReads)
  if (settings.realtime) addRealtimeEdges(history, included, graph)
  const search = findCycles(graph, settings)
  const anomalies: Anomaly[] = [...reporter.anomalies]
  for (const cycle of search.cycles) anomalies.push(cycleAnomaly(graph, reporter, cycle))
  const counts: Partial<Record<AnomalyType, number>> = {}
  for (const anomaly of anomalies) counts[anomaly.type] = (counts[anomaly.type] ?? 0) + 1
  const byType = graph.countByType()
  const edgesByType = Object.fromEntries(edgeTypeNames.map((name, type) =>
    [name, byType[type] ?? 0])) as Record<Edge['type'], number>
  const count = (status: string): number => history.filter((t) => t.status === status).length
  return {
    ok: anomalies.length === 0,
    anomalies,
    counts,
    stats: {
      transactions: history.length,
      committed: count('committed'),
      aborted: count('aborted'),
      unknown: count('unknown'),
      included: included.reduce((sum, flag) => sum + flag, 0),
      keys: index.keys.size,
      edges: graph.edgeCount,
      edgesByType,
      cyclicComponents: search.cyclicComponents,
      truncatedSearches: search.truncatedSearches,
    },
  }
}

/** The public form of a found cycle: history ids, rotated to start at the smallest id. */
function cycleAnomaly(graph: DependencyGraph, reporter: Reporter, cycle: FoundCycle): CycleAnomaly {
  const edges: Edge[] = cycle.edges.map((edge) => ({
    from: reporter.id(graph.edgeFrom[edge] ?? -1),
    to: reporter.id(graph.edgeTo[edge] ?? -1),
    type: edgeTypeNames[graph.edgeType[edge] ?? 0] ?? 'ww',
    key: graph.edgeKey[edge] ?? null,
  }))
  let start = 0
  edges.forEach((edge, position) => {
    if (edge.from < (edges[start]?.from ?? Infinity)) start = position
  })
  const rotated = [...edges.slice(start), ...edges.slice(0, start)]
  return { type: cycle.type, transactions: rotated.map((edge) => edge.from), edges: rotated }
}
