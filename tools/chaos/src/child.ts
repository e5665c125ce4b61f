/**
 * The chaos child: opens the engine on a real data directory and writes under concurrent load until
 * it is killed. Every acknowledgement is one line on stdout, written only after the operation's
 * promise resolved (so after its fdatasync):
 *
 *   ready                     the engine is open
 *   ddl <model>               `create model <model>` is durable
 *   ack <worker> <version>    the transaction of that worker's write number <version> is durable
 *   checkpoint <lsn>          a checkpoint finished
 *
 * Each transaction of worker w, write number n (version `<round>.<n>`, zero-padded so versions
 * sort as strings) upserts the same value into `a` and `b` at key `w:<n mod slots>`, and into `c`
 * at key `w`: three models, one transaction. The key space is bounded, so every round costs the
 * same however long the run.
 *
 * Usage: child.ts <dir> <round> <writers> <slots>
 */
import { NodeFileSystem } from '@sky/vfs'
import { type Engine, openEngine, storeIdOf } from '@sky/recovery'

type DdlOp = Parameters<Engine['ddl']>[0]

const [dir, roundText, writersText, slotsText] = process.argv.slice(2)
const round = Number(roundText)
const writers = Number(writersText)
const slots = Number(slotsText)

function say(line: string): void {
  process.stdout.write(`${line}\n`)
}

/** Version of write `sequence` in this round: sorts as a string in write order across rounds. */
export function version(roundNumber: number, sequence: number): string {
  return `${String(roundNumber).padStart(6, '0')}.${String(sequence).padStart(9, '0')}`
}

function model(name: string): DdlOp {
  return {
    kind: 'createModel',
    space: 'chaos',
    name,
    ifNotExists: true,
    fields: [
      { name: 'k', type: { name: 'string' } },
      { name: 'v', type: { name: 'string' } },
    ],
  }
}

async function main(): Promise<void> {
  const engine = await openEngine({
    fs: new NodeFileSystem(),
    dir: dir!,
    segmentBytesMax: 256 * 1024,
    checkpoint: { journalBytes: 512 * 1024, intervalMs: 0 },
  })
  say('ready')
  await engine.ddl({ kind: 'createSpace', name: 'chaos', ifNotExists: true })
  for (const name of ['a', 'b', 'c']) await engine.ddl(model(name))
  const roundModel = `r${round}`
  await engine.ddl(model(roundModel))
  say(`ddl ${roundModel}`)
  const catalog = engine.gns.current
  const [a, b, c] = ['a', 'b', 'c'].map((name) => storeIdOf(catalog.model('chaos', name)!))
  const writer = async (worker: number): Promise<never> => {
    for (let sequence = 0; ; sequence++) {
      const value = version(round, sequence)
      const key = `${worker}:${sequence % slots}`
      await engine.manager.transaction((txn) => {
        txn.upsert(a!, key, [key, value])
        txn.upsert(b!, key, [key, value])
        txn.upsert(c!, String(worker), [String(worker), value])
      })
      say(`ack ${worker} ${value}`)
    }
  }
  const checkpoints = async (): Promise<never> => {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 150))
      const info = await engine.checkpoint()
      if (info !== undefined) say(`checkpoint ${info.lsn}`)
    }
  }
  await Promise.all([
    ...Array.from({ length: writers }, (_, worker) => writer(worker)),
    checkpoints(),
  ])
}

if (process.argv[1]?.endsWith('child.ts')) {
  main().catch((error: unknown) => {
    process.stderr.write(`chaos child failed: ${String(error)}\n`)
    process.exit(2)
  })
}
