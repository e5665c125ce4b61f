import { describe, expect, it, vi } from 'vitest'
import { openJournal } from '../src/index.js'
import { payloadFor } from './helpers.js'
import { journalSuite } from './journal-suite.js'
import { newSim } from './helpers.js'

journalSuite('SimFileSystem', async () => ({ fs: await newSim(), root: '/db' }))

describe('durability modes', () => {
  it("'batch' acknowledges after the write and fdatasyncs within batchDelayMs", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const fs = await newSim()
      const journal = await openJournal({ fs, dir: '/db/j', durability: 'batch', batchDelayMs: 5 })
      const lsns = await Promise.all([0, 1, 2].map((at) => journal.append(payloadFor(at))))
      expect(lsns).toEqual([1n, 2n, 3n])
      expect(journal.stats.syncs).toBe(0)
      // Unsynced: some crash state loses the acknowledged frames; that is the documented window.
      expect(fs.crashStateCount()).toBeGreaterThan(1)
      await vi.advanceTimersByTimeAsync(5)
      expect(journal.stats.syncs).toBe(1)
      expect(fs.crashStateCount()).toBe(1)
      await journal.close()
    } finally {
      vi.useRealTimers()
    }
  })

  it("'batch' poisons the journal when its timed fdatasync fails", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const fs = await newSim()
      const journal = await openJournal({ fs, dir: '/db/j', durability: 'batch', batchDelayMs: 5 })
      await journal.append(payloadFor(0))
      fs.failSync()
      await vi.advanceTimersByTimeAsync(5)
      await expect(journal.append(payloadFor(1))).rejects.toMatchObject({ code: 'JOURNAL_POISONED' })
      await journal.close()
    } finally {
      vi.useRealTimers()
    }
  })

  it("'none' never fdatasyncs, even on close", async () => {
    const fs = await newSim()
    const journal = await openJournal({ fs, dir: '/db/j', durability: 'none' })
    await Promise.all([0, 1].map((at) => journal.append(payloadFor(at))))
    await journal.close()
    expect(journal.stats.syncs).toBe(0)
    expect(fs.crashStateCount()).toBeGreaterThan(1)
  })

  it("'sync' leaves nothing acknowledged unsynced", async () => {
    const fs = await newSim()
    const journal = await openJournal({ fs, dir: '/db/j' })
    await journal.append(payloadFor(0))
    expect(fs.crashStateCount()).toBe(1)
    await journal.close()
  })
})
