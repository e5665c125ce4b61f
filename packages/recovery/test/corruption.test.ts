/**
 * Corruption in the middle is never silently dropped: open refuses with a typed error naming the
 * segment, offset and LSN range; `repair` salvages every valid frame (or block), copies the damaged
 * bytes to the quarantine byte for byte, reports exactly what was lost, and produces a database
 * that opens; a second repair changes nothing; `verify` reports without changing anything.
 * Each case corrupts precisely (one bit at a chosen place) and checks the exact report.
 */
import { decodeRedo } from '@sky/txn'
import { SimFileSystem, joinPath } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import {
  type Engine,
  type EngineOptions,
  openEngine,
  repair,
  verify,
} from '../src/index.js'
import { blockAt, blockType, checkpointHeaderBytes } from '../src/internal/checkpoint-format.js'
import { listCheckpoints } from '../src/internal/checkpoint-read.js'
import { walkJournal } from '../src/internal/journal-walk.js'
import type { QuarantineReport } from '../src/internal/quarantine.js'
import { createModel } from './helpers.js'
import { filesOf, indexOfBytes } from './disk-snapshot.js'

const base: Omit<EngineOptions, 'fs'> = {
  dir: '/db',
  idleTimeoutMs: 0,
  segmentBytesMax: 1024,
  checkpoint: { intervalMs: 0, onClose: false },
}

interface Built {
  readonly fs: SimFileSystem
  readonly id: string
  /** key → LSN of the transaction that inserted it. */
  readonly lsns: Map<bigint, bigint>
  readonly commitTs: Map<bigint, number>
}

async function build(
  count: number,
  options: Partial<EngineOptions> = {},
  between?: (engine: Engine) => Promise<void>,
): Promise<Built> {
  const fs = new SimFileSystem()
  const engine = await openEngine({ fs, ...base, ...options })
  const id = await createModel(engine, { strings: ['v'] })
  const lsns = new Map<bigint, bigint>()
  const commitTs = new Map<bigint, number>()
  for (let i = 0; i < count; i++) {
    if (i === Math.floor(count / 2) && between !== undefined) await between(engine)
    const txn = engine.manager.begin()
    txn.insert(id, BigInt(i), [BigInt(i), `value-${String(i).padStart(4, '0')}`])
    const info = await txn.commit()
    lsns.set(BigInt(i), info.lsn!)
    commitTs.set(BigInt(i), info.commitTs)
  }
  await engine.close()
  return { fs, id, lsns, commitTs }
}

/** Flips bit 0 of the first byte of `value-NNNN` of key `key` in the journal; returns where. */
async function flipValue(
  built: Built,
  key: number,
): Promise<{ segment: string; offset: number; end: number; before: Uint8Array }> {
  const lsn = built.lsns.get(BigInt(key))!
  const walk = await walkJournal(built.fs, '/db/journal')
  const segment = walk.segments.find((candidate) =>
    candidate.frames.some((frame) => frame.lsn === lsn),
  )!
  const frame = segment.frames.find((candidate) => candidate.lsn === lsn)!
  const path = joinPath('/db/journal', segment.name)
  const bytes = built.fs.contents(path)
  const at =
    frame.offset +
    indexOfBytes(
      bytes.subarray(frame.offset, frame.end),
      new TextEncoder().encode(`value-${String(key).padStart(4, '0')}`),
    )
  built.fs.flipBit(path, at, 0)
  return {
    segment: segment.name,
    offset: frame.offset,
    end: frame.end,
    before: built.fs.contents(path).slice(frame.offset, frame.end),
  }
}

function quarantined(fs: SimFileSystem, entry: string): QuarantineReport {
  return JSON.parse(
    Buffer.from(fs.contents(joinPath('/db', entry, 'report.json'))).toString(),
  ) as QuarantineReport
}

describe('corruption in the middle of the journal', () => {
  it.each([
    ['an older segment (met by replay)', false],
    ['the newest segment (met by the journal\'s open)', true],
  ] as const)(
    'in %s makes open refuse with the segment, offset and LSN range, changing nothing',
    async (_, newest) => {
      const built = await build(40)
      if (newest) {
        // Three more commits: the middle one is damaged, in the newest segment.
        const engine = await openEngine({ fs: built.fs, ...base })
        for (let i = 40; i < 43; i++) {
          const txn = engine.manager.begin()
          txn.insert(built.id, BigInt(i), [BigInt(i), `value-${String(i).padStart(4, '0')}`])
          built.lsns.set(BigInt(i), (await txn.commit()).lsn!)
        }
        await engine.close()
      }
      const key = newest ? 41 : 10
      const damaged = await flipValue(built, key)
      const names = await built.fs.readdir('/db/journal')
      const segments = names.filter((name) => name.endsWith('.log'))
      expect(damaged.segment === segments.at(-1)).toBe(newest)
      const lsn = built.lsns.get(BigInt(key))!
      const before = await filesOf(built.fs, '/db')
      const error = await openEngine({ fs: built.fs, ...base }).catch((caught: unknown) => caught)
      expect(error).toMatchObject({
        code: 'RECOVERY_JOURNAL_CORRUPT',
        segment: damaged.segment,
        offset: damaged.offset,
        lsnBefore: lsn - 1n,
        lsnAfter: lsn + 1n,
      })
      const message = (error as Error).message
      expect(message).toContain(`${damaged.segment} at offset ${damaged.offset}`)
      expect(message).toContain(`after lsn ${lsn - 1n} up to lsn ${lsn + 1n}`)
      expect(message).toContain('Run repair')
      expect(await filesOf(built.fs, '/db')).toEqual(before)
    },
  )

  it.each([10, 20])(
    'is repaired: every other frame salvaged, the damaged bytes quarantined, the loss reported exactly (key %i)',
    async (key) => {
      const built = await build(40)
      const damaged = await flipValue(built, key)
      const lsn = built.lsns.get(BigInt(key))!
      const report = await repair('/db', { fs: built.fs })
      expect(report.changed).toBe(true)
      expect(report.journal.damage).toHaveLength(1)
      expect(report.journal.damage[0]).toMatchObject({
        segment: damaged.segment,
        offset: damaged.offset,
        length: damaged.end - damaged.offset,
        lost: { from: lsn, to: lsn },
      })
      expect(report.journal.lost).toEqual([
        { lsn, kind: 1, commitTs: built.commitTs.get(BigInt(key)), models: [built.id], writes: 1 },
      ])
      expect(report.journal.modelsAffected).toEqual([built.id])
      const entry = quarantined(built.fs, report.journal.quarantine!)
      expect(entry.kind).toBe('journal-damage')
      const file = entry.files.find((candidate) => candidate.sourceOffset === damaged.offset)!
      expect(
        Buffer.from(built.fs.contents(joinPath('/db', report.journal.quarantine!, file.name))),
      ).toEqual(Buffer.from(damaged.before))

      const engine = await openEngine({ fs: built.fs, ...base })
      expect(engine.report.replay.lostPlaceholders).toBe(1)
      const store = engine.store.store(built.id)!
      for (let other = 0; other < 40; other++) {
        expect(store.get(BigInt(other), engine.store.lastCommitTs) !== undefined).toBe(
          other !== key,
        )
      }
      await engine.close()
      const beforeAgain = await filesOf(built.fs, '/db')
      const again = await repair('/db', { fs: built.fs })
      expect(again.changed).toBe(false)
      expect(again.summary).toEqual(['nothing to repair'])
      expect(await filesOf(built.fs, '/db')).toEqual(beforeAgain)
      expect((await verify('/db', { fs: built.fs })).ok).toBe(true)
    },
  )

  it('in a segment header is repaired without losing a frame', async () => {
    const built = await build(40)
    built.fs.flipBit('/db/journal/00000002.log', 20, 4)
    const report = await repair('/db', { fs: built.fs })
    expect(report.journal.damage).toMatchObject([
      { segment: '00000002.log', offset: 0, lost: undefined },
    ])
    expect(report.journal.lost).toEqual([])
    const engine = await openEngine({ fs: built.fs, ...base })
    expect(engine.store.store(built.id)!.stats().liveKeyCount).toBe(40)
    await engine.close()
  })

  it('in a dry run is reported the same way and nothing changes', async () => {
    const built = await build(30)
    await flipValue(built, 5)
    const before = await filesOf(built.fs, '/db')
    const report = await repair('/db', { fs: built.fs, dryRun: true })
    expect(report.journal.lost.map((record) => record.lsn)).toEqual([built.lsns.get(5n)])
    expect(await filesOf(built.fs, '/db')).toEqual(before)
  })
})

describe('a damaged checkpoint', () => {
  /** 60 rows and a checkpoint after 30, then one more row and a newer checkpoint, damaged. */
  async function damagedNewest() {
    let older = ''
    const built = await build(60, {}, async (engine) => {
      older = (await engine.checkpoint())!.name
    })
    const engine = await openEngine({ fs: built.fs, ...base })
    await engine.manager.transaction((txn) => txn.insert(built.id, 1000n, [1000n, 'late']))
    const newest = (await engine.checkpoint())!
    await engine.close()
    const path = joinPath('/db/checkpoints', newest.name)
    built.fs.flipBit(path, checkpointHeaderBytes + 40, 2)
    return { built, older, newest, damagedBytes: built.fs.contents(path) }
  }

  it('falls back to the previous checkpoint plus the journal at open, losing nothing', async () => {
    const { built, older, newest, damagedBytes } = await damagedNewest()
    const opened = await openEngine({ fs: built.fs, ...base })
    expect(opened.report.checkpointsSkipped.map((entry) => entry.name)).toEqual([newest.name])
    expect(opened.report.checkpoint?.name).toBe(older)
    expect(opened.store.store(built.id)!.stats().liveKeyCount).toBe(61)
    const entry = opened.report.checkpointsSkipped[0]!.quarantine
    expect(quarantined(built.fs, entry).kind).toBe('checkpoint-damage')
    expect(Buffer.from(built.fs.contents(joinPath('/db', entry, newest.name)))).toEqual(
      Buffer.from(damagedBytes),
    )
    await opened.close()
  })

  it('falls back to the previous checkpoint plus the journal in repair, and says so', async () => {
    const { built, older, newest, damagedBytes } = await damagedNewest()
    const dry = await repair('/db', { fs: built.fs, dryRun: true })
    const report = await repair('/db', { fs: built.fs })
    for (const entry of [dry.checkpoints[0], report.checkpoints[0]]) {
      expect(entry).toMatchObject({
        name: newest.name,
        status: 'damaged',
        action: 'fell back to an older checkpoint',
        fallback: older,
      })
    }
    expect(report.summary).toContain(
      `checkpoint ${newest.name}: damaged; falls back to ${older} plus the journal, nothing lost`,
    )
    const entry = report.checkpoints[0]!.quarantine!
    expect(Buffer.from(built.fs.contents(joinPath('/db', entry, newest.name)))).toEqual(
      Buffer.from(damagedBytes),
    )
    const afterFirst = await filesOf(built.fs, '/db')
    expect((await repair('/db', { fs: built.fs })).changed).toBe(false)
    expect(await filesOf(built.fs, '/db')).toEqual(afterFirst)
    const opened = await openEngine({ fs: built.fs, ...base })
    expect(opened.report.checkpoint?.name).toBe(older)
    expect(opened.report.checkpointsSkipped).toEqual([])
    expect(opened.store.store(built.id)!.stats().liveKeyCount).toBe(61)
    await opened.close()
  })

  it('without a fallback refuses to open, and repair salvages every block that checks and reports the rows lost', async () => {
    const built = await build(40, { checkpoint: { intervalMs: 0, onClose: false, retain: 1 } })
    const engine = await openEngine({
      fs: built.fs,
      ...base,
      checkpoint: { intervalMs: 0, onClose: false, retain: 1 },
    })
    await Promise.all(
      Array.from({ length: 3000 }, (_, i) =>
        engine.manager.transaction((txn) =>
          txn.insert(built.id, BigInt(100 + i), [BigInt(100 + i), `bulk-${i}`]),
        ),
      ),
    )
    const checkpoint = (await engine.checkpoint())!
    await engine.close()
    const path = joinPath('/db/checkpoints', checkpoint.name)
    const bytes = built.fs.contents(path)
    // The second rows block: flip a bit inside one of its values.
    let rowsBlocks = 0
    let target: { offset: number; end: number; payload: Uint8Array } | undefined
    for (let offset = checkpointHeaderBytes; target === undefined; ) {
      const block = blockAt(bytes, offset, 1 << 26)!
      if (block.type === blockType.rows && ++rowsBlocks === 2) target = block
      offset = block.end
    }
    const lostRows = decodeRedo(target.payload).writes.length
    expect(lostRows).toBeGreaterThan(100)
    const at =
      target.offset +
      indexOfBytes(bytes.subarray(target.offset, target.end), new TextEncoder().encode('bulk-'))
    built.fs.flipBit(path, at, 0)

    await expect(openEngine({ fs: built.fs, ...base })).rejects.toMatchObject({
      code: 'RECOVERY_CHECKPOINT_CORRUPT',
      checkpoint: checkpoint.name,
    })
    const damagedBytes = built.fs.contents(path)
    const report = await repair('/db', { fs: built.fs })
    const entry = report.checkpoints[0]!
    expect(entry).toMatchObject({
      name: checkpoint.name,
      action: 'salvaged',
      lost: { rows: lostRows, models: [built.id], blocks: 1 },
    })
    const kept = built.fs.contents(joinPath('/db', entry.quarantine!, checkpoint.name))
    expect(Buffer.from(kept)).toEqual(Buffer.from(damagedBytes))
    const afterFirst = await filesOf(built.fs, '/db')
    expect((await repair('/db', { fs: built.fs })).changed).toBe(false)
    expect(await filesOf(built.fs, '/db')).toEqual(afterFirst)
    const opened = await openEngine({ fs: built.fs, ...base })
    const store = opened.store.store(built.id)!
    expect(store.stats().liveKeyCount).toBe(3040 - lostRows)
    expect(entry.rowsKept).toBe(3040 - lostRows)
    // Exactly the rows of the damaged block are gone.
    const lostKeys = new Set(decodeRedo(target.payload).writes.map((write) => write.key as bigint))
    for (let key = 0n; key < 40n; key++)
      expect(store.get(key, opened.store.lastCommitTs) !== undefined).toBe(!lostKeys.has(key))
    for (let key = 100n; key < 3100n; key++)
      expect(store.get(key, opened.store.lastCommitTs) !== undefined).toBe(!lostKeys.has(key))
    await opened.close()
  })
})

describe('both catalog copies damaged', () => {
  it('are rebuilt by repair from the data side, and the report names both copies and loses nothing', async () => {
    const options = { gnsOptions: { compactEvery: 2 } }
    const built = await build(5, options, async (engine) => {
      for (const name of ['x', 'y', 'z']) {
        await engine.ddl({
          kind: 'createModel',
          space: 's',
          name,
          fields: [{ name: 'id', type: { name: 'string' } }],
        })
      }
    })
    expect(await built.fs.exists('/db/gns/gns.b')).toBe(true)
    built.fs.flipBit('/db/gns/gns.a', 20, 1)
    built.fs.flipBit('/db/gns/gns.b', 20, 1)
    const damaged = {
      'gns.a': built.fs.contents('/db/gns/gns.a'),
      'gns.b': built.fs.contents('/db/gns/gns.b'),
    }
    const report = await repair('/db', { fs: built.fs, ...options })
    if ('error' in report.catalog) throw new Error(report.catalog.error)
    expect(new Set(report.catalog.damage.map((damage) => damage.file))).toEqual(
      new Set(['gns.a', 'gns.b']),
    )
    expect(report.catalog.lost).toEqual([])
    // Each damaged copy is in the catalog's quarantine, byte for byte.
    const kept = await built.fs.readdir('/db/gns/quarantine')
    for (const [copy, bytes] of Object.entries(damaged)) {
      const name = kept.find((candidate) => candidate.endsWith(`-${copy}.damaged`))!
      expect(Buffer.from(built.fs.contents(`/db/gns/quarantine/${name}`))).toEqual(
        Buffer.from(bytes),
      )
    }
    const afterFirst = await filesOf(built.fs, '/db')
    expect((await repair('/db', { fs: built.fs, ...options })).changed).toBe(false)
    expect(await filesOf(built.fs, '/db')).toEqual(afterFirst)
    const engine = await openEngine({ fs: built.fs, ...base, ...options })
    expect(engine.report.catalog.damage).toEqual([])
    expect([...engine.gns.current.space('s')!.models.keys()].sort()).toEqual(['m', 'x', 'y', 'z'])
    expect(engine.store.store(built.id)!.stats().liveKeyCount).toBe(5)
    await engine.close()
  })
})

describe('verify', () => {
  it('passes a healthy directory and names damage without changing anything', async () => {
    const built = await build(30)
    const healthy = await verify('/db', { fs: built.fs })
    expect(healthy).toMatchObject({ ok: true, exitCode: 0, problems: [] })
    const damaged = await flipValue(built, 3)
    const before = await filesOf(built.fs, '/db')
    const report = await verify('/db', { fs: built.fs })
    expect(report.exitCode).toBe(1)
    expect(report.problems).toEqual([
      {
        area: 'journal',
        file: `journal/${damaged.segment}`,
        offset: damaged.offset,
        detail: expect.stringContaining('damaged bytes'),
      },
    ])
    expect(await filesOf(built.fs, '/db')).toEqual(before)
  })

  it('names a damaged checkpoint and a damaged catalog copy, changing nothing', async () => {
    const options = { gnsOptions: { compactEvery: 2 } }
    let name = ''
    const built = await build(20, options, async (engine) => {
      name = (await engine.checkpoint())!.name
      for (const model of ['x', 'y', 'z']) {
        await engine.ddl({
          kind: 'createModel',
          space: 's',
          name: model,
          fields: [{ name: 'id', type: { name: 'string' } }],
        })
      }
    })
    built.fs.flipBit(joinPath('/db/checkpoints', name), checkpointHeaderBytes + 30, 5)
    built.fs.flipBit('/db/gns/gns.a', 20, 1)
    const before = await filesOf(built.fs, '/db')
    const report = await verify('/db', { fs: built.fs, ...options })
    expect(report.exitCode).toBe(1)
    expect(report.checkpoints.find((entry) => entry.name === name)?.status).toBe('damaged')
    expect(report.problems).toContainEqual(
      expect.objectContaining({ area: 'checkpoint', file: `checkpoints/${name}` }),
    )
    expect(report.problems).toContainEqual(
      expect.objectContaining({ area: 'catalog', file: 'gns/gns.a' }),
    )
    expect(report.problems.every((problem) => problem.area !== 'journal')).toBe(true)
    expect(await filesOf(built.fs, '/db')).toEqual(before)
  })
})
