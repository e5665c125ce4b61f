/**
 * Property: whatever sequence of DDL statements runs (valid or not, with compaction at any
 * interval), the catalog reopened from disk, and the catalog rebuilt from the catalog source alone,
 * equal the catalog the statements produced in memory.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { DdlOp } from '../src/index.js'
import { MemoryCatalogSource } from '../src/index.js'
import {
  createModel,
  createSpace,
  createUser,
  describeCatalog,
  dict,
  newSim,
  open,
  openWithSource,
  uint,
} from './helpers.js'

const space = fc.constantFrom('s0', 's1', 's2')
const model = fc.constantFrom('m0', 'm1', 'm2')
const field = fc.constantFrom('a', 'b', 'c', 'd')
const type = fc.constantFrom(
  'uint8',
  'uint32',
  'sint16',
  'string',
  'binary',
  'float32',
  'list<uint8>',
  'bool',
)

const statement: fc.Arbitrary<DdlOp> = fc.oneof(
  fc
    .record({ name: space, n: fc.nat(5) })
    .map(({ name, n }) =>
      createSpace(name, { ifNotExists: n % 2 === 0, properties: dict({ env: { n: uint(n) } }) }),
    ),
  fc.record({ name: space, n: fc.nat(5) }).map(
    ({ name, n }): DdlOp => ({
      kind: 'alterSpace',
      name,
      properties: dict({ env: n === 0 ? null : { n: uint(n) } }),
    }),
  ),
  fc
    .record({ name: space, all: fc.boolean() })
    .map(
      ({ name, all }): DdlOp => ({ kind: 'dropSpace', name, allowNotEmpty: all, ifExists: true }),
    ),
  fc
    .record({ s: space, m: model, key: type, other: type })
    .map(({ s, m, key, other }) => createModel(s, m, `k:${key}`, `v:${other}`)),
  fc.record({ s: space, m: model, f: field, t: type }).map(
    ({ s, m, f, t }): DdlOp => ({
      kind: 'alterModel',
      space: s,
      name: m,
      action: { kind: 'add', fields: [{ name: f, type: { name: t } }] },
    }),
  ),
  fc.record({ s: space, m: model, f: field, t: type }).map(
    ({ s, m, f, t }): DdlOp => ({
      kind: 'alterModel',
      space: s,
      name: m,
      action: { kind: 'update', fields: [{ name: f, type: { name: t } }] },
    }),
  ),
  fc.record({ s: space, m: model, f: field }).map(
    ({ s, m, f }): DdlOp => ({
      kind: 'alterModel',
      space: s,
      name: m,
      action: { kind: 'remove', names: [f] },
    }),
  ),
  fc
    .record({ s: space, m: model })
    .map(({ s, m }): DdlOp => ({ kind: 'dropModel', space: s, name: m, ifExists: true })),
  fc.constantFrom('u0', 'u1').map((name) => createUser(name, 'pw')),
  fc.constantFrom('u0', 'u1').map((name): DdlOp => ({ kind: 'dropUser', name })),
)

describe('catalog properties', () => {
  it('reopens and rebuilds to the catalog the statements produced', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(statement, { maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        async (statements, compactEvery) => {
          const fs = await newSim()
          const source = new MemoryCatalogSource()
          const gns = await open(fs, { compactEvery, segmentBytesMax: 300 })
          for (const op of statements) {
            const result = await gns.execute(op).catch((error: unknown) => {
              if (typeof (error as { code?: unknown }).code !== 'string') throw error
              return undefined
            })
            if (result?.echo !== undefined) source.recordEvent(result.echo)
          }
          const expected = describeCatalog(gns.current)
          await gns.close()
          const reopened = await open(fs, { compactEvery })
          expect(describeCatalog(reopened.current)).toEqual(expected)
          expect(reopened.report.damage).toEqual([])
          await reopened.close()
          const rebuilt = await openWithSource(await newSim(), source)
          expect(describeCatalog(rebuilt.current)).toEqual(expected)
          await rebuilt.close()
        },
      ),
      { numRuns: 150 },
    )
  })
})
