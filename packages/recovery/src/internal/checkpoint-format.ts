/**
 * The data checkpoint file: a header, then CRC-framed blocks. FORMAT.md documents the bytes; the
 * constants are defined here and nowhere else.
 *
 *   checkpoint := header block* end-block
 *   header     := magic "SKYCKPT\0" version:u32 reserved:u32 lsn:u64 commitTs:u64
 *                 createdAtMs:u64 catalogSeq:u64 catalogLsn:u64 reserved:u32 crc:u32      (64 B)
 *   block      := length:u32 crc:u32 type:u8 payload[length]       crc covers type and payload
 *
 * Blocks in order: one catalog image, then per store a store block followed by its row blocks
 * (each a `@sky/txn` redo record at the checkpoint's commit timestamp), then pending prepares, then
 * the end block with the counts. All integers little endian.
 *
 * Invariant: a checkpoint is only ever read after its header CRC, every block CRC and the end
 * block's counts check; any failure makes the whole file "damaged" for open (repair may salvage the
 * blocks that check).
 */
import { assert } from '@sky/std'
import type { KeyKind } from '@sky/mvcc'
import { crc32 } from './crc.js'

export const checkpointMagic = new Uint8Array([0x53, 0x4b, 0x59, 0x43, 0x4b, 0x50, 0x54, 0x00])
export const checkpointFormatVersion = 1
export const checkpointHeaderBytes = 64
export const blockHeaderBytes = 9

/** Block types. */
export const blockType = {
  catalog: 1,
  store: 2,
  rows: 3,
  prepare: 4,
  end: 255,
} as const

const knownBlockTypes: readonly number[] = Object.values(blockType)

/** The facts in a checkpoint header. */
export interface CheckpointHeader {
  /** Every data journal frame up to this LSN is reflected; replay starts after it. */
  readonly lsn: bigint
  /** The snapshot's commit timestamp: the state after every commit at or below it. */
  readonly commitTs: number
  readonly createdAtMs: number
  /** Sequence number of the embedded catalog image. */
  readonly catalogSeq: number
  /** LSN of the newest DDL echo the image reflects (0n when none was written yet). */
  readonly catalogLsn: bigint
}

export type HeaderRead =
  | { readonly status: 'ok'; readonly header: CheckpointHeader }
  | { readonly status: 'bad'; readonly detail: string }
  | { readonly status: 'version'; readonly version: number }

const namePattern = /^ckpt-(\d{20})$/

/** File name of the checkpoint covering `lsn`: `ckpt-` and 20 digits, so names sort by LSN. */
export function checkpointName(lsn: bigint): string {
  assert(lsn >= 0n, 'lsn is not negative')
  return `ckpt-${lsn.toString().padStart(20, '0')}`
}

/** The LSN in a checkpoint file name, or undefined for other names (temp files included). */
export function checkpointLsnOf(name: string): bigint | undefined {
  const match = namePattern.exec(name)
  return match === null ? undefined : BigInt(match[1]!)
}

/** Suffix of a checkpoint being written. */
export const checkpointTempSuffix = '.tmp'

export function encodeCheckpointHeader(header: CheckpointHeader): Uint8Array {
  const bytes = new Uint8Array(checkpointHeaderBytes)
  const view = new DataView(bytes.buffer)
  bytes.set(checkpointMagic, 0)
  view.setUint32(8, checkpointFormatVersion, true)
  view.setBigUint64(16, header.lsn, true)
  view.setBigUint64(24, BigInt(header.commitTs), true)
  view.setBigUint64(32, BigInt(header.createdAtMs), true)
  view.setBigUint64(40, BigInt(header.catalogSeq), true)
  view.setBigUint64(48, header.catalogLsn, true)
  view.setUint32(60, crc32(bytes.subarray(0, 60)), true)
  return bytes
}

export function decodeCheckpointHeader(bytes: Uint8Array): HeaderRead {
  if (bytes.length < checkpointHeaderBytes)
    return { status: 'bad', detail: 'shorter than a header' }
  const view = new DataView(bytes.buffer, bytes.byteOffset, checkpointHeaderBytes)
  for (let at = 0; at < checkpointMagic.length; at++) {
    if (bytes[at] !== checkpointMagic[at]) return { status: 'bad', detail: 'bad magic' }
  }
  if (crc32(bytes.subarray(0, 60)) !== view.getUint32(60, true)) {
    return { status: 'bad', detail: 'header checksum fails' }
  }
  const version = view.getUint32(8, true)
  if (version !== checkpointFormatVersion) return { status: 'version', version }
  const header: CheckpointHeader = {
    lsn: view.getBigUint64(16, true),
    commitTs: Number(view.getBigUint64(24, true)),
    createdAtMs: Number(view.getBigUint64(32, true)),
    catalogSeq: Number(view.getBigUint64(40, true)),
    catalogLsn: view.getBigUint64(48, true),
  }
  return { status: 'ok', header }
}

/** Encodes one block. */
export function encodeBlock(type: number, payload: Uint8Array): Uint8Array {
  assert(knownBlockTypes.includes(type), 'a known block type')
  const bytes = new Uint8Array(blockHeaderBytes + payload.length)
  const view = new DataView(bytes.buffer)
  view.setUint32(0, payload.length, true)
  view.setUint8(8, type)
  bytes.set(payload, blockHeaderBytes)
  view.setUint32(4, crc32(bytes.subarray(8)), true)
  return bytes
}

/** A block that passed its checks. */
export interface BlockAt {
  readonly type: number
  readonly payload: Uint8Array
  readonly offset: number
  readonly end: number
}

/** Decodes the block at `offset` if its length, type and CRC check; undefined otherwise. */
export function blockAt(bytes: Uint8Array, offset: number, bytesMax: number): BlockAt | undefined {
  if (bytes.length - offset < blockHeaderBytes) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, blockHeaderBytes)
  const length = view.getUint32(0, true)
  if (length > bytesMax) return undefined
  const end = offset + blockHeaderBytes + length
  if (end > bytes.length) return undefined
  const type = view.getUint8(8)
  if (!knownBlockTypes.includes(type)) return undefined
  if (crc32(bytes.subarray(offset + 8, end)) !== view.getUint32(4, true)) return undefined
  return { type, payload: bytes.subarray(offset + blockHeaderBytes, end), offset, end }
}

const keyKindCodes: Readonly<Record<KeyKind, number>> = { int: 0, string: 1, binary: 2 }
const keyKindsByCode: readonly KeyKind[] = ['int', 'string', 'binary']
const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true })

/** Store block payload: keyKind:u8 modelId:utf8 (the rest). */
export function encodeStoreBlock(modelId: string, keyKind: KeyKind): Uint8Array {
  const id = encoder.encode(modelId)
  const payload = new Uint8Array(1 + id.length)
  payload[0] = keyKindCodes[keyKind]
  payload.set(id, 1)
  return encodeBlock(blockType.store, payload)
}

export function decodeStoreBlock(payload: Uint8Array): { modelId: string; keyKind: KeyKind } {
  const keyKind = keyKindsByCode[payload[0] ?? 255]
  if (keyKind === undefined) throw new RangeError('unknown key kind in a store block')
  return { keyKind, modelId: decoder.decode(payload.subarray(1)) }
}

/** End block payload: blockCount:u64 (blocks before it) rowCount:u64. */
export function encodeEndBlock(blocks: number, rows: number): Uint8Array {
  const payload = new Uint8Array(16)
  const view = new DataView(payload.buffer)
  view.setBigUint64(0, BigInt(blocks), true)
  view.setBigUint64(8, BigInt(rows), true)
  return encodeBlock(blockType.end, payload)
}

export function decodeEndBlock(payload: Uint8Array): { blocks: number; rows: number } {
  if (payload.length !== 16) throw new RangeError('an end block holds 16 bytes')
  const view = new DataView(payload.buffer, payload.byteOffset, 16)
  return { blocks: Number(view.getBigUint64(0, true)), rows: Number(view.getBigUint64(8, true)) }
}
