/**
 * The shell's pieces: inline literals turned into typed parameters (one table row per form),
 * and answers printed as text and tables.
 */
import { TypedParameter } from '@sky/client'
import type { QueryResult } from '@sky/client'
import { describe, expect, it } from 'vitest'
import {
  LiteralError,
  columnNames,
  extractLiterals,
  formatQueryError,
  formatResult,
} from '../src/index.js'

function typed(parameter: unknown): unknown {
  return parameter instanceof TypedParameter ? parameter.parameter : parameter
}

describe('extractLiterals', () => {
  it.each([
    ["select * from s.m where k = 'ann'", 'select * from s.m where k = ?', ['ann']],
    ['select * from s.m where k = "a\\"b\\n"', 'select * from s.m where k = ?', ['a"b\n']],
    [
      'insert into s.m(42, -7, +7, 1.5, -2e3)',
      'insert into s.m(?, ?, ?, ?, ?)',
      [
        { type: 'uint', value: 42n },
        { type: 'sint', value: -7n },
        { type: 'sint', value: 7n },
        { type: 'float', value: 1.5 },
        { type: 'float', value: -2000 },
      ],
    ],
    [
      "insert into s.m(x'00ff')",
      'insert into s.m(?)',
      [{ type: 'binary', value: new Uint8Array([0, 255]) }],
    ],
    ['create model s.m(k: uint8, v: sint64)', 'create model s.m(k: uint8, v: sint64)', []],
    [
      'update s.m set n += 1 where k = ?',
      'update s.m set n += ? where k = ?',
      [{ type: 'uint', value: 1n }],
    ],
    [
      'insert into s.m(true, null, [1, 2])',
      'insert into s.m(true, null, [?, ?])',
      [
        { type: 'uint', value: 1n },
        { type: 'uint', value: 2n },
      ],
    ],
  ])('%s', (text, query, parameters) => {
    const extracted = extractLiterals(text)
    expect(extracted.query).toBe(query)
    expect(extracted.parameters.map(typed)).toEqual(parameters)
  })

  it('refuses an unterminated string and bad hex', () => {
    expect(() => extractLiterals("select 'oops")).toThrow(LiteralError)
    expect(() => extractLiterals("insert into s.m(x'0g')")).toThrow(LiteralError)
  })
})

describe('formatResult', () => {
  const result = (value: unknown): QueryResult => value as QueryResult

  it('prints Empty, values, rows and multirows', () => {
    expect(formatResult('use s', result({ kind: 'empty' }))).toBe('(Okay)')
    expect(
      formatResult(
        'use $current',
        result({ kind: 'value', value: { type: 'string', value: 's' } }),
      ),
    ).toBe('"s"')
    const row = result({
      kind: 'row',
      values: [
        { type: 'string', value: 'ann' },
        { type: 'uint8', value: 3 },
      ],
    })
    expect(formatResult('select name, n from s.m where k = ?', row)).toBe(
      ['+-------+---+', '| name  | n |', '+-------+---+', '| "ann" | 3 |', '+-------+---+'].join(
        '\n',
      ),
    )
    const rows = result({
      kind: 'rows',
      columnCount: 1,
      rows: [[{ type: 'list', value: [{ type: 'bool', value: true }] }]],
    })
    expect(formatResult('select all * from s.m limit ?', rows)).toBe(
      ['+--------+', '| 0      |', '+--------+', '| [true] |', '+--------+', '(1 row)'].join('\n'),
    )
  })

  it('names columns from the select list, and errors by code', () => {
    expect(columnNames('SELECT a, b FROM s.m WHERE k = ?')).toEqual(['a', 'b'])
    expect(columnNames('select * from s.m where k = ?')).toBeNull()
    expect(formatQueryError(111)).toBe('(error) 111 QExecDmlRowNotFound')
  })
})
