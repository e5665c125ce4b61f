/**
 * A first-in first-out queue with O(1) amortised push and shift (an array and a head index,
 * compacted when the dead prefix is at least half of it). Pending queries and pool waiters live
 * in one each; thousands of pipelined queries would make `Array.prototype.shift` quadratic.
 *
 * Invariants: `0 <= head <= items.length`; the live items are `items[head..]`.
 */
import { assert } from '@sky/std'

/** Compact only beyond this many dead slots, so small queues never copy. */
const deadSlotsCompactMin = 1024

export class Fifo<T> {
  private items: (T | undefined)[] = []
  private head = 0

  get length(): number {
    return this.items.length - this.head
  }

  push(item: T): void {
    this.items.push(item)
  }

  peek(): T | undefined {
    return this.items[this.head]
  }

  shift(): T | undefined {
    if (this.head === this.items.length) return undefined
    const item = this.items[this.head]
    this.items[this.head] = undefined // let the item be collected
    this.head += 1
    if (this.head === this.items.length) {
      this.items = []
      this.head = 0
    } else if (this.head >= deadSlotsCompactMin && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    assert(this.head <= this.items.length, 'head stays inside the array')
    return item
  }

  /** Removes one item wherever it is (O(n)); true if it was there. */
  remove(item: T): boolean {
    const index = this.items.indexOf(item, this.head)
    if (index < 0) return false
    this.items.splice(index, 1)
    return true
  }

  /** Removes and returns every item, oldest first. */
  drain(): T[] {
    const items = this.items.slice(this.head) as T[]
    this.items = []
    this.head = 0
    return items
  }
}
