/**
 * Goal: whatever a caller passes that the mapping accepts, the server decodes exactly that value
 * with the type the mapping table promises. Method: map with toParameter, encode with
 * @sky/protocol's encodeParameters, decode with its decodeParameters, compare.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeParameters, encodeParameters } from '@sky/protocol'
import { toParameters } from '../src/parameters.js'
import type { QueryParameter } from '../src/index.js'

const queryParameter: fc.Arbitrary<QueryParameter> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }),
  fc.maxSafeInteger(),
  fc.double().filter((d) => !Number.isInteger(d) || Number.isSafeInteger(d)),
  fc.string({ unit: 'grapheme' }),
  fc.uint8Array({ maxLength: 64 }),
)

function expectedType(value: QueryParameter): string {
  if (value === null) return 'null'
  if (value instanceof Uint8Array) return 'binary'
  switch (typeof value) {
    case 'boolean':
      return 'bool'
    case 'string':
      return 'string'
    case 'bigint':
      return value >= 0n ? 'uint' : 'sint'
    case 'number':
      if (!Number.isInteger(value)) return 'float'
      return value >= 0 ? 'uint' : 'sint'
    default:
      return 'never'
  }
}

describe('parameter mapping through the codec', () => {
  it('decodes to the mapped type and the same value', () => {
    fc.assert(
      fc.property(fc.array(queryParameter, { maxLength: 8 }), (values) => {
        const decoded = decodeParameters(encodeParameters(toParameters(values)))
        expect(decoded.error).toBeNull()
        expect(decoded.parameters).toHaveLength(values.length)
        decoded.parameters.forEach((parameter, index) => {
          const value = values[index] as QueryParameter
          expect(parameter.type).toBe(expectedType(value))
          if (parameter.type === 'null') return
          if (parameter.type === 'uint' || parameter.type === 'sint') {
            expect(parameter.value).toBe(BigInt(value as number | bigint))
          } else if (parameter.type === 'binary') {
            expect([...parameter.value]).toEqual([...(value as Uint8Array)])
          } else {
            expect(Object.is(parameter.value, value)).toBe(true)
          }
        })
      }),
      { numRuns: 300 },
    )
  })
})
