/**
 * A whole-engine workload for crash tests: DDL (create, two-phase alter that rewrites rows,
 * two-phase drop of a model with rows), multi-model transactions in concurrent batches, explicit
 * checkpoints (with journal truncation: small segments, two checkpoints retained) and a clean close.
 *
 * Every operation has a model of its effect (`apply`), so the state after any prefix of the
 * operations is known. Transactions within a batch write disjoint keys and start in order, so their
 * commit order is their order in the list: a crash recovers a prefix of the operations.
 */
import type { DdlOp } from '@sky/gns'
import type { Key } from '@sky/mvcc'
import type { Row } from '@sky/txn'
import { type Engine, type EngineOptions, storeIdOf } from '../src/index.js'
import { type DatabaseState, show } from './helpers.js'

interface MutableModel {
  fields: string[]
  rows: Map<string, Row>
}
type MutableState = Map<string, MutableModel>

/** One operation of the workload. */
export interface Op {
  readonly name: string
  run(engine: Engine): Promise<unknown>
  apply(state: MutableState): void
}

/** A step: one operation, or a batch run concurrently. */
export type Step = Op | readonly Op[]

export const space = 's'

type Write = { readonly model: string; readonly key: Key; readonly row: Row | undefined }

function txn(name: string, writes: readonly Write[]): Op {
  return {
    name,
    run: (engine) =>
      engine.manager.transaction((transaction) => {
        for (const write of writes) {
          const id = storeIdOf(engine.gns.current.model(space, write.model)!)
          if (write.row === undefined) transaction.delete(id, write.key)
          else transaction.upsert(id, write.key, write.row)
        }
      }),
    apply: (state) => {
      for (const write of writes) {
        const model = state.get(write.model)!
        if (write.row === undefined) model.rows.delete(show(write.key))
        else model.rows.set(show(write.key), write.row)
      }
    },
  }
}

function ddl(name: string, op: DdlOp, apply: (state: MutableState) => void): Op {
  return { name, run: (engine) => engine.ddl(op), apply }
}

const checkpoint: Op = {
  name: 'checkpoint',
  run: (engine) => engine.checkpoint(),
  apply: () => undefined,
}

const text = (name: string) => ({ name, type: { name: 'string' } })
const bytes = (value: number) => new Uint8Array([value, value + 1])

/** The workload's steps. */
export const steps: readonly Step[] = [
  ddl('create space', { kind: 'createSpace', name: space }, () => undefined),
  ddl(
    'create a',
    {
      kind: 'createModel',
      space,
      name: 'a',
      fields: [{ name: 'id', type: { name: 'uint64' } }, text('v'), text('w')],
    },
    (state) => state.set('a', { fields: ['id', 'v', 'w'], rows: new Map() }),
  ),
  ddl(
    'create b',
    {
      kind: 'createModel',
      space,
      name: 'b',
      fields: [text('k'), { name: 'n', type: { name: 'uint64' } }],
    },
    (state) => state.set('b', { fields: ['k', 'n'], rows: new Map() }),
  ),
  Array.from({ length: 6 }, (_, i) =>
    txn(`insert ${i}`, [
      { model: 'a', key: BigInt(i), row: [BigInt(i), `v${i}`, `w${i}`] },
      { model: 'b', key: `k${i}`, row: [`k${i}`, BigInt(i * 10)] },
    ]),
  ),
  checkpoint,
  Array.from({ length: 4 }, (_, i) =>
    txn(`update ${i}`, [
      { model: 'a', key: BigInt(i), row: [BigInt(i), `v${i}x`, `w${i}x`] },
      ...(i < 2 ? [{ model: 'b', key: `k${i}`, row: undefined }] : []),
    ]),
  ),
  ddl(
    'alter a remove w',
    { kind: 'alterModel', space, name: 'a', action: { kind: 'remove', names: ['w'] } },
    (state) => {
      const model = state.get('a')!
      model.fields = ['id', 'v']
      for (const [key, row] of model.rows)
        model.rows.set(
          key,
          row.filter((_, index) => index !== 2),
        )
    },
  ),
  Array.from({ length: 4 }, (_, i) =>
    txn(`insert a ${10 + i}`, [
      { model: 'a', key: BigInt(10 + i), row: [BigInt(10 + i), `n${i}`] },
    ]),
  ),
  checkpoint,
  ddl('drop b', { kind: 'dropModel', space, name: 'b', allowNotEmpty: true }, (state) =>
    state.delete('b'),
  ),
  ddl(
    'create c',
    {
      kind: 'createModel',
      space,
      name: 'c',
      fields: [{ name: 'id', type: { name: 'binary' } }, text('x')],
    },
    (state) => state.set('c', { fields: ['id', 'x'], rows: new Map() }),
  ),
  Array.from({ length: 4 }, (_, i) =>
    txn(`mixed ${i}`, [
      { model: 'c', key: bytes(i), row: [bytes(i), `c${i}`] },
      { model: 'a', key: BigInt(20 + i), row: [BigInt(20 + i), `m${i}`] },
    ]),
  ),
  checkpoint,
  Array.from({ length: 8 }, (_, i) =>
    txn(`late ${i}`, [
      {
        model: 'a',
        key: BigInt(30 + i),
        row: [BigInt(30 + i), `late value ${i} ${'-'.repeat(24)}`],
      },
      ...(i < 4 && i % 2 === 0 ? [{ model: 'c', key: bytes(i), row: undefined }] : []),
    ]),
  ),
]

/** Every operation in order. */
export const ops: readonly Op[] = steps.flatMap((step) =>
  Array.isArray(step) ? step : [step as Op],
)

/** The state after each prefix: index p = after the first p operations. */
export function expectedStates(): DatabaseState[] {
  const state: MutableState = new Map()
  const freeze = (): DatabaseState =>
    new Map(
      [...state].map(([name, model]) => [
        name,
        {
          fields: [...model.fields],
          rows: new Map([...model.rows].map(([key, row]) => [key, show(row)])),
        },
      ]),
    )
  const states = [freeze()]
  for (const op of ops) {
    op.apply(state)
    states.push(freeze())
  }
  return states
}

/** Engine options of the workload: small segments, no time trigger, deterministic clock. */
export const workloadOptions: Omit<EngineOptions, 'fs'> = {
  dir: '/db',
  segmentBytesMax: 768,
  checkpoint: { journalBytes: 1 << 30, intervalMs: 0, retain: 2 },
  idleTimeoutMs: 0,
  timeMarkIntervalMs: 1 << 30,
  now: () => 1_000_000,
  gnsOptions: { compactEvery: 4, segmentBytesMax: 512 },
}
