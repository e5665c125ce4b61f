import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  compareBinaryKeys,
  compareIntKeys,
  compareKeys,
  compareStringKeys,
  keyComparator,
  keyKindOf,
} from '../src/index.js'

const utf8 = new TextEncoder()
const sign = (value: number): number => Math.sign(value)

describe('compareStringKeys', () => {
  it('orders by UTF-8 bytes where JavaScript < disagrees (U+FFFF against U+1F600)', () => {
    expect('\uffff' < '😀').toBe(false)
    expect(compareStringKeys('\uffff', '😀')).toBeLessThan(0)
    expect(compareStringKeys('😀', '\uffff')).toBeGreaterThan(0)
  })

  it('sorts a proper prefix first and equal strings as 0', () => {
    expect(compareStringKeys('ab', 'abc')).toBeLessThan(0)
    expect(compareStringKeys('abc', 'abc')).toBe(0)
    expect(compareStringKeys('', 'a')).toBeLessThan(0)
  })

  it('agrees with byte order of the UTF-8 encodings for any well-formed strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        const bytes = Buffer.compare(utf8.encode(a), utf8.encode(b))
        expect(sign(compareStringKeys(a, b))).toBe(sign(bytes))
      }),
      { numRuns: 2000 },
    )
  })

  it('is antisymmetric on arbitrary code units, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (a, b) => {
        expect(sign(compareStringKeys(a, b)) === -sign(compareStringKeys(b, a))).toBe(true)
        expect(compareStringKeys(a, b) === 0).toBe(a === b)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('compareBinaryKeys', () => {
  it('orders bytes as unsigned and a proper prefix first', () => {
    expect(compareBinaryKeys(Uint8Array.of(0x7f), Uint8Array.of(0x80))).toBeLessThan(0)
    expect(compareBinaryKeys(Uint8Array.of(1, 2), Uint8Array.of(1, 2, 0))).toBeLessThan(0)
    expect(compareBinaryKeys(Uint8Array.of(), Uint8Array.of())).toBe(0)
  })

  it('agrees with Buffer.compare', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (a, b) => {
        expect(sign(compareBinaryKeys(a, b))).toBe(sign(Buffer.compare(a, b)))
      }),
      { numRuns: 2000 },
    )
  })
})

describe('compareKeys', () => {
  it('orders integers numerically across the u64 and i64 ranges', () => {
    expect(compareIntKeys(-(2n ** 63n), 2n ** 64n - 1n)).toBeLessThan(0)
    expect(compareKeys(10n, 9n)).toBeGreaterThan(0)
    expect(compareKeys(5n, 5n)).toBe(0)
  })

  it('throws TypeError for keys of two kinds or non-keys', () => {
    expect(() => compareKeys<string | bigint>('1', 1n)).toThrow(TypeError)
    expect(() => compareKeys(1 as never, 2 as never)).toThrow(TypeError)
  })

  it('gives each kind its comparator and tells kinds apart', () => {
    expect(['b', 'a'].sort(keyComparator('string'))).toEqual(['a', 'b'])
    expect(keyKindOf(1n)).toBe('int')
    expect(keyKindOf('x')).toBe('string')
    expect(keyKindOf(new Uint8Array(1))).toBe('binary')
    expect(keyKindOf(1)).toBeUndefined()
    expect(() => keyComparator('float' as never)).toThrow(TypeError)
  })
})
