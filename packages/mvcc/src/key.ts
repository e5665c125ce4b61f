/**
 * Primary keys: the three kinds BlueQL allows for a primary key, and their total order.
 *
 * BlueQL (spec §2.3) lets a primary key be an unsigned or signed integer (any width up to 64
 * bits), a `string` or a `binary`. A model has exactly one primary key field, so one store holds
 * keys of a single kind; the order is only ever defined within a kind:
 *
 * - `int`: `bigint`, numeric order. Both signednesses fit (u64 and i64), so one kind serves both.
 * - `string`: order of Unicode code points, which is the order of the UTF-8 encodings compared
 *   byte by byte. JavaScript's `<` compares UTF-16 code units instead and disagrees for characters
 *   above U+FFFF against U+E000..U+FFFF; we pick UTF-8 byte order because it equals the `binary`
 *   order of the encoded key, so a key keeps its place whether it is held as text or as bytes.
 * - `binary`: `Uint8Array`, lexicographic by unsigned byte, a proper prefix first.
 *
 * Invariant: every comparator here is a total order on its kind (antisymmetric, transitive,
 * 0 exactly for equal keys), which the ordered index relies on.
 */

/** A primary key value: see {@link KeyKind} for which JavaScript type each key kind uses. */
export type Key = bigint | string | Uint8Array

/** The kind of a model's primary key: `int` (u8..u64, s8..s64), `string` or `binary`. */
export type KeyKind = 'int' | 'string' | 'binary'

/** The JavaScript key type of a {@link KeyKind}. */
export type KeyOfKind<Kind extends KeyKind> = Kind extends 'int'
  ? bigint
  : Kind extends 'string'
    ? string
    : Uint8Array

/** The {@link KeyKind} whose keys have JavaScript type `K`. */
export type KindOfKey<K extends Key> = K extends bigint
  ? 'int'
  : K extends string
    ? 'string'
    : 'binary'

/**
 * A range of keys. An absent bound is unbounded on that side; bounds are inclusive unless the
 * matching `…Exclusive` flag is true. A range whose lower bound lies above its upper bound is
 * empty (no error).
 */
export interface KeyRange<K extends Key = Key> {
  readonly from?: K
  readonly fromExclusive?: boolean
  readonly to?: K
  readonly toExclusive?: boolean
}

/** Compares two `bigint` keys numerically. */
export function compareIntKeys(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Maps a UTF-16 code unit so that code-unit order becomes code-point (UTF-8 byte) order. */
function codePointRank(unit: number): number {
  // Surrogates (D800..DFFF, the halves of characters above U+FFFF) must sort after every BMP
  // character, including E000..FFFF: swap the two blocks, keeping order inside each.
  if (unit < 0xd800) return unit
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000
}

/** Compares two string keys by Unicode code point, which equals UTF-8 byte order. */
export function compareStringKeys(a: string, b: string): number {
  if (a === b) return 0
  const length = a.length < b.length ? a.length : b.length
  for (let index = 0; index < length; index++) {
    const unitA = a.charCodeAt(index)
    const unitB = b.charCodeAt(index)
    if (unitA !== unitB) return codePointRank(unitA) - codePointRank(unitB)
  }
  return a.length - b.length
}

/** Compares two binary keys byte by byte (unsigned); a proper prefix sorts first. */
export function compareBinaryKeys(a: Uint8Array, b: Uint8Array): number {
  const length = a.length < b.length ? a.length : b.length
  for (let index = 0; index < length; index++) {
    const byteA = a[index] as number
    const byteB = b[index] as number
    if (byteA !== byteB) return byteA - byteB
  }
  return a.length - b.length
}

/** The kind of `value` if it is a key, else `undefined`. */
export function keyKindOf(value: unknown): KeyKind | undefined {
  if (typeof value === 'bigint') return 'int'
  if (typeof value === 'string') return 'string'
  if (value instanceof Uint8Array) return 'binary'
  return undefined
}

/**
 * Compares two keys of the same kind: negative if `a` sorts first, 0 if equal, positive if after.
 * The order per kind is described in this module's header (strings: UTF-8 byte order).
 *
 * @throws TypeError if either value is not a key or the two are of different kinds.
 * @example
 * ```ts
 * compareKeys('a', 'b')        // < 0
 * compareKeys('\uffff', '😀')   // < 0: U+FFFF is below U+1F600 (JavaScript's < says otherwise)
 * compareKeys(10n, 9n)         // > 0
 * ```
 */
export function compareKeys<K extends Key>(a: K, b: K): number {
  const kind = keyKindOf(a)
  if (kind === undefined || keyKindOf(b) !== kind) {
    const got = `${describe(a)}, ${describe(b)}`
    throw new TypeError(`compareKeys needs two keys of one kind, got ${got}`)
  }
  return keyComparator(kind)(a as never, b as never)
}

/**
 * The comparator of one key kind (what a store uses internally).
 *
 * @example
 * ```ts
 * ['b', 'a'].sort(keyComparator('string'))  // ['a', 'b']
 * ```
 */
export function keyComparator<Kind extends KeyKind>(
  kind: Kind,
): (a: KeyOfKind<Kind>, b: KeyOfKind<Kind>) => number {
  switch (kind) {
    case 'int':
      return compareIntKeys as never
    case 'string':
      return compareStringKeys as never
    case 'binary':
      return compareBinaryKeys as never
    default:
      throw new TypeError(`unknown key kind ${String(kind)}`)
  }
}

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`
  if (typeof value === 'bigint') return `${value}n`
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 40))
  return typeof value
}
