/**
 * Open time does not grow with history: what open reads is the newest checkpoint, the journal after
 * it (from the start of the segment holding its first frame) and one 32-byte header per retained
 * segment. No clock is involved: the test counts frames replayed and bytes read (through a
 * recording file system), for a short and a fifty times longer history that end in the same
 * checkpoint content and the same journal after it, with every segment of the long one retained.
 */
import { SimFileSystem, joinPath } from '@sky/vfs'
import { describe, expect, it } from 'vitest'
import { type CheckpointInfo, type EngineOptions, openEngine } from '../src/index.js'
import { createModel } from './helpers.js'
import { segmentHeaderBytes } from '../src/internal/journal-format.js'
import { walkJournal } from '../src/internal/journal-walk.js'
import { RecordingFileSystem } from './recording-fs.js'

const segmentBytesMax = 4096
const keys = 100
const afterCheckpoint = 50

const options: Omit<EngineOptions, 'fs'> = {
  dir: '/db',
  idleTimeoutMs: 0,
  segmentBytesMax,
  retainSegments: 'all',
  timeMarkIntervalMs: 1 << 30,
  now: () => 1_000_000,
  checkpoint: { intervalMs: 0, onClose: false, journalBytes: 1 << 30 },
}

interface History {
  readonly fs: SimFileSystem
  readonly checkpoint: CheckpointInfo
  readonly journalBytes: number
}

/**
 * `rounds` passes over the key set (a checkpoint after each), then the final pass, the checkpoint
 * open must use, and `afterCheckpoint` single-row transactions.
 */
async function history(rounds: number): Promise<History> {
  const fs = new SimFileSystem()
  const engine = await openEngine({ fs, ...options })
  const id = await createModel(engine, { strings: ['v'] })
  const pass = async (label: string): Promise<void> => {
    for (let key = 0n; key < keys; key++)
      await engine.manager.transaction((txn) => txn.upsert(id, key, [key, `${label}-${key}`]))
  }
  for (let round = 0; round < rounds; round++) {
    await pass(`old${String(round).padStart(2, '0')}`)
    await engine.checkpoint()
  }
  await pass('final')
  const checkpoint = (await engine.checkpoint())!
  for (let key = 1000n; key < 1000n + BigInt(afterCheckpoint); key++)
    await engine.manager.transaction((txn) => txn.insert(id, key, [key, 'after']))
  await engine.close()
  let journalBytes = 0
  for (const name of await fs.readdir('/db/journal'))
    journalBytes += (await fs.stat(joinPath('/db/journal', name))).size
  return { fs, checkpoint, journalBytes }
}

interface OpenCost {
  readonly frames: number
  readonly checkpointBytesRead: number
  /** Journal bytes read beyond one header per segment. */
  readonly journalBodyBytesRead: number
  readonly journalSegments: number
  /** Segments wholly before the checkpoint (of which only headers may be read). */
  readonly segmentsBefore: number
}

async function openCost(built: History): Promise<OpenCost> {
  const recording = new RecordingFileSystem(built.fs)
  const engine = await openEngine({ ...options, fs: recording })
  const { report } = engine
  await engine.close()
  const read = recording.bytesRead()
  expect(report.checkpoint?.name).toBe(built.checkpoint.name)
  const checkpointReads = [...read].filter(([path]) => path.startsWith('/db/checkpoints/'))
  // Only the checkpoint open uses is read, and all of it.
  expect(checkpointReads).toEqual([
    [joinPath('/db/checkpoints', built.checkpoint.name), built.checkpoint.bytes],
  ])
  // Segments wholly before the checkpoint: nothing but their header (read by the journal's open,
  // by its scan and by the checkpoint choice: a constant per segment).
  const walk = await walkJournal(built.fs, '/db/journal')
  const before = new Set<string>()
  for (const [position, segment] of walk.segments.entries()) {
    const next = walk.segments[position + 1]
    if (next !== undefined && next.baseLsn! <= built.checkpoint.lsn + 1n)
      before.add(joinPath('/db/journal', segment.name))
  }
  let journalBodyBytesRead = 0
  for (const call of recording.calls) {
    if (call.op !== 'read' || !call.path.startsWith('/db/journal/')) continue
    const headerOnly = call.position === 0 && call.bytes <= segmentHeaderBytes
    if (before.has(call.path)) expect(headerOnly, call.path).toBe(true)
    if (!headerOnly) journalBodyBytesRead += call.bytes
  }
  return {
    frames: report.replay.frames,
    checkpointBytesRead: checkpointReads[0]![1],
    journalBodyBytesRead,
    journalSegments: walk.segments.length,
    segmentsBefore: before.size,
  }
}

describe('open cost', () => {
  it('depends on the checkpoint and the journal after it, not on the history before', async () => {
    const short = await history(0)
    const long = await history(50)
    const shortCost = await openCost(short)
    const longCost = await openCost(long)
    // The same frames replayed: exactly the transactions after the checkpoint.
    expect(shortCost.frames).toBe(afterCheckpoint)
    expect(longCost.frames).toBe(afterCheckpoint)
    // The same checkpoint content (rows of equal size; only timestamps differ, in fixed fields).
    expect(longCost.checkpointBytesRead).toBe(shortCost.checkpointBytesRead)
    // Journal: the segments holding frames after the checkpoint, at most one segment more.
    const bound = shortCost.journalBodyBytesRead + segmentBytesMax
    expect(longCost.journalBodyBytesRead).toBeLessThanOrEqual(bound)
    expect(long.journalBytes).toBeGreaterThan(20 * bound)
    expect(longCost.segmentsBefore).toBeGreaterThan(50)
    console.log(
      `open cost: short history ${short.journalBytes} B of journal in ` +
        `${shortCost.journalSegments} segments, long ${long.journalBytes} B in ` +
        `${longCost.journalSegments}; both read ${longCost.checkpointBytesRead} B of ` +
        `checkpoint and replay ${longCost.frames} frames; journal bytes read beyond headers: ` +
        `${shortCost.journalBodyBytesRead} (short), ${longCost.journalBodyBytesRead} (long)`,
    )
  })
})
