import { describe, expect, it } from 'vitest'
import { openJournal } from '../src/index.js'
import { collect, newSim, payloadFor } from './helpers.js'

describe('journal faults', () => {
  it('rejects every waiter of the batch when fdatasync fails, and every later append', async () => {
    const fs = await newSim()
    const journal = await openJournal({ fs, dir: '/db/j' })
    expect(await journal.append(payloadFor(0))).toBe(1n)
    fs.failSync()
    const batch = Array.from({ length: 10 }, (_, at) => journal.append(payloadFor(at + 1)))
    const results = await Promise.allSettled(batch)
    for (const result of results) {
      expect(result).toMatchObject({ status: 'rejected', reason: { code: 'JOURNAL_POISONED', lsn: 1n } })
    }
    // Never retries, never acknowledges again, even though the next fdatasync would succeed.
    const syncs = journal.stats.syncs
    await expect(journal.append(payloadFor(99))).rejects.toMatchObject({ code: 'JOURNAL_POISONED' })
    expect(journal.stats.syncs).toBe(syncs)
    await journal.close()
  })

  it('recovers every write acknowledged before a failed fdatasync on reopen', async () => {
    const fs = await newSim()
    const journal = await openJournal({ fs, dir: '/db/j' })
    const acknowledged = await Promise.all([0, 1, 2].map((at) => journal.append(payloadFor(at))))
    fs.failSync()
    await expect(journal.append(payloadFor(3))).rejects.toMatchObject({ code: 'JOURNAL_POISONED' })
    await journal.close()
    for (const state of fs.crashStates()) {
      const reopened = await openJournal({ fs: state, dir: '/db/j' })
      const { frames } = await collect(reopened)
      expect(frames.slice(0, 3).map((frame) => frame.lsn)).toEqual(acknowledged)
      await reopened.close()
    }
  })

  it('fails a batch with DiskFullError, cuts it back, and appends again once space exists', async () => {
    const fs = await newSim()
    const journal = await openJournal({ fs, dir: '/db/j' })
    expect(await journal.append(payloadFor(0))).toBe(1n)
    const used = fs.usedBytes()
    fs.capacityBytes = used + 60 // room for one more frame, not for a batch of five
    const batch = await Promise.allSettled(Array.from({ length: 5 }, (_, at) => journal.append(payloadFor(at + 1))))
    for (const result of batch) {
      expect(result).toMatchObject({ status: 'rejected', reason: { code: 'JOURNAL_DISK_FULL', retryable: true } })
    }
    expect(fs.usedBytes()).toBe(used) // the partial write was cut back
    expect(await journal.append(payloadFor(6))).toBe(2n) // one frame fits: LSNs were given back
    fs.capacityBytes = undefined
    expect(await journal.append(payloadFor(7))).toBe(3n)
    const { frames, ending } = await collect(journal)
    expect(frames.map((frame) => frame.lsn)).toEqual([1n, 2n, 3n])
    expect(ending.kind).toBe('clean')
    await journal.close()
  })

  it('reports a full disk during segment roll-over as DiskFullError and recovers', async () => {
    const fs = await newSim()
    const journal = await openJournal({ fs, dir: '/db/j', segmentBytesMax: 64 })
    await journal.append(payloadFor(0, 60))
    fs.capacityBytes = fs.usedBytes() + 10 // not even a segment header fits
    await expect(journal.append(payloadFor(1))).rejects.toMatchObject({ code: 'JOURNAL_DISK_FULL' })
    fs.capacityBytes = undefined
    expect(await journal.append(payloadFor(2))).toBe(2n)
    await journal.close()
    const reopened = await openJournal({ fs, dir: '/db/j', segmentBytesMax: 64 })
    expect((await collect(reopened)).frames.map((frame) => frame.lsn)).toEqual([1n, 2n])
    await reopened.close()
  })

  it('reads correctly through short reads', async () => {
    const fs = await newSim()
    const journal = await openJournal({ fs, dir: '/db/j' })
    for (let at = 0; at < 20; at++) await journal.append(payloadFor(at, 100))
    fs.shortReads(1_000)
    const { frames, ending } = await collect(journal)
    expect(frames.length).toBe(20)
    expect(ending.kind).toBe('clean')
    await journal.close()
    const reopened = await openJournal({ fs, dir: '/db/j' })
    expect(reopened.nextLsn).toBe(21n)
    await reopened.close()
  })
})
