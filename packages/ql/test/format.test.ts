/**
 * formatStatement: canonical text, and the round trip over every statement of the table
 * (parse → format → parse gives the same statement, up to spans and parameter numbers).
 */
import { describe, expect, it } from 'vitest'
import { formatStatement, parseQuery, prepare } from '../src/index.js'
import type { Statement } from '../src/index.js'
import { withoutSpans } from './helpers.js'
import { float, nul, statementTable, str, uint } from './statement-table.js'

function parseRow(row: (typeof statementTable)[number]): Statement {
  const options = row.noCurrentSpace === true ? { hasCurrentSpace: false } : {}
  return parseQuery(row.query, row.parameters ?? [], options)
}

describe('formatStatement', () => {
  it('writes canonical text and lists the parameters in text order', () => {
    const statement = parseQuery(
      "UPDATE s.m SET a += ?, b = true WHERE k = ? AND j > = ?",
      [uint(1), str('k'), float(2.5)],
    )
    expect(formatStatement(statement)).toEqual({
      text: 'update s.m set a += ?, b = true where k = ? and j >= ?',
      parameters: [uint(1), str('k'), float(2.5)],
    })
    expect(formatStatement(parseQuery('insert into m(?, null, [])', [nul])).text)
      .toBe('insert into m(?, null, [])')
    const alter = parseQuery('alter model s.m add x { type: list { type: string } }')
    const expected = 'alter model s.m add (x { type: list { type: string } })'
    expect(formatStatement(alter).text).toBe(expected)
  })

  it('writes placeholders of a template as ? with no parameters', () => {
    const template = prepare('create space s with { env: { a: ?, b: null } }').statement
    expect(formatStatement(template)).toEqual({
      text: 'create space s with { env: { a: ?, b: null } }',
      parameters: [],
    })
  })

  const statements = statementTable.filter((row) => typeof row.expect !== 'number')

  it.each(statements.map((row) => [row.source, row] as const))('round-trips %s', (_s, row) => {
    const statement = parseRow(row)
    const formatted = formatStatement(statement)
    const options = row.noCurrentSpace === true ? { hasCurrentSpace: false } : {}
    const again = parseQuery(formatted.text, formatted.parameters, options)
    expect(withoutSpans(again, true)).toEqual(withoutSpans(statement, true))
    expect(formatStatement(again)).toEqual(formatted)
    const template = prepare(row.query, options).statement
    const templateAgain = prepare(formatStatement(template).text, options).statement
    expect(withoutSpans(templateAgain, true)).toEqual(withoutSpans(template, true))
  })
})
