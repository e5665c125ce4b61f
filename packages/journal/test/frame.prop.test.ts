/**
 * Property tests: framing round-trips for arbitrary frames; scanning arbitrary bytes never throws
 * anything but a typed journal error and never yields a frame that was not written.
 */
import fc from 'fast-check'
import { SimFileSystem } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { isSkyError } from '@sky/std'
import { openJournal, scanJournal } from '../src/index.js'
import { decodeFrame, encodeFrame, frameBytes } from '../src/internal/frame.js'
import { encodeSegmentHeader } from '../src/internal/segment.js'

const frameArbitrary = fc.record({
  lsn: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
  kind: fc.integer({ min: 1, max: 255 }),
  payload: fc.uint8Array({ maxLength: 300 }),
})

async function writeSegment(fs: SimFileSystem, name: string, bytes: Uint8Array): Promise<void> {
  const file = await fs.open(`/j/${name}`, { create: true })
  await file.write(0, bytes)
  await file.sync()
  await file.close()
}

async function drain(fs: SimFileSystem) {
  const scan = scanJournal({ fs, dir: '/j', payloadBytesMax: 4096 })
  const frames = []
  try {
    for await (const frame of scan) frames.push(frame)
  } catch (error) {
    expect(isSkyError(error)).toBe(true)
    expect((error as { code: string }).code).toMatch(/^JOURNAL_/)
  }
  return { frames, ending: scan.ending }
}

describe('frame properties', () => {
  it('decodes exactly what was encoded, at any offset in a buffer', () => {
    fc.assert(
      fc.property(fc.array(frameArbitrary, { minLength: 1, maxLength: 8 }), (frames) => {
        const total = frames.reduce((sum, frame) => sum + frameBytes(frame.payload.length), 0)
        const bytes = new Uint8Array(total)
        let offset = 0
        for (const frame of frames) offset = encodeFrame(bytes, offset, frame)
        offset = 0
        for (const frame of frames) {
          const read = decodeFrame(bytes, offset, 1000)
          expect(read.status).toBe('frame')
          if (read.status !== 'frame') return
          expect(read.lsn).toBe(frame.lsn)
          expect(read.kind).toBe(frame.kind)
          expect([...read.payload]).toEqual([...frame.payload])
          offset = read.end
        }
      }),
      { numRuns: 300 },
    )
  })

  it('scans arbitrary bytes after a valid header without throwing untyped errors or inventing frames', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), fc.boolean(), async (tail, withHeader) => {
        const fs = new SimFileSystem()
        await fs.mkdir('/j')
        const header = withHeader ? encodeSegmentHeader({ index: 1, baseLsn: 1n }) : new Uint8Array()
        await writeSegment(fs, '00000001.log', Buffer.concat([header, tail]))
        const { frames, ending } = await drain(fs)
        for (const frame of frames) {
          // A frame is only ever yielded where one decodes, with the LSN that comes next.
          const again = decodeFrame(fs.contents('/j/00000001.log'), frame.offset, 4096)
          expect(again.status).toBe('frame')
        }
        if (ending !== undefined) expect(['clean', 'torn', 'corrupt']).toContain(ending.kind)
      }),
      { numRuns: 400 },
    )
  })

  it('yields only original frames, in order, from a damaged journal', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
        async (payloads, damage) => {
          const fs = new SimFileSystem()
          const journal = await openJournal({ fs, dir: '/j' })
          for (const payload of payloads) await journal.append(payload)
          await journal.close()
          const bytes = fs.contents('/j/00000001.log')
          for (const { at, value } of damage) bytes[at % bytes.length] = value
          await writeSegment(fs, '00000001.log', bytes)
          const { frames } = await drain(fs)
          frames.forEach((frame, index) => {
            expect(frame.lsn).toBe(BigInt(index + 1))
            expect([...frame.payload]).toEqual([...payloads[index]!])
          })
        },
      ),
      { numRuns: 300 },
    )
  })
})
