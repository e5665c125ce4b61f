/**
 * The peers skydb is compared with, configured so an operation completes only when durable:
 * - better-sqlite3: WAL, synchronous=FULL, one row per transaction (fsync per commit);
 * - lmdb-js: `put` with `overlappingSync: false`, whose promise resolves once the write is synced
 *   (lmdb batches the puts of one event-loop turn into one transaction: its own group commit).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { open as openLmdb, type RootDatabase } from 'lmdb'
import type { Target } from './harness.js'

const value = Buffer.alloc(100, 0x61)

export function sqliteTarget(): Target {
  let dir = ''
  let db: Database.Database | undefined
  let insert: Database.Statement | undefined
  return {
    name: 'better-sqlite3 (WAL, synchronous=FULL)',
    async setup() {
      dir = mkdtempSync(path.join(tmpdir(), 'sky-bench-sqlite-'))
      db = new Database(path.join(dir, 'bench.db'))
      db.pragma('journal_mode = WAL')
      db.pragma('synchronous = FULL')
      db.exec('create table kv (k text primary key, v blob)')
      insert = db.prepare('insert into kv (k, v) values (?, ?)')
    },
    operation(worker, sequence) {
      insert!.run(`${worker}:${sequence}`, value) // autocommit: one transaction, fsync'd
    },
    async teardown() {
      db?.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function lmdbTarget(): Target {
  let dir = ''
  let db: RootDatabase | undefined
  return {
    name: 'lmdb-js (overlappingSync: false)',
    async setup() {
      dir = mkdtempSync(path.join(tmpdir(), 'sky-bench-lmdb-'))
      db = openLmdb({ path: path.join(dir, 'bench.mdb'), overlappingSync: false, compression: false })
    },
    async operation(worker, sequence) {
      await db!.put(`${worker}:${sequence}`, value)
    },
    async teardown() {
      await db?.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
