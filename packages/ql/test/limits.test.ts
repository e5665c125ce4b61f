/** The limits of limits.ts: nesting is bounded (error 6, never a stack overflow); names are not. */
import { describe, expect, it } from 'vitest'
import { parseQuery, prepare, qlLimits } from '../src/index.js'
import { codeOf, errorOf } from './helpers.js'
import { str, uint } from './statement-table.js'

const max = qlLimits.nestingDepthMax

function nestedList(depth: number): string {
  return `${'['.repeat(depth)}?${']'.repeat(depth)}`
}

function nestedDict(depth: number): string {
  return `${'{ a: '.repeat(depth)}null${' }'.repeat(depth)}`
}

function nestedType(depth: number): string {
  return `${'list { type: '.repeat(depth - 1)}string${' }'.repeat(depth - 1)}`
}

describe('nesting', () => {
  it('accepts lists, dicts and types exactly nestingDepthMax deep', () => {
    expect(codeOf(() => parseQuery(`insert into s.m(?, ${nestedList(max)})`, [str('k'), uint(1)])))
      .toBe('ok')
    expect(codeOf(() => prepare(`create space s with ${nestedDict(max)}`))).toBe('ok')
    expect(codeOf(() => prepare(`create model s.m(k: string, v: ${nestedType(max)})`))).toBe('ok')
  })

  it('rejects one level more with QL_LIMIT_EXCEEDED (Skytable code 6)', () => {
    const list = errorOf(() => prepare(`insert into s.m(?, ${nestedList(max + 1)})`))
    expect([list.code, list.skytableCode]).toEqual(['QL_LIMIT_EXCEEDED', 6])
    expect(codeOf(() => prepare(`alter space s with ${nestedDict(max + 1)}`))).toBe(6)
    expect(codeOf(() => prepare(`create model s.m(k: string, v: ${nestedType(max + 1)})`))).toBe(6)
    const alter = `alter model s.m add x { type: ${nestedType(max)} }`
    expect(codeOf(() => prepare(alter))).toBe(6)
  })

  it('survives a megabyte of brackets without overflowing the stack', () => {
    const text = `insert into s.m(${'['.repeat(1 << 20)}`
    expect(codeOf(() => prepare(text))).toBe(6)
    expect(codeOf(() => prepare(`create space s with ${'{ a: '.repeat(1 << 18)}`))).toBe(6)
  })

  it('parses a flat list of 100 000 elements', () => {
    const text = `insert into s.m(?, [${Array.from({ length: 100_000 }, () => '?').join(',')}])`
    expect(prepare(text).parameterCount).toBe(100_001)
  })
})

describe('names', () => {
  it('have no length limit in the query layer (blueql.md §2.1)', () => {
    const name = `n${'x'.repeat(100_000)}`
    const statement = parseQuery(`create space ${name}`)
    expect(statement).toMatchObject({ kind: 'create-space', name: { text: name } })
  })
})
