/**
 * The engine's contract outside crashes: what open reports, stores per model, DDL (one- and
 * two-phase), checkpoints (by volume, by time, on close, at one commit timestamp while writers
 * continue), retention of checkpoints and segments, and use after close.
 */
import { SimFileSystem } from '@sky/vfs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { type Engine, type EngineOptions, ddlStoreId, openEngine } from '../src/index.js'
import { listCheckpoints, readCheckpoint } from '../src/internal/checkpoint-read.js'
import { firstSegmentBase } from '../src/internal/journal-walk.js'
import { createModel, turn } from './helpers.js'
import { RecordingFileSystem } from './recording-fs.js'

const base: Omit<EngineOptions, 'fs'> = {
  dir: '/db',
  idleTimeoutMs: 0,
  checkpoint: { intervalMs: 0 },
}

function withModel(engine: Engine, name = 'm', key = 'uint64'): Promise<string> {
  return createModel(engine, { name, key, strings: ['v', 'w'] })
}

async function insert(engine: Engine, id: string, from: number, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, i) =>
      engine.manager.transaction((txn) =>
        txn.insert(id, BigInt(from + i), [BigInt(from + i), `v${from + i}`, `w${from + i}`]),
      ),
    ),
  )
}

function liveRows(engine: Engine, id: string): number {
  return engine.store.store(id)?.stats().liveKeyCount ?? 0
}

afterEach(() => {
  vi.useRealTimers()
})

describe('open', () => {
  it('reports a fresh database, then the checkpoint and replay of a reopen', async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({ fs, ...base })
    expect(engine.report.fresh).toBe(true)
    expect(engine.report.checkpoint).toBeUndefined()
    const id = await withModel(engine)
    await insert(engine, id, 0, 20)
    await engine.close()
    const again = await openEngine({ fs, ...base })
    expect(again.report.fresh).toBe(false)
    expect(again.report.checkpoint?.rows).toBe(20)
    expect(again.report.replay.frames).toBe(0)
    expect(liveRows(again, id)).toBe(20)
    await again.close()
  })

  it('replays only the journal after the newest checkpoint, not the history before it', async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({ fs, ...base, checkpoint: { intervalMs: 0, onClose: false } })
    const id = await withModel(engine)
    await insert(engine, id, 0, 50)
    const checkpoint = await engine.checkpoint()
    await insert(engine, id, 50, 7)
    await engine.close()
    const again = await openEngine({ fs, ...base })
    expect(again.report.checkpoint?.lsn).toBe(checkpoint!.lsn)
    expect(again.report.replay.fromLsn).toBe(checkpoint!.lsn + 1n)
    expect(again.report.replay.transactions).toBe(7)
    expect(liveRows(again, id)).toBe(57)
    await again.close()
  })

  it('creates one store per model with its primary key kind', async () => {
    const engine = await openEngine({ fs: new SimFileSystem(), ...base })
    const ints = await withModel(engine, 'ints', 'sint32')
    const texts = await withModel(engine, 'texts', 'string')
    const blobs = await withModel(engine, 'blobs', 'binary')
    expect(engine.store.store(ints)?.keyKind).toBe('int')
    expect(engine.store.store(texts)?.keyKind).toBe('string')
    expect(engine.store.store(blobs)?.keyKind).toBe('binary')
    expect(engine.store.modelIds().sort()).toEqual([ddlStoreId, ints, texts, blobs].sort())
    await engine.close()
  })

  it('skips and counts the records of models dropped after them', async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({ fs, ...base, checkpoint: { intervalMs: 0, onClose: false } })
    const kept = await withModel(engine, 'kept')
    const gone = await withModel(engine, 'gone')
    await insert(engine, gone, 0, 9)
    await insert(engine, kept, 0, 4)
    await engine.ddl({ kind: 'dropModel', space: 's', name: 'gone', allowNotEmpty: true })
    await engine.close()
    const again = await openEngine({ fs, ...base })
    expect(again.report.replay.skippedTransactions).toBe(9)
    expect(again.report.replay.skippedWrites).toBe(9)
    expect(again.report.droppedStores).toEqual([{ modelId: gone, rows: 9 }])
    expect(again.store.store(gone)).toBeUndefined()
    expect(liveRows(again, kept)).toBe(4)
    await again.close()
  })
})

describe('records of dropped models', () => {
  it('are skipped and counted, whole records and writes of mixed records apart', async () => {
    const fs = new SimFileSystem()
    const options = { ...base, checkpoint: { intervalMs: 0, onClose: false } }
    const engine = await openEngine({ fs, ...options })
    const kept = await withModel(engine, 'kept')
    const gone = await withModel(engine, 'gone')
    await insert(engine, gone, 0, 5)
    await engine.checkpoint() // the 5 rows above are in it: replay never sees their records
    await insert(engine, gone, 5, 4)
    await insert(engine, kept, 0, 4)
    for (let key = 100n; key < 103n; key++) {
      await engine.manager.transaction((txn) => {
        txn.insert(kept, key, [key, 'both', ''])
        txn.insert(gone, key, [key, 'both', ''])
      })
    }
    await engine.ddl({ kind: 'dropModel', space: 's', name: 'gone', allowNotEmpty: true })
    await engine.close()
    const again = await openEngine({ fs, ...base })
    // After the checkpoint: 4 records wrote only to `gone`, 3 wrote to both.
    expect(again.report.replay.transactions).toBe(4 + 4 + 3)
    expect(again.report.replay.skippedTransactions).toBe(4)
    expect(again.report.replay.skippedWrites).toBe(4 + 3)
    expect(again.report.droppedStores).toEqual([{ modelId: gone, rows: 12 }])
    expect(again.store.store(gone)).toBeUndefined()
    expect(liveRows(again, kept)).toBe(7)
    expect(again.report.durationMs).toBeGreaterThanOrEqual(0)
    await again.close()
  })
})

describe('a journal that ends before its checkpoint', () => {
  it('is set aside in the quarantine and restarted after the checkpoint, losing nothing', async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({ fs, ...base })
    const id = await withModel(engine)
    await insert(engine, id, 0, 10)
    await engine.close()
    const lsn = (await listCheckpoints(fs, '/db/checkpoints'))[0]!.lsn
    for (const name of await fs.readdir('/db/journal')) await fs.unlink(`/db/journal/${name}`)
    const reopened = await openEngine({ fs, ...base })
    expect(reopened.report.notes).toContain(
      `the journal ended before checkpoint lsn ${lsn}; restarted at ${lsn + 1n}`,
    )
    expect(liveRows(reopened, id)).toBe(10)
    const txn = reopened.manager.begin()
    txn.insert(id, 100n, [100n, 'after', ''])
    expect((await txn.commit()).lsn).toBe(lsn + 1n)
    await reopened.close()
    const again = await openEngine({ fs, ...base })
    expect(liveRows(again, id)).toBe(11)
    await again.close()
  })
})

describe('ddl', () => {
  it('drops an empty model in one phase and a model with rows in two', async () => {
    const engine = await openEngine({ fs: new SimFileSystem(), ...base })
    const empty = await withModel(engine, 'empty')
    const full = await withModel(engine, 'full')
    await insert(engine, full, 0, 3)
    const seqBefore = engine.gns.current.seq
    await engine.ddl({ kind: 'dropModel', space: 's', name: 'empty' })
    expect(engine.gns.current.seq).toBe(seqBefore + 1)
    expect(engine.store.store(empty)).toBeUndefined()
    await expect(engine.ddl({ kind: 'dropModel', space: 's', name: 'full' })).rejects.toMatchObject(
      { code: 'GNS_NOT_EMPTY' },
    )
    await engine.ddl({ kind: 'dropModel', space: 's', name: 'full', allowNotEmpty: true })
    // prepare + commit: two catalog events.
    expect(engine.gns.current.seq).toBe(seqBefore + 3)
    expect(engine.store.store(full)).toBeUndefined()
    await engine.close()
  })

  it('rewrites every row without the removed fields, once', async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({ fs, ...base })
    const id = await withModel(engine)
    await insert(engine, id, 0, 1500)
    await engine.ddl({
      kind: 'alterModel',
      space: 's',
      name: 'm',
      action: { kind: 'remove', names: ['v'] },
    })
    const store = engine.store.store(id)!
    expect(store.get(7n, engine.store.lastCommitTs)).toEqual([7n, 'w7'])
    expect(engine.store.store(ddlStoreId)!.stats().liveKeyCount).toBe(1)
    await engine.ddl({
      kind: 'alterModel',
      space: 's',
      name: 'm',
      action: {
        kind: 'add',
        fields: [
          {
            name: 'x',
            type: { name: 'string' },
            properties: new Map([['nullable', { type: 'bool', value: true }]]),
          },
        ],
      },
    })
    // Adding a field changes no row: rows shorter than the model read null in the new field.
    expect(store.get(7n, engine.store.lastCommitTs)).toEqual([7n, 'w7'])
    await engine.close()
    const again = await openEngine({ fs, ...base })
    expect(again.store.store(id)!.get(1499n, again.store.lastCommitTs)).toEqual([1499n, 'w1499'])
    await again.close()
  })

  it('refuses a row rewrite that does not fit one transaction, before writing anything', async () => {
    const engine = await openEngine({ fs: new SimFileSystem(), ...base, redoBytesMax: 4096 })
    const id = await withModel(engine)
    await insert(engine, id, 0, 200)
    const seq = engine.gns.current.seq
    await expect(
      engine.ddl({
        kind: 'alterModel',
        space: 's',
        name: 'm',
        action: { kind: 'remove', names: ['v'] },
      }),
    ).rejects.toMatchObject({ code: 'RECOVERY_DDL_TOO_LARGE' })
    expect(engine.gns.current.seq).toBe(seq)
    await engine.close()
  })

  it('refuses every operation after close', async () => {
    const engine = await openEngine({ fs: new SimFileSystem(), ...base })
    await engine.close()
    await engine.close()
    await expect(engine.ddl({ kind: 'createSpace', name: 'x' })).rejects.toMatchObject({
      code: 'RECOVERY_CLOSED',
    })
    await expect(engine.checkpoint()).rejects.toMatchObject({ code: 'RECOVERY_CLOSED' })
  })
})

describe('checkpoints', () => {
  it('are taken by journal volume', async () => {
    const engine = await openEngine({
      fs: new SimFileSystem(),
      ...base,
      checkpoint: { journalBytes: 4096, intervalMs: 0 },
    })
    const id = await withModel(engine)
    for (let round = 0; round < 10 && engine.stats.checkpoints === 0; round++) {
      await insert(engine, id, round * 20, 20)
      for (let idle = 0; idle < 50 && engine.stats.checkpoints === 0; idle++) await turn()
    }
    expect(engine.stats.checkpoints).toBeGreaterThan(0)
    await engine.close()
  })

  it('are taken by time once something was written', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    const engine = await openEngine({
      fs: new SimFileSystem(),
      ...base,
      checkpoint: { intervalMs: 60_000 },
    })
    vi.advanceTimersByTime(60_000)
    for (let idle = 0; idle < 20; idle++) await turn()
    expect(engine.stats.checkpoints).toBe(0) // nothing written yet
    const id = await withModel(engine)
    await insert(engine, id, 0, 3)
    vi.advanceTimersByTime(60_000)
    for (let idle = 0; idle < 200 && engine.stats.checkpoints === 0; idle++) await turn()
    expect(engine.stats.checkpoints).toBe(1)
    await engine.close()
  })

  it('are taken on clean close, covering the last commit', async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({ fs, ...base })
    const id = await withModel(engine)
    await insert(engine, id, 0, 5)
    await engine.close()
    const [newest] = await listCheckpoints(fs, '/db/checkpoints')
    const read = await readCheckpoint(fs, '/db/checkpoints', newest!.name)
    expect(read.status).toBe('valid')
    if (read.status === 'valid') expect(read.content.stores.get(id)?.writes.length).toBe(5)
  })

  it('hold exactly the commits at or below their timestamp while writers continue', async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({ fs, ...base, checkpoint: { intervalMs: 0, onClose: false } })
    const id = await withModel(engine)
    await insert(engine, id, 0, 6000)
    const committed = new Map<bigint, number>()
    let writing = true
    let next = 100_000
    const writer = async (): Promise<void> => {
      while (writing) {
        const key = BigInt(next++)
        const txn = engine.manager.begin()
        txn.insert(id, key, [key, 'during', ''])
        const info = await txn.commit()
        committed.set(key, info.commitTs)
      }
    }
    const writers = Array.from({ length: 4 }, () => writer())
    await turn()
    const before = committed.size
    const checkpoint = await engine.checkpoint()
    const during = committed.size - before
    writing = false
    await Promise.all(writers)
    expect(during).toBeGreaterThan(0)
    const read = await readCheckpoint(fs, '/db/checkpoints', checkpoint!.name)
    expect(read.status).toBe('valid')
    if (read.status !== 'valid') return
    const keys = new Set(read.content.stores.get(id)!.writes.map((write) => write.key as bigint))
    const atOrBelow = [...committed]
      .filter(([, ts]) => ts <= checkpoint!.commitTs)
      .map(([key]) => key)
    expect(atOrBelow.length).toBeLessThan(committed.size)
    for (const [key, ts] of committed) expect(keys.has(key)).toBe(ts <= checkpoint!.commitTs)
    expect(keys.size).toBe(6000 + atOrBelow.length)
    await engine.close()
  })

  it('keep the retained checkpoints and remove journal segments wholly before the oldest', async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({ fs, ...base, segmentBytesMax: 512 })
    const id = await withModel(engine)
    const lsns: bigint[] = []
    for (let round = 0; round < 3; round++) {
      await insert(engine, id, round * 30, 30)
      lsns.push((await engine.checkpoint())!.lsn)
    }
    const names = (await listCheckpoints(fs, '/db/checkpoints')).map((entry) => entry.lsn)
    expect(names).toEqual([lsns[2], lsns[1]])
    const first = await firstSegmentBase(fs, '/db/journal')
    expect(first).toBeGreaterThan(1n)
    expect(first).toBeLessThanOrEqual(lsns[1]! + 1n)
    await engine.close()
  })

  it("keep every segment with retainSegments: 'all'", async () => {
    const fs = new SimFileSystem()
    const engine = await openEngine({ fs, ...base, segmentBytesMax: 512, retainSegments: 'all' })
    const id = await withModel(engine)
    for (let round = 0; round < 3; round++) {
      await insert(engine, id, round * 30, 30)
      await engine.checkpoint()
    }
    expect(await firstSegmentBase(fs, '/db/journal')).toBe(1n)
    await engine.close()
  })

  it('keep a given number of extra segments before the oldest retained checkpoint', async () => {
    const segmentsAfter = async (retainSegments: number): Promise<number> => {
      const fs = new SimFileSystem()
      const engine = await openEngine({ fs, ...base, segmentBytesMax: 256, retainSegments })
      const id = await withModel(engine)
      for (let round = 0; round < 3; round++) {
        for (let key = 0; key < 20; key++) await insert(engine, id, round * 100 + key, 1)
        await engine.checkpoint()
      }
      await engine.close()
      return (await fs.readdir('/db/journal')).filter((name) => name.endsWith('.log')).length
    }
    expect(await segmentsAfter(2)).toBe((await segmentsAfter(0)) + 2)
  })

  it("are written to a temp name, fdatasync'd, renamed, the directory fsync'd", async () => {
    const fs = new RecordingFileSystem(new SimFileSystem())
    const engine = await openEngine({ fs, ...base, segmentBytesMax: 512 })
    const id = await withModel(engine)
    await insert(engine, id, 0, 30)
    await engine.checkpoint()
    await insert(engine, id, 30, 30)
    fs.clear()
    const info = (await engine.checkpoint())!
    expect(info.segmentsRemoved).toBeGreaterThan(0)
    const final = `/db/checkpoints/${info.name}`
    const temp = `${final}.tmp`
    const steps = fs.calls
      .filter(
        (call) =>
          call.path === temp ||
          call.path === '/db/checkpoints' ||
          (call.op === 'unlink' && call.path.startsWith('/db/journal/')),
      )
      .map((call) => (call.op === 'rename' ? `rename ${call.target}` : `${call.op} ${call.path}`))
    const at = (step: string): number => steps.indexOf(step)
    const lastWrite = steps.lastIndexOf(`write ${temp}`)
    const lastSync = steps.lastIndexOf(`sync ${temp}`)
    expect(at(`open ${temp}`)).toBe(0)
    expect(lastWrite).toBeGreaterThan(0)
    expect(lastSync).toBeGreaterThan(lastWrite)
    expect(at(`rename ${final}`)).toBe(lastSync + 1)
    expect(at('syncDir /db/checkpoints')).toBe(lastSync + 2)
    const firstUnlink = steps.findIndex((step) => step.startsWith('unlink /db/journal/'))
    expect(firstUnlink).toBeGreaterThan(at('syncDir /db/checkpoints'))
    await engine.close()
  })

  it('are skipped when nothing changed', async () => {
    const engine = await openEngine({ fs: new SimFileSystem(), ...base })
    const id = await withModel(engine)
    await insert(engine, id, 0, 2)
    expect(await engine.checkpoint()).toBeDefined()
    expect(await engine.checkpoint()).toBeUndefined()
    await engine.close()
  })
})
