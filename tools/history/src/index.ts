/**
 * @packageDocumentation
 * `@sky/history` checks recorded transaction histories for isolation anomalies, after Adya's
 * phenomena as Elle does: a harness records each transaction's operations, results and outcome
 * with {@link HistoryRecorder} (list-append and read-write-register workloads), and
 * {@link checkHistory} infers each key's version order, builds the ww, wr, rw (and optionally
 * real-time) dependency graph, and reports G0, G1a, G1b, G1c, G-single and G2, plus register
 * lost updates, incompatible list orders, garbage reads, duplicate elements and internal
 * inconsistencies, each with the transactions involved. {@link explain} prints an anomaly as one
 * line. Pure TypeScript, no I/O, no dependencies; see the README for the model and its limits.
 */
export type {
  AppendOperation,
  History,
  Operation,
  ReadListOperation,
  ReadOperation,
  Transaction,
  TransactionStatus,
  Value,
  WriteOperation,
} from './history.js'
export { HistoryRecorder } from './recorder.js'
export type { TransactionRecorder } from './recorder.js'
export { explain } from './anomaly.js'
export type {
  Anomaly,
  AnomalyType,
  CycleAnomaly,
  CycleAnomalyType,
  DuplicateElementAnomaly,
  Edge,
  EdgeType,
  IncompatibleOrderAnomaly,
  InternalAnomaly,
  LostUpdateAnomaly,
  ReadAnomaly,
} from './anomaly.js'
export { checkHistory } from './check.js'
export type { CheckOptions, CheckResult, CheckStats } from './check.js'
