/**
 * Fuzzing the executor with fast-check.
 *
 * Goal: whatever a client sends, a session answers with a well-formed result or a QueryError,
 * never anything else, and never hangs. Method: one database populated by the conformance table's
 * first half; then the table's statements with arbitrary parameters, mutated statements and
 * generated statements, on several sessions (transactions included), each answer checked.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Executor, QueryError } from '../src/index.js'
import type { QueryResult, ResultValue, Session } from '../src/index.js'
import { conformanceTable } from '../src/conformance.js'
import { mutatedStatementArb, parametersArb, statementArb } from './arbitraries.js'
import { EngineDouble } from './engine-double.js'

const widths: Record<string, readonly [number, number]> = {
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 4294967295],
  sint8: [-128, 127],
  sint16: [-32768, 32767],
  sint32: [-2147483648, 2147483647],
}

function wellFormedValue(value: ResultValue): boolean {
  const range = widths[value.type]
  if (range !== undefined) {
    const number = (value as { readonly value: number }).value
    return Number.isInteger(number) && number >= range[0] && number <= range[1]
  }
  if (value.type === 'list') return value.value.every(wellFormedValue)
  return true
}

function wellFormed(result: QueryResult): boolean {
  switch (result.type) {
    case 'row':
      return result.values.every(wellFormedValue)
    case 'multirow':
      return result.rows.every(
        (row) => row.length === result.columnCount && row.every(wellFormedValue),
      )
    case 'empty':
      return true
    default:
      return wellFormedValue(result)
  }
}

describe('Executor under arbitrary queries', () => {
  let engine: EngineDouble
  let sessions: Session[]

  beforeAll(async () => {
    engine = await EngineDouble.open()
    const executor = new Executor(engine)
    const root = executor.session()
    for (const row of conformanceTable.slice(0, 200)) {
      await root.respond(row.query, row.parameters)
    }
    sessions = [root, executor.session(), executor.session(), executor.session({ user: 'nobody' })]
  })
  afterAll(() => engine.close())

  const queryArb = fc.oneof(
    fc.constantFrom(...conformanceTable.map((row) => row.query)),
    statementArb,
    mutatedStatementArb,
    fc.constantFrom('begin', 'commit', 'rollback', 'use s', 'use null'),
  )

  it('answers every query with a well-formed result or a QueryError', async () => {
    let answered = 0
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 3 }), queryArb, parametersArb, async (at, query, values) => {
        const session = sessions[at]!
        try {
          const result = await session.query(query, values)
          const shown = JSON.stringify(result, (_, v) => (typeof v === 'bigint' ? `${v}` : v))
          expect(wellFormed(result), shown).toBe(true)
        } catch (error) {
          if (!(error instanceof QueryError)) throw error
        }
        answered++
      }),
      { numRuns: 1500 },
    )
    console.log(`answered ${answered} arbitrary queries on 4 sessions`)
  })
})
