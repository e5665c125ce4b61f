/**
 * The redo record: one committed transaction's writes, as one journal frame's payload. FORMAT.md
 * documents the bytes; the constants live here.
 *
 *   record := version:u8 (=1) commitTs:u64 writeCount:u32 write*
 *   write  := modelIdLength:u16 modelId:utf8 key:value op:u8 (1 put | 2 delete) [fieldCount:u32 value*]
 *   value  := tag:u8 body    (see `Tag`)
 *
 * All integers little endian. The decoder checks every length against the bytes left before reading,
 * so a malformed record is a `RedoRecordError`, never an out-of-range read or a huge allocation.
 */
import { assert } from '@sky/std'
import type { Key } from '@sky/mvcc'
import { RedoRecordError } from '../errors.js'
import type { Row, Value } from '../value.js'

export const redoFormatVersion = 1
/** Deepest list nesting a record holds (a row's field is depth 0). */
export const listDepthMax = 16

const enum Tag {
  Null = 0,
  False = 1,
  True = 2,
  Unsigned = 3, // u64
  Negative = 4, // i64, below zero
  Float = 5, // f64
  String = 6, // u32 length + UTF-8
  Binary = 7, // u32 length + bytes
  List = 8, // u32 count + values
}
const enum Op {
  Put = 1,
  Delete = 2,
}

/** One write of a redo record: `row` undefined means delete. */
export interface RedoWrite {
  readonly modelId: string
  readonly key: Key
  readonly row: Row | undefined
}

export interface RedoRecord {
  readonly commitTs: number
  readonly writes: readonly RedoWrite[]
}

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

class Writer {
  bytes = new Uint8Array(64 * 1024)
  view = new DataView(this.bytes.buffer)
  length = 0

  reset(): void {
    this.length = 0
  }

  reserve(extra: number): void {
    if (this.length + extra <= this.bytes.length) return
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra))
    grown.set(this.bytes.subarray(0, this.length))
    this.bytes = grown
    this.view = new DataView(grown.buffer)
  }
  u8(value: number): void {
    this.reserve(1)
    this.view.setUint8(this.length, value)
    this.length += 1
  }
  u16(value: number): void {
    this.reserve(2)
    this.view.setUint16(this.length, value, true)
    this.length += 2
  }
  u32(value: number): void {
    this.reserve(4)
    this.view.setUint32(this.length, value, true)
    this.length += 4
  }
  u64(value: bigint): void {
    this.reserve(8)
    this.view.setBigUint64(this.length, value, true)
    this.length += 8
  }
  i64(value: bigint): void {
    this.reserve(8)
    this.view.setBigInt64(this.length, value, true)
    this.length += 8
  }
  f64(value: number): void {
    this.reserve(8)
    this.view.setFloat64(this.length, value, true)
    this.length += 8
  }
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length)
    this.bytes.set(bytes, this.length)
    this.length += bytes.length
  }
  /** u16 byte length, then the UTF-8 bytes, encoded in place (model ids). */
  shortText(value: string): void {
    this.reserve(2 + value.length * 3)
    const { written } = encoder.encodeInto(value, this.bytes.subarray(this.length + 2))
    assert(written <= 0xffff, 'model ids are short')
    this.view.setUint16(this.length, written, true)
    this.length += 2 + written
  }

  /** u32 byte length, then the UTF-8 bytes, encoded in place. */
  text(value: string): void {
    this.reserve(4 + value.length * 3) // UTF-8 takes at most 3 bytes per UTF-16 unit
    const { written } = encoder.encodeInto(value, this.bytes.subarray(this.length + 4))
    this.view.setUint32(this.length, written, true)
    this.length += 4 + written
  }
}

/** One writer reused by every encode (JavaScript runs one encode at a time): no allocation per record. */
const scratch = new Writer()

/**
 * Where encoded records are copied out of the scratch writer. A small typed array with a backing
 * store of its own costs about a microsecond to allocate (and adds GC pressure), which showed in
 * commit profiles; a view into a shared 64 KiB slab costs a fraction of that. Records are
 * immutable once handed out and never overlap, so sharing a slab is invisible to callers; a slab
 * stays alive while any record cut from it does. Records above `slabRecordMax` get their own.
 */
const slabBytes = 64 * 1024
const slabRecordMax = 4 * 1024
let slab = new ArrayBuffer(slabBytes)
let slabUsed = 0

/** A fresh array holding a copy of `bytes` (a view into a slab when small). */
function copyOut(bytes: Uint8Array): Uint8Array {
  const length = bytes.length
  if (length > slabRecordMax) return bytes.slice()
  if (slabUsed + length > slabBytes) {
    slab = new ArrayBuffer(slabBytes)
    slabUsed = 0
  }
  const copy = new Uint8Array(slab, slabUsed, length)
  slabUsed += length
  copy.set(bytes)
  return copy
}

function writeValue(writer: Writer, value: Value, depth: number): void {
  if (value === null) return writer.u8(Tag.Null)
  switch (typeof value) {
    case 'boolean':
      return writer.u8(value ? Tag.True : Tag.False)
    case 'bigint':
      if (value >= 0n) {
        assert(value < 2n ** 64n, 'integers fit 64 bits (checked by the caller)')
        writer.u8(Tag.Unsigned)
        return writer.u64(value)
      }
      assert(value >= -(2n ** 63n), 'integers fit 64 bits (checked by the caller)')
      writer.u8(Tag.Negative)
      return writer.i64(value)
    case 'number':
      writer.u8(Tag.Float)
      return writer.f64(value)
    case 'string': {
      writer.u8(Tag.String)
      return writer.text(value)
    }
  }
  if (value instanceof Uint8Array) {
    writer.u8(Tag.Binary)
    writer.u32(value.length)
    return writer.raw(value)
  }
  assert(Array.isArray(value), 'a value is a list when nothing else')
  assert(depth < listDepthMax, 'list nesting within the limit')
  writer.u8(Tag.List)
  writer.u32(value.length)
  for (const item of value) writeValue(writer, item, depth + 1)
}

/**
 * Encodes a redo record. REQUIRES: values already checked (integers within 64 bits).
 * The result is the caller's, but may be a view into a larger shared buffer: mind `byteOffset`.
 */
export function encodeRedo(record: RedoRecord): Uint8Array {
  const writer = scratch
  writer.reset()
  writer.u8(redoFormatVersion)
  writer.u64(BigInt(record.commitTs))
  writer.u32(record.writes.length)
  for (const write of record.writes) {
    writer.shortText(write.modelId)
    writeValue(writer, write.key, 0)
    if (write.row === undefined) {
      writer.u8(Op.Delete)
      continue
    }
    writer.u8(Op.Put)
    writer.u32(write.row.length)
    for (const value of write.row) writeValue(writer, value, 0)
  }
  return copyOut(writer.bytes.subarray(0, writer.length))
}

class Reader {
  offset = 0
  readonly view: DataView
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  }
  need(count: number): void {
    if (this.bytes.length - this.offset < count) throw new RedoRecordError(`short record at byte ${this.offset}`)
  }
  u8(): number {
    this.need(1)
    return this.view.getUint8(this.offset++)
  }
  u16(): number {
    this.need(2)
    const value = this.view.getUint16(this.offset, true)
    this.offset += 2
    return value
  }
  u32(): number {
    this.need(4)
    const value = this.view.getUint32(this.offset, true)
    this.offset += 4
    return value
  }
  u64(): bigint {
    this.need(8)
    const value = this.view.getBigUint64(this.offset, true)
    this.offset += 8
    return value
  }
  i64(): bigint {
    this.need(8)
    const value = this.view.getBigInt64(this.offset, true)
    this.offset += 8
    return value
  }
  f64(): number {
    this.need(8)
    const value = this.view.getFloat64(this.offset, true)
    this.offset += 8
    return value
  }
  raw(count: number): Uint8Array {
    this.need(count)
    const value = this.bytes.slice(this.offset, this.offset + count)
    this.offset += count
    return value
  }
  text(count: number): string {
    try {
      return decoder.decode(this.raw(count))
    } catch (error) {
      if (error instanceof RedoRecordError) throw error
      throw new RedoRecordError(`invalid UTF-8 at byte ${this.offset}`)
    }
  }
}

function readValue(reader: Reader, depth: number): Value {
  const tag = reader.u8()
  switch (tag) {
    case Tag.Null:
      return null
    case Tag.False:
      return false
    case Tag.True:
      return true
    case Tag.Unsigned:
      return reader.u64()
    case Tag.Negative:
      return reader.i64()
    case Tag.Float:
      return reader.f64()
    case Tag.String:
      return reader.text(reader.u32())
    case Tag.Binary:
      return reader.raw(reader.u32())
    case Tag.List: {
      if (depth >= listDepthMax) throw new RedoRecordError('lists nested too deep')
      const count = reader.u32()
      reader.need(count) // every value takes at least one byte
      const list: Value[] = []
      for (let index = 0; index < count; index++) list.push(readValue(reader, depth + 1))
      return list
    }
    default:
      throw new RedoRecordError(`unknown value tag ${tag} at byte ${reader.offset - 1}`)
  }
}

function readKey(reader: Reader): Key {
  const key = readValue(reader, listDepthMax)
  if (typeof key === 'bigint' || typeof key === 'string' || key instanceof Uint8Array) return key
  throw new RedoRecordError(`a key must be an integer, string or binary value (byte ${reader.offset})`)
}

/** Decodes a redo record. @throws RedoRecordError for an unknown version or malformed bytes. */
export function decodeRedo(bytes: Uint8Array): RedoRecord {
  const reader = new Reader(bytes)
  const version = reader.u8()
  if (version !== redoFormatVersion) throw new RedoRecordError(`unknown format version ${version}`)
  const commitTs = reader.u64()
  if (commitTs < 1n || commitTs > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RedoRecordError(`commit timestamp ${commitTs} out of range`)
  }
  const count = reader.u32()
  reader.need(count)
  const writes: RedoWrite[] = []
  for (let index = 0; index < count; index++) {
    const modelId = reader.text(reader.u16())
    const key = readKey(reader)
    const op = reader.u8()
    if (op === Op.Delete) {
      writes.push({ modelId, key, row: undefined })
      continue
    }
    if (op !== Op.Put) throw new RedoRecordError(`unknown write op ${op}`)
    const fields = reader.u32()
    reader.need(fields)
    const row: Value[] = []
    for (let field = 0; field < fields; field++) row.push(readValue(reader, 0))
    writes.push({ modelId, key, row })
  }
  if (reader.offset !== bytes.length) throw new RedoRecordError(`${bytes.length - reader.offset} trailing bytes`)
  return { commitTs: Number(commitTs), writes }
}
