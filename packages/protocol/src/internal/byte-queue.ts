/**
 * ByteQueue: the bytes a decoder has received and not yet consumed, in one growable buffer.
 *
 * Invariants: `0 <= start <= end <= buffer.length`; the unread bytes are `buffer[start, end)`;
 * `streamOffset` counts every byte consumed or cleared since the queue was made, so
 * `streamOffset + index` is the position of unread byte `index` in the whole input stream.
 *
 * Cost: each appended byte is copied once on append and, amortised, O(1) more times by growth
 * (capacity doubles) and compaction (only when at most half the buffer is live), so feeding n bytes
 * in any chunking costs O(n) copying. `copiedBytes` counts it so tests can check that bound.
 */
import { assert } from '@sky/std'

const CAPACITY_MIN = 1024
/** An empty queue holding more than this gives its buffer back, so idle connections stay small. */
const IDLE_CAPACITY_MAX = 64 * 1024

export class ByteQueue {
  private buffer = new Uint8Array(0)
  private start = 0
  private end = 0
  /** Position in the input stream of the first unread byte. */
  streamOffset = 0
  /** Bytes copied so far by append, growth and compaction (for the linear-cost test). */
  copiedBytes = 0

  /** Number of unread bytes. */
  get length(): number {
    return this.end - this.start
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return
    if (this.end + chunk.length > this.buffer.length) this.makeRoom(chunk.length)
    this.buffer.set(chunk, this.end)
    this.end += chunk.length
    this.copiedBytes += chunk.length
    this.assertInvariants()
  }

  /** The unread byte at `index`. REQUIRES: `index < length`. */
  byteAt(index: number): number {
    assert(index >= 0 && index < this.length, 'byteAt within the unread bytes')
    return this.buffer[this.start + index] as number
  }

  /** A view of unread bytes `[from, to)`, valid only until the next append, consume or clear. */
  view(from: number, to: number): Uint8Array {
    assert(from >= 0 && from <= to && to <= this.length, 'view within the unread bytes')
    return this.buffer.subarray(this.start + from, this.start + to)
  }

  /** A copy of unread bytes `[from, to)` that the caller owns. */
  copy(from: number, to: number): Uint8Array {
    const copied = this.view(from, to).slice()
    this.copiedBytes += copied.length
    return copied
  }

  /** Index of the first `byte` in `[from, to)`, or -1. */
  indexOf(byte: number, from: number, to: number): number {
    assert(from >= 0 && from <= to && to <= this.length, 'indexOf within the unread bytes')
    const found = this.buffer.subarray(0, this.start + to).indexOf(byte, this.start + from)
    return found < 0 ? -1 : found - this.start
  }

  /** Drops the first `count` unread bytes. */
  consume(count: number): void {
    assert(count >= 0 && count <= this.length, 'consume at most the unread bytes')
    this.start += count
    this.streamOffset += count
    if (this.start === this.end) this.reset()
    this.assertInvariants()
  }

  /** Drops every unread byte. */
  clear(): void {
    this.consume(this.length)
  }

  private reset(): void {
    this.start = 0
    this.end = 0
    if (this.buffer.length > IDLE_CAPACITY_MAX) this.buffer = new Uint8Array(0)
  }

  private makeRoom(extra: number): void {
    const live = this.length
    const needed = live + extra
    if (needed <= this.buffer.length && live <= this.buffer.length / 2) {
      this.buffer.copyWithin(0, this.start, this.end)
    } else {
      const capacity = Math.max(needed, this.buffer.length * 2, CAPACITY_MIN)
      const grown = new Uint8Array(capacity)
      grown.set(this.buffer.subarray(this.start, this.end), 0)
      this.buffer = grown
    }
    this.copiedBytes += live
    this.start = 0
    this.end = live
    assert(this.end + extra <= this.buffer.length, 'room was made')
  }

  private assertInvariants(): void {
    assert(this.start >= 0 && this.start <= this.end, 'start within the written bytes')
    assert(this.end <= this.buffer.length, 'end within the buffer')
  }
}
