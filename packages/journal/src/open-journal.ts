/**
 * openJournal and scanJournal: the two ways into a journal directory.
 *
 * Opening finds where the log ends. Only the newest segment needs reading for that (older segments
 * were synced before the newest was created); `scan()` checks every segment when a caller replays.
 * What open does with each ending of the newest segment:
 *
 *   ending   | action
 *   ---------+-------------------------------------------------------------------------------
 *   clean    | continue after the last frame
 *   torn     | hand the bytes to `preserveTornTail` (default: `<dir>/torn/`), cut them, sync,
 *            | continue after the last good frame; a segment whose header itself is torn (a crash
 *            | while rolling over) is moved whole into `torn/` and the previous segment continues
 *   corrupt  | throw JournalCorruptError: valid frames after damage are not a crash remnant
 */
import { assert } from '@sky/std'
import type { FileSystem } from '@sky/vfs'
import { joinPath, mkdirDurable, readFully } from '@sky/vfs'
import { JournalCorruptError } from './errors.js'
import type { Journal, JournalOptions, JournalScan, ScanEnding, TornTail } from './journal.js'
import {
  batchBytesMaxDefault,
  batchDelayMsMax,
  payloadBytesMaxCeiling,
  payloadBytesMaxDefault,
  segmentBytesMaxDefault,
} from './internal/limits.js'
import { type SegmentFile, listSegments, scanDirectory } from './internal/scan.js'
import {
  decodeSegmentHeader,
  encodeSegmentHeader,
  segmentHeaderBytes,
  segmentName,
} from './internal/segment.js'
import { keepTornTail } from './internal/torn-tail.js'
import { type SegmentBase, JournalWriter, type WriterSettings } from './internal/writer.js'

function settingsOf(options: JournalOptions): WriterSettings {
  if (typeof options !== 'object' || options === null) throw new TypeError('options are required')
  const durability = options.durability ?? 'sync'
  if (!['sync', 'batch', 'none'].includes(durability)) throw new RangeError(`unknown durability ${durability}`)
  const batchDelayMs = options.batchDelayMs ?? 0
  if (durability === 'batch') {
    if (options.batchDelayMs === undefined) throw new RangeError("durability 'batch' needs batchDelayMs")
    if (!(batchDelayMs > 0 && batchDelayMs <= batchDelayMsMax)) {
      throw new RangeError(`batchDelayMs must be in (0, ${batchDelayMsMax}]`)
    }
  }
  const payloadBytesMax = options.payloadBytesMax ?? payloadBytesMaxDefault
  if (!(Number.isInteger(payloadBytesMax) && payloadBytesMax > 0 && payloadBytesMax <= payloadBytesMaxCeiling)) {
    throw new RangeError(`payloadBytesMax must be 1..${payloadBytesMaxCeiling}`)
  }
  const segmentBytesMax = options.segmentBytesMax ?? segmentBytesMaxDefault
  const batchBytesMax = options.batchBytesMax ?? batchBytesMaxDefault
  if (!(segmentBytesMax > segmentHeaderBytes)) throw new RangeError('segmentBytesMax too small')
  if (!(batchBytesMax > 0)) throw new RangeError('batchBytesMax must be positive')
  return { fs: options.fs, dir: options.dir, durability, batchDelayMs, segmentBytesMax, payloadBytesMax, batchBytesMax }
}

/**
 * Opens (creating if needed) the journal in `options.dir`.
 *
 * @throws JournalCorruptError when the newest segment has valid frames after damaged bytes.
 * @throws JournalVersionError when a segment was written by an unknown format version.
 * @throws RangeError / TypeError for invalid options.
 * @example
 * ```ts
 * const journal = await openJournal({ fs: new NodeFileSystem(), dir: '/data/journal' })
 * ```
 */
export async function openJournal(options: JournalOptions): Promise<Journal> {
  const settings = settingsOf(options)
  const { fs, dir } = settings
  const preserve = options.preserveTornTail ?? ((tail: TornTail) => keepTornTail(fs, dir, tail))
  await mkdirDurable(fs, dir)
  for (;;) {
    const segments = await listSegments(fs, dir)
    const newest = segments.at(-1)
    if (newest === undefined) {
      await createSegment(fs, dir, 1, 1n)
      continue
    }
    const scan = scanDirectory({ fs, dir, fromLsn: 2n ** 64n - 1n, payloadBytesMax: settings.payloadBytesMax, fromSegmentPosition: segments.length - 1 })
    for await (const _ of scan) assert(false, 'a scan from the largest lsn yields nothing')
    const ending = scan.ending
    assert(ending !== undefined, 'scan finished')
    if (ending.kind === 'corrupt') throw new JournalCorruptError(ending)
    if (ending.kind === 'torn') {
      if (ending.bytes.length > 0) await preserve(ending)
      if (ending.offset < segmentHeaderBytes) {
        await moveAside(fs, dir, newest)
        continue
      }
      await cutTail(fs, dir, ending)
      continue // read again: the cut segment must now end clean
    }
    return await startWriter(settings, segments, newest, ending)
  }
}

async function startWriter(
  settings: WriterSettings,
  segments: SegmentFile[],
  newest: SegmentFile,
  ending: Extract<ScanEnding, { kind: 'clean' }>,
): Promise<Journal> {
  const { fs, dir } = settings
  const bases: SegmentBase[] = []
  for (const segment of segments) {
    const file = await fs.open(joinPath(dir, segment.name))
    const header = decodeSegmentHeader(await readFully(file, 0, segmentHeaderBytes))
    await file.close()
    // Older segments are checked by scan(); here only their base LSN matters, for truncateBefore.
    if (header.status === 'ok') bases.push({ index: segment.index, baseLsn: header.header.baseLsn })
  }
  const active = bases.at(-1)
  assert(active?.index === newest.index, 'the newest segment has a valid header')
  const nextLsn = ending.lastLsn === 0n ? active.baseLsn : ending.lastLsn + 1n
  assert(nextLsn >= active.baseLsn, 'frames of the newest segment start at its base')
  const handle = await fs.open(joinPath(dir, newest.name))
  const size = await handle.size()
  return new JournalWriter(settings, { handle, index: newest.index, baseLsn: active.baseLsn, size }, nextLsn, bases)
}

async function createSegment(fs: FileSystem, dir: string, index: number, baseLsn: bigint): Promise<void> {
  const file = await fs.open(joinPath(dir, segmentName(index)), { create: true })
  try {
    await file.truncate(0)
    await file.write(0, encodeSegmentHeader({ index, baseLsn }))
    await file.sync()
  } finally {
    await file.close()
  }
  await fs.syncDir(dir)
}

async function cutTail(fs: FileSystem, dir: string, tail: TornTail): Promise<void> {
  const file = await fs.open(joinPath(dir, tail.segment))
  try {
    await file.truncate(tail.offset)
    await file.sync()
  } finally {
    await file.close()
  }
}

/** Moves a segment whose header never became whole into `torn/`; recreates segment 1 if it was the only one. */
async function moveAside(fs: FileSystem, dir: string, segment: SegmentFile): Promise<void> {
  const tornDir = joinPath(dir, 'torn')
  if (!(await fs.exists(tornDir))) {
    await fs.mkdir(tornDir)
    await fs.syncDir(dir)
  }
  let attempt = 0
  let target = ''
  do target = joinPath(tornDir, `${segment.name}.whole.${attempt++}`)
  while (await fs.exists(target))
  await fs.rename(joinPath(dir, segment.name), target)
  await fs.syncDir(tornDir)
  await fs.syncDir(dir)
}

/**
 * Reads a journal directory without opening it for writing (for verify and recovery tools).
 *
 * @example
 * ```ts
 * const scan = scanJournal({ fs, dir })
 * for await (const frame of scan) replay(frame)
 * if (scan.ending?.kind === 'corrupt') report(scan.ending)
 * ```
 */
export function scanJournal(options: {
  readonly fs: FileSystem
  readonly dir: string
  readonly fromLsn?: bigint
  readonly payloadBytesMax?: number
}): JournalScan {
  return scanDirectory({
    fs: options.fs,
    dir: options.dir,
    fromLsn: options.fromLsn ?? 1n,
    payloadBytesMax: options.payloadBytesMax ?? payloadBytesMaxDefault,
  })
}
