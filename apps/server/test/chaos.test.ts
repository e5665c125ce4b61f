/**
 * The chaos harness (chaos/harness.ts) in a short run: 3 SIGKILLs of a real skyd under 8
 * concurrent writers (autocommit inserts and two-row transactions), each after 30-150
 * acknowledgements; after each restart every acknowledged write is there, no transaction is
 * half there, nothing unattempted appears. The long run: `pnpm --filter @sky/server chaos`.
 */
import { expect, it } from 'vitest'
import { runChaos } from '../chaos/harness.js'

it('keeps every acknowledged write across SIGKILLs under concurrent load', async () => {
  const report = await runChaos({ cycles: 3, writers: 8, acksBeforeKill: [30, 150], seed: 42 })
  console.log(
    `chaos: ${report.cycles} kills, ${report.acknowledged} acknowledged writes checked, ` +
      `${report.transactions} transactions, ${report.inFlightLanded} of ${report.inFlight} ` +
      'in-flight writes landed',
  )
  expect(report.problems).toEqual([])
  expect(report.acknowledged).toBeGreaterThan(90)
})
