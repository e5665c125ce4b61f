// Structural tests of the B+tree under the store: shapes that exercise every split, merge and
// redistribution path, checked with the full invariant walk (order, sizes, exact maxima, counts).
import { describe, expect, it } from 'vitest'
import type { KeyOrder } from '../src/internal/key-order.js'
import { keyOrder } from '../src/internal/key-order.js'
import { rangeMaxTs } from '../src/internal/range-max.js'
import { assertTreeInvariants } from '../src/internal/tree-invariants.js'
import { VersionTree } from '../src/internal/version-tree.js'

function tree(): VersionTree<bigint, string> {
  return new VersionTree<bigint, string>(keyOrder('int') as KeyOrder<bigint>)
}

/** A deterministic pseudo-random source of non-negative 32-bit integers (xorshift32). */
function generator(seed: number): () => number {
  let state = seed
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return state >>> 0
  }
}

/** A deterministic pseudo-random permutation of 0..count-1 (count must be coprime to 7919). */
function shuffled(count: number): number[] {
  return Array.from({ length: count }, (_, index) => (index * 7_919 + 13) % count)
}

describe('VersionTree', () => {
  it('grows to height 2 in ascending order with full left leaves', () => {
    const subject = tree()
    for (let key = 0; key < 10_000; key++) subject.put(BigInt(key), key + 1, 'v')
    assertTreeInvariants(subject)
    expect(subject.height).toBe(2)
    // Right-edge splits leave left leaves full: 10,000 keys fit in ceil(10,000 / 64) leaves.
    let leaves = 0
    for (const branch of (subject.root as { children: Array<{ children: unknown[] }> }).children) {
      leaves += branch.children.length
    }
    expect(leaves).toBe(Math.ceil(10_000 / 64))
  })

  it('stays valid under descending and shuffled inserts', () => {
    for (const order of [shuffled(9_999), Array.from({ length: 9_999 }, (_, i) => 9_998 - i)]) {
      const subject = tree()
      let ts = 0
      for (const key of order) subject.put(BigInt(key), ++ts, `v${key}`)
      assertTreeInvariants(subject)
      expect(subject.keyCount).toBe(9_999)
      for (const key of [0, 4_321, 9_998]) expect(subject.read(BigInt(key), ts)).toBe(`v${key}`)
    }
  })

  it('stays valid while removing keys in shuffled order down to empty', () => {
    const subject = tree()
    for (let key = 0; key < 9_999; key++) subject.put(BigInt(key), key + 1, 'v')
    let removed = 0
    for (const key of shuffled(9_999)) {
      expect(subject.remove(BigInt(key))).toBe(1)
      removed++
      if (removed % 500 === 0) assertTreeInvariants(subject)
    }
    assertTreeInvariants(subject)
    expect(subject.height).toBe(0)
    expect(subject.keyCount).toBe(0)
    expect(subject.remove(5n)).toBe(0)
  })

  it('keeps exact per-branch maxima when the newest keys are removed', () => {
    const subject = tree()
    for (let key = 0; key < 5_000; key++) subject.put(BigInt(key), key + 1, 'v')
    for (let key = 4_999; key >= 2_000; key--) subject.remove(BigInt(key))
    assertTreeInvariants(subject)
    const all = { from: undefined, fromExclusive: false, to: undefined, toExclusive: false }
    expect(rangeMaxTs(subject, all)).toBe(2_000)
  })

  it('keeps string node prefixes valid as keys with shared stems come and go', () => {
    // Stems of several lengths, nested in one another, so node offsets grow and shrink.
    const stems = ['', 'u', 'us', 'user-', 'user-0000', 'user-0001', 'user-00001', '😀', '\uffff']
    const subject = new VersionTree<string, string>(keyOrder('string') as KeyOrder<string>)
    const present = new Set<string>()
    const next = generator(7)
    let ts = 0
    for (let step = 0; step < 30_000; step++) {
      const key = (stems[next() % stems.length] as string) + (next() % 2_000).toString(4)
      if (step > 15_000 && next() % 2 === 0) {
        expect(subject.remove(key) > 0).toBe(present.has(key))
        present.delete(key)
      } else {
        subject.put(key, ++ts, key)
        present.add(key)
      }
      if (step % 3_000 === 0) assertTreeInvariants(subject)
    }
    assertTreeInvariants(subject)
    expect(subject.height).toBeGreaterThanOrEqual(2)
    for (const key of present) expect(subject.read(key, ts)).toBe(key)
    expect(subject.read('user-', ts)).toBe(present.has('user-') ? 'user-' : undefined)
    // Tails are base-4 digits, so a 5 or a letter after a stem names no key.
    for (const absent of ['user-5', 'user-00005', 'uz', 'user-0000a', '😀5']) {
      expect(subject.read(absent, ts)).toBeUndefined()
    }
  })

  it('shrinks a branch prefix when a redistribution brings in a separator outside it', () => {
    // Leaf 0 ends up with only "a…" keys while every separator of its parent starts with
    // "user-"; leaf 1 then borrows from leaf 0, and an "a…" key becomes separator 0.
    const subject = new VersionTree<string, string>(keyOrder('string') as KeyOrder<string>)
    const aKeys = Array.from({ length: 60 }, (_, index) => `a${String(index).padStart(3, '0')}`)
    const userKeys = Array.from({ length: 4_500 }, (_, index) => `user-${index + 10_000}`)
    let ts = 0
    for (const key of [...aKeys, ...userKeys]) subject.put(key, ++ts, key)
    expect(subject.height).toBe(2)
    for (const key of userKeys.slice(0, 4)) subject.remove(key)
    // The first branch was split off the root, so its prefix was computed: "user-1".
    type Node = { offset: number; keys: string[] }
    const parent = (subject.root as unknown as { children: Node[] }).children[0] as Node
    expect(parent.offset).toBeGreaterThan(0)
    for (const key of userKeys.slice(4, 4 + 64 - 15)) subject.remove(key)
    assertTreeInvariants(subject)
    expect(parent.keys[0]?.startsWith('a')).toBe(true)
    expect(parent.offset).toBe(0)
    for (const key of [...aKeys, ...userKeys.slice(53)]) expect(subject.read(key, ts)).toBe(key)
  })

  it('interleaves puts and removes at random positions', () => {
    const subject = tree()
    const present = new Set<number>()
    const next = generator(42)
    let ts = 0
    for (let step = 0; step < 40_000; step++) {
      const key = next() % 6_000
      if (next() % 3 === 0) {
        expect(subject.remove(BigInt(key)) > 0).toBe(present.has(key))
        present.delete(key)
      } else {
        subject.put(BigInt(key), ++ts, 'v')
        present.add(key)
      }
      if (step % 5_000 === 0) assertTreeInvariants(subject)
    }
    assertTreeInvariants(subject)
    expect(subject.keyCount).toBe(present.size)
    expect(subject.height).toBe(2)
  })
})
