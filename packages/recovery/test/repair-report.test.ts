/**
 * Goal: `repair`'s report of damage in the data journal matches what was actually lost, exactly.
 *
 * Method: a workload of single- and multi-model transactions (every transaction writes keys no
 * other one writes) and DDL records what each commit returned (LSN, commit timestamp) and what it
 * wrote (models, write count). The test parses the segments itself (FORMAT.md framing, not the
 * package's walker) before damaging them, so it knows which frames sit in the damaged bytes. Then
 * it damages one field of one frame, whole frames, or the last frame of a segment, and compares:
 * the damaged range (segment, offset, length, lost LSNs), every lost record (kind, commit
 * timestamp, models, writes, or "unknown" where the damage destroyed them), the models affected,
 * the quarantined bytes (byte for byte), the database after repair (every transaction not lost is
 * present and whole, every lost one absent), and a second repair (nothing changes, byte for byte).
 */
import type { Key } from '@sky/mvcc'
import { SimFileSystem, joinPath } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import {
  type EngineOptions,
  type LostRecord,
  openEngine,
  repair,
} from '../src/index.js'
import { filesOf, indexOfBytes } from './disk-snapshot.js'
import { createModel } from './helpers.js'

const options: Omit<EngineOptions, 'fs'> = {
  dir: '/db',
  idleTimeoutMs: 0,
  segmentBytesMax: 2048,
  timeMarkIntervalMs: 1 << 30,
  now: () => 1_000_000,
  checkpoint: { intervalMs: 0, onClose: false },
}

/** What one acknowledged transaction was, from its commit and its writes. */
interface Committed {
  readonly lsn: bigint
  readonly commitTs: number
  readonly models: readonly string[]
  readonly writes: ReadonlyArray<{ readonly model: string; readonly key: Key }>
}

/** A frame as the test itself reads it (FORMAT.md: u32 length, u32 crc, u64 lsn, u8 kind). */
interface Frame {
  readonly segment: string
  readonly offset: number
  readonly end: number
  readonly lsn: bigint
  readonly kind: number
}

interface Built {
  readonly fs: SimFileSystem
  readonly committed: Map<bigint, Committed>
  readonly frames: Frame[]
  /** The checkpoint taken during the workload, if asked for. */
  readonly checkpoint?: { readonly name: string; readonly lsn: bigint }
}

function parseSegment(segment: string, bytes: Uint8Array): Frame[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  const frames: Frame[] = []
  for (let offset = 32; offset + 17 <= bytes.length; ) {
    const end = offset + 17 + view.getUint32(offset, true)
    frames.push({
      segment,
      offset,
      end,
      lsn: view.getBigUint64(offset + 8, true),
      kind: view.getUint8(offset + 16),
    })
    offset = end
  }
  return frames
}

async function build(checkpointAt?: number): Promise<Built> {
  const fs = new SimFileSystem()
  const engine = await openEngine({ fs, ...options })
  const ids: string[] = []
  for (const [name, key] of [
    ['a', 'uint64'],
    ['b', 'string'],
    ['c', 'binary'],
  ] as const) {
    ids.push(await createModel(engine, { name, key, strings: ['v'] }))
  }
  const [a, b, c] = ids as [string, string, string]
  const keyOf = (model: string, i: number): Key =>
    model === a ? BigInt(i) : model === b ? `k${i}` : new Uint8Array([i >> 8, i & 255])
  const committed = new Map<bigint, Committed>()
  let checkpoint: Built['checkpoint']
  for (let i = 0; i < 90; i++) {
    if (i === checkpointAt) checkpoint = await engine.checkpoint()
    if (i === 45) {
      await engine.ddl({
        kind: 'createModel',
        space: 's',
        name: 'd',
        fields: [{ name: 'id', type: { name: 'uint64' } }],
      })
    }
    const models = [[a], [a, b], [b, c], [a, b, c]][i % 4]!
    const txn = engine.manager.begin()
    const writes = models.map((model) => ({ model, key: keyOf(model, i) }))
    for (const write of writes) txn.insert(write.model, write.key, [write.key, `value ${i}`])
    const info = await txn.commit()
    committed.set(info.lsn!, {
      lsn: info.lsn!,
      commitTs: info.commitTs,
      models: [...models].sort(),
      writes,
    })
  }
  await engine.close()
  const frames: Frame[] = []
  for (const name of await fs.readdir('/db/journal'))
    frames.push(...parseSegment(name, fs.contents(joinPath('/db/journal', name))))
  return { fs, committed, frames, ...(checkpoint === undefined ? {} : { checkpoint }) }
}

/** What the report must say of a lost frame: everything its bytes held, or unknown. */
function truthOf(built: Built, frame: Frame, known: boolean): LostRecord {
  const txn = built.committed.get(frame.lsn)
  const held = built.checkpoint !== undefined && frame.lsn <= built.checkpoint.lsn
  const heldBy = held ? built.checkpoint!.name : undefined
  if (!known) {
    return {
      lsn: frame.lsn,
      kind: undefined,
      commitTs: undefined,
      models: [],
      writes: undefined,
      heldBy,
    }
  }
  if (txn === undefined) {
    return {
      lsn: frame.lsn,
      kind: frame.kind,
      commitTs: undefined,
      models: [],
      writes: undefined,
      heldBy,
    }
  }
  return {
    lsn: frame.lsn,
    kind: 1,
    commitTs: txn.commitTs,
    models: txn.models,
    writes: txn.writes.length,
    heldBy,
  }
}

/** Redo frames in the middle of a segment with one before and two after it in that segment. */
function middleFrame(built: Built, models: number): Frame {
  const found = built.frames.find((frame, index) => {
    const next = built.frames[index + 2]
    const previous = built.frames[index - 1]
    return (
      built.committed.get(frame.lsn)?.models.length === models &&
      next?.segment === frame.segment &&
      previous?.segment === frame.segment
    )
  })
  return found!
}

async function zero(fs: SimFileSystem, path: string, from: number, to: number): Promise<void> {
  const file = await fs.open(path)
  await file.write(from, new Uint8Array(to - from))
  await file.sync()
  await file.close()
}

/**
 * Repairs and checks everything against the truth: `lost` are the frames whose bytes were damaged
 * (in LSN order, contiguous in one segment), `known` whether the report can still read them.
 */
async function repairAndCheck(built: Built, lost: readonly Frame[], known: readonly boolean[]) {
  const { fs } = built
  const first = lost[0]!
  const last = lost.at(-1)!
  const path = joinPath('/db/journal', first.segment)
  const damagedBytes = fs.contents(path).slice(first.offset, last.end)

  const held = built.checkpoint !== undefined && last.lsn <= built.checkpoint.lsn
  if (held) {
    // Open never reads journal frames its checkpoint holds.
    const engine = await openEngine({ fs, ...options })
    expect(engine.report.checkpoint?.name).toBe(built.checkpoint!.name)
    await engine.close()
  } else {
    // Open refuses, naming the place.
    await expect(openEngine({ fs, ...options })).rejects.toMatchObject({
      code: 'RECOVERY_JOURNAL_CORRUPT',
      segment: first.segment,
      offset: first.offset,
      lsnBefore: first.lsn - 1n,
    })
  }

  const damaged = await filesOf(fs, '/db')
  const report = await repair('/db', { fs })
  // Nothing is deleted: every file is still there, and every frame not lost keeps its bytes.
  const repaired = await filesOf(fs, '/db')
  for (const name of damaged.keys()) expect(repaired.has(name), name).toBe(true)
  for (const frame of built.frames) {
    if (lost.includes(frame)) continue
    const path = joinPath('/db/journal', frame.segment)
    const bytes = Buffer.from(damaged.get(path)!, 'hex').subarray(frame.offset, frame.end)
    expect(indexOfBytes(fs.contents(path), bytes), `lsn ${frame.lsn}`).toBeGreaterThanOrEqual(0)
  }
  const expectedLost = lost.map((frame, index) => truthOf(built, frame, known[index]!))
  expect(report.journal.damage.map(({ suspected: _, ...rest }) => rest)).toEqual([
    {
      segment: first.segment,
      offset: first.offset,
      length: last.end - first.offset,
      lsnBefore: first.lsn - 1n,
      lsnAfter: last.lsn + 1n,
      lost: { from: first.lsn, to: last.lsn },
    },
  ])
  expect(report.journal.lost).toEqual(expectedLost)
  // What the database lost: the records no checkpoint holds.
  const databaseLost = expectedLost.filter((record) => record.heldBy === undefined)
  expect(report.journal.modelsAffected).toEqual(
    [...new Set(databaseLost.flatMap((record) => record.models))].sort(),
  )
  expect(report.journal.unknownRecords).toBe(
    known.filter((value, index) => !value && expectedLost[index]!.heldBy === undefined).length,
  )
  // The quarantine holds exactly the damaged bytes.
  const entry = JSON.parse(
    Buffer.from(fs.contents(joinPath('/db', report.journal.quarantine!, 'report.json'))).toString(),
  ) as { files: Array<{ name: string; sourceOffset: number }> }
  const file = entry.files.find((candidate) => candidate.sourceOffset === first.offset)!
  expect(
    Buffer.from(fs.contents(joinPath('/db', report.journal.quarantine!, file.name))),
  ).toEqual(Buffer.from(damagedBytes))

  // A second repair changes nothing, byte for byte.
  const afterFirst = await filesOf(fs, '/db')
  const again = await repair('/db', { fs })
  expect(again.changed).toBe(false)
  expect(await filesOf(fs, '/db')).toEqual(afterFirst)

  // The repaired database holds every transaction not lost, whole, and none of the lost ones.
  const engine = await openEngine({ fs, ...options })
  const lostLsns = new Set(databaseLost.map((record) => record.lsn))
  expect(engine.report.replay.lostPlaceholders).toBe(lostLsns.size)
  for (const txn of built.committed.values()) {
    for (const write of txn.writes) {
      const row = engine.store.store(write.model)!.get(write.key, engine.store.lastCommitTs)
      expect(row !== undefined, `lsn ${txn.lsn}`).toBe(!lostLsns.has(txn.lsn))
    }
  }
  await engine.close()
  return report
}

describe('repair report of journal damage', () => {
  it.each([
    ['a row value', 40, 'payload'],
    ['the length field', 1, 'header'],
    ['the crc field', 5, 'header'],
    ['the lsn field', 9, 'header'],
  ] as const)(
    'names the one lost transaction exactly after a bit flip in %s',
    async (_, at, where) => {
      const built = await build()
      const frame = middleFrame(built, 3)
      const offset = where === 'payload' ? frame.end - 3 : frame.offset + at
      built.fs.flipBit(joinPath('/db/journal', frame.segment), offset, at === 1 ? 2 : 0)
      await repairAndCheck(built, [frame], [true])
    },
  )

  it('names every record lost in zeroed frames, unknown where nothing is left', async () => {
    const built = await build()
    const first = middleFrame(built, 2)
    const index = built.frames.indexOf(first)
    const lost = built.frames.slice(index, index + 3)
    expect(new Set(lost.map((frame) => frame.segment)).size).toBe(1)
    // Zero the first two frames whole and the header of the third: its payload still tells.
    const path = joinPath('/db/journal', first.segment)
    await zero(built.fs, path, first.offset, lost[2]!.offset + 17)
    const report = await repairAndCheck(built, lost, [false, false, true])
    const models = built.committed.get(lost[2]!.lsn)!.models.join(', ')
    expect(report.summary).toContain(
      `journal: 3 records lost (models ${models}; 2 of them unreadable); ` +
        `${report.journal.salvagedFrames} frames after the damage salvaged`,
    )
  })

  it('names a lost DDL echo as such', async () => {
    const built = await build()
    const echo = built.frames.find(
      (frame, index) =>
        frame.kind === 2 &&
        index > 4 &&
        built.frames[index + 1]?.segment === frame.segment &&
        built.frames[index - 1]?.segment === frame.segment,
    )!
    built.fs.flipBit(joinPath('/db/journal', echo.segment), echo.end - 2, 0)
    await repairAndCheck(built, [echo], [true])
  })

  it('says a destroyed frame that the checkpoint holds costs the database nothing', async () => {
    const built = await build(60)
    const frame = middleFrame(built, 2)
    expect(frame.lsn).toBeLessThan(built.checkpoint!.lsn)
    built.fs.flipBit(joinPath('/db/journal', frame.segment), frame.end - 3, 1)
    const report = await repairAndCheck(built, [frame], [true])
    expect(report.summary).toContain(
      `journal: 1 record destroyed that checkpoint ${built.checkpoint!.name} holds ` +
        '(the database lost nothing of it)',
    )
  })

  it('names the last frame of a segment lost when the next segment continues', async () => {
    const built = await build()
    const last = built.frames.find(
      (frame, index) =>
        built.committed.has(frame.lsn) &&
        built.frames[index + 1] !== undefined &&
        built.frames[index + 1]!.segment !== frame.segment &&
        built.frames[index + 2]?.segment === built.frames[index + 1]!.segment,
    )!
    built.fs.flipBit(joinPath('/db/journal', last.segment), last.end - 1, 3)
    await repairAndCheck(built, [last], [true])
  })
})
