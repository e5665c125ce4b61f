/**
 * Shared test helpers: running a promise on a simulated disk until it settles or the disk halts,
 * and describing an engine's whole visible state (catalog and rows) as plain data to compare.
 */
import type { Model } from '@sky/gns'
import type { Key } from '@sky/mvcc'
import type { Row, Value } from '@sky/txn'
import type { SimFileSystem } from '@sky/vfs'
import { type Engine, ddlStoreId, storeIdOf } from '../src/index.js'

/**
 * Creates model `s.<name>` (and space `s` if it is missing): an `id` key of type `key`, then one
 * string field per name in `strings`. Returns the model's store id.
 */
export async function createModel(
  engine: Engine,
  options: { readonly name?: string; readonly key?: string; readonly strings?: readonly string[] } = {},
): Promise<string> {
  const { name = 'm', key = 'uint64', strings = [] } = options
  if (engine.gns.current.space('s') === undefined) {
    await engine.ddl({ kind: 'createSpace', name: 's' })
  }
  const { version } = await engine.ddl({
    kind: 'createModel',
    space: 's',
    name,
    fields: [
      { name: 'id', type: { name: key } },
      ...strings.map((field) => ({ name: field, type: { name: 'string' } })),
    ],
  })
  return storeIdOf(version.model('s', name)!)
}

/** One event-loop turn. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

export { settle } from '@sky/vfs/testing'
export type { Settled } from '@sky/vfs/testing'

/** A value as a stable string (bigint and bytes included). */
export function show(value: Value | Key | undefined): string {
  if (value === undefined) return 'undefined'
  if (value === null) return 'null'
  if (typeof value === 'bigint') return `${value}n`
  if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex')}`
  if (Array.isArray(value)) return `[${value.map((item) => show(item as Value)).join(',')}]`
  return JSON.stringify(value)
}

/** A model's state: its fields and rows (key → row), as strings. */
export interface ModelState {
  readonly fields: readonly string[]
  readonly rows: ReadonlyMap<string, string>
}

/** Every model of space `space`: name → state. */
export type DatabaseState = ReadonlyMap<string, ModelState>

function rowsOf(engine: Engine, model: Model): Map<string, string> {
  const store = engine.store.store(storeIdOf(model))
  const rows = new Map<string, string>()
  if (store === undefined) return rows
  let resume: Key | undefined
  for (;;) {
    const page = store.scan({
      snapshotTs: engine.store.lastCommitTs,
      limit: 1000,
      ...(resume === undefined ? {} : { from: resume, fromExclusive: true }),
    })
    for (const entry of page.entries) rows.set(show(entry.key), show(entry.row as Row))
    if (page.resume === undefined) return rows
    resume = page.resume
  }
}

/** The engine's visible state in one space. */
export function stateOf(engine: Engine, space: string): DatabaseState {
  const state = new Map<string, ModelState>()
  const found = engine.gns.current.space(space)
  if (found === undefined) return state
  for (const model of found.models.values()) {
    state.set(model.name, {
      fields: model.fields.map((field) => field.name),
      rows: rowsOf(engine, model),
    })
  }
  return state
}

/**
 * Problems with the catalog/data agreement: a store per catalog model (and no other but `$ddl`),
 * keys of the model's kind, no row longer than the model.
 */
export function catalogDataProblems(engine: Engine): string[] {
  const problems: string[] = []
  const wanted = new Set<string>([ddlStoreId])
  for (const space of engine.gns.current.spaces.values()) {
    for (const model of space.models.values()) {
      const id = storeIdOf(model)
      wanted.add(id)
      const store = engine.store.store(id)
      if (store === undefined) {
        problems.push(`model ${model.name} has no store`)
        continue
      }
      const page = store.scan({ snapshotTs: engine.store.lastCommitTs })
      for (const entry of page.entries) {
        if ((entry.row as Row).length > model.fields.length)
          problems.push(`${model.name}: row longer than the model`)
      }
    }
  }
  for (const id of engine.store.modelIds())
    if (!wanted.has(id)) problems.push(`store ${id} has no model`)
  return problems
}

/** Compares two states; returns the first difference or undefined. */
export function difference(actual: DatabaseState, expected: DatabaseState): string | undefined {
  const names = new Set([...actual.keys(), ...expected.keys()])
  for (const name of names) {
    const a = actual.get(name)
    const e = expected.get(name)
    if (a === undefined || e === undefined)
      return `model ${name}: ${a === undefined ? 'missing' : 'unexpected'}`
    if (a.fields.join(',') !== e.fields.join(','))
      return `model ${name}: fields ${a.fields} vs ${e.fields}`
    if (a.rows.size !== e.rows.size) return `model ${name}: ${a.rows.size} rows vs ${e.rows.size}`
    for (const [key, row] of e.rows)
      if (a.rows.get(key) !== row) return `model ${name} key ${key}: ${a.rows.get(key)} vs ${row}`
  }
  return undefined
}
