/**
 * Graceful shutdown of a real skyd: SIGTERM (and SIGINT) while clients commit. The process must
 * exit 0; every write a client saw acknowledged must be there after a restart on the same
 * directory (which also proves the lock was released); an open, uncommitted transaction must be
 * gone; and the checkpoint taken at shutdown must leave nothing to replay.
 */
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import type { Connection } from '@sky/client'
import { describe, expect, it } from 'vitest'
import { connectTo, removeDir, startSkyd } from './support/skyd.js'

/** Inserts `count` keys on `connection`, pipelined, adding each acknowledged key to `acked`. */
function insertMany(
  connection: Connection,
  prefix: string,
  count: number,
  acked: Set<string>,
  onAck: () => void,
): Promise<void> {
  return Promise.all(
    Array.from({ length: count }, async (_value, index) => {
      const key = `${prefix}-${index}`
      try {
        await connection.query('insert into s.kv(?, ?)', key, 'value')
        acked.add(key)
        onAck()
      } catch {
        // Not acknowledged: refused by the shutdown or the connection closed. Either is allowed.
      }
    }),
  ).then(() => undefined)
}

describe('graceful shutdown', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`on ${signal}: exits 0, keeps acknowledged writes, rolls back open ones`, async () => {
      const skyd = await startSkyd()
      const setup = await connectTo(skyd)
      await setup.query('create space s')
      await setup.query('create model s.kv(k: string, v: string)')
      await setup.query('insert into s.kv(?, ?)', 'before', 'committed')
      await setup.query('begin')
      await setup.query('insert into s.kv(?, ?)', 'open-transaction', 'never committed')
      const writers = await Promise.all([0, 1, 2, 3].map(() => connectTo(skyd)))
      const acked = new Set<string>()
      let signalled = false
      // Signal once 50 writes are acknowledged, with the rest in flight.
      const onAck = (): void => {
        if (signalled || acked.size < 50) return
        signalled = true
        skyd.child.kill(signal)
      }
      const load = writers.map((writer, index) =>
        insertMany(writer, `w${index}`, 400, acked, onAck),
      )
      const exit = await skyd.exited
      await Promise.all(load)
      expect(exit.code).toBe(0)
      expect(skyd.logs.some((record) => record.msg === 'stopped')).toBe(true)
      const checkpoints = await readdir(path.join(skyd.dataDir, 'checkpoints'))
      expect(checkpoints.some((name) => name.startsWith('ckpt-'))).toBe(true)

      const again = await startSkyd({ dataDir: skyd.dataDir, rootPassword: null })
      const opened = again.logs.find((record) => record.msg === 'data directory open')
      expect(opened?.replayedTransactions).toBe(0) // the shutdown checkpoint covers everything
      const reader = await connectTo(again)
      expect((await reader.query('select v from s.kv where k = ?', 'before')).row()).toEqual([
        'committed',
      ])
      await expect(
        reader.query('select v from s.kv where k = ?', 'open-transaction'),
      ).rejects.toMatchObject({ skytableCode: 111 })
      for (const key of acked) {
        expect((await reader.query('select v from s.kv where k = ?', key)).row()).toEqual(['value'])
      }
      console.log(`${signal}: ${acked.size} acknowledged writes found after restart`)
      await reader.close()
      expect((await again.stop()).code).toBe(0)
      await removeDir(skyd.dataDir)
    })
  }
})
