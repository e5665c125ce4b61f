/**
 * Goal: the isolation levels hold under heavy concurrency, proven by recording histories and checking
 * them for dependency cycles with @sky/history.
 *
 * Method: list-append workloads over three models. Each transaction performs 1-4 operations (read a
 * key, append a unique element to a key's list, scan a key range) with random awaits between them,
 * so thousands interleave on the event loop; every committed, aborted or failed attempt is recorded
 * with its reads and appends, and the checker builds ww/wr/rw (and real-time) edges.
 */
import { type CheckResult, HistoryRecorder, checkHistory, explain } from '@sky/history'
import { isSkyError } from '@sky/std'
import { describe, expect, it } from 'vitest'
import type { IsolationLevel, Row, Txn, TxnManager } from '../src/index.js'
import { fixture, pause, random } from './helpers.js'

const models = ['accounts', 'items', 'blobs'] as const
const keysPerModel = 40
const hotKeys = 4
const keyOf = (model: string, index: number): string | bigint | Uint8Array =>
  model === 'items' ? BigInt(index) : model === 'accounts' ? `k${String(index).padStart(2, '0')}` : new Uint8Array([index])
const historyKey = (model: string, index: number): string => `${model}:${index}`
const listOf = (row: Row | undefined): number[] | null => (row === undefined ? null : (row[1] as number[]))

interface Workload {
  readonly transactions: number
  readonly workers: number
  readonly isolation: IsolationLevel
  readonly seed: number
}

async function runListAppend(manager: TxnManager, recorder: HistoryRecorder, workload: Workload) {
  const next = random(workload.seed)
  let element = 0
  let started = 0
  const outcomes = { committed: 0, aborted: 0 }
  const pickKey = (): number => (next() < 0.5 ? Math.floor(next() * hotKeys) : Math.floor(next() * keysPerModel))
  const one = async (): Promise<void> => {
    const record = recorder.begin()
    const txn = manager.begin({ isolation: workload.isolation })
    try {
      const operations = 1 + Math.floor(next() * 4)
      for (let op = 0; op < operations; op++) {
        const model = models[Math.floor(next() * models.length)]!
        const choice = next()
        if (choice < 0.35) {
          const index = pickKey()
          record.readList(historyKey(model, index), listOf(txn.get(model, keyOf(model, index))))
        } else if (choice < 0.8) {
          const index = pickKey()
          const key = keyOf(model, index)
          const old = listOf(txn.get(model, key))
          record.readList(historyKey(model, index), old)
          const value = ++element
          txn.upsert(model, key, [key, [...(old ?? []), value]])
          record.append(historyKey(model, index), value)
        } else {
          scanInto(txn, record, model, Math.floor(next() * (keysPerModel - 5)))
        }
        await pause(Math.floor(next() * 3))
      }
      await txn.commit()
      record.commit()
      outcomes.committed++
    } catch (error) {
      if (!isSkyError(error, 'TXN_SERIALIZATION_FAILURE')) throw error
      record.abort()
      outcomes.aborted++
    }
  }
  await Promise.all(
    Array.from({ length: workload.workers }, async () => {
      while (started < workload.transactions) {
        started++
        await one()
      }
    }),
  )
  return outcomes
}

/** Scans five consecutive keys and records a read of each (null for the absent ones: phantoms show). */
function scanInto(txn: Txn, record: ReturnType<HistoryRecorder['begin']>, model: string, first: number): void {
  const seen = new Map<number, number[]>()
  const from = keyOf(model, first)
  const to = keyOf(model, first + 4)
  for (const entry of txn.scan(model, { from, to }).entries) {
    const index = typeof entry.key === 'bigint' ? Number(entry.key) : typeof entry.key === 'string' ? Number(entry.key.slice(1)) : entry.key[0]!
    seen.set(index, entry.row[1] as number[])
  }
  for (let index = first; index <= first + 4; index++) record.readList(historyKey(model, index), seen.get(index) ?? null)
}

function describeResult(result: CheckResult): string {
  return result.anomalies.slice(0, 5).map(explain).join('\n')
}

async function seedModels(manager: TxnManager): Promise<void> {
  // Every model starts empty: the checker requires keys to start without a value.
  expect(manager.begin().scan('items').entries).toEqual([])
}

describe('isolation, checked with @sky/history', () => {
  it('finds no anomaly in 10,000 concurrent serializable transactions, real-time order included', async () => {
    const { manager } = await fixture()
    await seedModels(manager)
    const recorder = new HistoryRecorder()
    const outcomes = await runListAppend(manager, recorder, { transactions: 10_000, workers: 300, isolation: 'serializable', seed: 11 })
    const result = checkHistory(recorder.history(), { realtime: true })
    console.log(
      `serializable: ${outcomes.committed} committed, ${outcomes.aborted} aborted by validation; ` +
        `${result.stats.edges} dependency edges checked; anomalies: ${JSON.stringify(result.counts)}`,
    )
    expect(describeResult(result)).toBe('')
    expect(result.ok).toBe(true)
    expect(outcomes.committed + outcomes.aborted).toBe(10_000)
    expect(outcomes.aborted).toBeGreaterThan(0) // the workload really conflicted
  })

  /**
   * Each pair of keys (x, y): a transaction reads both and appends to one of them, chosen at random.
   * Under snapshot isolation two such transactions on one pair both commit: a cycle of two rw edges.
   */
  async function writeSkew(isolation: 'snapshot' | 'serializable'): Promise<HistoryRecorder> {
    const { manager } = await fixture()
    const recorder = new HistoryRecorder()
    const next = random(5)
    let element = 0
    const one = async (pair: number): Promise<void> => {
      const record = recorder.begin()
      const txn = manager.begin({ isolation })
      const keys = [2 * pair, 2 * pair + 1]
      for (const index of keys) record.readList(historyKey('items', index), listOf(txn.get('items', BigInt(index))))
      await pause(1 + Math.floor(next() * 2))
      const target = keys[Math.floor(next() * 2)]!
      const old = listOf(txn.get('items', BigInt(target)))
      const value = ++element
      txn.upsert('items', BigInt(target), [BigInt(target), [...(old ?? []), value]])
      record.append(historyKey('items', target), value)
      try {
        await txn.commit()
        record.commit()
      } catch (error) {
        if (!isSkyError(error, 'TXN_SERIALIZATION_FAILURE')) throw error
        record.abort()
      }
    }
    for (let round = 0; round < 20; round++) await Promise.all(Array.from({ length: 40 }, (_, at) => one(at % 10)))
    return recorder
  }

  it('finds write skew (G2) at snapshot isolation, and nothing weaker', async () => {
    const result = checkHistory((await writeSkew('snapshot')).history())
    console.log(`snapshot write-skew workload: anomalies ${JSON.stringify(result.counts)}`)
    expect(result.counts.G2).toBeGreaterThan(0)
    for (const weaker of ['G0', 'G1a', 'G1b', 'G1c', 'G-single', 'lost-update', 'incompatible-order', 'garbage-read'] as const) {
      expect(result.counts[weaker] ?? 0).toBe(0)
    }
  })

  it('runs the same write-skew workload without anomalies at serializable', async () => {
    const result = checkHistory((await writeSkew('serializable')).history(), { realtime: true })
    expect(describeResult(result)).toBe('')
  })
})

describe('bank transfers', () => {
  for (const isolation of ['serializable', 'snapshot'] as const) {
    it(`keeps the total constant at every moment a reader looks (${isolation})`, async () => {
      const { manager } = await fixture()
      const accounts = 10
      await manager.transaction((txn) => {
        for (let at = 0; at < accounts; at++) txn.insert('accounts', `a${at}`, [`a${at}`, 100n])
      })
      const next = random(isolation.length)
      const totals: bigint[] = []
      let transfers = 0
      const transfer = async (): Promise<void> => {
        await manager.transaction(
          async (txn) => {
            const from = `a${Math.floor(next() * accounts)}`
            const to = `a${Math.floor(next() * accounts)}`
            const amount = BigInt(1 + Math.floor(next() * 20))
            const source = txn.get('accounts', from)!
            await pause(1)
            if ((source[1] as bigint) < amount || from === to) return
            txn.update('accounts', from, [from, (source[1] as bigint) - amount])
            await pause(1)
            txn.update('accounts', to, (old) => [to, (old[1] as bigint) + amount])
            transfers++
          },
          { isolation, retries: 1_000 },
        )
      }
      const audit = async (): Promise<void> => {
        const txn = manager.begin({ isolation, readOnly: true })
        await pause(1)
        const rows = txn.scan('accounts').entries
        totals.push(rows.reduce((sum, entry) => sum + (entry.row[1] as bigint), 0n))
        await txn.commit()
      }
      await Promise.all([
        ...Array.from({ length: 500 }, transfer),
        ...Array.from({ length: 200 }, audit),
      ])
      expect(transfers).toBeGreaterThan(100)
      expect(new Set(totals)).toEqual(new Set([1000n]))
      expect(totals.length).toBe(200)
    })
  }
})
