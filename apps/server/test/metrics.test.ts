/**
 * The disk meter and latency rings: a MeteredFileSystem over the simulated disk counts the
 * fdatasyncs and bytes of each area of a data directory and sees checkpoints published, and
 * changes nothing about what the file system does.
 */
import { SimFileSystem } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { LatencyRing, MeteredFileSystem } from '../src/index.js'
import type { MetricsReport } from '../src/index.js'
import { connectTo, removeDir, startSkyd } from './support/skyd.js'

describe('LatencyRing', () => {
  it('gives nearest-rank percentiles of the newest samples only', () => {
    const ring = new LatencyRing(100)
    expect(ring.percentiles()).toBeNull()
    for (let value = 1; value <= 100; value += 1) ring.record(value)
    expect(ring.percentiles()).toEqual({ p50: 50, p90: 90, p99: 99, max: 100, samples: 100 })
    for (let value = 0; value < 100; value += 1) ring.record(1000) // overwrites every old sample
    expect(ring.percentiles()).toMatchObject({ p50: 1000, max: 1000, samples: 100 })
    expect(ring.count).toBe(200)
  })
})

describe('MeteredFileSystem', () => {
  it('counts syncs and bytes per area and records checkpoint renames', async () => {
    const inner = new SimFileSystem()
    const fs = new MeteredFileSystem(inner, '/db')
    await fs.mkdir('/db/journal')
    await fs.mkdir('/db/gns')
    await fs.mkdir('/db/checkpoints')
    const journal = await fs.open('/db/journal/00000001.log', { create: true })
    await journal.append(new Uint8Array(10))
    await journal.write(10, new Uint8Array(5))
    await journal.sync()
    await journal.sync()
    const catalog = await fs.open('/db/gns/gns.a', { create: true })
    await catalog.append(new Uint8Array(3))
    await catalog.sync()
    const checkpoint = await fs.open('/db/checkpoints/ckpt-00000000000000000042.tmp', {
      create: true,
    })
    await checkpoint.append(new Uint8Array(7))
    await checkpoint.sync()
    await fs.rename(
      '/db/checkpoints/ckpt-00000000000000000042.tmp',
      '/db/checkpoints/ckpt-00000000000000000042',
    )
    expect(fs.areas.journal).toEqual({ syncs: 2, bytesWritten: 15 })
    expect(fs.areas.catalog).toEqual({ syncs: 1, bytesWritten: 3 })
    expect(fs.areas.checkpoint).toEqual({ syncs: 1, bytesWritten: 7 })
    expect(fs.journalSyncMs.count).toBe(2)
    expect(fs.checkpointsSeen).toBe(1)
    expect(fs.lastCheckpoint).toMatchObject({
      name: 'ckpt-00000000000000000042',
      lsn: 42n,
      bytes: 7,
    })
    // Reads see what was written, through the meter and without it.
    expect(await journal.read(0, 15)).toHaveLength(15)
    expect(await inner.exists('/db/checkpoints/ckpt-00000000000000000042')).toBe(true)
  })
})

describe('sysctl report metrics on a real skyd', () => {
  it("reports the engine's commits, aborts and checkpoints", async () => {
    // A small journal threshold so the writes below trigger a checkpoint by volume.
    const skyd = await startSkyd({ args: ['--checkpoint-journal-bytes', '4096'] })
    const [a, b] = [await connectTo(skyd), await connectTo(skyd)]
    try {
      const metrics = async (): Promise<MetricsReport> =>
        JSON.parse((await a.query('sysctl report metrics')).scalar() as string) as MetricsReport
      await a.query('create space m')
      await a.query('create model m.kv(k: string, v: uint64)')
      const before = await metrics()
      expect(before.sources['transactions']).toMatch(/^engine/)
      for (let n = 0; n < 200; n++) await a.query('insert into m.kv(?, ?)', `k${n}`, n)
      // A write skew that loses: a reads k0, b updates it, a's commit is refused with 200.
      await a.query('begin isolation level serializable')
      await a.query('select v from m.kv where k = ?', 'k0')
      await b.query('update m.kv set v = ? where k = ?', 7, 'k0')
      await a.query('update m.kv set v = ? where k = ?', 8, 'k0')
      await expect(a.query('commit')).rejects.toMatchObject({ skytableCode: 200 })
      // The volume trigger runs the checkpoint in the background: wait for it, boundedly.
      let after = await metrics()
      for (let polls = 0; after.checkpoints.count === 0 && polls < 400; polls++) {
        await new Promise((resolve) => setTimeout(resolve, 25))
        after = await metrics()
      }
      expect(after.transactions.commits - before.transactions.commits).toBe(201)
      expect(after.transactions.aborts - before.transactions.aborts).toBe(1)
      expect(after.checkpoints.count).toBeGreaterThanOrEqual(1)
      expect(after.checkpoints.last).toMatchObject({ name: expect.stringMatching(/^ckpt-/) })
      expect(after.checkpoints.journalBytesSince).toEqual(expect.any(Number))
      expect(after.healthy).toBe(true)
    } finally {
      await a.close()
      await b.close()
      expect((await skyd.stop()).code).toBe(0)
      await removeDir(skyd.dataDir)
    }
  })
})
