/**
 * The lexer on its own (blueql.md §1.2, §1.3): which bytes start which tokens, where error 26 is
 * reported, and the keyword table.
 */
import { describe, expect, it } from 'vitest'
import { KEYWORDS, STATEMENT_KEYWORDS } from '../src/internal/keywords.js'
import { lex, toQueryText } from '../src/internal/lexer.js'
import { QueryError, parseQuery, prepare } from '../src/index.js'
import { codeOf } from './helpers.js'

function kinds(text: string): string[] {
  const { tokens, error } = lex(text)
  expect(error).toBeNull()
  return tokens.map((token) => {
    switch (token.kind) {
      case 'keyword':
        return `kw:${token.keyword}`
      case 'identifier':
        return `id:${token.text}`
      case 'bool':
        return `bool:${token.value}`
      case 'placeholder':
        return `?${token.index}`
      case 'symbol':
        return `sym:${token.symbol}`
    }
  })
}

describe('lex', () => {
  it('splits words, symbols and placeholders and numbers the placeholders', () => {
    expect(kinds('SELECT a_1,B from s.m where x>=?and y=?')).toEqual([
      'kw:select', 'id:a_1', 'sym:,', 'id:B', 'kw:from', 'id:s', 'sym:.', 'id:m', 'kw:where',
      'id:x', 'sym:>', 'sym:=', '?0', 'kw:and', 'id:y', 'sym:=', '?1',
    ])
  })

  it('reads true and false in any case as bools, and null as a keyword', () => {
    expect(kinds('True FALSE tRuE null NULL truex')).toEqual([
      'bool:true', 'bool:false', 'bool:true', 'kw:null', 'kw:null', 'id:truex',
    ])
  })

  it('turns every symbol byte of the spec into one symbol token', () => {
    const symbols = '+-*/!&^|=()[]{}<>\'"@#$%\\:;,.~`'
    expect(kinds(symbols)).toEqual([...symbols].map((symbol) => `sym:${symbol}`))
  })

  it('skips space, LF and TAB only', () => {
    expect(kinds(' \n\tuse\n\n s \t')).toEqual(['kw:use', 'id:s'])
    for (const byte of [0x0d, 0x0b, 0x0c, 0x00, 0x7f, 0x80, 0xff]) {
      const { error, tokens } = lex(`use ${String.fromCharCode(byte)}`)
      expect(error?.skytableCode, `byte ${byte}`).toBe(26)
      expect(error?.position).toEqual({ offset: 4, line: 1, column: 5 })
      expect(tokens).toHaveLength(1)
    }
  })

  it('rejects a digit that starts a token but not digits inside a name', () => {
    expect(kinds('uint8 x1_2')).toEqual(['id:uint8', 'id:x1_2'])
    expect(lex('a 1').error?.code).toBe('QL_UNEXPECTED_BYTE')
  })

  it('reports the line and column of a bad byte', () => {
    const { error } = lex('select *\nfrom s.m\nwhere k = 5')
    expect(error?.position).toEqual({ offset: 28, line: 3, column: 11 })
    expect(error?.message).toContain('line 3, column 11')
  })

  it('lists the placeholders lexed before a bad byte', () => {
    const result = lex('a ? ? \r ?')
    expect(result.placeholderOffsets).toEqual([2, 4])
    expect(result.error?.position?.offset).toBe(6)
  })

  it('reads a Uint8Array byte for byte, so a UTF-8 name fails at its first byte', () => {
    const bytes = new TextEncoder().encode('use caf\u00e9')
    expect(toQueryText(bytes)).toBe('use caf\u00c3\u00a9')
    expect(() => parseQuery(bytes)).toThrow(QueryError)
    try {
      parseQuery(bytes)
    } catch (error) {
      expect((error as QueryError).skytableCode).toBe(26)
      expect((error as QueryError).position?.offset).toBe(7)
    }
    const long = new Uint8Array(20_000).fill(0x20)
    long.set(new TextEncoder().encode('use s'), 19_000)
    expect(prepare(long).statement).toMatchObject({ kind: 'use', span: { start: 19_000 } })
  })
})

describe('keywords', () => {
  it('has the 62 words blueql.md §1.3 lists (it says 63; see README)', () => {
    expect(KEYWORDS.size).toBe(62)
    expect(STATEMENT_KEYWORDS).toHaveLength(12)
  })

  it('rejects every keyword but null as a space name, in any case', () => {
    for (const keyword of KEYWORDS) {
      if (keyword === 'null') continue
      for (const spelling of [keyword, keyword.toUpperCase()]) {
        expect(codeOf(() => parseQuery(`use ${spelling}`)), spelling).toBe(28)
      }
    }
    expect(codeOf(() => parseQuery('use NULL'))).toBe('ok')
  })
})
