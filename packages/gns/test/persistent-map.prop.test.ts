/**
 * PersistentMap against a plain Map: any sequence of edits gives the same entries, and every
 * earlier version stays exactly as it was (structural sharing never leaks a change backwards).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PersistentMap } from '../src/internal/persistent-map.js'

type Edit = { readonly key: number; readonly value: number | undefined }

const edit: fc.Arbitrary<Edit> = fc.record({
  key: fc.integer({ min: 0, max: 3000 }),
  value: fc.option(fc.integer(), { nil: undefined }),
})

describe('PersistentMap', () => {
  it('matches a Map after any edits and never changes an earlier version', () => {
    fc.assert(
      fc.property(fc.array(fc.array(edit, { maxLength: 400 }), { maxLength: 12 }), (batches) => {
        let current = PersistentMap.empty<number, number>()
        const model = new Map<number, number>()
        const history: [PersistentMap<number, number>, [number, number][]][] = []
        for (const batch of batches) {
          const editor = current.edit()
          for (const { key, value } of batch) {
            if (value === undefined) {
              editor.delete(key)
              model.delete(key)
            } else {
              editor.set(key, value)
              model.set(key, value)
            }
          }
          current = editor.finish()
          history.push([current, [...model].sort((a, b) => a[0] - b[0])])
          expect(current.size).toBe(model.size)
          for (const [key, value] of model) expect(current.get(key)).toBe(value)
        }
        for (const [version, entries] of history) {
          expect([...version].sort((a, b) => a[0] - b[0])).toEqual(entries)
        }
      }),
      { numRuns: 100 },
    )
  })

  it('spreads a large map over many buckets and back', () => {
    const big = PersistentMap.from(
      Array.from({ length: 50_000 }, (_, at) => [`k${at}`, at] as const),
    )
    expect(big.size).toBe(50_000)
    expect(big.get('k49999')).toBe(49_999)
    const editor = big.edit()
    for (let at = 0; at < 49_990; at++) editor.delete(`k${at}`)
    const small = editor.finish()
    expect([...small.keys()].sort()).toEqual(
      Array.from({ length: 10 }, (_, at) => `k${49_990 + at}`).sort(),
    )
    expect(big.size).toBe(50_000)
  })
})
