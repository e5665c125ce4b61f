import { describe, expect, it } from 'vitest'
import { checkHistory, type History, type Transaction } from '../src/index.js'
import { concurrent, txn } from './support/build.js'

const base: Transaction = { id: 1, process: null, status: 'committed', invokedAt: 1,
  completedAt: 2, operations: [] }

describe('checkHistory input checks', () => {
  it('accepts an empty history', () => {
    expect(checkHistory([])).toMatchObject({ ok: true, anomalies: [], counts: {},
      stats: { transactions: 0, edges: 0 } })
  })

  it('refuses a history that is not an array', () => {
    expect(() => checkHistory({} as unknown as History)).toThrow(TypeError)
  })

  it('refuses duplicate ids, unknown statuses and bad times', () => {
    expect(() => checkHistory([base, base])).toThrow('share id 1')
    expect(() => checkHistory([{ ...base, status: 'ok' as 'committed' }])).toThrow(TypeError)
    expect(() => checkHistory([{ ...base, invokedAt: Number.NaN }])).toThrow(TypeError)
    expect(() => checkHistory([{ ...base, completedAt: 0 }])).toThrow(RangeError)
  })

  it('refuses malformed operations', () => {
    const bad = (operation: unknown): Transaction =>
      ({ ...base, operations: [operation as Transaction['operations'][number]] })
    expect(() => checkHistory([bad({ kind: 'delete', key: 'x' })])).toThrow(TypeError)
    expect(() => checkHistory([bad({ kind: 'write', key: 1, value: 1 })])).toThrow(TypeError)
    expect(() => checkHistory([bad({ kind: 'read-list', key: 'x', list: 3 })])).toThrow(TypeError)
    expect(() => checkHistory([bad({ kind: 'append', key: 'x', element: null })]))
      .toThrow(TypeError)
  })

  it('refuses a key used both as a register and as a list', () => {
    const history = concurrent(txn([['w', 'x', 1]]), txn([['rl', 'x', [1]]]))
    expect(() => checkHistory(history)).toThrow('key x is used both as a register and as a list')
  })

  it('refuses an element appended twice to one list', () => {
    const history = concurrent(txn([['a', 'x', 1], ['a', 'x', 1]]))
    expect(() => checkHistory(history)).toThrow(RangeError)
  })

  it('refuses bad options', () => {
    expect(() => checkHistory([], { realtime: 'yes' as unknown as boolean })).toThrow(TypeError)
    expect(() => checkHistory([], { searchEdgeVisitsMax: 0 })).toThrow(RangeError)
  })
})
