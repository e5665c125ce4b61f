/**
 * Runs the statement table (statement-table.ts) row by row: each query must give exactly the
 * Skytable error code of its row, or a statement matching the row's partial AST. Each row runs
 * three ways that must agree: parseQuery, prepare + bind, and through a StatementCache.
 */
import { describe, expect, it } from 'vitest'
import { QueryError, StatementCache, parseQuery, prepare } from '../src/index.js'
import type { Statement } from '../src/index.js'
import { withoutSpans } from './helpers.js'
import { statementTable } from './statement-table.js'
import type { TableRow } from './statement-table.js'

function run(row: TableRow, via: 'parseQuery' | 'prepare' | 'cache'): Statement | QueryError {
  const options = {
    ...(row.noCurrentSpace === true ? { hasCurrentSpace: false } : {}),
    ...(row.parameterError === true ? { parameterError: new Error('bad parameter block') } : {}),
  }
  const parameters = row.parameters ?? []
  try {
    if (via === 'parseQuery') return parseQuery(row.query, parameters, options)
    if (via === 'cache') {
      const cache = new StatementCache()
      cache.parse(row.query, parameters, options)
      return cache.parse(row.query, parameters, options)
    }
    let prepared
    try {
      prepared = prepare(row.query, options)
    } catch (error) {
      // A template that fails can still give another code with parameters: parseQuery decides.
      if (error instanceof QueryError) return parseQuery(row.query, parameters, options)
      throw error
    }
    return prepared.bind(parameters, options)
  } catch (error) {
    if (error instanceof QueryError) return error
    throw error
  }
}

describe('statement table', () => {
  it('has at least 150 rows, each with a distinct query and parameters', () => {
    expect(statementTable.length).toBeGreaterThanOrEqual(150)
    const keys = statementTable.map((row) => {
      const parameters = JSON.stringify(row.parameters ?? [], (_key, item: unknown) =>
        typeof item === 'bigint' ? item.toString() : item)
      return `${row.query}|${parameters}|${row.noCurrentSpace}|${row.parameterError}`
    })
    expect(new Set(keys).size).toBe(keys.length)
    const errors = statementTable.filter((row) => typeof row.expect === 'number').length
    console.log(`statement table: ${statementTable.length} rows, ${errors} errors, ` +
      `${statementTable.length - errors} statements`)
  })

  it.each(statementTable.map((row) => [row.source, row] as const))('%s', (_source, row) => {
    const results = (['parseQuery', 'prepare', 'cache'] as const).map((via) => run(row, via))
    const [first] = results
    for (const result of results) {
      if (typeof row.expect === 'number') {
        expect(result, row.query).toBeInstanceOf(QueryError)
        expect((result as QueryError).skytableCode, (result as Error).message).toBe(row.expect)
      } else {
        if (result instanceof QueryError) throw new Error(`${row.query}: ${result.message}`)
        expect(withoutSpans(result)).toMatchObject(row.expect)
        expect(result).toEqual(first)
      }
    }
  })
})
