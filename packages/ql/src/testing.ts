/**
 * `@sky/ql/testing`: the BlueQL conformance suite as a vitest suite, so that every way of running
 * BlueQL (the executor over a test engine here, `apps/embedded`, the server through a client)
 * proves itself against the same table: `blueqlConformance(name, open)`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { conformanceTable } from './conformance.js'
import type {
  ConformanceConnection,
  ConformanceExpectation,
  ConformanceRow,
} from './conformance.js'
import type { Parameter } from './parameter.js'
import type { QueryResult } from './result.js'

export { conformanceTable }
export type { ConformanceConnection, ConformanceExpectation, ConformanceRow }

/** A session of the target: runs a query, or throws an error carrying `skytableCode`. */
export interface ConformanceSession {
  query(
    query: string,
    parameters: readonly Parameter[],
    options: { readonly parameterError?: unknown },
  ): Promise<QueryResult>
}

/** A fresh database holding only the root user. */
export interface ConformanceTarget {
  /** A new session for `user` (`root` or `alice`), trusted as authenticated. */
  session(user: string): ConformanceSession | Promise<ConformanceSession>
  close(): Promise<void>
}

const users: Readonly<Record<ConformanceConnection, string>> = { R: 'root', B: 'root', A: 'alice' }

async function outcome(session: ConformanceSession, row: ConformanceRow): Promise<unknown> {
  const options = row.parameterError === true ? { parameterError: new Error('type byte 7') } : {}
  try {
    return await session.query(row.query, row.parameters, options)
  } catch (error) {
    const code = (error as { skytableCode?: unknown }).skytableCode
    if (typeof code === 'number') return code
    throw error
  }
}

function check(actual: unknown, expected: ConformanceExpectation): void {
  if (typeof expected === 'object' && 'satisfies' in expected) {
    const satisfied = typeof actual === 'object' && expected.satisfies(actual as QueryResult)
    expect(satisfied, expected.description).toBe(true)
    return
  }
  expect(actual).toEqual(expected)
}

/**
 * Registers the conformance table under `describe(name)`: one test per row, in order, on one
 * target opened before the first row.
 */
export function blueqlConformance(name: string, open: () => Promise<ConformanceTarget>): void {
  describe(`${name} (BlueQL conformance, ${conformanceTable.length} statements)`, () => {
    let target: ConformanceTarget
    const sessions = new Map<ConformanceConnection, ConformanceSession>()
    beforeAll(async () => {
      target = await open()
    })
    afterAll(async () => {
      await target.close()
    })
    for (const row of conformanceTable) {
      const title = `${row.id} ${row.connection}: ${row.query.slice(0, 120)}`
      it(title, async () => {
        let session = sessions.get(row.connection)
        if (session === undefined) {
          session = await target.session(users[row.connection])
          sessions.set(row.connection, session)
        }
        check(await outcome(session, row), row.expect)
      })
    }
  })
}
