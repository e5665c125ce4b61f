/**
 * A torn tail (the normal remains of a crash) is moved to `quarantine/<time>/` with a report.json,
 * byte for byte, and the journal continues from the last good frame.
 */
import { SimFileSystem, joinPath } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { openEngine } from '../src/index.js'
import { crc32 } from '../src/internal/crc.js'
import { encodeFrame } from '../src/internal/journal-format.js'
import { listSegmentFiles, walkJournal } from '../src/internal/journal-walk.js'
import type { QuarantineReport } from '../src/internal/quarantine.js'
import { createModel } from './helpers.js'

describe('torn tail', () => {
  it('goes to the quarantine with its report, and the journal continues after the last good frame', async () => {
    const fs = new SimFileSystem()
    const now = Date.UTC(2026, 0, 2, 3, 4, 5, 678)
    const options = {
      dir: '/db',
      idleTimeoutMs: 0,
      now: () => now,
      checkpoint: { intervalMs: 0, onClose: false },
    }
    const engine = await openEngine({ fs, ...options })
    const id = await createModel(engine)
    for (let i = 0; i < 5; i++)
      await engine.manager.transaction((txn) => txn.insert(id, BigInt(i), [BigInt(i)]))
    await engine.close()
    // A crash while the next batch was being written: half of a frame.
    const walk = await walkJournal(fs, '/db/journal')
    const newest = (await listSegmentFiles(fs, '/db/journal')).at(-1)!.name
    const half = encodeFrame(walk.lastLsn + 1n, 1, new Uint8Array(40).fill(7)).subarray(0, 30)
    const path = joinPath('/db/journal', newest)
    const file = await fs.open(path)
    const offset = await file.size()
    await file.write(offset, half)
    await file.sync()
    await file.close()

    const again = await openEngine({ fs, ...options })
    expect(again.report.tornTails).toEqual([
      {
        segment: newest,
        offset,
        bytes: 30,
        lastLsn: walk.lastLsn,
        quarantine: 'quarantine/2026-01-02T03-04-05-678Z',
      },
    ])
    const entry = again.report.tornTails[0]!.quarantine
    const report = JSON.parse(
      Buffer.from(fs.contents(joinPath('/db', entry, 'report.json'))).toString(),
    ) as QuarantineReport
    expect(report).toMatchObject({
      format: 1,
      createdAt: '2026-01-02T03:04:05.678Z',
      kind: 'torn-tail',
      source: `journal/${newest}`,
      details: { segment: newest, offset, lastLsn: String(walk.lastLsn) },
    })
    expect(report.files).toEqual([
      { name: `${newest}.${offset}.bin`, bytes: 30, crc32: crc32(half), sourceOffset: offset },
    ])
    expect(Buffer.from(fs.contents(joinPath('/db', entry, report.files[0]!.name)))).toEqual(
      Buffer.from(half),
    )
    const txn = again.manager.begin()
    txn.insert(id, 99n, [99n])
    expect((await txn.commit()).lsn).toBe(walk.lastLsn + 1n)
    await again.close()
    const after = await walkJournal(fs, '/db/journal')
    expect(after.damage).toEqual([])
    expect(after.lastLsn).toBeGreaterThan(walk.lastLsn)
  })
})
