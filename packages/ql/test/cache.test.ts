/** StatementCache: bounded, least-recently-used, and never changes an answer. */
import { describe, expect, it } from 'vitest'
import { StatementCache, parseQuery, qlLimits } from '../src/index.js'
import { codeOf } from './helpers.js'
import { str, uint } from './statement-table.js'

describe('StatementCache', () => {
  it('parses a text once and binds it each time', () => {
    const cache = new StatementCache()
    const query = 'select * from s.m where k = ?'
    const first = cache.parse(query, [str('a')])
    const second = cache.parse(query, [str('b')])
    expect(first).toMatchObject({ where: [{ value: { value: 'a' } }] })
    expect(second).toMatchObject({ where: [{ value: { value: 'b' } }] })
    expect([cache.hits, cache.misses, cache.size]).toEqual([1, 1, 1])
    expect(cache.prepare(query)).toBe(cache.prepare(new TextEncoder().encode(query)))
  })

  it('evicts the least recently used statement beyond entriesMax', () => {
    const cache = new StatementCache({ entriesMax: 2 })
    cache.prepare('use a')
    cache.prepare('use b')
    cache.prepare('use a')
    cache.prepare('use c')
    expect(cache.size).toBe(2)
    const misses = cache.misses
    cache.prepare('use a')
    cache.prepare('use c')
    expect(cache.misses).toBe(misses)
    cache.prepare('use b')
    expect(cache.misses).toBe(misses + 1)
  })

  it('does not keep texts longer than textBytesMax, nor texts that fail', () => {
    const cache = new StatementCache({ textBytesMax: 8 })
    cache.prepare('use abcdefgh')
    expect(codeOf(() => cache.prepare('use'))).toBe(28)
    expect(cache.size).toBe(0)
    cache.prepare('use s')
    expect(cache.size).toBe(1)
    cache.clear()
    expect(cache.size).toBe(0)
  })

  it('keys on hasCurrentSpace, which changes the answer', () => {
    const cache = new StatementCache()
    expect(codeOf(() => cache.parse('select * from m'))).toBe('ok')
    expect(codeOf(() => cache.parse('select * from m', [], { hasCurrentSpace: false }))).toBe(28)
  })

  it('answers failing texts exactly as parseQuery', () => {
    const cache = new StatementCache()
    const query = 'alter space s with { env: ? } x'
    for (const parameters of [[], [uint(1)]]) {
      expect(codeOf(() => cache.parse(query, parameters))).toBe(
        codeOf(() => parseQuery(query, parameters)),
      )
    }
  })

  it('rejects limits that are not positive safe integers', () => {
    expect(() => new StatementCache({ entriesMax: 0 })).toThrow(RangeError)
    expect(() => new StatementCache({ textBytesMax: 1.5 })).toThrow(RangeError)
    expect(new StatementCache().entriesMax).toBe(qlLimits.cacheEntriesMaxDefault)
  })
})
