/**
 * Goal: no false positives on executions that are serializable (and strictly so), and the broken
 * stores are caught with the anomalies their isolation allows. Method: seeded random workloads
 * (fast-check picks the seeds and shapes) run by several clients against the in-memory store of
 * test/support/store.ts, recorded with HistoryRecorder, then checked.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkHistory, explain, type AnomalyType, type CheckResult } from '../src/index.js'
import { runWorkload, type Isolation, type WorkloadOptions } from './support/store.js'

const workloads = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  transactions: fc.integer({ min: 1, max: 120 }),
  concurrency: fc.integer({ min: 1, max: 6 }),
  keys: fc.integer({ min: 1, max: 6 }),
  kinds: fc.constantFrom('list', 'register', 'mixed'),
  operationsMax: fc.integer({ min: 1, max: 6 }),
  abortRate: fc.constantFrom(0, 0.1, 0.3),
  unknownRate: fc.constantFrom(0, 0.05, 0.2),
}) as fc.Arbitrary<WorkloadOptions>

function describeFailure(result: CheckResult): string {
  return result.anomalies.slice(0, 5).map(explain).join('\n')
}

function tally(totals: Map<string, number>, result: CheckResult): void {
  for (const [type, count] of Object.entries(result.counts)) {
    totals.set(type, (totals.get(type) ?? 0) + count)
  }
}

describe('checkHistory on simulated stores', () => {
  it('passes serial executions, with real-time order', () => {
    let transactions = 0
    fc.assert(fc.property(workloads, (options) => {
      const history = runWorkload('serializable', { ...options, concurrency: 1 })
      const result = checkHistory(history, { realtime: true })
      expect(result.ok, describeFailure(result)).toBe(true)
      transactions += history.length
    }), { numRuns: 150 })
    console.log(`serial store: ${transactions} transactions checked, no anomaly`)
  })

  it('passes concurrent runs of an optimistic serializable store, with real-time order', () => {
    let transactions = 0
    let edges = 0
    fc.assert(fc.property(workloads, (options) => {
      const history = runWorkload('serializable', options)
      const result = checkHistory(history, { realtime: true })
      expect(result.ok, describeFailure(result)).toBe(true)
      transactions += history.length
      edges += result.stats.edges
    }), { numRuns: 300 })
    console.log(`serializable store: ${transactions} transactions, ${edges} edges, no anomaly`)
  })

  const allowed: Record<Exclude<Isolation, 'serializable'>, AnomalyType[]> = {
    'snapshot': ['G2', 'G2-realtime'],
    'read-committed': ['G-single', 'G2', 'G-single-realtime', 'G2-realtime', 'lost-update'],
    'dirty': [],
  }
  for (const isolation of ['snapshot', 'read-committed'] as const) {
    it(`finds only what ${isolation} allows, and finds it`, () => {
      const totals = new Map<string, number>()
      fc.assert(fc.property(workloads, (options) => {
        const result = checkHistory(runWorkload(isolation, options), { realtime: true })
        for (const type of Object.keys(result.counts)) {
          expect(allowed[isolation], describeFailure(result)).toContain(type)
        }
        tally(totals, result)
      }), { numRuns: 300 })
      console.log(`${isolation} store, anomalies over 300 workloads:`, Object.fromEntries(totals))
      expect(totals.get(isolation === 'snapshot' ? 'G2' : 'G-single') ?? 0).toBeGreaterThan(0)
    })
  }

  it('catches a store that exposes uncommitted writes', () => {
    const totals = new Map<string, number>()
    let caught = 0
    for (let seed = 1; seed <= 40; seed += 1) {
      const result = checkHistory(runWorkload('dirty', { seed, transactions: 200, concurrency: 4,
        keys: 3, kinds: seed % 2 === 0 ? 'list' : 'register', operationsMax: 4, abortRate: 0.2 }))
      tally(totals, result)
      if (!result.ok) caught += 1
    }
    console.log(`dirty store: caught ${caught} of 40 workloads:`, Object.fromEntries(totals))
    expect(caught).toBe(40)
    expect(totals.get('G1a') ?? 0).toBeGreaterThan(0)
    expect(totals.get('G1b') ?? 0).toBeGreaterThan(0)
  })

  it('catches write skew under snapshot isolation on a fixed workload', () => {
    const result = checkHistory(runWorkload('snapshot', { seed: 42, transactions: 500,
      concurrency: 5, keys: 3, kinds: 'list', operationsMax: 4 }))
    expect(result.ok).toBe(false)
    expect(Object.keys(result.counts)).toEqual(['G2'])
  })
})
