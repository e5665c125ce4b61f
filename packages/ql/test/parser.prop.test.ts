/**
 * Fuzzing the front end with fast-check.
 *
 * Goal: for any input, the only thing thrown is a QueryError, and the three ways of parsing
 * (parseQuery, prepare + bind, StatementCache) agree. Method: arbitrary strings and bytes, soups
 * of BlueQL words, grammatical statements (which must prepare and round-trip through the
 * formatter) and those statements mutated at the byte and token level.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { QueryError, StatementCache, formatStatement, parseQuery, prepare } from '../src/index.js'
import type { Parameter, Statement } from '../src/index.js'
import {
  mutatedStatementArb,
  parametersArb,
  statementArb,
  tokenSoupArb,
} from './arbitraries.js'
import { withoutSpans } from './helpers.js'

type Outcome = { readonly statement: Statement } | { readonly code: string; readonly at: unknown }

function outcome(run: () => Statement): Outcome {
  try {
    return { statement: run() }
  } catch (error) {
    if (!(error instanceof QueryError)) throw error
    return { code: error.code, at: error.position?.offset }
  }
}

const cache = new StatementCache({ entriesMax: 64 })

/** Checks every invariant that holds for any text and parameters. */
function checkAnyInput(text: string | Uint8Array, parameters: readonly Parameter[]): Outcome {
  const direct = outcome(() => parseQuery(text, parameters))
  expect(outcome(() => cache.parse(text, parameters))).toEqual(direct)
  let prepared
  try {
    prepared = prepare(text)
  } catch (error) {
    if (!(error instanceof QueryError)) throw error
    expect('code' in direct, 'a text that does not prepare never parses').toBe(true)
    return direct
  }
  expect(outcome(() => prepared.bind(parameters))).toEqual(direct)
  if ('code' in direct) {
    const length = typeof text === 'string' ? text.length : text.length
    expect(direct.at === undefined || (direct.at as number) <= length).toBe(true)
    return direct
  }
  const formatted = formatStatement(direct.statement)
  const again = parseQuery(formatted.text, formatted.parameters)
  expect(withoutSpans(again, true)).toEqual(withoutSpans(direct.statement, true))
  return direct
}

describe('parser fuzzing', () => {
  it('throws only QueryError for arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60, unit: 'binary' }), parametersArb,
      (text, parameters) => { checkAnyInput(text, parameters) }), { numRuns: 1500 })
  })

  it('throws only QueryError for arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 60 }), parametersArb,
      (bytes, parameters) => { checkAnyInput(bytes, parameters) }), { numRuns: 1000 })
  })

  it('throws only QueryError for soups of BlueQL words', () => {
    fc.assert(fc.property(tokenSoupArb, parametersArb,
      (text, parameters) => { checkAnyInput(text, parameters) }), { numRuns: 3000 })
  })

  it('prepares every grammatical statement and round-trips its template', () => {
    let statements = 0
    fc.assert(fc.property(statementArb, (text) => {
      const prepared = prepare(text)
      const formatted = formatStatement(prepared.statement)
      expect(formatted.parameters).toEqual([])
      const again = prepare(formatted.text)
      expect(withoutSpans(again.statement, true)).toEqual(withoutSpans(prepared.statement, true))
      // Not parameterCount: a `?` standing for `null` (use ?, a field's null prefix) is written
      // back as `null`, since the template records it as null.
      expect(again.parameterCount).toBeLessThanOrEqual(prepared.parameterCount)
      statements += 1
    }), { numRuns: 2000 })
    console.log(`prepared and round-tripped ${statements} generated statements`)
  })

  it('binds grammatical statements to arbitrary parameters with only QueryErrors', () => {
    let bound = 0
    fc.assert(fc.property(statementArb, parametersArb, (text, parameters) => {
      if ('statement' in checkAnyInput(text, parameters)) bound += 1
    }), { numRuns: 2000 })
    console.log(`bound ${bound} of 2000 generated statements to random parameters`)
  })

  it('throws only QueryError for mutated statements, and the three paths agree', () => {
    const codes = new Map<string, number>()
    fc.assert(fc.property(mutatedStatementArb, parametersArb, (text, parameters) => {
      const result = checkAnyInput(text, parameters)
      const key = 'code' in result ? result.code : 'ok'
      codes.set(key, (codes.get(key) ?? 0) + 1)
    }), { numRuns: 4000 })
    console.log('mutated statements by outcome:', Object.fromEntries(codes))
  })
})
