/**
 * The bytes FORMAT.md documents: its worked examples, the journal frames this package encodes
 * (identical to `@sky/journal`'s), the record codecs, and what a reader does with an unknown
 * version or frame kind.
 */
import { openJournal } from '@sky/journal'
import { encodeRedo } from '@sky/txn'
import { SimFileSystem } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { dataFrameKind, isDataFrameKind, openEngine } from '../src/index.js'
import {
  blockType,
  checkpointLsnOf,
  checkpointName,
  decodeCheckpointHeader,
  encodeBlock,
  encodeCheckpointHeader,
  encodeEndBlock,
  encodeStoreBlock,
} from '../src/internal/checkpoint-format.js'
import { readCheckpoint } from '../src/internal/checkpoint-read.js'
import { encodeFrame, encodeSegmentHeader } from '../src/internal/journal-format.js'
import {
  decodeLost,
  decodePrepare,
  decodeTimeMark,
  encodeLost,
  encodePrepare,
  encodeTimeMark,
} from '../src/internal/records.js'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('checkpoint format', () => {
  it('matches the worked example of FORMAT.md', () => {
    const header = {
      lsn: 5n,
      commitTs: 3,
      createdAtMs: 1_767_225_600_000,
      catalogSeq: 2,
      catalogLsn: 4n,
    }
    expect(hex(encodeCheckpointHeader(header))).toBe(
      '534b59434b505400' +
        '01000000' +
        '00000000' +
        '0500000000000000' +
        '0300000000000000' +
        '00a8da769b010000' +
        '0200000000000000' +
        '0400000000000000' +
        '00000000' +
        '298ffc5a',
    )
    expect(decodeCheckpointHeader(encodeCheckpointHeader(header))).toEqual({ status: 'ok', header })
    expect(hex(encodeStoreBlock('7', 'int'))).toBe('02000000' + '73a87844' + '02' + '0037')
    const rows = encodeRedo({ commitTs: 3, writes: [{ modelId: '7', key: 1n, row: [1n, 'hi'] }] })
    expect(hex(encodeBlock(blockType.rows, rows))).toBe(
      '2e000000' +
        '2015c43c' +
        '03' +
        '01' +
        '0300000000000000' +
        '01000000' +
        '01003703' +
        '0100000000000000' +
        '01' +
        '02000000' +
        '030100000000000000' +
        '06020000006869',
    )
    expect(hex(encodeEndBlock(3, 1))).toBe(
      '10000000' + '9f733734' + 'ff' + '0300000000000000' + '0100000000000000',
    )
  })

  it('names checkpoints so that names sort by LSN', () => {
    expect(checkpointName(1234n)).toBe('ckpt-00000000000000001234')
    expect(checkpointLsnOf('ckpt-00000000000000001234')).toBe(1234n)
    expect(checkpointLsnOf('ckpt-00000000000000001234.tmp')).toBeUndefined()
  })

  it('is refused with a typed error when written by a newer version', async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({ fs, dir: '/db', idleTimeoutMs: 0 })
    await engine.ddl({ kind: 'createSpace', name: 's' })
    const checkpoint = (await engine.checkpoint())!
    await engine.close()
    const path = `/db/checkpoints/${checkpoint.name}`
    const bytes = fs.contents(path)
    bytes[8] = 2 // version 2, with a header checksum that holds
    bytes.set(
      encodeCheckpointHeader({
        lsn: 0n,
        commitTs: 0,
        createdAtMs: 0,
        catalogSeq: 0,
        catalogLsn: 0n,
      }).subarray(60),
      60,
    )
    const view = new DataView(bytes.buffer, bytes.byteOffset)
    const { crc32 } = await import('../src/internal/crc.js')
    view.setUint32(60, crc32(bytes.subarray(0, 60)), true)
    const file = await fs.open(path)
    await file.write(0, bytes)
    await file.sync()
    await file.close()
    expect(await readCheckpoint(fs, '/db/checkpoints', checkpoint.name)).toMatchObject({
      status: 'version',
      version: 2,
    })
    await expect(openEngine({ fs, dir: '/db' })).rejects.toMatchObject({
      code: 'RECOVERY_UNSUPPORTED_VERSION',
    })
  })
})

describe('journal frames', () => {
  it('are encoded exactly as @sky/journal writes them', async () => {
    const fs = new SimFileSystem()
    const journal = await openJournal({ fs, dir: '/j' })
    await journal.append(new TextEncoder().encode('hi'), 1)
    await journal.close()
    const bytes = fs.contents('/j/00000001.log')
    expect(hex(bytes.subarray(0, 32))).toBe(hex(encodeSegmentHeader(1, 1n)))
    expect(hex(bytes.subarray(32))).toBe(hex(encodeFrame(1n, 1, new TextEncoder().encode('hi'))))
    expect(hex(encodeFrame(1n, 1, new TextEncoder().encode('hi')))).toBe(
      '02000000' + '483c8132' + '0100000000000000' + '01' + '6869',
    )
  })

  it('of an unknown kind make open refuse', async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({
      fs,
      dir: '/db',
      idleTimeoutMs: 0,
      checkpoint: { intervalMs: 0, onClose: false },
    })
    await engine.close()
    const journal = await openJournal({ fs, dir: '/db/journal' })
    await journal.append(new Uint8Array([1]), 42)
    await journal.close()
    expect(isDataFrameKind(42)).toBe(false)
    await expect(openEngine({ fs, dir: '/db' })).rejects.toMatchObject({
      code: 'RECOVERY_UNSUPPORTED_VERSION',
    })
  })
})

describe('records', () => {
  it('round-trip, and match the worked examples', () => {
    const prepare = {
      id: 'p1',
      echo: new Uint8Array([0xee]),
      action: { kind: 'rewrite', modelId: '7', removed: [1] },
    } as const
    expect(hex(encodePrepare(prepare))).toBe(
      '01' + '0200' + '7031' + '01000000' + 'ee' + '02' + '0100' + '0100' + '37' + '0100' + '0100',
    )
    expect(decodePrepare(encodePrepare(prepare))).toEqual(prepare)
    const drop = {
      id: 'x',
      echo: new Uint8Array(0),
      action: { kind: 'drop', modelIds: ['1', '22'] },
    } as const
    expect(decodePrepare(encodePrepare(drop))).toEqual(drop)
    expect(hex(encodeTimeMark(1_767_225_600_000))).toBe('01' + '00a8da769b010000')
    expect(decodeTimeMark(encodeTimeMark(1_767_225_600_000))).toBe(1_767_225_600_000)
    const lost = {
      lostInRepair: true,
      quarantine: 'quarantine/x',
      segment: '00000001.log',
      offset: 77,
    } as const
    expect(decodeLost(encodeLost(lost))).toEqual(lost)
    expect(() => decodePrepare(new Uint8Array([1, 5, 0]))).toThrow(RangeError)
    expect(dataFrameKind).toEqual({
      redo: 1,
      ddlEcho: 2,
      prepare: 3,
      catalogImage: 4,
      timeMark: 5,
      lost: 6,
    })
  })
})
