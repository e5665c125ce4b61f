/**
 * Anomalies the checker reports, and `explain`, which prints one as a line of text.
 *
 * Every anomaly names the transactions involved (`transactions`, by history id) and, for a cycle,
 * the dependency edges that form it (`edges`, in cycle order: each edge's `to` is the next one's
 * `from`, and the last edge returns to the first transaction). Non-cycle anomalies have no edges.
 */
import type { Value } from './history.js'
import { formatValue } from './internal/values.js'

/**
 * A dependency between two committed transactions, after Adya:
 * - `ww` (write dependency): `to` installed the version of `key` right after one `from` installed;
 * - `wr` (read dependency): `to` read a version of `key` that `from` installed;
 * - `rw` (anti-dependency): `from` read a version of `key` and `to` installed a later one;
 * - `rt` (real-time order): `from` completed before `to` began (only with `realtime: true`).
 */
export type EdgeType = 'ww' | 'wr' | 'rw' | 'rt'

/** One edge of the dependency graph; `key` is `null` for `rt` edges. */
export interface Edge {
  readonly from: number
  readonly to: number
  readonly type: EdgeType
  readonly key: string | null
}

/**
 * Cycle anomalies, named by the edges of the cycle (Adya's phenomena):
 * - `G0`: only `ww` edges (dirty write);
 * - `G1c`: `ww` and `wr` edges, at least one `wr` (circular information flow);
 * - `G-single`: exactly one `rw` edge (read skew, lost update);
 * - `G2`: two or more `rw` edges (write skew);
 * - the `-realtime` variants: the same, through at least one `rt` edge, so the history breaks
 *   strict serializability but its cycle needs the real-time order to close.
 */
export type CycleAnomalyType =
  | 'G0'
  | 'G1c'
  | 'G-single'
  | 'G2'
  | 'G0-realtime'
  | 'G1c-realtime'
  | 'G-single-realtime'
  | 'G2-realtime'

/** A dependency cycle among committed transactions. */
export interface CycleAnomaly {
  readonly type: CycleAnomalyType
  /** The transactions of the cycle in order, starting at the smallest id. */
  readonly transactions: readonly number[]
  readonly edges: readonly Edge[]
}

/**
 * A read that no serializable execution can explain on its own:
 * - `G1a` (aborted read): it saw a value written by a transaction that aborted;
 * - `G1b` (intermediate read): it saw a value its writer later overwrote (register) or appended
 *   after (list) in the same transaction;
 * - `garbage-read`: it saw a value that no transaction in the history wrote (`writer: null`).
 */
export interface ReadAnomaly {
  readonly type: 'G1a' | 'G1b' | 'garbage-read'
  /** `[writer, reader]`, or `[reader]` for a garbage read. */
  readonly transactions: readonly number[]
  readonly edges: readonly Edge[]
  readonly key: string
  readonly value: Value
  readonly reader: number
  readonly writer: number | null
}

/** Two reads of a list that cannot both be prefixes of one version order of that list. */
export interface IncompatibleOrderAnomaly {
  readonly type: 'incompatible-order'
  /** `[reader of list, reader of other]`; equal when one transaction read both. */
  readonly transactions: readonly number[]
  readonly edges: readonly Edge[]
  readonly key: string
  readonly list: readonly Value[]
  /** The longest list read of the key, which `list` is not a prefix of. */
  readonly other: readonly Value[]
}

/** A list read that holds the same element more than once. */
export interface DuplicateElementAnomaly {
  readonly type: 'duplicate-element'
  readonly transactions: readonly number[]
  readonly edges: readonly Edge[]
  readonly key: string
  readonly element: Value
  readonly list: readonly Value[]
}

/**
 * A transaction contradicting itself: after writing a key it read something other than its own
 * writes (`own-write-not-visible`), or it read a value it only wrote later (`future-read`).
 */
export interface InternalAnomaly {
  readonly type: 'internal'
  readonly transactions: readonly number[]
  readonly edges: readonly Edge[]
  readonly key: string
  readonly reason: 'own-write-not-visible' | 'future-read'
  readonly observed: Value | readonly Value[] | null
  /** What the transaction's own writes required it to read; `null` for a future read. */
  readonly expected: Value | readonly Value[] | null
}

/**
 * Two or more committed transactions read the same version of a register (`value`; `null` for
 * nil) and then each wrote the register: one of the updates is lost. Reported apart from cycles
 * because the register's version order is not observed; in every version order the history allows
 * it closes a cycle with at most one rw edge (G-single, or G1c if a write went before the version
 * it read). List-append keys show lost updates as G-single cycles instead.
 */
export interface LostUpdateAnomaly {
  readonly type: 'lost-update'
  readonly transactions: readonly number[]
  readonly edges: readonly Edge[]
  readonly key: string
  readonly value: Value | null
}

/** Everything `checkHistory` can report; switch on `type`. */
export type Anomaly =
  | CycleAnomaly
  | ReadAnomaly
  | IncompatibleOrderAnomaly
  | DuplicateElementAnomaly
  | InternalAnomaly
  | LostUpdateAnomaly

/** Every anomaly type, for counting and iteration. */
export type AnomalyType = Anomaly['type']

const cycleMeaning: Record<CycleAnomalyType, string> = {
  'G0': 'a cycle of write dependencies (dirty write)',
  'G1c': 'a cycle of write and read dependencies (circular information flow)',
  'G-single': 'a cycle with exactly one anti-dependency (read skew, lost update)',
  'G2': 'a cycle with two or more anti-dependencies (write skew)',
  'G0-realtime': 'a cycle of write dependencies closed by real-time order',
  'G1c-realtime': 'a cycle of write and read dependencies closed by real-time order',
  'G-single-realtime': 'a cycle with exactly one anti-dependency, closed by real-time order',
  'G2-realtime': 'a cycle with two or more anti-dependencies, closed by real-time order',
}

function formatEdgeArrow(edge: Edge): string {
  return edge.key === null ? `-${edge.type}->` : `-${edge.type} ${edge.key}->`
}

function explainCycle(anomaly: CycleAnomaly): string {
  const first = anomaly.edges[0]
  const path = anomaly.edges.map((edge) => `T${edge.from} ${formatEdgeArrow(edge)} `).join('')
  const back = first === undefined ? '' : `T${first.from}`
  return `${anomaly.type}: ${path}${back}: ${cycleMeaning[anomaly.type]}`
}

/**
 * One line of text describing `anomaly`, naming its transactions as `T<id>`.
 *
 * @example
 * ```ts
 * explain(result.anomalies[0])
 * // 'G-single: T1 -rw x-> T2 -wr y-> T1: a cycle with exactly one anti-dependency (…)'
 * ```
 */
export function explain(anomaly: Anomaly): string {
  switch (anomaly.type) {
    case 'G1a':
      return `G1a: T${anomaly.reader} read ${anomaly.key} = ${formatValue(anomaly.value)}, ` +
        `written by T${anomaly.writer ?? '?'}, which aborted`
    case 'G1b':
      return `G1b: T${anomaly.reader} read ${anomaly.key} = ${formatValue(anomaly.value)}, ` +
        `an intermediate state of T${anomaly.writer ?? '?'}, which wrote ${anomaly.key} again`
    case 'garbage-read':
      return `garbage-read: T${anomaly.reader} read ${anomaly.key} = ` +
        `${formatValue(anomaly.value)}, which no transaction wrote`
    case 'incompatible-order':
      return `incompatible-order: T${anomaly.transactions[0] ?? '?'} read ${anomaly.key} = ` +
        `${formatValue(anomaly.list)}, not a prefix of ${formatValue(anomaly.other)} ` +
        `read by T${anomaly.transactions[1] ?? '?'}`
    case 'duplicate-element':
      return `duplicate-element: T${anomaly.transactions[0] ?? '?'} read ${anomaly.key} = ` +
        `${formatValue(anomaly.list)}, which holds ${formatValue(anomaly.element)} twice`
    case 'internal':
      return explainInternal(anomaly)
    case 'lost-update':
      return `lost-update: ${anomaly.transactions.map((id) => `T${id}`).join(', ')} all read ` +
        `${anomaly.key} = ${formatValue(anomaly.value)} and then wrote ${anomaly.key}`
    default:
      return explainCycle(anomaly)
  }
}

function explainInternal(anomaly: InternalAnomaly): string {
  const reader = `T${anomaly.transactions[0] ?? '?'}`
  const observed = formatValue(anomaly.observed)
  if (anomaly.reason === 'future-read') {
    return `internal: ${reader} read ${anomaly.key} = ${observed}, a value it only wrote later`
  }
  const expected = formatValue(anomaly.expected)
  if (Array.isArray(anomaly.expected)) {
    return `internal: ${reader} read ${anomaly.key} = ${observed}, which does not end with ` +
      `its own appends ${expected}`
  }
  return `internal: ${reader} read ${anomaly.key} = ${observed} after writing ${expected} to it`
}
