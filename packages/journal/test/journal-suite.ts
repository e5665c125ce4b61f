/** The journal's behaviour suite, shared by journal.test.ts (simulated disk) and journal.disk.test.ts. */
import { describe, expect, it } from 'vitest'
import type { FileSystem } from '@sky/vfs'
import { openJournal } from '../src/index.js'
import { collect, decoder, payloadFor } from './helpers.js'

/**
 * The journal's behaviour, on any file system. Runs on SimFileSystem here and on the real disk in
 * journal.disk.test.ts. `setup` returns a file system with an empty, existing directory `root`.
 */
export function journalSuite(name: string, setup: () => Promise<{ fs: FileSystem; root: string }>): void {
describe(`journal on ${name}`, () => {
  it('assigns consecutive LSNs and reads the frames back in order', async () => {
    const { fs, root } = await setup()
    const journal = await openJournal({ fs, dir: `${root}/j` })
    expect(journal.nextLsn).toBe(1n)
    const lsns = await Promise.all([0, 1, 2].map((sequence) => journal.append(payloadFor(sequence), 7)))
    expect(lsns).toEqual([1n, 2n, 3n])
    const { frames, ending } = await collect(journal)
    expect(frames.map((frame) => [frame.lsn, frame.kind, decoder.decode(frame.payload)])).toEqual(
      [0, 1, 2].map((sequence) => [BigInt(sequence + 1), 7, decoder.decode(payloadFor(sequence))]),
    )
    expect(ending).toEqual({ kind: 'clean', lastLsn: 3n })
    expect((await collect(journal, 3n)).frames.map((frame) => frame.lsn)).toEqual([3n])
    await journal.close()
  })

  it('continues LSNs after reopen', async () => {
    const { fs, root } = await setup()
    const first = await openJournal({ fs, dir: `${root}/j` })
    await first.append(payloadFor(1))
    await first.append(payloadFor(2))
    await first.close()
    const second = await openJournal({ fs, dir: `${root}/j` })
    expect(second.nextLsn).toBe(3n)
    expect(await second.append(payloadFor(3))).toBe(3n)
    expect((await collect(second)).frames.length).toBe(3)
    await second.close()
  })

  it('serves every append of one turn of the event loop with one fdatasync', async () => {
    const { fs, root } = await setup()
    const journal = await openJournal({ fs, dir: `${root}/j` })
    const lsns = await Promise.all(Array.from({ length: 4096 }, (_, at) => journal.append(payloadFor(at))))
    expect(lsns.at(-1)).toBe(4096n)
    expect(journal.stats).toMatchObject({ appends: 4096, batches: 1, syncs: 1 })
    await journal.close()
  })

  it('batches appends that arrive while a write is in flight into the next fdatasync', async () => {
    const { fs, root } = await setup()
    const journal = await openJournal({ fs, dir: `${root}/j` })
    const first = journal.append(payloadFor(0))
    await new Promise((resolve) => setImmediate(resolve)) // the first batch is now being written
    const rest = Array.from({ length: 50 }, (_, at) => journal.append(payloadFor(at + 1)))
    await Promise.all([first, ...rest])
    expect(journal.stats.syncs).toBe(2)
    await journal.close()
  })

  it('rolls over to new segments and removes only whole segments before an LSN', async () => {
    const { fs, root } = await setup()
    const journal = await openJournal({ fs, dir: `${root}/j`, segmentBytesMax: 256 })
    for (let sequence = 0; sequence < 40; sequence++) await journal.append(payloadFor(sequence))
    const segments = (await fs.readdir(`${root}/j`)).filter((name) => name.endsWith('.log'))
    expect(segments.length).toBeGreaterThan(3)
    const removed = await journal.truncateBefore(20n)
    expect(removed).toBeGreaterThan(0)
    const { frames, ending } = await collect(journal, 20n)
    expect(frames[0]?.lsn).toBe(20n)
    expect(frames.at(-1)?.lsn).toBe(40n)
    expect(ending.kind).toBe('clean')
    const remaining = (await fs.readdir(`${root}/j`)).filter((name) => name.endsWith('.log'))
    expect(remaining.length).toBe(segments.length - removed)
    // Everything from 20 on survives a reopen too.
    await journal.close()
    const reopened = await openJournal({ fs, dir: `${root}/j`, segmentBytesMax: 256 })
    expect(reopened.nextLsn).toBe(41n)
    expect((await collect(reopened, 20n)).frames.length).toBe(21)
    expect(await reopened.truncateBefore(1000n)).toBe(remaining.length - 1)
    await reopened.close()
  })

  it('never removes the active segment', async () => {
    const { fs, root } = await setup()
    const journal = await openJournal({ fs, dir: `${root}/j` })
    await journal.append(payloadFor(0))
    expect(await journal.truncateBefore(100n)).toBe(0)
    expect((await collect(journal)).frames.length).toBe(1)
    await journal.close()
  })

  it('rejects bad arguments at the boundary', async () => {
    const { fs, root } = await setup()
    await expect(openJournal({ fs, dir: `${root}/j`, durability: 'batch' })).rejects.toThrow(RangeError)
    await expect(
      openJournal({ fs, dir: `${root}/j`, durability: 'fast' as never }),
    ).rejects.toThrow(RangeError)
    const journal = await openJournal({ fs, dir: `${root}/j`, payloadBytesMax: 10 })
    expect(() => journal.append(new Uint8Array(11))).toThrow(RangeError)
    expect(() => journal.append(new Uint8Array(1), 0)).toThrow(RangeError)
    expect(() => journal.append(new Uint8Array(1), 256)).toThrow(RangeError)
    expect(() => journal.append('text' as never)).toThrow(TypeError)
    await journal.close()
  })

  it('writes appends made before close and rejects appends after it', async () => {
    const { fs, root } = await setup()
    const journal = await openJournal({ fs, dir: `${root}/j` })
    const pending = journal.append(payloadFor(0))
    await journal.close()
    expect(await pending).toBe(1n)
    await expect(journal.append(payloadFor(1))).rejects.toMatchObject({ code: 'JOURNAL_CLOSED' })
    await journal.close()
  })
})
}

