/**
 * repair: make a damaged data directory openable without deleting a byte, and say exactly what was
 * lost. Offline: it takes the directory's lock (a running engine makes it refuse).
 *
 * Order: the journal first (salvage every valid frame past damage, placeholders for lost LSNs,
 * damaged bytes to the quarantine), then the checkpoints (a damaged one falls back to an older one
 * plus the repaired journal, or is salvaged block by block), then the catalog (opened with the data
 * side as its catalog source, it rebuilds whatever its own copies lost and quarantines the damaged
 * copies under `gns/quarantine/`). Running it twice changes nothing the second time.
 */
import { type GnsDamage, type GnsOptions, openGns } from '@sky/gns'
import type { FileSystem } from '@sky/vfs'
import { joinPath } from '@sky/vfs'
import { DataCatalogSource } from './data-catalog-source.js'
import { listCheckpoints, readCheckpoint } from './internal/checkpoint-read.js'
import { type CheckpointRepairEntry, repairCheckpoints } from './internal/checkpoint-repair.js'
import { inspectGns } from './internal/gns-inspect.js'
import {
  type HoldingCheckpoint,
  type JournalRepairReport,
  repairJournal,
} from './internal/journal-repair.js'
import { firstSegmentBase } from './internal/journal-walk.js'
import { acquireLock } from './internal/lock.js'
import { Quarantine } from './internal/quarantine.js'

export type { CheckpointRepairEntry } from './internal/checkpoint-repair.js'
export type {
  JournalDamageReport,
  JournalRepairReport,
  LostRecord,
} from './internal/journal-repair.js'
export type { SuspectedFrame } from './internal/suspected.js'

/** Options of {@link repair}. */
export interface RepairOptions {
  readonly fs: FileSystem
  /** Report what would be done; change nothing (no lock taken, the catalog opened on a copy). */
  readonly dryRun?: boolean
  /** Options for opening the catalog (as the engine's `gnsOptions`). */
  readonly gnsOptions?: Omit<GnsOptions, 'fs' | 'dir' | 'catalogSource'>
  /** The wall clock (names quarantine entries). */
  readonly now?: () => number
}

/** What the catalog's open found (its own report, summarised). */
export type CatalogRepairReport =
  | {
      readonly seq: number
      readonly base: string
      readonly damage: readonly GnsDamage[]
      readonly lost: readonly string[]
      readonly healed: readonly string[]
      readonly fromSource: number
    }
  | { readonly error: string }

/** What repair found and did. */
export interface RepairReport {
  readonly dryRun: boolean
  /** True when something was (or, in a dry run, would be) changed. */
  readonly changed: boolean
  readonly journal: JournalRepairReport
  readonly checkpoints: readonly CheckpointRepairEntry[]
  readonly catalog: CatalogRepairReport
  /** Quarantine entries written (relative to the data directory). */
  readonly quarantined: readonly string[]
  /** One line per finding, for a log or a terminal. */
  readonly summary: readonly string[]
}

/**
 * Repairs the data directory `dir`.
 *
 * @throws RecoveryLockedError when the directory is open; RecoveryUnsupportedError for files of a
 *   newer format; vfs errors.
 * @example
 * ```ts
 * const report = await repair('/var/lib/skydb', { fs: new NodeFileSystem() })
 * for (const line of report.summary) console.log(line)
 * ```
 */
export async function repair(dir: string, options: RepairOptions): Promise<RepairReport> {
  if (typeof dir !== 'string' || !dir.startsWith('/'))
    throw new TypeError('dir is an absolute path')
  const { fs } = options
  const dryRun = options.dryRun === true
  await fs.stat(dir)
  const lock = dryRun ? undefined : await acquireLock(fs, dir)
  try {
    const quarantine = new Quarantine(fs, dir, options.now)
    const holding = await newestValidCheckpoint(fs, joinPath(dir, 'checkpoints'))
    const journal = await repairJournal(fs, dir, quarantine, { dryRun, holding })
    const journalFirst = await firstSegmentBase(fs, joinPath(dir, 'journal'))
    const checkpoints = await repairCheckpoints(fs, dir, journalFirst, quarantine, dryRun)
    const catalog = await repairCatalog(fs, dir, dryRun, options.gnsOptions ?? {})
    const quarantined = [
      ...(journal.quarantine === undefined ? [] : [journal.quarantine]),
      ...checkpoints.flatMap((entry) => (entry.quarantine === undefined ? [] : [entry.quarantine])),
    ]
    const catalogChanged = 'damage' in catalog && catalog.damage.length > 0
    const changed =
      journal.segmentsRewritten.length > 0 ||
      checkpoints.some((entry) => entry.action !== 'none') ||
      catalogChanged
    return {
      dryRun,
      changed,
      journal,
      checkpoints,
      catalog,
      quarantined,
      summary: summarise(journal, checkpoints, catalog),
    }
  } finally {
    await lock?.release()
  }
}

/** The checkpoint open will use: the newest valid one (repair never changes a valid one). */
async function newestValidCheckpoint(
  fs: FileSystem,
  dir: string,
): Promise<HoldingCheckpoint | undefined> {
  for (const { name, lsn } of await listCheckpoints(fs, dir)) {
    const read = await readCheckpoint(fs, dir, name)
    if (read.status === 'valid') return { name, lsn }
  }
  return undefined
}

async function repairCatalog(
  fs: FileSystem,
  dir: string,
  dryRun: boolean,
  gnsOptions: Omit<GnsOptions, 'fs' | 'dir' | 'catalogSource'>,
): Promise<CatalogRepairReport> {
  if (dryRun) {
    const inspected = await inspectGns(fs, dir, gnsOptions)
    if ('error' in inspected) return inspected
    return { seq: inspected.seq, ...pick(inspected.report) }
  }
  try {
    const gns = await openGns({
      ...gnsOptions,
      fs,
      dir: joinPath(dir, 'gns'),
      catalogSource: new DataCatalogSource({ fs, dir }),
    })
    const result = { seq: gns.current.seq, ...pick(gns.report) }
    await gns.close()
    return result
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
  }
}

function pick(report: {
  base: string
  damage: readonly GnsDamage[]
  lost: readonly string[]
  healed: readonly string[]
  fromSource: number
}) {
  return {
    base: report.base,
    damage: report.damage,
    lost: report.lost,
    healed: report.healed,
    fromSource: report.fromSource,
  }
}

function summarise(
  journal: JournalRepairReport,
  checkpoints: readonly CheckpointRepairEntry[],
  catalog: CatalogRepairReport,
): string[] {
  const lines: string[] = []
  for (const damage of journal.damage) {
    const lost =
      damage.lost === undefined
        ? 'no frame lost'
        : `lost lsn ${damage.lost.from}..${damage.lost.to}`
    lines.push(
      `journal ${damage.segment} offset ${damage.offset}: ${damage.length} damaged bytes, ${lost}`,
    )
  }
  for (const gap of journal.gaps)
    lines.push(`journal: lsn ${gap.from}..${gap.to} missing (before ${gap.segment})`)
  const databaseLost = journal.lost.filter((record) => record.heldBy === undefined)
  if (databaseLost.length > 0) {
    const models =
      journal.modelsAffected.length === 0
        ? 'no model known'
        : `models ${journal.modelsAffected.join(', ')}`
    const unreadable =
      journal.unknownRecords === 0 ? '' : `; ${journal.unknownRecords} of them unreadable`
    lines.push(
      `journal: ${databaseLost.length} records lost (${models}${unreadable}); ` +
        `${journal.salvagedFrames} frames after the damage salvaged`,
    )
  }
  const held = journal.lost.length - databaseLost.length
  if (held > 0) {
    const holder = journal.lost.find((record) => record.heldBy !== undefined)!.heldBy
    const records = held === 1 ? '1 record' : `${held} records`
    lines.push(
      `journal: ${records} destroyed that checkpoint ${holder} holds ` +
        `(the database lost nothing of ${held === 1 ? 'it' : 'them'})`,
    )
  }
  if (journal.tornTail !== undefined) {
    lines.push(
      `journal ${journal.tornTail.segment}: torn tail of ${journal.tornTail.bytes} bytes ` +
        "(a crash's remains; open keeps it in the quarantine)",
    )
  }
  for (const entry of checkpoints) {
    if (entry.status === 'valid') continue
    if (entry.action === 'salvaged') {
      const rows = entry.lost?.rows === undefined ? 'an unknown number of' : String(entry.lost.rows)
      lines.push(
        `checkpoint ${entry.name}: damaged, salvaged ${entry.rowsKept} rows; lost ${rows} rows`,
      )
    } else if (entry.action === 'fell back to an older checkpoint') {
      lines.push(
        `checkpoint ${entry.name}: damaged; ` +
          `falls back to ${entry.fallback} plus the journal, nothing lost`,
      )
    } else lines.push(`checkpoint ${entry.name}: damaged; not needed (a newer checkpoint is valid)`)
  }
  if ('error' in catalog) lines.push(`catalog: cannot be opened: ${catalog.error}`)
  else {
    for (const damage of catalog.damage)
      lines.push(`catalog ${damage.file}: ${damage.kind} (${damage.detail})`)
    for (const lost of catalog.lost) lines.push(`catalog lost: ${lost}`)
  }
  if (lines.length === 0) lines.push('nothing to repair')
  return lines
}
