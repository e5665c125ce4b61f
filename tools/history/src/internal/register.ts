/**
 * Inference for read-write registers: the wr edges exactly, and as many ww and rw edges as the
 * version order can be proven.
 *
 * Writes are unique per key, so a read names its writer, which gives every wr edge. The version
 * order of a register is not observable in general; we infer only facts that hold in every
 * execution the history allows:
 * - nil (the key never written) precedes every written version, so a read of nil anti-depends
 *   (rw) on every committed writer of the key;
 * - with `writesFollowReads`, a transaction that read version v of a key and then wrote it
 *   installed its final version after v: a ww edge from v's writer, and an rw edge from every
 *   other reader of v.
 * An rw edge to a writer of any later version, not just the next, keeps the rw count of cycles
 * exact as long as the reader itself wrote no version of the key: the true next version's writer
 * is then another transaction, joined to the later writer by ww edges. A reader that did write
 * the key after its read (a "follower" of the version it read) may itself be the next version,
 * so it gets no rw edge for that key; two followers of one version are a lost update, which is
 * reported as such (in every version order it closes a cycle with at most one rw edge).
 * Invariants: reads after the transaction's own write are checked, never used as observations;
 * reads of intermediate, aborted or unwritten values yield no order facts.
 */
import type { Value } from '../history.js'
import { rw, wr, ww } from './graph.js'
import { registerKeyOf, type Inference } from './inference.js'

interface RegisterObservations {
  /** Transactions that read nil from the key before writing it. */
  readonly nilReaders: number[]
  /** For each final value, the transactions that read it before writing the key. */
  readonly readers: Map<Value, number[]>
  /** `writer` read `before` (nil: `null`) and then wrote the key: its followers. */
  readonly followers: Map<Value | null, number[]>
}

function observationsOf(byKey: Map<string, RegisterObservations>, key: string) {
  let observations = byKey.get(key)
  if (observations === undefined) {
    observations = { nilReaders: [], readers: new Map(), followers: new Map() }
    byKey.set(key, observations)
  }
  return observations
}

/** Adds the edges of every register key to the graph and reports register anomalies. */
export function inferRegisters(inference: Inference, writesFollowReads: boolean): void {
  const byKey = new Map<string, RegisterObservations>()
  inference.index.transactions.forEach((transaction, position) => {
    if (inference.included[position] !== 1) return
    const own = new Map<string, Value>()
    const seen = new Map<string, Set<Value | null>>()
    for (const operation of transaction.operations) {
      const { key } = operation
      if (operation.kind === 'write') {
        own.set(key, operation.value)
      } else if (operation.kind === 'read') {
        const written = own.get(key)
        if (written === undefined) {
          const observations = observationsOf(byKey, key)
          const fact = observeRead(inference, position, key, operation.value, observations)
          if (fact) seen.set(key, (seen.get(key) ?? new Set()).add(operation.value))
        } else if (operation.value !== written) {
          inference.reporter.internal(position, key, 'own-write-not-visible', operation.value,
            written)
        }
      }
    }
    for (const [key, values] of seen) {
      if (!own.has(key)) continue
      const { followers } = observationsOf(byKey, key)
      for (const value of values) {
        const writers = followers.get(value) ?? []
        writers.push(position)
        followers.set(value, writers)
      }
    }
  })
  for (const [key, observations] of byKey) {
    reportLostUpdates(inference, key, observations)
    inferRegisterOrder(inference, key, observations, writesFollowReads)
  }
}

/** Records one read made before any own write; returns whether it read a version. */
function observeRead(
  inference: Inference,
  reader: number,
  key: string,
  value: Value | null,
  observations: RegisterObservations,
): boolean {
  const { reporter, included, graph } = inference
  if (value === null) {
    observations.nilReaders.push(reader)
    return true
  }
  const entry = registerKeyOf(inference, key)
  const writer = entry.writers.get(value)
  if (writer === undefined) {
    reporter.read('garbage-read', key, value, reader, null)
  } else if (writer === reader) {
    reporter.internal(reader, key, 'future-read', value, null)
  } else if (included[writer] !== 1) {
    reporter.read('G1a', key, value, reader, writer)
  } else {
    graph.add(writer, reader, wr, key)
    if (entry.finalValue.get(writer) !== value) {
      reporter.read('G1b', key, value, reader, writer)
      return false
    }
    const readers = observations.readers.get(value) ?? []
    readers.push(reader)
    observations.readers.set(value, readers)
    return true
  }
  return false
}

/** Reports every version that two or more transactions read and then overwrote. */
function reportLostUpdates(
  inference: Inference,
  key: string,
  observations: RegisterObservations,
): void {
  for (const [value, writers] of observations.followers) {
    if (writers.length >= 2) inference.reporter.lostUpdate(key, value, writers)
  }
}

function inferRegisterOrder(
  inference: Inference,
  key: string,
  observations: RegisterObservations,
  writesFollowReads: boolean,
): void {
  const { graph, included } = inference
  const entry = registerKeyOf(inference, key)
  const { followers } = observations
  const writers: number[] = []
  for (const writer of entry.finalValue.keys()) if (included[writer] === 1) writers.push(writer)
  const nilFollowers = new Set(followers.get(null))
  for (const reader of observations.nilReaders) {
    if (nilFollowers.has(reader)) continue
    for (const writer of writers) graph.add(reader, writer, rw, key)
  }
  if (!writesFollowReads) return
  for (const [before, after] of followers) {
    if (before === null) continue
    const previous = entry.writers.get(before)
    const successors = new Set(after)
    const readers = (observations.readers.get(before) ?? []).filter((r) => !successors.has(r))
    for (const writer of after) {
      if (previous !== undefined) graph.add(previous, writer, ww, key)
      for (const reader of readers) graph.add(reader, writer, rw, key)
    }
  }
}
