/**
 * The GC queue: (timestamp, key) pairs, one pushed whenever an install leaves garbage behind that
 * becomes collectable once the GC horizon reaches that timestamp (a superseded version, or a
 * tombstone). Installs come in timestamp order, so the queue is sorted by timestamp and GC only
 * pops its front: work is proportional to garbage, never to the number of keys.
 *
 * Invariant: `tss[head..]` is non-decreasing. A key may appear several times (harmless: a second
 * visit finds nothing left to drop).
 */
import { assert } from '@sky/std'

/** Consumed entries are compacted away once this many accumulate and they are half the array. */
const compactEntriesMin = 4096

export class GcQueue<K> {
  private tss: number[] = []
  private keys: K[] = []
  private head = 0

  get length(): number {
    return this.tss.length - this.head
  }

  push(ts: number, key: K): void {
    const last = this.tss[this.tss.length - 1]
    assert(last === undefined || last <= ts, 'the GC queue is pushed in timestamp order')
    this.tss.push(ts)
    this.keys.push(key)
  }

  /** Timestamp of the front entry; `undefined` when empty. */
  peekTs(): number | undefined {
    return this.head < this.tss.length ? this.tss[this.head] : undefined
  }

  /** Removes and returns the front key. REQUIRES: not empty. */
  shift(): K {
    assert(this.head < this.tss.length, 'shift from a non-empty GC queue')
    const key = this.keys[this.head] as K
    this.keys[this.head] = undefined as K // drop the reference for the garbage collector
    this.head++
    if (this.head === this.tss.length) {
      this.tss = []
      this.keys = []
      this.head = 0
    } else if (this.head >= compactEntriesMin && this.head * 2 >= this.tss.length) {
      this.tss = this.tss.slice(this.head)
      this.keys = this.keys.slice(this.head)
      this.head = 0
    }
    return key
  }
}
