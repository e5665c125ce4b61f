/**
 * ByteWriter: appends bytes into one growable buffer for the encoders, so each encoded frame
 * ends as a single Uint8Array that a server can hand to one socket write.
 *
 * Invariants: `length <= buffer.length`; the written bytes are `buffer[0, length)`; capacity
 * doubles, so writing n bytes costs O(n).
 */
import { assert } from '@sky/std'
import { LF } from './wire.js'

export class ByteWriter {
  private buffer: Uint8Array
  length = 0

  constructor(capacity = 64) {
    this.buffer = new Uint8Array(capacity)
  }

  byte(value: number): void {
    assert(Number.isInteger(value) && value >= 0 && value <= 0xff, 'a byte is 0..255')
    this.reserve(1)
    this.buffer[this.length] = value
    this.length += 1
  }

  bytes(values: Uint8Array): void {
    this.reserve(values.length)
    this.buffer.set(values, this.length)
    this.length += values.length
  }

  /** Writes ASCII text (every char below 0x80). */
  ascii(text: string): void {
    this.reserve(text.length)
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index)
      assert(code < 0x80, 'ascii text')
      this.buffer[this.length + index] = code
    }
    this.length += text.length
  }

  /** Writes an integer as ASCII decimal followed by LF. */
  decimalLine(value: number | bigint): void {
    if (typeof value === 'number') assert(Number.isSafeInteger(value), 'a decimal is an integer')
    this.ascii(value.toString())
    this.byte(LF)
  }

  /** The written bytes, as a buffer of exactly `length` bytes. */
  finish(): Uint8Array {
    return this.buffer.length === this.length ? this.buffer : this.buffer.slice(0, this.length)
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + extra))
    grown.set(this.buffer.subarray(0, this.length))
    this.buffer = grown
  }
}
