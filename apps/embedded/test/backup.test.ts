/**
 * Database.backup: an online backup taken while writers run restores (with `@sky/recovery`'s
 * restore) into a database that holds every write acknowledged before the call, no part of any
 * transaction, and per writer a prefix of what it wrote; the writers kept committing while the
 * backup ran. Then the typed refusals and failures, and `sysctl report status` after a failed
 * fdatasync.
 *
 * Method: four writers each commit transactions that insert one row into each of two models
 * (same key), recording each acknowledgement in order; the backup is called once 40 transactions
 * were acknowledged; acknowledgements that arrive between the call and its result are counted.
 * The disk is the simulated one (the snapshot yields the event loop between pages, as on the
 * real disk), except for the test that needs a real ENOTDIR.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { restore } from '@sky/recovery'
import { SimFileSystem } from '@sky/vfs'
import { afterEach, describe, expect, it } from 'vitest'
import {
  BackupFailedError,
  BackupTargetNotEmptyError,
  DatabaseClosedError,
  open,
  plainRows,
} from '../src/index.js'
import type { Database } from '../src/index.js'
import { cheapHashing, codeOf, simDatabase, tempDir } from './helpers.js'

const opened: Database[] = []
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close()
})

async function shop(options: Parameters<typeof simDatabase>[0] = {}) {
  const { db, fs } = await simDatabase(options)
  opened.push(db)
  await db.query('create space shop')
  await db.query('create model shop.orders(id: uint64, writer: uint64, seq: uint64)')
  await db.query('create model shop.lines(id: uint64, order_id: uint64)')
  return { db, fs }
}

/** Rows in both models, so that the snapshot is written in many pages. */
async function preload(db: Database, count: number): Promise<void> {
  const batch = 250
  for (let start = 0; start < count; start += batch) {
    await db.transaction(async (tx) => {
      for (let key = start; key < Math.min(count, start + batch); key++) {
        await tx.query('insert into shop.orders(?, ?, ?)', 10_000_000 + key, 99, key)
        await tx.query('insert into shop.lines(?, ?)', 10_000_000 + key, 10_000_000 + key)
      }
    })
  }
}

async function ids(db: Database, model: string): Promise<Set<bigint>> {
  const rows = plainRows(await db.query(`select all id from shop.${model} limit ?`, 1_000_000))
  return new Set(rows.map((row) => row[0] as bigint))
}

interface Load {
  /** Per writer, the sequence numbers acknowledged, in order. */
  readonly acked: number[][]
  ackedTotal: number
  /** Acknowledgements that arrived while a backup was in progress. */
  duringBackup: number
  backupRunning: boolean
  stop(): Promise<void>
}

const writerCount = 4

function keyOf(writer: number, seq: number): number {
  return writer * 1_000_000 + seq
}

function startWriters(db: Database): Load {
  let writing = true
  const load: Load = {
    acked: Array.from({ length: writerCount }, () => []),
    ackedTotal: 0,
    duringBackup: 0,
    backupRunning: false,
    stop: async () => {
      writing = false
      await Promise.all(running)
    },
  }
  const running = load.acked.map(async (acked, writer) => {
    for (let seq = 0; writing; seq++) {
      const key = keyOf(writer, seq)
      await db.transaction(async (tx) => {
        await tx.query('insert into shop.orders(?, ?, ?)', key, writer, seq)
        await tx.query('insert into shop.lines(?, ?)', key, key)
      })
      acked.push(seq)
      load.ackedTotal += 1
      if (load.backupRunning) load.duringBackup += 1
    }
  })
  return load
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve))
}

describe('Database.backup', () => {
  it('backs up while writers commit; the restore holds every earlier write, whole', async () => {
    const { db, fs } = await shop()
    await preload(db, 3_000)
    const load = startWriters(db)
    await until(() => load.ackedTotal >= 40)
    // Synchronously, right before the call: what was acknowledged before backup() was called.
    const ackedBefore = load.acked.map((list) => [...list])
    load.backupRunning = true
    const backup = db.backup('/backups/one')
    const result = await backup
    load.backupRunning = false
    const ackedAtResult = load.ackedTotal
    await until(() => load.ackedTotal >= ackedAtResult + 10) // writers still going afterwards
    await load.stop()

    // The writers were not stopped: transactions were acknowledged during the backup.
    expect(load.duringBackup).toBeGreaterThan(0)
    expect(result.target).toBe('/backups/one')
    expect(result.lsn).toBeLessThanOrEqual(result.journalEndLsn)
    expect(result.rows).toBeGreaterThanOrEqual(6_000 + 2 * 40)
    expect(result.files).toContain('backup.json')
    expect(result.files.some((file) => file.startsWith('checkpoints/ckpt-'))).toBe(true)
    expect(result.files.some((file) => file.startsWith('journal/'))).toBe(true)
    expect(result.bytes).toBeGreaterThan(0)
    expect(result.durationMs).toBeGreaterThanOrEqual(0)
    expect(result.startedAt).toBeInstanceOf(Date)

    const report = await restore('/backups/one', '/restored', { fs })
    expect(report.toLsn).toBe(result.journalEndLsn)
    const copy = await open('/restored', { fs, passwordHashing: cheapHashing })
    opened.push(copy)
    const orders = await ids(copy, 'orders')
    const lines = await ids(copy, 'lines')
    expect([...orders].sort()).toEqual([...lines].sort()) // no transaction is half there
    for (let key = 0; key < 3_000; key++) expect(orders.has(BigInt(10_000_000 + key))).toBe(true)
    let checked = 0
    for (let writer = 0; writer < writerCount; writer++) {
      for (const seq of ackedBefore[writer]!) {
        expect(orders.has(BigInt(keyOf(writer, seq)))).toBe(true)
        checked += 1
      }
      // A consistent state: each writer's rows are a prefix of what it committed, in order.
      const present = load.acked[writer]!.filter((seq) => orders.has(BigInt(keyOf(writer, seq))))
      expect(present).toEqual(load.acked[writer]!.slice(0, present.length))
    }
    expect(checked).toBeGreaterThanOrEqual(40)
    expect(orders.size).toBeLessThanOrEqual(3_000 + load.ackedTotal)
  })

  it('refuses a target that is not empty, and writes nothing there', async () => {
    const { db, fs } = await shop()
    await fs.mkdir('/full')
    const file = await fs.open('/full/keep.txt', { create: true })
    await file.append(new TextEncoder().encode('mine'))
    await file.sync()
    await file.close()
    const refused = await db.backup('/full').catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(BackupTargetNotEmptyError)
    expect(refused).toMatchObject({ code: 'EMBEDDED_BACKUP_TARGET_NOT_EMPTY', target: '/full' })
    expect(await fs.readdir('/full')).toEqual(['keep.txt'])
    // An existing empty directory is fine.
    await fs.mkdir('/empty')
    expect((await db.backup('/empty')).files).toContain('backup.json')
  })

  it('reports a full disk as a retryable BackupFailedError; the database goes on', async () => {
    const { db, fs } = await shop()
    await preload(db, 500)
    fs.capacityBytes = fs.usedBytes() + 64
    const failed = await db.backup('/nospace').catch((error: unknown) => error)
    expect(failed).toBeInstanceOf(BackupFailedError)
    expect(failed).toMatchObject({ code: 'EMBEDDED_BACKUP_FAILED', retryable: true })
    expect((failed as Error).cause).toMatchObject({ code: 'VFS_NO_SPACE' })
    fs.capacityBytes = undefined
    expect(await db.query('sysctl report status')).toEqual({ type: 'empty' })
    await db.query('insert into shop.lines(?, ?)', 1, 1)
    expect((await db.backup('/retry')).rows).toBe(1_001)
  })

  it('reports a target that cannot be created on the real disk (ENOTDIR)', async () => {
    const scratch = tempDir('backup')
    try {
      const db = await open(join(scratch.dir, 'data'), {
        passwordHashing: cheapHashing,
        durability: 'none',
      })
      opened.push(db)
      writeFileSync(join(scratch.dir, 'a-file'), 'x')
      const failed = await db.backup(join(scratch.dir, 'a-file', 'backup')).catch((e) => e)
      expect(failed).toBeInstanceOf(BackupFailedError)
      expect(failed).toMatchObject({ code: 'EMBEDDED_BACKUP_FAILED', retryable: false })
      expect((failed as Error).cause).toMatchObject({ code: 'VFS_IO' })
      await db.close()
    } finally {
      scratch.remove()
    }
  })

  it('refuses a malformed target and a closed database', async () => {
    const { db } = await shop()
    await expect(db.backup('')).rejects.toBeInstanceOf(TypeError)
    await expect(db.backup(42 as never)).rejects.toBeInstanceOf(TypeError)
    await db.close()
    await expect(db.backup('/late')).rejects.toBeInstanceOf(DatabaseClosedError)
  })
})

describe('health', () => {
  it('answers sysctl report status with 0 after a failed fdatasync, until reopened', async () => {
    const { db, fs } = await shop({ checkpoint: { onClose: false } })
    await db.query('insert into shop.lines(?, ?)', 1, 1)
    expect(await db.query('sysctl report status')).toEqual({ type: 'empty' })
    fs.failSync()
    expect(await codeOf(db.query('insert into shop.lines(?, ?)', 2, 2))).toBe(0)
    expect(await codeOf(db.query('sysctl report status'))).toBe(0)
    expect(db.stats).toMatchObject({ healthy: false, detail: expect.stringContaining('JOURNAL') })
    expect(await codeOf(db.query('insert into shop.lines(?, ?)', 3, 3))).not.toBe('ok')
    const backup = await db.backup('/after-failure').catch((error: unknown) => error)
    expect(backup).toBeInstanceOf(BackupFailedError)
    expect((backup as Error).cause).toMatchObject({ code: 'RECOVERY_ENGINE_FAILED' })
    await db.close()
    const reopened = await open('/db', { fs: fs.crash(), passwordHashing: cheapHashing })
    opened.push(reopened)
    expect(await reopened.query('sysctl report status')).toEqual({ type: 'empty' })
    expect([...(await ids(reopened, 'lines'))]).toContain(1n)
  })
})
