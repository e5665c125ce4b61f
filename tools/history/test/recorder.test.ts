import { describe, expect, it } from 'vitest'
import { HistoryRecorder } from '../src/index.js'

describe('HistoryRecorder', () => {
  it('numbers transactions from 1 and ticks the clock at every begin and outcome', () => {
    const recorder = new HistoryRecorder()
    const first = recorder.begin('a')
    const second = recorder.begin(2)
    first.append('x', 1).readList('x', [1]).commit()
    second.write('y', 'v').read('y', 'v').abort()
    expect(recorder.now()).toBe(4)
    expect(recorder.history()).toEqual([
      { id: 1, process: 'a', status: 'committed', invokedAt: 1, completedAt: 3, operations: [
        { kind: 'append', key: 'x', element: 1 }, { kind: 'read-list', key: 'x', list: [1] }] },
      { id: 2, process: 2, status: 'aborted', invokedAt: 2, completedAt: 4, operations: [
        { kind: 'write', key: 'y', value: 'v' }, { kind: 'read', key: 'y', value: 'v' }] },
    ])
  })

  it('reports a transaction still open as unknown with no completion time', () => {
    const recorder = new HistoryRecorder()
    const open = recorder.begin()
    open.read('x', null)
    expect(open.state).toBe('open')
    expect(recorder.history()[0]).toMatchObject({ status: 'unknown', completedAt: null,
      process: null })
    open.unknown()
    expect(recorder.history()[0]).toMatchObject({ status: 'unknown', completedAt: 2 })
  })

  it('copies list reads, so later changes to the caller array are not recorded', () => {
    const recorder = new HistoryRecorder()
    const list = [1, 2]
    recorder.begin().readList('x', list).commit()
    list.push(3)
    expect(recorder.history()[0]?.operations[0]).toEqual({ kind: 'read-list', key: 'x',
      list: [1, 2] })
  })

  it('refuses operations and a second outcome after the first outcome', () => {
    const transaction = new HistoryRecorder().begin()
    transaction.commit()
    expect(() => transaction.read('x', 1)).toThrow(TypeError)
    expect(() => transaction.abort()).toThrow('transaction 1 is already committed')
  })

  it('refuses values the checker cannot compare', () => {
    const transaction = new HistoryRecorder().begin()
    expect(() => transaction.write('x', Number.NaN)).toThrow(TypeError)
    expect(() => transaction.append('x', {} as unknown as number)).toThrow(TypeError)
    expect(() => transaction.readList('x', [1, Infinity])).toThrow(TypeError)
    expect(() => transaction.read(7 as unknown as string, 1)).toThrow('key must be a string')
  })
})
