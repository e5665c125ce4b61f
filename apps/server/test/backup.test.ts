/**
 * Online backup through a running skyd: `sysctl backup to ?` (skydb's statement, root only) and
 * `skyd backup` choosing it (by flag, or because the data directory is held by the server).
 *
 * Method: a real skyd process; four clients commit transactions that insert one row into each of
 * two models (same key) and record each acknowledgement in order; `skyd backup --endpoint …`
 * runs once 40 were acknowledged; `skyd restore` turns the backup into a new data directory, a
 * second skyd serves it, and its rows must hold every transaction acknowledged before the backup
 * was asked for, no half transaction, and per client a prefix of what it committed. Then every
 * refusal (non-root 5, not-empty target 103, target under a file 0, relative path 102, syntax
 * 28, inside a transaction 4), with the server still answering after each; and `--help`.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { QueryError, transaction } from '@sky/client'
import type { Connection } from '@sky/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  connectTo,
  removeDir,
  rootPassword,
  runCliInProcess as runSkyd,
  startSkyd,
  tempDir,
} from './support/skyd.js'
import type { SkydProcess } from './support/skyd.js'

const scratch: string[] = []
async function scratchDir(): Promise<string> {
  const dir = await tempDir('skyd-backup-')
  scratch.push(dir)
  return dir
}

let skyd: SkydProcess
let root: Connection

beforeAll(async () => {
  await runSkyd(['--version']) // loads the command line here, so that the backup starts at once
  skyd = await startSkyd({ dataDir: path.join(await scratchDir(), 'data') })
  root = await connectTo(skyd)
  await root.query('create space shop')
  await root.query('create model shop.orders(id: uint64, writer: uint64, seq: uint64)')
  await root.query('create model shop.lines(id: uint64, order_id: uint64)')
})

afterAll(async () => {
  await root?.close()
  expect((await skyd.stop()).code).toBe(0)
  for (const dir of scratch) await removeDir(dir)
})

/** The Skytable code a query is refused with, or 'ok'. */
async function codeOf(query: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await query
    return 'ok'
  } catch (error) {
    if (error instanceof QueryError) return error.skytableCode
    throw error
  }
}

const writerCount = 4
const keyOf = (writer: number, seq: number): number => writer * 1_000_000 + seq

/** Clients committing two-model transactions until stopped; acknowledgements in order. */
async function startLoad() {
  const connections = await Promise.all(
    Array.from({ length: writerCount }, () => connectTo(skyd)))
  const load = {
    acked: connections.map((): number[] => []),
    ackedTotal: 0,
    duringBackup: 0,
    backupRunning: false,
    writing: true,
    waiters: [] as { count: number; resolve: () => void }[],
    /** Resolves once `count` transactions were acknowledged in all. */
    reached(count: number): Promise<void> {
      if (load.ackedTotal >= count) return Promise.resolve()
      return new Promise((resolve) => load.waiters.push({ count, resolve }))
    },
  }
  const running = connections.map(async (connection, writer) => {
    for (let seq = 0; load.writing; seq += 1) {
      const key = keyOf(writer, seq)
      await transaction(connection, async (tx) => {
        await tx.query('insert into shop.orders(?, ?, ?)', key, writer, seq)
        await tx.query('insert into shop.lines(?, ?)', key, key)
      })
      load.acked[writer]!.push(seq)
      load.ackedTotal += 1
      if (load.backupRunning) load.duringBackup += 1
      for (const waiter of load.waiters.filter((entry) => load.ackedTotal >= entry.count)) {
        load.waiters.splice(load.waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
    await connection.close()
  })
  const stop = async (): Promise<void> => {
    load.writing = false
    await Promise.all(running)
  }
  return { load, stop }
}

async function ids(connection: Connection, model: string): Promise<Set<bigint>> {
  const rows = (await connection.query(`select all id from shop.${model} limit ?`, 1_000_000))
    .allRows()
  return new Set(rows.map((row) => row[0] as bigint))
}

describe('skyd backup through a running skyd', () => {
  it('backs up under load; the restore holds every earlier transaction, whole', async () => {
    const { load, stop } = await startLoad()
    await load.reached(40)
    const ackedBefore = load.acked.map((list) => [...list])
    const target = path.join(await scratchDir(), 'backup')
    load.backupRunning = true
    const backup = await runSkyd([
      'backup', '--endpoint', `tcp@127.0.0.1:${skyd.port}`, '--to', target,
      '--password', rootPassword, '--json',
    ])
    load.backupRunning = false
    await load.reached(load.ackedTotal + 10) // the writers go on afterwards too
    await stop()
    expect(backup.stderr).toContain(`backing up through skyd at tcp@127.0.0.1:${skyd.port}`)
    expect(backup.code).toBe(0)
    const written = JSON.parse(backup.stdout) as Record<string, unknown>
    expect(written).toMatchObject({ online: true, target })
    expect(written.files).toContain('backup.json')
    expect(BigInt(written.lsn as string)).toBeLessThanOrEqual(
      BigInt(written.journalEndLsn as string))
    expect(load.duringBackup).toBeGreaterThan(0) // writers were answered meanwhile
    expect(skyd.logs.some((record) => record.msg === 'backup written')).toBe(true)

    const restoredDir = path.join(await scratchDir(), 'restored')
    const restored = await runSkyd(['restore', '--from', target, '--data-dir', restoredDir])
    expect(restored.code).toBe(0)
    const copy = await startSkyd({ dataDir: restoredDir, rootPassword: null })
    const client = await connectTo(copy)
    const orders = await ids(client, 'orders')
    const lines = await ids(client, 'lines')
    await client.close()
    expect((await copy.stop()).code).toBe(0)
    expect([...orders].sort()).toEqual([...lines].sort()) // no transaction is half there
    let checked = 0
    for (let writer = 0; writer < writerCount; writer += 1) {
      for (const seq of ackedBefore[writer]!) {
        expect(orders.has(BigInt(keyOf(writer, seq)))).toBe(true)
        checked += 1
      }
      const present = load.acked[writer]!.filter((seq) => orders.has(BigInt(keyOf(writer, seq))))
      expect(present).toEqual(load.acked[writer]!.slice(0, present.length)) // a prefix
    }
    expect(checked).toBeGreaterThanOrEqual(40)
  })

  it('goes online by itself when skyd holds the data directory', async () => {
    const target = path.join(await scratchDir(), 'auto')
    const result = await runSkyd(['backup', '--data-dir', skyd.dataDir, '--to', target], {
      env: { SKYDB_ENDPOINTS: `tcp@127.0.0.1:${skyd.port}`, SKYDB_PASSWORD: rootPassword },
    })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('backing up through the running skyd')
    expect(result.stdout).toContain(`backup written to ${target} by skyd at`)
    expect(await readdir(target)).toContain('backup.json')
    const refused = await runSkyd(['backup', '--data-dir', skyd.dataDir, '--to', target], {
      env: { SKYDB_ENDPOINTS: `tcp@127.0.0.1:${skyd.port}`, SKYDB_PASSWORD: rootPassword },
    })
    expect(refused.code).toBe(1) // the target is no longer empty
    expect(refused.stderr).toContain('not empty')
    expect(refused.stderr).toContain('[error 103]')
  })

  it('refuses a user who is not root with error 5, from the statement and the CLI', async () => {
    await root.query('sysctl create user alice with { password: ? }', 'alice-password-0001')
    const alice = await connectTo(skyd, 'alice', 'alice-password-0001')
    const target = path.join(await scratchDir(), 'alice')
    expect(await codeOf(alice.query('sysctl backup to ?', target))).toBe(5)
    expect(await codeOf(alice.query('sysctl backup to ? now', target))).toBe(28) // parse first
    await alice.close()
    const cli = await runSkyd([
      'backup', '--endpoint', `tcp@127.0.0.1:${skyd.port}`, '--to', target,
      '--user', 'alice', '--password', 'alice-password-0001',
    ])
    expect(cli.code).toBe(1)
    expect(cli.stderr).toContain('permission denied')
    expect(cli.stderr).toContain('[error 5]')
    await expect(readdir(target)).rejects.toMatchObject({ code: 'ENOENT' }) // nothing written
  })

  it('answers a bad target or statement with a typed error and keeps serving', async () => {
    const base = await scratchDir()
    const full = path.join(base, 'full')
    await mkdir(full)
    await writeFile(path.join(full, 'keep.txt'), 'mine')
    await writeFile(path.join(base, 'a-file'), 'x')
    const backup = (target: unknown, ...more: unknown[]) =>
      root.query('sysctl backup to ?', target as string, ...(more as string[]))
    expect(await codeOf(backup(full))).toBe(103) // not empty
    expect(await readdir(full)).toEqual(['keep.txt'])
    expect(await codeOf(backup(path.join(base, 'a-file', 'backup')))).toBe(0) // not creatable
    expect(await codeOf(backup('relative/backup'))).toBe(102)
    expect(await codeOf(backup(7))).toBe(28) // not a string
    expect(await codeOf(backup(full, 'extra'))).toBe(28) // two parameters
    expect(await codeOf(root.query('sysctl backup to'))).toBe(28)
    expect(await codeOf(root.query('sysctl backup'))).toBe(28)
    expect(await codeOf(root.query('SYSCTL BACKUP TO ? please', full))).toBe(28)
    expect(await codeOf(root.query('sysctl backups to ?', full))).toBe(33) // not ours: BlueQL's
    await root.query('begin')
    expect(await codeOf(backup(path.join(base, 'in-txn')))).toBe(4)
    await root.query('rollback')
    expect((await root.query('sysctl report status')).kind).toBe('empty')
    const fresh = path.join(base, 'fresh')
    const answer = JSON.parse(String((await backup(fresh)).scalar())) as { files: string[] }
    expect(answer.files).toContain('backup.json')
    expect(skyd.logs.some((record) => record.msg === 'backup failed')).toBe(true)

    const cli = await runSkyd([
      'backup', '--online', '--endpoint', `tcp@127.0.0.1:${skyd.port}`, '--to', full,
      '--password', rootPassword,
    ])
    expect(cli.code).toBe(1)
    expect(cli.stderr).toContain('[error 103]')
  })

  it('documents itself in skyd backup --help', async () => {
    const help = await runSkyd(['backup', '--help'])
    expect(help.code).toBe(0)
    for (const text of ['skyd backup --to <dir>', '--online', '--endpoint', '--password',
      'sysctl backup to ?', 'SKYDB_PASSWORD', 'Exit codes']) {
      expect(help.stdout).toContain(text)
    }
    expect((await runSkyd(['backup'])).code).toBe(2) // no --to
    expect((await runSkyd(['backup', '--to', 'x', '--endpoint', 'nonsense'])).code).toBe(2)
  })
})
