import { describe, expect, it } from 'vitest'
import type { Parameter } from '@sky/protocol'
import { binary, float, sint, toParameter, uint } from '../src/index.js'
import type { QueryParameter } from '../src/index.js'

const U64_MAX = (1n << 64n) - 1n
const I64_MIN = -(1n << 63n)

describe('toParameter (the mapping table of README.md, row by row)', () => {
  const rows: [string, QueryParameter, Parameter][] = [
    ['null', null, { type: 'null' }],
    ['true', true, { type: 'bool', value: true }],
    ['false', false, { type: 'bool', value: false }],
    ['bigint 0', 0n, { type: 'uint', value: 0n }],
    ['bigint u64 max', U64_MAX, { type: 'uint', value: U64_MAX }],
    ['bigint -1', -1n, { type: 'sint', value: -1n }],
    ['bigint i64 min', I64_MIN, { type: 'sint', value: I64_MIN }],
    ['number 30', 30, { type: 'uint', value: 30n }],
    ['number -0', -0, { type: 'uint', value: 0n }],
    ['number -129', -129, { type: 'sint', value: -129n }],
    ['number 2^53-1', Number.MAX_SAFE_INTEGER, { type: 'uint', value: 2n ** 53n - 1n }],
    ['number 1.5', 1.5, { type: 'float', value: 1.5 }],
    ['number NaN', Number.NaN, { type: 'float', value: Number.NaN }],
    ['number -Infinity', -Infinity, { type: 'float', value: -Infinity }],
    ['string', 'sayan', { type: 'string', value: 'sayan' }],
    ['empty string', '', { type: 'string', value: '' }],
    ['Uint8Array', Uint8Array.of(1, 2), { type: 'binary', value: Uint8Array.of(1, 2) }],
    ['Buffer', Buffer.from('pw'), { type: 'binary', value: Uint8Array.from(Buffer.from('pw')) }],
    ['uint(5)', uint(5), { type: 'uint', value: 5n }],
    ['sint(5)', sint(5), { type: 'sint', value: 5n }],
    ['sint(-5n)', sint(-5n), { type: 'sint', value: -5n }],
    ['float(2)', float(2), { type: 'float', value: 2 }],
    ['binary("pw")', binary('pw'), { type: 'binary', value: Uint8Array.of(0x70, 0x77) }],
  ]
  for (const [name, input, expected] of rows) {
    it(`maps ${name}`, () => {
      const actual = toParameter(input)
      expect(actual.type).toBe(expected.type)
      if ('value' in expected && 'value' in actual) {
        if (actual.value instanceof Uint8Array) {
          expect([...actual.value]).toEqual([...(expected.value as Uint8Array)])
        } else {
          expect(Object.is(actual.value, expected.value)).toBe(true)
        }
      }
    })
  }

  it('refuses an integer number beyond 2^53 with RangeError naming the index', () => {
    expect(() => toParameter(2 ** 60, 3)).toThrow(/parameter 3.*safe integer/)
    expect(() => toParameter(2 ** 60)).toThrow(RangeError)
  })

  it('refuses bigints outside u64 and i64', () => {
    expect(() => toParameter(U64_MAX + 1n)).toThrow(RangeError)
    expect(() => toParameter(I64_MIN - 1n)).toThrow(RangeError)
  })

  it('refuses undefined, arrays and objects with TypeError', () => {
    expect(() => toParameter(undefined as unknown as QueryParameter)).toThrow(TypeError)
    expect(() => toParameter([1, 2] as unknown as QueryParameter)).toThrow(/\[\?, \?\]/)
    expect(() => toParameter({ type: 'uint' } as unknown as QueryParameter)).toThrow(TypeError)
  })
})

describe('parameter wrappers', () => {
  it('check their range', () => {
    expect(() => uint(-1)).toThrow(RangeError)
    expect(() => uint(U64_MAX + 1n)).toThrow(RangeError)
    expect(() => uint(1.5)).toThrow(RangeError)
    expect(() => sint((1n << 63n))).toThrow(RangeError)
    expect(() => sint(2 ** 53)).toThrow(RangeError)
    expect(() => float('1' as unknown as number)).toThrow(TypeError)
    expect(() => binary(5 as unknown as string)).toThrow(TypeError)
  })

  it('copy binary input, so a later change does not alter the parameter', () => {
    const bytes = Uint8Array.of(1, 2, 3)
    const parameter = binary(bytes)
    bytes[0] = 9
    expect(parameter.parameter).toEqual({ type: 'binary', value: Uint8Array.of(1, 2, 3) })
  })

  it('are immutable', () => {
    const parameter = uint(1)
    expect(Object.isFrozen(parameter)).toBe(true)
  })
})
