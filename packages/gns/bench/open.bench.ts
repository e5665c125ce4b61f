/**
 * Benchmarks of the catalog on the real disk (NodeFileSystem, a directory under os.tmpdir()):
 *
 * - open time of a catalog of 10,000 models, kept three ways: a checkpoint plus 10,000 journal
 *   events after it (every model altered once), 10,000 journal events and no checkpoint, and a
 *   checkpoint alone;
 * - DDL events per second (create model, one fdatasync each), `sync` against `none`, in a catalog
 *   of 100 models per space and in one space already holding 10,000 models.
 *
 * Run: `pnpm bench`. Open rows report the mean open (and close) time; DDL rows run `batch`
 * statements per iteration, so events/s = batch × 1000 / mean latency (printed below the table).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { Bench } from 'tinybench'
import { NodeFileSystem, joinPath } from '@sky/vfs'
import type { DdlOp, Gns, GnsOptions } from '../src/index.js'
import { openGns } from '../src/index.js'

const fs = new NodeFileSystem()
const root = mkdtempSync(joinPath(tmpdir(), 'sky-gns-bench-'))
const modelCount = 10_000
const modelsPerSpace = 100
const batch = 50
const scrypt = { cost: 16, blockSize: 1, parallelization: 1, keyBytes: 16, saltBytes: 16 }

const createModel = (space: string, name: string): DdlOp => ({
  kind: 'createModel',
  space,
  name,
  fields: [
    { name: 'id', type: { name: 'uint64' } },
    { name: 'email', type: { name: 'string' }, nullable: true },
    { name: 'tags', type: { name: 'list', element: { name: 'string' } } },
  ],
})

function options(name: string, extra: Partial<GnsOptions> = {}): GnsOptions {
  return { fs, dir: joinPath(root, name), scrypt, compactEvery: 1_000_000, ...extra }
}

/** 100 spaces of 100 models, written without fdatasync (setup only). */
async function build(
  name: string,
  shape: 'checkpoint+journal' | 'journal' | 'checkpoint',
): Promise<void> {
  const gns = await openGns(options(name, { durability: 'none' }))
  for (let space = 0; space < modelCount / modelsPerSpace; space++) {
    await gns.execute({ kind: 'createSpace', name: `s${space}` })
    for (let model = 0; model < modelsPerSpace; model++)
      await gns.execute(createModel(`s${space}`, `m${model}`))
  }
  if (shape !== 'journal') await gns.compact()
  if (shape === 'checkpoint+journal') {
    for (let space = 0; space < modelCount / modelsPerSpace; space++) {
      for (let model = 0; model < modelsPerSpace; model++) {
        const fields = [{ name: 'added', type: { name: 'bool' } }]
        await gns.execute({
          kind: 'alterModel',
          space: `s${space}`,
          name: `m${model}`,
          action: { kind: 'add', fields },
        })
      }
    }
  }
  await gns.close()
}

async function main(): Promise<void> {
  const shapes = ['checkpoint+journal', 'journal', 'checkpoint'] as const
  for (const shape of shapes) await build(shape, shape)
  const openBench = new Bench({
    name: `open a catalog of ${modelCount} models`,
    time: 3_000,
    iterations: 5,
  })
  for (const shape of shapes) {
    openBench.add(`open: ${shape}`, async () => {
      const gns = await openGns(options(shape))
      if (gns.current.seq === 0 || gns.report.damage.length > 0)
        throw new Error('bad bench catalog')
      await gns.close()
    })
  }
  await openBench.run()
  console.log(openBench.name)
  console.table(openBench.table())

  const ddlBench = new Bench({
    name: `DDL events/s (${batch} create model per iteration)`,
    time: 3_000,
    iterations: 5,
  })
  for (const durability of ['sync', 'none'] as const) {
    for (const layout of ['100 per space', '10000 in one space'] as const) {
      const name = `ddl-${durability}-${layout.replaceAll(' ', '-')}`
      const setup = await openGns(options(name, { durability: 'none' }))
      await setup.execute({ kind: 'createSpace', name: 'big' })
      if (layout === '10000 in one space') {
        for (let model = 0; model < modelCount; model++)
          await setup.execute(createModel('big', `pre${model}`))
      }
      await setup.close()
      let gns: Gns | undefined
      let counter = 0
      const beforeAll = async (): Promise<void> => {
        gns ??= await openGns(options(name, { durability, compactEvery: 1000 }))
      }
      const afterAll = async (): Promise<void> => {
        await gns?.close()
        gns = undefined
      }
      ddlBench.add(
        `${durability}, ${layout}`,
        async () => {
          for (let index = 0; index < batch; index++) {
            const space =
              layout === '100 per space' ? `b${Math.floor(counter / modelsPerSpace)}` : 'big'
            if (layout === '100 per space' && counter % modelsPerSpace === 0)
              await gns!.execute({ kind: 'createSpace', name: space })
            await gns!.execute(createModel(space, `n${counter++}`))
          }
        },
        { beforeAll, afterAll },
      )
    }
  }
  await ddlBench.run()
  console.log(ddlBench.name)
  console.table(ddlBench.table())
  for (const task of ddlBench.tasks) {
    const result = task.result
    if (result === undefined || !('latency' in result)) throw new Error(`${task.name}: no result`)
    const mean = Math.round((batch * 1000) / result.latency.mean)
    const median = Math.round((batch * 1000) / result.latency.p50)
    console.log(`${task.name}: ${mean} events/s (mean), ${median} events/s (median)`)
  }
  for (const task of openBench.tasks) {
    const result = task.result
    if (result === undefined || !('latency' in result)) throw new Error(`${task.name}: no result`)
    console.log(
      `${task.name}: ${result.latency.mean.toFixed(0)} ms mean, ${result.latency.p50.toFixed(
        0,
      )} ms median`,
    )
  }
}

try {
  await main()
} finally {
  rmSync(root, { recursive: true, force: true })
}
