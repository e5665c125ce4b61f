/**
 * Goal: every single-bit flip anywhere in a small journal is detected by scan, and no frame that was
 * damaged is ever yielded.
 *
 * Method: write 12 frames into two segments, then for every bit of every byte of every segment file,
 * flip it on a copy of the disk and scan. The scan must not end clean, every frame it yields must be
 * one of the originals, unchanged, and frames after the damage are never yielded.
 */
import { describe, expect, it } from 'vitest'
import { openJournal, scanJournal } from '../src/index.js'
import { newSim, payloadFor } from './helpers.js'

describe('journal bit flips', () => {
  it('detects every single-bit flip of every segment', async () => {
    const fs = await newSim()
    const journal = await openJournal({ fs, dir: '/db/j', segmentBytesMax: 200 })
    const originals = new Map<bigint, string>()
    for (let at = 0; at < 12; at++) {
      const payload = payloadFor(at, 10 + at)
      originals.set(await journal.append(payload), Buffer.from(payload).toString('hex'))
    }
    await journal.close()
    const segments = (await fs.readdir('/db/j')).filter((name) => name.endsWith('.log'))
    expect(segments.length).toBeGreaterThan(1)
    let flips = 0
    const endings = new Map<string, number>()
    for (const segment of segments) {
      const size = fs.contents(`/db/j/${segment}`).length
      for (let position = 0; position < size; position++) {
        for (let bit = 0; bit < 8; bit++) {
          const copy = fs.cleanCopy()
          copy.flipBit(`/db/j/${segment}`, position, bit)
          const scan = scanJournal({ fs: copy, dir: '/db/j' })
          let previous = 0n
          for await (const frame of scan) {
            expect(frame.lsn).toBe(previous + 1n)
            expect(Buffer.from(frame.payload).toString('hex')).toBe(originals.get(frame.lsn))
            previous = frame.lsn
          }
          const kind = scan.ending!.kind
          expect(kind).not.toBe('clean')
          endings.set(kind, (endings.get(kind) ?? 0) + 1)
          flips++
        }
      }
    }
    console.log(`journal bit flips: ${flips.toLocaleString('en')} flips, all detected`, Object.fromEntries(endings))
    expect(endings.get('corrupt')).toBeGreaterThan(0)
    expect(endings.get('torn')).toBeGreaterThan(0)
  })

  it('names the segment, offset and LSNs around a corruption in the middle', async () => {
    const fs = await newSim()
    const journal = await openJournal({ fs, dir: '/db/j' })
    for (let at = 0; at < 5; at++) await journal.append(payloadFor(at, 20))
    await journal.close()
    const frameSize = 17 + 20
    const third = 32 + 2 * frameSize
    fs.flipBit('/db/j/00000001.log', third + 20, 0) // inside the third frame's payload
    const scan = scanJournal({ fs, dir: '/db/j' })
    const lsns: bigint[] = []
    for await (const frame of scan) lsns.push(frame.lsn)
    expect(lsns).toEqual([1n, 2n])
    expect(scan.ending).toEqual({ kind: 'corrupt', segment: '00000001.log', offset: third, lsnBefore: 2n, lsnAfter: 4n })
    await expect(openJournal({ fs, dir: '/db/j' })).rejects.toMatchObject({
      code: 'JOURNAL_CORRUPT',
      segment: '00000001.log',
      offset: third,
      lsnBefore: 2n,
      lsnAfter: 4n,
    })
  })

  it('reports an unknown segment format version with a typed error', async () => {
    const fs = await newSim()
    const journal = await openJournal({ fs, dir: '/db/j' })
    await journal.append(payloadFor(0))
    await journal.close()
    const bytes = fs.contents('/db/j/00000001.log')
    const view = new DataView(bytes.buffer)
    view.setUint32(8, 99, true)
    const { crc32 } = await import('../src/internal/crc.js')
    view.setUint32(28, crc32(bytes.subarray(0, 28)), true)
    const file = await fs.open('/db/j/00000001.log')
    await file.write(0, bytes.subarray(0, 32))
    await file.close()
    const scan = scanJournal({ fs, dir: '/db/j' })
    const drain = async () => {
      for await (const _ of scan);
    }
    await expect(drain()).rejects.toMatchObject({ code: 'JOURNAL_UNSUPPORTED_VERSION', version: 99 })
    await expect(openJournal({ fs, dir: '/db/j' })).rejects.toMatchObject({ code: 'JOURNAL_UNSUPPORTED_VERSION' })
  })
})
