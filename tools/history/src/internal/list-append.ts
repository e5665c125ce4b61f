/**
 * Inference for list-append keys: the version order of each list and the ww, wr, rw edges.
 *
 * Every append is unique, so a list read names exactly which appends it saw, in order. Each
 * append installs a version, so the version order of a key is a list of elements; every read must
 * be a prefix of it. We take the longest read as that order and check every other read against it.
 * Invariants: a read is used for edges only once its own appends are stripped from its end (what
 * remains is what it saw of other transactions) and every element in it has a committed writer;
 * a read that shows part of another transaction's appends (G1b) yields only its wr edge.
 */
import type { ReadListOperation, Value } from '../history.js'
import { assert } from './assert.js'
import { rw, wr, ww } from './graph.js'
import { writerOfValue, type ListKey } from './history-index.js'
import { listKeyOf, type Inference } from './inference.js'

/** A list read with the reader's own appends stripped from its end. */
interface RawRead {
  readonly transaction: number
  /** The elements the read saw of other transactions, in order. */
  readonly list: readonly Value[]
}

/** A raw read whose elements all have committed writers. */
interface ListRead extends RawRead {
  /** True when the read saw part, not all, of some transaction's appends (G1b). */
  readonly intermediate: boolean
  /** A list this read is already known to be a prefix of, or `null`. */
  readonly prefixOf: readonly Value[] | null
}

/**
 * The longest clean read of a key, indexed so that checking a read that is a prefix of it costs
 * one array comparison: `complete[n]` tells whether its first n elements hold all or none of the
 * appends of each writer, `firstPosition` where each writer's first element is.
 */
interface Reference {
  readonly list: readonly Value[]
  readonly complete: Uint8Array
  readonly firstPosition: ReadonlyMap<number, number>
}

/** Adds the edges of every list key to the graph and reports list read anomalies. */
export function inferListAppend(inference: Inference): void {
  const readsByKey = new Map<string, RawRead[]>()
  inference.index.transactions.forEach((transaction, position) => {
    if (inference.included[position] !== 1) return
    const own = new Map<string, Value[]>()
    for (const operation of transaction.operations) {
      if (operation.kind === 'append') {
        const appended = own.get(operation.key) ?? []
        appended.push(operation.element)
        own.set(operation.key, appended)
      } else if (operation.kind === 'read-list') {
        const read = stripRead(inference, position, operation, own.get(operation.key) ?? [])
        if (read === null) continue
        const reads = readsByKey.get(operation.key) ?? []
        reads.push(read)
        readsByKey.set(operation.key, reads)
      }
    }
  })
  const scratch = new ReadScratch(inference.index.transactions.length)
  for (const [key, reads] of readsByKey) {
    inferListOrder(inference, key, checkReads(inference, key, reads, scratch))
  }
}

/** The list without `own` at its end, or `null` when it does not end with `own`. */
function stripOwnAppends(list: readonly Value[], own: readonly Value[]): readonly Value[] | null {
  const start = list.length - own.length
  if (start < 0) return null
  for (let offset = 0; offset < own.length; offset += 1) {
    if (list[start + offset] !== own[offset]) return null
  }
  return own.length === 0 ? list : list.slice(0, start)
}

function stripRead(
  inference: Inference,
  reader: number,
  operation: ReadListOperation,
  own: readonly Value[],
): RawRead | null {
  const list = operation.list ?? []
  const external = stripOwnAppends(list, own)
  if (external !== null) return { transaction: reader, list: external }
  inference.reporter.internal(reader, operation.key, 'own-write-not-visible', list, own.slice())
  return null
}

/**
 * Scratch space for checking reads element by element without a set or map per read: arrays
 * indexed by element number or transaction index, valid where their stamp equals the current
 * epoch (one epoch per read, so nothing needs clearing).
 */
class ReadScratch {
  epoch = 0
  elementStamp = new Int32Array(0)
  readonly writerStamp: Int32Array
  readonly writerCount: Int32Array
  /** Position in the read of the last element of each writer. */
  readonly writerLast: Int32Array

  constructor(transactionCount: number) {
    this.writerStamp = new Int32Array(transactionCount)
    this.writerCount = new Int32Array(transactionCount)
    this.writerLast = new Int32Array(transactionCount)
  }
}

/**
 * Checks every read of one key, longest first: the longest clean read becomes the reference, and
 * a read that is a prefix of it needs no per-element work unless it looks intermediate or holds
 * the reader's own later appends; every other read is checked element by element.
 */
function checkReads(
  inference: Inference,
  key: string,
  reads: readonly RawRead[],
  scratch: ReadScratch,
): ListRead[] {
  const entry = listKeyOf(inference, key)
  scratch.elementStamp = new Int32Array(entry.writerOf.length)
  const order = reads.map((_, position) => position)
  order.sort((a, b) => (reads[b]?.list.length ?? 0) - (reads[a]?.list.length ?? 0))
  const checked: ListRead[] = []
  let reference: Reference | null = null
  for (const position of order) {
    const read = reads[position]
    assert(read !== undefined, 'position is in range')
    if (reference !== null && isPrefix(read.list, reference.list)) {
      const length = read.list.length
      const ownFirst = reference.firstPosition.get(read.transaction) ?? length
      if (ownFirst >= length && reference.complete[length] === 1) {
        checked.push({ ...read, intermediate: false, prefixOf: reference.list })
        continue
      }
    }
    const result = checkElements(inference, key, read, scratch)
    if (result === null) continue
    checked.push(result)
    if (reference === null) reference = indexReference(entry, read.list)
  }
  return checked
}

function indexReference(entry: ListKey, list: readonly Value[]): Reference {
  const complete = new Uint8Array(list.length + 1)
  const firstPosition = new Map<number, number>()
  const seen = new Map<number, number>()
  let partial = 0
  complete[0] = 1
  list.forEach((element, position) => {
    const writer = writerOfValue(entry, element)
    assert(writer !== undefined, 'a reference holds only written elements')
    if (!firstPosition.has(writer)) firstPosition.set(writer, position)
    const count = (seen.get(writer) ?? 0) + 1
    seen.set(writer, count)
    if (count === 1) partial += 1
    if (count === entry.appendCount.get(writer)) partial -= 1
    complete[position + 1] = partial === 0 ? 1 : 0
  })
  return { list, complete, firstPosition }
}

/**
 * Checks each element of a read: no duplicates, and a committed writer other than the reader.
 * Reports what is wrong (a duplicate alone, since it makes the rest meaningless) and returns
 * `null`, or returns the read, marked intermediate after reporting G1b for each writer whose
 * appends it holds only part of.
 */
function checkElements(
  inference: Inference,
  key: string,
  read: RawRead,
  scratch: ReadScratch,
): ListRead | null {
  const { reporter, included } = inference
  const { transaction: reader, list } = read
  const entry = listKeyOf(inference, key)
  const { elementStamp, writerStamp, writerCount, writerLast } = scratch
  const epoch = (scratch.epoch += 1)
  const writers: number[] = []
  const problems: (() => void)[] = []
  const garbage = new Set<Value>()
  let futureRead = false
  for (let position = 0; position < list.length; position += 1) {
    const element = list[position] as Value
    const ordinal = entry.ordinals.get(element)
    const repeated = ordinal === undefined ? garbage.has(element) : elementStamp[ordinal] === epoch
    if (repeated) {
      reporter.duplicate(reader, key, element, list)
      return null
    }
    if (ordinal === undefined) {
      garbage.add(element)
      problems.push(() => reporter.read('garbage-read', key, element, reader, null))
      continue
    }
    elementStamp[ordinal] = epoch
    const writer = entry.writerOf[ordinal] ?? -1
    if (writer === reader) {
      if (!futureRead) {
        problems.push(() => reporter.internal(reader, key, 'future-read', list, null))
      }
      futureRead = true
    } else if (included[writer] !== 1) {
      assert(inference.index.transactions[writer]?.status === 'aborted', 'excluded writer aborted')
      problems.push(() => reporter.read('G1a', key, element, reader, writer))
    } else {
      if (writerStamp[writer] !== epoch) writers.push(writer)
      writerCount[writer] = writerStamp[writer] === epoch ? (writerCount[writer] ?? 0) + 1 : 1
      writerStamp[writer] = epoch
      writerLast[writer] = position
    }
  }
  for (const problem of problems) problem()
  if (problems.length > 0) return null
  let intermediate = false
  for (const writer of writers) {
    const appended = entry.appendCount.get(writer) ?? 0
    assert((writerCount[writer] ?? 0) <= appended, 'a read holds at most each writer\'s appends')
    if (writerCount[writer] === appended) continue
    reporter.read('G1b', key, list[writerLast[writer] ?? 0] as Value, reader, writer)
    intermediate = true
  }
  return { ...read, intermediate, prefixOf: null }
}

function isPrefix(list: readonly Value[], of: readonly Value[]): boolean {
  if (list.length > of.length) return false
  for (let position = 0; position < list.length; position += 1) {
    if (list[position] !== of[position]) return false
  }
  return true
}

/** Adds one key's edges: wr from every read; ww and rw only if all reads agree on an order. */
function inferListOrder(inference: Inference, key: string, reads: readonly ListRead[]): void {
  const { graph, reporter } = inference
  const entry = listKeyOf(inference, key)
  const writerOf = (element: Value): number => {
    const writer = writerOfValue(entry, element)
    assert(writer !== undefined, 'every element of a clean read has a writer')
    return writer
  }
  let longest: ListRead | undefined
  for (const read of reads) {
    const last = read.list.at(-1)
    if (last !== undefined) graph.add(writerOf(last), read.transaction, wr, key)
    if (read.intermediate) continue
    if (longest === undefined || read.list.length > longest.list.length) longest = read
  }
  if (longest === undefined) return
  let compatible = true
  for (const read of reads) {
    if (read.intermediate || read.prefixOf === longest.list) continue
    if (isPrefix(read.list, longest.list)) continue
    reporter.incompatible(key, read.transaction, read.list, longest.transaction, longest.list)
    compatible = false
  }
  if (!compatible) return
  const order = longest.list.map(writerOf)
  for (let position = 1; position < order.length; position += 1) {
    graph.add(order[position - 1] ?? -1, order[position] ?? -1, ww, key)
  }
  for (const read of reads) {
    const next = order[read.list.length]
    if (!read.intermediate && next !== undefined) graph.add(read.transaction, next, rw, key)
  }
}
