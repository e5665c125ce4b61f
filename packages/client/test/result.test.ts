import { describe, expect, it } from 'vitest'
import type { Response } from '@sky/protocol'
import { isSkyError } from '@sky/std'
import { toPlain } from '../src/index.js'
import { resultFromResponse } from '../src/result.js'

describe('resultFromResponse', () => {
  it('makes empty, value, row and rows results', () => {
    expect(resultFromResponse({ type: 'empty' }).kind).toBe('empty')
    expect(resultFromResponse({ type: 'bool', value: true }).kind).toBe('value')
    expect(resultFromResponse({ type: 'null' }).kind).toBe('value')
    expect(resultFromResponse({ type: 'row', values: [] }).kind).toBe('row')
    expect(resultFromResponse({ type: 'multirow', columnCount: 2, rows: [] }).kind).toBe('rows')
  })

  it('refuses an error response (that is a QueryError) with an assertion', () => {
    expect(() => resultFromResponse({ type: 'error', code: 111 })).toThrow(/assertion/)
  })

  it('gives frozen results', () => {
    expect(Object.isFrozen(resultFromResponse({ type: 'empty' }))).toBe(true)
  })
})

describe('result accessors', () => {
  const row: Response = {
    type: 'row',
    values: [
      { type: 'string', value: 'sayan' },
      { type: 'uint64', value: 100n },
      { type: 'list', value: [{ type: 'uint8', value: 1 }, { type: 'null' }] },
    ],
  }

  it('row() converts cells to plain JS, keeping 64-bit integers as bigints', () => {
    expect(resultFromResponse(row).row()).toEqual(['sayan', 100n, [1, null]])
  })

  it('allRows() converts every row', () => {
    const rows = resultFromResponse({
      type: 'multirow',
      columnCount: 1,
      rows: [[{ type: 'sint8', value: -1 }], [{ type: 'float64', value: 1.5 }]],
    })
    expect(rows.allRows()).toEqual([[-1], [1.5]])
  })

  it('scalar() returns the bare value', () => {
    expect(resultFromResponse({ type: 'string', value: 's' }).scalar()).toBe('s')
    expect(resultFromResponse({ type: 'null' }).scalar()).toBeNull()
  })

  it('throws CLIENT_UNEXPECTED_RESULT naming both kinds on the wrong kind', () => {
    const empty = resultFromResponse({ type: 'empty' })
    expect(() => empty.row()).toThrow('expected a row result, got empty')
    expect(() => empty.scalar()).toThrow(/value/)
    expect(() => empty.allRows()).toThrow(/rows/)
    expect(() => resultFromResponse(row).expectEmpty()).toThrow(/empty result, got row/)
    try {
      empty.row()
    } catch (error) {
      expect(isSkyError(error, 'CLIENT_UNEXPECTED_RESULT')).toBe(true)
    }
    expect(() => empty.expectEmpty()).not.toThrow()
  })
})

describe('toPlain', () => {
  it('converts binary to its bytes and nested lists recursively', () => {
    const bytes = Uint8Array.of(1, 2)
    expect(toPlain({ type: 'binary', value: bytes })).toBe(bytes)
    expect(
      toPlain({ type: 'list', value: [{ type: 'list', value: [{ type: 'bool', value: false }] }] }),
    ).toEqual([[false]])
  })
})
