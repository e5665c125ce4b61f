import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MvccDatabase } from '@sky/mvcc'
import { type Row, TxnManager, type Value, decodeRedo, encodeRedo } from '../src/index.js'
import { createModels } from './helpers.js'

const value: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    fc.double(),
    fc.string({ unit: 'grapheme' }),
    fc.uint8Array({ maxLength: 20 }),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
})).value

const key = fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), fc.string(), fc.uint8Array({ maxLength: 8 }))
const record = fc.record({
  commitTs: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  writes: fc.array(
    fc.record({ modelId: fc.string({ maxLength: 30 }), key, row: fc.option(fc.array(value, { maxLength: 6 }), { nil: undefined }) }),
    { maxLength: 8 },
  ),
})

describe('redo record', () => {
  it('decodes exactly what it encodes', () => {
    fc.assert(
      fc.property(record, (original) => {
        expect(decodeRedo(encodeRedo(original))).toEqual(original)
      }),
      { numRuns: 500 },
    )
  })

  it('rejects arbitrary and truncated bytes with RedoRecordError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeRedo(bytes)
        } catch (error) {
          expect((error as { code?: string }).code).toBe('TXN_BAD_REDO_RECORD')
        }
      }),
      { numRuns: 2000 },
    )
    fc.assert(
      fc.property(record, fc.nat(), (original, cut) => {
        const bytes = encodeRedo(original)
        const at = cut % bytes.length
        expect(() => decodeRedo(bytes.subarray(0, at))).toThrow(expect.objectContaining({ code: 'TXN_BAD_REDO_RECORD' }))
      }),
      { numRuns: 500 },
    )
  })

  it('matches the worked example of FORMAT.md', () => {
    const bytes = encodeRedo({ commitTs: 5, writes: [{ modelId: 'm', key: 7n, row: [7n, 'hi'] }] })
    expect(Buffer.from(bytes).toString('hex')).toBe(
      '01' + '0500000000000000' + '01000000' + '01006d' + '030700000000000000' + '01' + '02000000' +
        '030700000000000000' + '06020000006869',
    )
  })

  it('refuses an unknown format version and out-of-order replay', () => {
    const bytes = encodeRedo({ commitTs: 5, writes: [] })
    const newer = bytes.slice()
    newer[0] = 9
    expect(() => decodeRedo(newer)).toThrow(expect.objectContaining({ code: 'TXN_BAD_REDO_RECORD' }))
    const store = new MvccDatabase<Row>()
    createModels(store)
    const manager = new TxnManager({ store, journal: { append: async () => 1n } })
    manager.replay(encodeRedo({ commitTs: 5, writes: [{ modelId: 'items', key: 1n, row: [1n] }, { modelId: 'gone', key: 2n, row: [2n] }] }))
    expect(() => manager.replay(bytes)).toThrow(expect.objectContaining({ code: 'TXN_BAD_REDO_RECORD' }))
    expect(store.store('items')!.get(1n, 5)).toEqual([1n])
  })
})
