// The ranks nodes compare before keys (src/internal/key-order.ts) must never contradict the key
// order: for keys sharing their first `offset` units, a smaller rank means a smaller key, and an
// exact rank means equal keys. Checked per kind on random keys and offsets.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Key } from '../src/index.js'
import type { KeyOrder } from '../src/internal/key-order.js'
import { keyOrder } from '../src/internal/key-order.js'

function checkRanks<K extends Key>(order: KeyOrder<K>, a: K, b: K, offsetSeed: number): void {
  const shared = order.commonPrefix(a, b)
  const offset = shared === 0 ? 0 : offsetSeed % (shared + 1)
  const rankA = order.rank(a, offset)
  const rankB = order.rank(b, offset)
  const comparison = order.compare(a, b)
  expect(Number.isInteger(rankA)).toBe(true)
  if (rankA < rankB) expect(comparison).toBeLessThan(0)
  if (rankA > rankB) expect(comparison).toBeGreaterThan(0)
  if (rankA === rankB && order.exact(rankA)) expect(comparison).toBe(0)
  expect(order.comparePrefix(a, b, offset)).toBe(0)
}

const runs = { numRuns: 3000 }
/** Two keys built as stem + tail: they share at least the stem. */
function prefixed<T, K>(unit: fc.Arbitrary<T>, join: (parts: T[]) => K) {
  const parts = (length: number) => fc.array(unit, { maxLength: length })
  return fc
    .tuple(parts(4), parts(6), parts(6))
    .map(([stem, a, b]) => [join([...stem, ...a]), join([...stem, ...b])] as const)
}

describe('key ranks', () => {
  it('never contradict integer order, and are exact below 2^53', () => {
    const order = keyOrder('int') as KeyOrder<bigint>
    const int = fc.oneof(
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
      fc.bigInt({ min: 2n ** 53n - 4n, max: 2n ** 53n + 4n }),
      fc.bigInt({ min: -(2n ** 53n) - 4n, max: -(2n ** 53n) + 4n }),
    )
    fc.assert(fc.property(int, int, fc.nat(), (a, b, seed) => checkRanks(order, a, b, seed)), runs)
    expect(order.exact(order.rank(2n ** 53n, 0))).toBe(false)
    expect(order.exact(order.rank(2n ** 53n - 1n, 0))).toBe(true)
  })

  it('never contradict string order from any shared offset', () => {
    const order = keyOrder('string') as KeyOrder<string>
    const units = ['\u0000', 'a', 'b', '\ud7ff', '\ue000', '\uffff', '😀', '𝄞', '\ud800']
    const unit = fc.constantFrom(...units)
    const pair = prefixed(unit, (parts) => parts.join(''))
    fc.assert(fc.property(pair, fc.nat(), ([a, b], seed) => checkRanks(order, a, b, seed)), runs)
  })

  it('never contradict binary order from any shared offset', () => {
    const order = keyOrder('binary') as KeyOrder<Uint8Array>
    const byte = fc.constantFrom(0, 1, 127, 128, 254, 255)
    const pair = prefixed(byte, (parts) => Uint8Array.from(parts))
    fc.assert(fc.property(pair, fc.nat(), ([a, b], seed) => checkRanks(order, a, b, seed)), runs)
  })

  it('compare a key with a longer stem as below it', () => {
    const order = keyOrder('string') as KeyOrder<string>
    expect(order.comparePrefix('us', 'user', 4)).toBeLessThan(0)
    expect(order.comparePrefix('uz', 'user', 2)).toBeGreaterThan(0)
    const bytes = keyOrder('binary') as KeyOrder<Uint8Array>
    expect(bytes.comparePrefix(Uint8Array.of(1), Uint8Array.of(1, 2), 2)).toBeLessThan(0)
  })
})
