/**
 * fast-check generators for every parameter, value and response, biased towards the extremes
 * (u64 max, i64 min, NaN, ±Infinity, -0, subnormals, empty and non-ASCII strings, empty binaries).
 */
import fc from 'fast-check'
import type { Parameter, Response, Value } from '../src/index.js'

const U64_MAX = (1n << 64n) - 1n
const I64_MIN = -(1n << 63n)
const I64_MAX = (1n << 63n) - 1n

export const u64 = fc.oneof(fc.constantFrom(0n, 1n, U64_MAX), fc.bigInt({ min: 0n, max: U64_MAX }))
export const i64 = fc.oneof(
  fc.constantFrom(I64_MIN, I64_MAX, 0n, -1n),
  fc.bigInt({ min: I64_MIN, max: I64_MAX }),
)
export const float = fc.oneof(
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 0, 5e-324, -5e-324, Number.MAX_VALUE,
    -Number.MAX_VALUE, 1e21, 1e-7, 0.1, 2 ** 53),
  fc.double(),
)
export const text = fc.oneof(
  fc.constantFrom('', 'é', '\ufeff', '🔑', 'a\nb', '\0'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 40 }),
)
export const bytes = fc.oneof(fc.constant(new Uint8Array(0)), fc.uint8Array({ maxLength: 64 }))

export const parameter: fc.Arbitrary<Parameter> = fc.oneof(
  fc.constant({ type: 'null' } as const),
  fc.boolean().map((value) => ({ type: 'bool', value }) as const),
  u64.map((value) => ({ type: 'uint', value }) as const),
  i64.map((value) => ({ type: 'sint', value }) as const),
  float.map((value) => ({ type: 'float', value }) as const),
  bytes.map((value) => ({ type: 'binary', value }) as const),
  text.map((value) => ({ type: 'string', value }) as const),
)

function int(type: 'uint8' | 'uint16' | 'uint32' | 'sint8' | 'sint16' | 'sint32', min: number,
  max: number): fc.Arbitrary<Value> {
  return fc.oneof(fc.constantFrom(min, max, 0), fc.integer({ min, max }))
    .map((value) => ({ type, value }))
}

const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.constant({ type: 'null' } as const),
  fc.boolean().map((value) => ({ type: 'bool', value }) as const),
  int('uint8', 0, 0xff),
  int('uint16', 0, 0xffff),
  int('uint32', 0, 0xffff_ffff),
  int('sint8', -0x80, 0x7f),
  int('sint16', -0x8000, 0x7fff),
  int('sint32', -0x8000_0000, 0x7fff_ffff),
  u64.map((value) => ({ type: 'uint64', value }) as const),
  i64.map((value) => ({ type: 'sint64', value }) as const),
  float.map((value) => ({ type: 'float32', value }) as const),
  float.map((value) => ({ type: 'float64', value }) as const),
  bytes.map((value) => ({ type: 'binary', value }) as const),
  text.map((value) => ({ type: 'string', value }) as const),
)

/** Any value, lists nested a few levels deep. */
export const value: fc.Arbitrary<Value> = fc.letrec<{ value: Value }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 })
      .map((items) => ({ type: 'list', value: items }) as const),
  ),
})).value

/** Any response: a bare value, a row, a multirow, empty, or an error. */
export const response: fc.Arbitrary<Response> = fc.oneof(
  value,
  fc.array(value, { maxLength: 5 }).map((values) => ({ type: 'row', values }) as const),
  fc.integer({ min: 0, max: 4 }).chain((columnCount) =>
    fc.array(fc.array(value, { minLength: columnCount, maxLength: columnCount }), { maxLength: 4 })
      .map((rows) => ({ type: 'multirow', columnCount, rows }) as const)),
  fc.constant({ type: 'empty' } as const),
  fc.integer({ min: 0, max: 0xffff }).map((code) => ({ type: 'error', code }) as const),
)

/**
 * How to split a stream: a list of cut points taken modulo the stream length, or (one run in
 * eight) every single byte.
 */
export const chunking: fc.Arbitrary<readonly number[] | 'bytes'> = fc.oneof(
  { weight: 7, arbitrary: fc.array(fc.nat(), { maxLength: 24 }) },
  { weight: 1, arbitrary: fc.constant('bytes' as const) },
)

/** Splits `stream` as `how` says. */
export function split(stream: Uint8Array, how: readonly number[] | 'bytes'): Uint8Array[] {
  if (how === 'bytes') return Array.from(stream, (byte) => Uint8Array.of(byte))
  const points = [...new Set(how.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let from = 0
  for (const point of [...points, stream.length]) {
    chunks.push(stream.slice(from, point))
    from = point
  }
  return chunks
}
