/**
 * What the per-workload inference passes share: the indexed history, the set of transactions in
 * the graph, the graph they add edges to and the reporter they report read anomalies to.
 */
import type { DependencyGraph } from './graph.js'
import type { HistoryIndex, ListKey, RegisterKey } from './history-index.js'
import type { Reporter } from './reporter.js'
import { assert } from './assert.js'

/** Shared state of one `checkHistory` run. */
export interface Inference {
  readonly index: HistoryIndex
  /** 1 for the transactions of the dependency graph (see inclusion.ts). */
  readonly included: Uint8Array
  readonly graph: DependencyGraph
  readonly reporter: Reporter
}

/** The list index of `key`; the key must be a list key. */
export function listKeyOf(inference: Inference, key: string): ListKey {
  const entry = inference.index.keys.get(key)
  assert(entry !== undefined && entry.kind === 'list', `${key} is an indexed list key`)
  return entry
}

/** The register index of `key`; the key must be a register key. */
export function registerKeyOf(inference: Inference, key: string): RegisterKey {
  const entry = inference.index.keys.get(key)
  assert(entry !== undefined && entry.kind === 'register', `${key} is an indexed register key`)
  return entry
}
