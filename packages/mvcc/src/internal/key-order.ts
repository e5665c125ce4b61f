/**
 * KeyOrder: a key kind's comparator plus ranks, numbers that order keys coarsely.
 *
 * Why ranks: a key is a heap object (a BigInt, a string, a Uint8Array), so comparing two keys
 * reads memory at a random place, and a lookup among a million keys makes some 24 comparisons:
 * two dozen cache misses. Nodes therefore keep each key's rank in a packed array of doubles beside
 * the keys, compare ranks first, and read a key only when ranks tie.
 *
 * Ranks of strings and bytes start at a node's `offset`: the keys of one node share their first
 * `offset` units (strings: UTF-16 code units; binary: bytes), so the rank spends its 53 bits on
 * the part that differs ("user-00001234" and "user-00001299" in one leaf rank by "234", "299").
 *
 * Invariants, for keys a and b of one kind that share their first `offset` units:
 * - monotone: rank(a, offset) < rank(b, offset) implies a < b, so a < b implies <=;
 * - `exact(r)`: if rank(a, offset) = rank(b, offset) = r and exact(r), then a equals b.
 */
import type { KeyKind } from '../key.js'
import { compareBinaryKeys, compareIntKeys, compareStringKeys } from '../key.js'
import type { Compare } from './node.js'

export interface KeyOrder<K> {
  readonly compare: Compare<K>
  /** The rank of `key` counted from unit `offset`. */
  readonly rank: (key: K, offset: number) => number
  /** Whether equal ranks `rank` pin down one key (see the invariants). */
  readonly exact: (rank: number) => boolean
  /** Number of leading units `a` and `b` share (always 0 for integers). */
  readonly commonPrefix: (a: K, b: K) => number
  /** Compares the first `offset` units of `key` with those of `stem` (which has them all). */
  readonly comparePrefix: (key: K, stem: K, offset: number) => number
}

const exactMax = 2 ** 53

/** Integers: `Number(key)` is monotone (rounding is) and exact below 2^53 in magnitude. */
const intOrder: KeyOrder<bigint> = {
  compare: compareIntKeys,
  rank: (key) => Number(key),
  exact: (rank) => rank < exactMax && rank > -exactMax,
  commonPrefix: () => 0,
  comparePrefix: () => 0,
}

/** As in key.ts: makes code-unit order code-point order. */
function unitRank(unit: number): number {
  if (unit < 0xd800) return unit
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000
}

/**
 * Strings: from `offset`, three units as 17-bit digits (unit rank + 1; 0 for a missing unit, so
 * a prefix ranks below its extensions), times 2, plus 1 if more units follow. An even rank holds
 * the whole rest of the string, so it is exact.
 */
function stringRank(key: string, offset: number): number {
  const rest = key.length - offset
  const first = rest > 0 ? unitRank(key.charCodeAt(offset)) + 1 : 0
  const second = rest > 1 ? unitRank(key.charCodeAt(offset + 1)) + 1 : 0
  const third = rest > 2 ? unitRank(key.charCodeAt(offset + 2)) + 1 : 0
  return ((first * 0x20000 + second) * 0x20000 + third) * 2 + (rest > 3 ? 1 : 0)
}

const stringOrder: KeyOrder<string> = {
  compare: compareStringKeys,
  rank: stringRank,
  exact: (rank) => rank % 2 === 0,
  commonPrefix: (a, b) => {
    const length = a.length < b.length ? a.length : b.length
    let index = 0
    while (index < length && a.charCodeAt(index) === b.charCodeAt(index)) index++
    return index
  },
  comparePrefix: (key, stem, offset) => {
    for (let index = 0; index < offset; index++) {
      if (index >= key.length) return -1
      const unit = key.charCodeAt(index)
      const stemUnit = stem.charCodeAt(index)
      if (unit !== stemUnit) return unitRank(unit) - unitRank(stemUnit)
    }
    return 0
  },
}

/** Binary: from `offset`, five bytes as 9-bit digits (byte + 1; 0 if missing), ×2, +1 if more. */
function binaryRank(key: Uint8Array, offset: number): number {
  let rank = 0
  for (let index = offset; index < offset + 5; index++) {
    const byte = key[index]
    rank = rank * 512 + (byte === undefined ? 0 : byte + 1)
  }
  return rank * 2 + (key.length - offset > 5 ? 1 : 0)
}

const binaryOrder: KeyOrder<Uint8Array> = {
  compare: compareBinaryKeys,
  rank: binaryRank,
  exact: (rank) => rank % 2 === 0,
  commonPrefix: (a, b) => {
    const length = a.length < b.length ? a.length : b.length
    let index = 0
    while (index < length && a[index] === b[index]) index++
    return index
  },
  comparePrefix: (key, stem, offset) => {
    for (let index = 0; index < offset; index++) {
      const byte = key[index]
      if (byte === undefined) return -1
      const stemByte = stem[index] as number
      if (byte !== stemByte) return byte - stemByte
    }
    return 0
  },
}

/** The KeyOrder of a kind. */
export function keyOrder(kind: KeyKind): KeyOrder<unknown> {
  switch (kind) {
    case 'int':
      return intOrder as KeyOrder<unknown>
    case 'string':
      return stringOrder as KeyOrder<unknown>
    case 'binary':
      return binaryOrder as KeyOrder<unknown>
    default:
      throw new TypeError(`unknown key kind ${String(kind)}`)
  }
}
