/**
 * Online backup (writers continue, the copy is consistent) and point-in-time restore from a backup
 * plus retained journal segments: to an LSN, to a time, or to the end of what is available.
 */
import { SimFileSystem } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { type Engine, type EngineOptions, openEngine, restore, storeIdOf } from '../src/index.js'
import { turn } from './helpers.js'

interface Live {
  readonly fs: SimFileSystem
  readonly engine: Engine
  readonly id: string
  /** key → LSN of its insert. */
  readonly lsns: Map<bigint, bigint>
  /** key → clock value at its commit. */
  readonly times: Map<bigint, number>
  clock: { now: number }
}

async function live(): Promise<Live> {
  const fs = new SimFileSystem()
  const clock = { now: 1_000 }
  const options: Omit<EngineOptions, 'fs'> = {
    dir: '/db',
    idleTimeoutMs: 0,
    segmentBytesMax: 1024,
    retainSegments: 'all',
    timeMarkIntervalMs: 0,
    now: () => clock.now,
    checkpoint: { intervalMs: 0 },
  }
  const engine = await openEngine({ fs, ...options })
  await engine.ddl({ kind: 'createSpace', name: 's' })
  const { version } = await engine.ddl({
    kind: 'createModel',
    space: 's',
    name: 'm',
    fields: [{ name: 'id', type: { name: 'uint64' } }],
  })
  return {
    fs,
    engine,
    id: storeIdOf(version.model('s', 'm')!),
    lsns: new Map(),
    times: new Map(),
    clock,
  }
}

async function insert(db: Live, key: bigint): Promise<void> {
  db.clock.now += 10
  db.times.set(key, db.clock.now)
  const txn = db.engine.manager.begin()
  txn.insert(db.id, key, [key])
  db.lsns.set(key, (await txn.commit()).lsn!)
}

async function keysIn(fs: SimFileSystem, dir: string, id: string): Promise<bigint[]> {
  const engine = await openEngine({ fs, dir, idleTimeoutMs: 0 })
  const keys =
    engine.store
      .store(id)
      ?.scan({ snapshotTs: engine.store.lastCommitTs })
      .entries.map((entry) => entry.key as bigint) ?? []
  await engine.close()
  return keys
}

describe('backup', () => {
  it('is consistent while writers continue, and restores to the end of its journal copy', async () => {
    const db = await live()
    for (let key = 0n; key < 100n; key++) await insert(db, key)
    let writing = true
    let next = 1000n
    let duringBackup = 0
    let backingUp = false
    const writers = Array.from({ length: 4 }, async () => {
      while (writing) {
        await insert(db, next++)
        if (backingUp) duringBackup++
      }
    })
    await turn()
    const before = new Set(db.lsns.keys())
    backingUp = true
    const info = await db.engine.backup('/backup')
    backingUp = false
    writing = false
    await Promise.all(writers)
    expect(duringBackup).toBeGreaterThan(0)
    await db.engine.close()

    const report = await restore('/backup', '/restored', { fs: db.fs })
    expect(report.stoppedAt).toBe('end of journal')
    expect(report.toLsn).toBe(info.journalEndLsn)
    const restored = new Set(await keysIn(db.fs, '/restored', db.id))
    for (const key of before) expect(restored.has(key)).toBe(true)
    // Restored keys are exactly the commits up to the restored LSN.
    for (const [key, lsn] of db.lsns) expect(restored.has(key)).toBe(lsn <= report.toLsn)
  })

  it('refuses a target that is not empty', async () => {
    const db = await live()
    await db.fs.mkdir('/taken')
    const file = await db.fs.open('/taken/x', { create: true })
    await file.close()
    await expect(db.engine.backup('/taken')).rejects.toMatchObject({
      code: 'RECOVERY_TARGET_EXISTS',
    })
    await db.engine.close()
  })
})

describe('point-in-time restore', () => {
  async function prepared(): Promise<{ db: Live; backupLsn: bigint }> {
    const db = await live()
    for (let key = 0n; key < 30n; key++) await insert(db, key)
    const info = await db.engine.backup('/backup')
    for (let key = 30n; key < 120n; key++) await insert(db, key)
    await db.engine.checkpoint()
    await db.engine.close()
    return { db, backupLsn: info.checkpoint.lsn }
  }

  it('restores exactly the commits up to an LSN, from the backup plus the retained segments', async () => {
    const { db } = await prepared()
    const toLsn = db.lsns.get(77n)!
    const report = await restore('/backup', '/at-lsn', {
      fs: db.fs,
      toLsn,
      journalDirs: ['/db/journal'],
    })
    expect(report).toMatchObject({ toLsn, stoppedAt: 'lsn' })
    const restored = new Set(await keysIn(db.fs, '/at-lsn', db.id))
    for (let key = 0n; key < 120n; key++) expect(restored.has(key)).toBe(key <= 77n)
  })

  it('restores exactly the commits acknowledged before a time', async () => {
    const { db } = await prepared()
    const report = await restore('/backup', '/at-time', {
      fs: db.fs,
      toTime: db.times.get(64n)!,
      journalDirs: ['/db/journal'],
    })
    expect(report.stoppedAt).toBe('time')
    const restored = new Set(await keysIn(db.fs, '/at-time', db.id))
    for (let key = 0n; key < 120n; key++) expect(restored.has(key)).toBe(key <= 64n)
  })

  it('refuses points it cannot reach', async () => {
    const { db, backupLsn } = await prepared()
    await expect(
      restore('/backup', '/early', { fs: db.fs, toLsn: backupLsn - 1n }),
    ).rejects.toMatchObject({ code: 'RECOVERY_RESTORE_UNREACHABLE' })
    await expect(
      restore('/backup', '/late', { fs: db.fs, toLsn: 1_000_000n, journalDirs: ['/db/journal'] }),
    ).rejects.toMatchObject({ code: 'RECOVERY_RESTORE_UNREACHABLE' })
    await expect(restore('/backup', '/db', { fs: db.fs })).rejects.toMatchObject({
      code: 'RECOVERY_TARGET_EXISTS',
    })
  })
})
