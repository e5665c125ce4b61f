/**
 * skydb targets for the load harness: single-key durable transactions through TxnManager over a
 * journal on the real disk, and snapshot point reads.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type Durability, type Journal, openJournal } from '@sky/journal'
import { MvccDatabase } from '@sky/mvcc'
import { type Row, TxnManager } from '@sky/txn'
import { NodeFileSystem } from '@sky/vfs'
import type { Target } from './harness.js'

const value = new Uint8Array(100).fill(0x61)

export function skydbTarget(durability: Durability = 'sync'): Target {
  let dir = ''
  let journal: Journal | undefined
  let manager: TxnManager | undefined
  return {
    name: `skydb TxnManager (journal ${durability})`,
    async setup() {
      dir = mkdtempSync(path.join(tmpdir(), 'sky-bench-txn-'))
      journal = await openJournal({ fs: new NodeFileSystem(), dir, durability })
      const store = new MvccDatabase<Row>()
      store.createStore('kv', { keyKind: 'string' })
      manager = new TxnManager({ store, journal })
    },
    async operation(worker, sequence) {
      const txn = manager!.begin()
      const key = `${worker}:${sequence}`
      txn.insert('kv', key, [key, value])
      await txn.commit()
    },
    async teardown() {
      await journal?.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Snapshot point reads per second over `keys` rows, in-process (one read-only transaction). */
export async function pointReadsPerSecond(keys: number, durationMs: number): Promise<number> {
  const store = new MvccDatabase<Row>()
  store.createStore('kv', { keyKind: 'string' })
  const manager = new TxnManager({ store, journal: { append: async () => 0n } })
  const names = Array.from({ length: keys }, (_, at) => `user:${at}`)
  for (let start = 0; start < keys; start += 10_000) {
    await manager.transaction((txn) => {
      for (const key of names.slice(start, start + 10_000)) txn.insert('kv', key, [key, value])
    })
  }
  const txn = manager.begin({ readOnly: true })
  let reads = 0
  let found = 0
  const started = performance.now()
  while (performance.now() - started < durationMs) {
    for (let at = 0; at < 10_000; at++) {
      if (txn.get('kv', names[(reads + at * 7919) % keys]!) !== undefined) found++
    }
    reads += 10_000
  }
  const perSecond = (reads * 1000) / (performance.now() - started)
  if (found !== reads) throw new Error('point reads missed rows')
  return perSecond
}
