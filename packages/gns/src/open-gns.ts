/**
 * openGns: reads every copy of the catalog, recovers the most complete correct state, heals what
 * was damaged, and returns the open {@link Gns}. See README.md, "Recovery decision table".
 */
import { joinPath, mkdirDurable } from '@sky/vfs'
import { scryptDefaults, scryptProblem } from './credentials.js'
import { GnsUnrecoverableError } from './errors.js'
import type { Gns, GnsOptions } from './gns.js'
import { checkpointSlots, readCheckpoint } from './internal/checkpoint-store.js'
import { Quarantine, removeTempFiles } from './internal/disk.js'
import { GnsImpl, type GnsSettings } from './internal/gns-impl.js'
import { heal } from './internal/heal.js'
import { readJournal } from './internal/journal-read.js'
import {
  compactEveryDefault,
  journalPayloadBytesMax,
  segmentBytesMaxDefault,
} from './internal/limits.js'
import { describeChange } from './internal/plan.js'
import { recover } from './internal/recovery.js'
import type { GnsOpenReport } from './report.js'

function settingsOf(
  options: GnsOptions,
): GnsSettings & { segmentBytesMax: number; durability: 'sync' | 'none' } {
  if (typeof options !== 'object' || options === null) throw new TypeError('options are required')
  if (typeof options.dir !== 'string' || !options.dir.startsWith('/'))
    throw new TypeError('dir is an absolute path')
  if (typeof options.fs !== 'object' || options.fs === null) throw new TypeError('fs is required')
  const compactEvery = options.compactEvery ?? compactEveryDefault
  if (!Number.isSafeInteger(compactEvery) || compactEvery < 1)
    throw new RangeError('compactEvery must be a positive integer')
  const segmentBytesMax = options.segmentBytesMax ?? segmentBytesMaxDefault
  if (!Number.isSafeInteger(segmentBytesMax) || segmentBytesMax < 64)
    throw new RangeError('segmentBytesMax must be at least 64')
  const durability = options.durability ?? 'sync'
  if (durability !== 'sync' && durability !== 'none')
    throw new RangeError("durability must be 'sync' or 'none'")
  const scrypt = { ...scryptDefaults, ...options.scrypt }
  const problem = scryptProblem(scrypt)
  if (problem !== undefined) throw new RangeError(`scrypt: ${problem}`)
  return { fs: options.fs, dir: options.dir, compactEvery, scrypt, segmentBytesMax, durability }
}

/**
 * Opens (creating if needed) the catalog in `options.dir`.
 *
 * Recovery never loses a fact that one valid copy still holds: a damaged checkpoint is rebuilt from
 * the other copy and the journal, a damaged journal from the checkpoints, all of them from the
 * catalog source. Every damaged copy is reported in `gns.report.damage` and rewritten before this
 * resolves (its bytes kept in `<dir>/quarantine/`). A compaction a crash interrupted is not damage:
 * open finishes it and sets `gns.report.completedCompaction`.
 *
 * @throws GnsUnsupportedVersionError when a file was written by a newer format (nothing is
 *   rewritten).
 * @throws GnsUnrecoverableError when GNS files exist but no copy yields a catalog.
 * @throws TypeError / RangeError for invalid options; vfs errors when the disk fails while healing.
 * @example
 * ```ts
 * const gns = await openGns({ fs, dir: '/data/gns', catalogSource })
 * for (const damage of gns.report.damage) log.warn(`${damage.file}: ${damage.kind}
 * ${damage.detail}`) for (const prepare of gns.inDoubt) await gns.resolveInDoubt(prepare.id,
 * decide(prepare))
 * ```
 */
export async function openGns(options: GnsOptions): Promise<Gns> {
  const settings = settingsOf(options)
  const { fs, dir } = settings
  await mkdirDurable(fs, dir)
  const healed: string[] = (await removeTempFiles(fs, dir)).map(
    (name) => `removed the unfinished ${name}`,
  )
  const checkpointReads = []
  for (const slot of checkpointSlots) checkpointReads.push(await readCheckpoint(fs, dir, slot))
  const journalDir = joinPath(dir, 'journal')
  const journalRead = await readJournal(fs, journalDir)
  const recovery = await recover({
    checkpoints: checkpointReads,
    journal: journalRead,
    source: options.catalogSource,
  })
  if (!recovery.fresh && recovery.state.seq === 0 && recovery.damage.entries.length > 0) {
    throw new GnsUnrecoverableError(
      recovery.damage.entries.map((entry) => `${entry.file}: ${entry.kind} (${entry.detail})`),
    )
  }
  const tornTails: { segment: string; offset: number; bytes: number }[] = []
  const healedState = await heal({
    fs,
    dir,
    journalDir,
    journalOptions: {
      durability: settings.durability,
      segmentBytesMax: settings.segmentBytesMax,
      payloadBytesMax: journalPayloadBytesMax,
    },
    recovery,
    checkpointReads,
    journalPresent: journalRead.present,
    quarantine: new Quarantine(fs, dir),
    healed,
    tornTails,
  })
  const { state } = recovery
  const inDoubt = [...state.pending.values()].map((pending) => ({
    id: pending.id,
    preparedSeq: pending.preparedSeq,
    description: describeChange(state, pending.change),
  }))
  const report: GnsOpenReport = Object.freeze({
    fresh: recovery.fresh,
    base: recovery.base,
    seq: state.seq,
    replayed: recovery.replayed,
    fromSource: recovery.fromSource,
    damage: recovery.damage.entries,
    lost: recovery.lost,
    healed: [...recovery.notes, ...healed],
    completedCompaction: healedState.completedCompaction,
    tornTails,
    inDoubt,
  })
  const lastSnapshot = journalRead.entries.findLast((entry) => entry.kind === 'snapshot')?.seq ?? 0
  const eventsSinceSnapshot = healedState.snapshotWritten
    ? 0
    : Math.max(0, state.seq - lastSnapshot)
  return new GnsImpl(settings, {
    state,
    journal: healedState.journal,
    generation: healedState.generation,
    eventsSinceSnapshot,
    report,
  })
}
