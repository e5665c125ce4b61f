import { describe, expect, it } from 'vitest'
import { decodeFrame, encodeFrame, frameBytes, frameHeaderBytes } from '../src/internal/frame.js'
import { decodeSegmentHeader, encodeSegmentHeader, segmentIndex, segmentName } from '../src/internal/segment.js'

function frame(lsn: bigint, kind: number, payload: number[]): Uint8Array {
  const bytes = new Uint8Array(frameBytes(payload.length))
  encodeFrame(bytes, 0, { lsn, kind, payload: new Uint8Array(payload) })
  return bytes
}

describe('frame', () => {
  it('lays out length, crc, lsn, kind and payload little endian (FORMAT.md worked example)', () => {
    const bytes = frame(5n, 1, [0x68, 0x69])
    expect(Buffer.from(bytes).toString('hex')).toBe(
      '02000000' + Buffer.from(bytes.subarray(4, 8)).toString('hex') + '0500000000000000' + '01' + '6869',
    )
    expect(bytes.length).toBe(frameHeaderBytes + 2)
    expect(Buffer.from(frame(5n, 1, [0x68, 0x69])).toString('hex')).toBe('02000000ca4f58820500000000000000016869')
  })

  it('decodes what it encodes', () => {
    const read = decodeFrame(frame(7n, 200, [1, 2, 3]), 0, 100)
    expect(read).toMatchObject({ status: 'frame', lsn: 7n, kind: 200, end: 20 })
  })

  it('reports a short frame, a length over the limit, kind 0 and a bad crc', () => {
    const bytes = frame(1n, 1, [1, 2, 3, 4])
    expect(decodeFrame(bytes.subarray(0, 10), 0, 100)).toEqual({ status: 'short' })
    expect(decodeFrame(bytes.subarray(0, bytes.length - 1), 0, 100)).toEqual({ status: 'short' })
    expect(decodeFrame(bytes, 0, 3)).toEqual({ status: 'bad', reason: 'length' })
    const zeroKind = bytes.slice()
    zeroKind[16] = 0
    expect(decodeFrame(zeroKind, 0, 100)).toEqual({ status: 'bad', reason: 'kind' })
    const flipped = bytes.slice()
    flipped[18]! ^= 0x10
    expect(decodeFrame(flipped, 0, 100)).toEqual({ status: 'bad', reason: 'crc' })
  })

  it('never treats zeros as a frame', () => {
    expect(decodeFrame(new Uint8Array(64), 0, 100).status).toBe('bad')
  })
})

describe('segment header', () => {
  it('matches the worked example of FORMAT.md', () => {
    const bytes = encodeSegmentHeader({ index: 1, baseLsn: 1n })
    expect(Buffer.from(bytes).toString('hex')).toBe(
      '534b594a524e4c00' + '01000000' + '01000000' + '0100000000000000' + '00000000' + 'f53ef4eb',
    )
  })

  it('round-trips and rejects a flipped bit or a short header', () => {
    const bytes = encodeSegmentHeader({ index: 3, baseLsn: 1234n })
    expect(decodeSegmentHeader(bytes)).toEqual({ status: 'ok', header: { index: 3, baseLsn: 1234n } })
    expect(decodeSegmentHeader(bytes.subarray(0, 31))).toEqual({ status: 'short' })
    const flipped = bytes.slice()
    flipped[0]! ^= 1
    expect(decodeSegmentHeader(flipped)).toEqual({ status: 'bad' })
  })

  it('names segments with eight digits and parses only such names', () => {
    expect(segmentName(1)).toBe('00000001.log')
    expect(segmentIndex('00000042.log')).toBe(42)
    expect(segmentIndex('torn')).toBeUndefined()
    expect(segmentIndex('1.log')).toBeUndefined()
  })
})
