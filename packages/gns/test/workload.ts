/**
 * A DDL workload of 60 steps touching every operation kind, two-phase commits and aborts, a
 * prepare left pending across compactions, no-ops and failing statements. With `compactEvery: 8`
 * it crosses six compactions. Used by the crash enumeration and the real-disk test.
 */
import type { Gns } from '../src/index.js'
import { createModel, createSpace, createUser, dict, str, uint } from './helpers.js'

/** Prepare ids by step label, for later commit/abort steps. */
export type Prepared = Map<string, string>

export interface Step {
  readonly label: string
  /** Change in the number of prepares pending after this step. */
  readonly pendingDelta: number
  run(gns: Gns, prepared: Prepared): Promise<unknown>
}

const op = (label: string, run: Step['run'], pendingDelta = 0): Step => ({
  label,
  run,
  pendingDelta,
})

function prepareStep(label: string, make: Parameters<Gns['prepare']>[0]): Step {
  return op(
    label,
    async (gns, prepared) => {
      const result = await gns.prepare(make)
      if (!result.prepared) throw new Error(`${label}: nothing to prepare`)
      prepared.set(label, result.id)
    },
    1,
  )
}

const resolveStep = (label: string, of: string, decision: 'commit' | 'abort'): Step =>
  op(
    label,
    (gns, prepared) =>
      decision === 'commit' ? gns.commit(prepared.get(of)!) : gns.abort(prepared.get(of)!),
    -1,
  )

/** Runs a step; a typed failure is an expected outcome, not an error of the workload. */
async function expectFailure(run: () => Promise<unknown>): Promise<void> {
  try {
    await run()
  } catch (error) {
    if (typeof (error as { code?: unknown }).code === 'string') return
    throw error
  }
  throw new Error('expected a typed failure')
}

export function workloadSteps(): Step[] {
  const steps: Step[] = [
    op('space a', (gns) =>
      gns.execute(
        createSpace('a', { properties: dict({ env: { tier: str('gold'), n: uint(1) } }) }),
      ),
    ),
    op('space b', (gns) => gns.execute(createSpace('b'))),
    op('model a.m1', (gns) =>
      gns.execute(createModel('a', 'm1', 'id:uint64', 'name:string', '?tags:list<string>')),
    ),
    op('user u1', (gns) => gns.execute(createUser('u1', 'secret1'))),
    op('model a.m2', (gns) => gns.execute(createModel('a', 'm2', '*k:string', 'v:binary'))),
    op('model b.m3', (gns) => gns.execute(createModel('b', 'm3', 'id:sint16', 'score:float32'))),
    op('a.m1 add f1', (gns) =>
      gns.execute({
        kind: 'alterModel',
        space: 'a',
        name: 'm1',
        action: { kind: 'add', fields: [{ name: 'f1', type: { name: 'uint8' } }] },
      }),
    ),
    op('a.m1 widen f1', (gns) =>
      gns.execute({
        kind: 'alterModel',
        space: 'a',
        name: 'm1',
        action: { kind: 'update', fields: [{ name: 'f1', type: { name: 'uint32' } }] },
      }),
    ),
    op('alter space a', (gns) =>
      gns.execute({
        kind: 'alterSpace',
        name: 'a',
        properties: dict({ env: { n: uint(2), extra: { deep: str('x') } } }),
      }),
    ),
    op('model b.m4', (gns) => gns.execute(createModel('b', 'm4', 'id:uint8', '?blob:binary'))),
    op('drop b.m3', (gns) => gns.execute({ kind: 'dropModel', space: 'b', name: 'm3' })),
    op('recreate b.m3', (gns) => gns.execute(createModel('b', 'm3', 'id:string'))),
    op('create b.m3 again (no-op)', (gns) =>
      gns.execute({ ...createModel('b', 'm3', 'id:string'), ifNotExists: true } as never),
    ),
    op('create b.m3 again (fails)', (gns) =>
      expectFailure(() => gns.execute(createModel('b', 'm3', 'id:string'))),
    ),
    prepareStep('prepare drop a.m2', {
      kind: 'dropModel',
      space: 'a',
      name: 'm2',
      allowNotEmpty: true,
      hasData: true,
    }),
    resolveStep('commit drop a.m2', 'prepare drop a.m2', 'commit'),
    prepareStep('prepare remove a.m1.f1', {
      kind: 'alterModel',
      space: 'a',
      name: 'm1',
      action: { kind: 'remove', names: ['f1'] },
    }),
    resolveStep('abort remove a.m1.f1', 'prepare remove a.m1.f1', 'abort'),
    op('user u2', (gns) => gns.execute(createUser('u2', 'secret2'))),
    op('alter user u1', (gns) =>
      gns.execute({
        kind: 'alterUser',
        name: 'u1',
        properties: dict({ password: str('secret1b') }),
      }),
    ),
    op('drop user u2', (gns) => gns.execute({ kind: 'dropUser', name: 'u2', actor: 'u1' })),
    op('space c', (gns) => gns.execute(createSpace('c'))),
  ]
  for (let index = 1; index <= 6; index++) {
    steps.push(
      op(`model c.x${index}`, (gns) =>
        gns.execute(createModel('c', `x${index}`, 'id:uint64', `v${index}:string`)),
      ),
    )
  }
  steps.push(
    prepareStep('prepare model b.m9', createModel('b', 'm9', 'id:uint16', 'x:list<list<uint8>>')),
  )
  for (let index = 1; index <= 6; index++) {
    const fields = [
      {
        name: `extra${index}`,
        type: { name: 'sint64' },
        properties: dict({ nullable: { type: 'bool', value: true } }),
      },
    ]
    steps.push(
      op(`c.x${index} add`, (gns) =>
        gns.execute({
          kind: 'alterModel',
          space: 'c',
          name: `x${index}`,
          action: { kind: 'add', fields },
        }),
      ),
    )
  }
  steps.push(
    op('drop space c (fails, not empty)', (gns) =>
      expectFailure(() => gns.execute({ kind: 'dropSpace', name: 'c' })),
    ),
  )
  steps.push(
    op('drop space c', (gns) => gns.execute({ kind: 'dropSpace', name: 'c', allowNotEmpty: true })),
  )
  steps.push(
    op('drop space c again (no-op)', (gns) =>
      gns.execute({ kind: 'dropSpace', name: 'c', ifExists: true }),
    ),
  )
  for (let index = 1; index <= 8; index++) {
    steps.push(
      op(`space d${index}`, (gns) =>
        gns.execute(createSpace(`d${index}`, { properties: dict({ env: { i: uint(index) } }) })),
      ),
    )
    if (index % 2 === 0)
      steps.push(
        op(`model d${index}.m`, (gns) =>
          gns.execute(createModel(`d${index}`, 'm', 'k:binary', '?v:bool')),
        ),
      )
  }
  steps.push(resolveStep('commit model b.m9', 'prepare model b.m9', 'commit'))
  steps.push(
    op('b.m4 nullable', (gns) =>
      gns.execute({
        kind: 'alterModel',
        space: 'b',
        name: 'm4',
        action: {
          kind: 'update',
          fields: [{ name: 'blob', properties: dict({ nullable: { type: 'bool', value: true } }) }],
        },
      }),
    ),
  )
  steps.push(
    op('drop d8.m', (gns) =>
      gns.execute({ kind: 'dropModel', space: 'd8', name: 'm', ifExists: true }),
    ),
  )
  steps.push(op('drop d7', (gns) => gns.execute({ kind: 'dropSpace', name: 'd7' })))
  steps.push(op('user u3', (gns) => gns.execute(createUser('u3', 'secret3'))))
  return steps
}
