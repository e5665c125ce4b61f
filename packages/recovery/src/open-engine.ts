/**
 * openEngine: lock the directory, recover, and start the engine.
 *
 * Recovery, in order (README.md "Recovery decision table" explains each case):
 *  1. take `LOCK`; create `journal/`, `checkpoints/` durably; remove unfinished `ckpt-*.tmp`;
 *  2. open the data journal: a torn tail goes to `quarantine/<time>/` (with report.json) before it
 *     is cut; corruption in the newest segment refuses (RecoveryJournalCorruptError);
 *  3. choose the newest valid checkpoint the journal continues (choose-checkpoint.ts); damaged
 *     newer ones go to the quarantine;
 *  4. load it and replay every frame after it (replay.ts); damage refuses, nothing changed;
 *  5. open the catalog with the data side as its catalog source (it heals from echoes and images);
 *  6. create stores for models without one, drop stores of models gone (dropped models' records);
 *  7. resolve two-phase DDL: in doubt → abort; committed with its data change missing → do it;
 *  8. if the catalog knows events the data side has no copy of, append a catalog image (kind 4);
 *  9. collect garbage left by replay; start the checkpoint triggers.
 *
 * A crash at any point of this is itself recovered by the next open (every step is idempotent or
 * leaves the state of a crash the table covers).
 */
import { type Gns, openGns } from '@sky/gns'
import { type Journal, type TornTail, openJournal } from '@sky/journal'
import { MvccDatabase } from '@sky/mvcc'
import { assert, isSkyError } from '@sky/std'
import { type Row, TxnManager } from '@sky/txn'
import type { FileSystem } from '@sky/vfs'
import { joinPath, mkdirDurable, readWhole } from '@sky/vfs'
import { DataCatalogSource } from './data-catalog-source.js'
import type { Engine, EngineOptions } from './engine.js'
import { EngineImpl } from './engine-impl.js'
import { RecoveryJournalCorruptError } from './errors.js'
import { dataFrameKind } from './frame-kinds.js'
import { checkpointTempSuffix } from './internal/checkpoint-format.js'
import type { CheckpointContent } from './internal/checkpoint-read.js'
import { type CheckpointChoice, chooseCheckpoint } from './internal/choose-checkpoint.js'
import { Checkpointer } from './internal/checkpointer.js'
import { DataLog } from './internal/data-log.js'
import type { EngineCore, EngineSettings } from './internal/engine-core.js'
import { encodeSegmentHeader, segmentName } from './internal/journal-format.js'
import { firstSegmentBase, listSegmentFiles } from './internal/journal-walk.js'
import { Lane } from './internal/lane.js'
import {
  checkpointIntervalMsDefault,
  checkpointJournalBytesDefault,
  checkpointsRetainedDefault,
  dataPayloadBytesMax,
  redoBytesMaxDefault,
  timeMarkIntervalMsDefault,
} from './internal/limits.js'
import { type DirectoryLock, acquireLock } from './internal/lock.js'
import { Quarantine, writeDurable } from './internal/quarantine.js'
import { ShapeFences } from './internal/shape-fences.js'
import { type Replayed, loadCheckpoint, replayJournal } from './internal/replay.js'
import { createMissingStores, dropUnwantedStores } from './internal/stores.js'
import { finishTwoPhase } from './internal/two-phase-recovery.js'
import type { CheckpointSkipped, CheckpointUsed, RecoveryReport, TornTailReport } from './report.js'

function settingsOf(options: EngineOptions): EngineSettings {
  if (typeof options !== 'object' || options === null) throw new TypeError('options are required')
  if (typeof options.fs !== 'object' || options.fs === null) throw new TypeError('fs is required')
  if (typeof options.dir !== 'string' || !options.dir.startsWith('/')) {
    throw new TypeError('dir is an absolute path')
  }
  const policy = options.checkpoint ?? {}
  const settings: EngineSettings = {
    checkpointJournalBytes: policy.journalBytes ?? checkpointJournalBytesDefault,
    checkpointIntervalMs: policy.intervalMs ?? checkpointIntervalMsDefault,
    checkpointOnClose: policy.onClose ?? true,
    checkpointsRetained: policy.retain ?? checkpointsRetainedDefault,
    retainSegments: options.retainSegments ?? 0,
    redoBytesMax: options.redoBytesMax ?? redoBytesMaxDefault,
    segmentBytesMax: options.segmentBytesMax,
    now: options.now ?? Date.now,
  }
  if (!(settings.checkpointJournalBytes > 0))
    throw new RangeError('checkpoint.journalBytes must be positive')
  if (!(settings.checkpointIntervalMs >= 0))
    throw new RangeError('checkpoint.intervalMs must be >= 0')
  if (!Number.isInteger(settings.checkpointsRetained) || settings.checkpointsRetained < 1) {
    throw new RangeError('checkpoint.retain must be a positive integer')
  }
  const retain = settings.retainSegments
  if (retain !== 'all' && !(Number.isInteger(retain) && retain >= 0)) {
    throw new RangeError("retainSegments must be a non-negative integer or 'all'")
  }
  if (!(settings.redoBytesMax > 0 && settings.redoBytesMax < dataPayloadBytesMax)) {
    throw new RangeError(`redoBytesMax must be in (0, ${dataPayloadBytesMax})`)
  }
  return settings
}

/** Resources opened so far, closed again if open fails. */
interface Opened {
  journal?: Journal
  gns?: Gns
}

/**
 * Opens (creating if needed) the database in `options.dir`, recovering from whatever a crash left.
 *
 * @throws RecoveryLockedError when another process holds the directory.
 * @throws RecoveryJournalCorruptError (damage with valid frames after it: run `repair`),
 *   RecoveryCheckpointCorruptError, RecoveryJournalGapError, RecoveryBadRecordError,
 *   RecoveryUnsupportedError; `@sky/gns` open errors; vfs errors. Nothing is changed by a refusal
 *   except that torn tails already moved to the quarantine stay there.
 * @throws TypeError / RangeError for invalid options.
 * @example
 * ```ts
 * const engine = await openEngine({ fs: new NodeFileSystem(), dir: '/var/lib/skydb' })
 * console.log(engine.report.replay.frames, engine.report.tornTails)
 * ```
 */
export async function openEngine(options: EngineOptions): Promise<Engine> {
  const settings = settingsOf(options)
  const started = performance.now()
  await mkdirDurable(options.fs, options.dir)
  const lock = await acquireLock(options.fs, options.dir)
  const opened: Opened = {}
  try {
    return await recover(options, settings, lock, opened, started)
  } catch (error) {
    await opened.journal?.close().catch(() => undefined)
    await opened.gns?.close().catch(() => undefined)
    await lock.release().catch(() => undefined)
    throw error
  }
}

async function removeTempCheckpoints(fs: FileSystem, dir: string): Promise<void> {
  const temps = (await fs.readdir(dir)).filter((name) => name.endsWith(checkpointTempSuffix))
  for (const name of temps) await fs.unlink(joinPath(dir, name))
  if (temps.length > 0) await fs.syncDir(dir)
}

async function openDataJournal(
  options: EngineOptions,
  settings: EngineSettings,
  quarantine: Quarantine,
  tornTails: TornTailReport[],
): Promise<Journal> {
  const dir = joinPath(options.dir, 'journal')
  const preserveTornTail = async (tail: TornTail): Promise<void> => {
    const entry = await quarantine.keep({
      kind: 'torn-tail',
      source: `journal/${tail.segment}`,
      reason:
        'bytes after the last whole frame of the newest segment: ' +
        'the remains of a crash, never acknowledged',
      files: [
        {
          name: `${tail.segment}.${tail.offset}.bin`,
          bytes: tail.bytes,
          sourceOffset: tail.offset,
        },
      ],
      details: { segment: tail.segment, offset: tail.offset, lastLsn: tail.lastLsn.toString() },
    })
    tornTails.push({
      segment: tail.segment,
      offset: tail.offset,
      bytes: tail.bytes.length,
      lastLsn: tail.lastLsn,
      quarantine: entry,
    })
  }
  try {
    return await openJournal({
      fs: options.fs,
      dir,
      durability: options.durability ?? 'sync',
      ...(options.batchDelayMs === undefined ? {} : { batchDelayMs: options.batchDelayMs }),
      ...(settings.segmentBytesMax === undefined
        ? {}
        : { segmentBytesMax: settings.segmentBytesMax }),
      payloadBytesMax: dataPayloadBytesMax,
      preserveTornTail,
    })
  } catch (error) {
    if (isSkyError(error, 'JOURNAL_CORRUPT')) {
      throw new RecoveryJournalCorruptError(error as unknown as RecoveryJournalCorruptError, {
        cause: error,
      })
    }
    throw error
  }
}

/**
 * The journal ends before the checkpoint it must continue (its frames were lost, but the checkpoint
 * covers them): keep its segments in the quarantine and start a new one at the checkpoint's
 * LSN + 1.
 */
async function restartJournal(
  options: EngineOptions,
  settings: EngineSettings,
  journal: Journal,
  afterLsn: bigint,
  quarantine: Quarantine,
): Promise<Journal> {
  const { fs } = options
  const dir = joinPath(options.dir, 'journal')
  await journal.close()
  for (const { name } of await listSegmentFiles(fs, dir)) {
    const file = await fs.open(joinPath(dir, name))
    let bytes: Uint8Array
    try {
      bytes = await readWhole(file)
    } finally {
      await file.close()
    }
    await quarantine.moveIn(
      `journal/${name}`,
      {
        kind: 'journal-orphan',
        source: `journal/${name}`,
        reason:
          `the journal ended before checkpoint lsn ${afterLsn}, ` +
          'which covers every frame it holds',
      },
      bytes,
    )
  }
  await writeDurable(fs, joinPath(dir, segmentName(1)), encodeSegmentHeader(1, afterLsn + 1n))
  await fs.syncDir(dir)
  return openDataJournal(options, settings, quarantine, [])
}

async function quarantineDamaged(
  choice: CheckpointChoice,
  quarantine: Quarantine,
): Promise<CheckpointSkipped[]> {
  const skipped: CheckpointSkipped[] = []
  for (const damaged of choice.damaged) {
    const entry = await quarantine.moveIn(
      `checkpoints/${damaged.name}`,
      {
        kind: 'checkpoint-damage',
        source: `checkpoints/${damaged.name}`,
        reason:
          `damaged (${damaged.problem}); ` +
          'open used an older checkpoint plus the journal instead',
      },
      damaged.bytes,
    )
    skipped.push({ name: damaged.name, problem: damaged.problem, quarantine: entry })
  }
  return skipped
}

/** Steps 1-4: the journal opened, the checkpoint chosen and loaded, the journal replayed. */
interface Storage {
  readonly fresh: boolean
  readonly journal: Journal
  readonly content: CheckpointContent | undefined
  readonly db: MvccDatabase<Row>
  readonly replayed: Replayed
  readonly checkpointsSkipped: CheckpointSkipped[]
  readonly tornTails: TornTailReport[]
  readonly notes: string[]
}

async function recoverStorage(
  options: EngineOptions,
  settings: EngineSettings,
  opened: Opened,
): Promise<Storage> {
  const { fs, dir } = options
  const journalDir = joinPath(dir, 'journal')
  const checkpointsDir = joinPath(dir, 'checkpoints')
  const fresh = !(await fs.exists(journalDir)) && !(await fs.exists(joinPath(dir, 'gns')))
  await mkdirDurable(fs, checkpointsDir)
  await removeTempCheckpoints(fs, checkpointsDir)
  const quarantine = new Quarantine(fs, dir, settings.now)
  const tornTails: TornTailReport[] = []
  const notes: string[] = []
  opened.journal = await openDataJournal(options, settings, quarantine, tornTails)
  const choice = await chooseCheckpoint(fs, checkpointsDir, await firstSegmentBase(fs, journalDir))
  const content = choice.content
  const afterLsn = content?.header.lsn ?? 0n
  if (opened.journal.nextLsn <= afterLsn) {
    opened.journal = await restartJournal(options, settings, opened.journal, afterLsn, quarantine)
    notes.push(`the journal ended before checkpoint lsn ${afterLsn}; restarted at ${afterLsn + 1n}`)
  }
  const journal = opened.journal
  const db = new MvccDatabase<Row>()
  loadCheckpoint(db, content)
  const replayed = await replayJournal(journal, db, afterLsn, content?.prepares ?? [])
  const checkpointsSkipped = await quarantineDamaged(choice, quarantine)
  return { fresh, journal, content, db, replayed, checkpointsSkipped, tornTails, notes }
}

/** Step 5-6: the catalog opened over the data side, the stores made to agree with it. */
async function recoverCatalog(options: EngineOptions, storage: Storage, opened: Opened) {
  const { fs, dir } = options
  const { content, db, replayed } = storage
  const catalogSource = new DataCatalogSource(
    { fs, dir },
    { records: replayed.catalog, coversAfterSeq: content?.header.catalogSeq ?? 0 },
  )
  opened.gns = await openGns({
    ...options.gnsOptions,
    fs,
    dir: joinPath(dir, 'gns'),
    catalogSource,
  })
  const gns = opened.gns
  storage.notes.push(...createMissingStores(db, gns.current))
  const droppedStores = await dropUnwantedStores(db, undefined, () => gns.current)
  const replay = skippedCounts(
    replayed,
    droppedStores.map((store) => store.modelId),
  )
  return { gns, droppedStores, replay }
}

/** The engine's shared state, with the journal wrapped for the transaction manager. */
function assemble(
  options: EngineOptions,
  settings: EngineSettings,
  storage: Storage,
  gns: Gns,
): { core: EngineCore; checkpointer: Checkpointer } {
  const { db, journal } = storage
  let checkpointer: Checkpointer | undefined
  const dataLog = new DataLog(
    journal,
    {
      timeMarkIntervalMs: options.timeMarkIntervalMs ?? timeMarkIntervalMsDefault,
      now: settings.now,
      installedTs: () => db.lastCommitTs,
      onVolume: (bytes) => checkpointer?.onVolume(bytes),
      onFailure: (error) => {
        core.failure ??= error
      },
    },
    { ts: db.lastCommitTs, lsn: storage.replayed.lastLsn },
  )
  const fences = new ShapeFences()
  const manager = new TxnManager({
    store: db,
    journal: dataLog,
    validateCommit: (commit) => fences.check(commit),
    ...(options.rows === undefined ? {} : { rows: options.rows }),
    ...(options.defaultIsolation === undefined
      ? {}
      : { defaultIsolation: options.defaultIsolation }),
    ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
    redoBytesMax: settings.redoBytesMax,
  })
  const { fs, dir } = options
  const core: EngineCore = {
    ...{ fs, dir, settings, gns, journal, dataLog, db, manager },
    journalDir: joinPath(dir, 'journal'),
    checkpointsDir: joinPath(dir, 'checkpoints'),
    lane: new Lane(),
    pending: new Map(),
    fences,
    failure: undefined,
    closed: false,
  }
  checkpointer = new Checkpointer(core)
  return { core, checkpointer }
}

async function recover(
  options: EngineOptions,
  settings: EngineSettings,
  lock: DirectoryLock,
  opened: Opened,
  started: number,
): Promise<Engine> {
  const storage = await recoverStorage(options, settings, opened)
  const { content, replayed, notes } = storage
  const { gns, droppedStores, replay } = await recoverCatalog(options, storage, opened)
  const { core, checkpointer } = assemble(options, settings, storage, gns)
  const droppedIds = new Set(droppedStores.map((store) => store.modelId))
  const twoPhase = await finishTwoPhase(core, replayed.pending, droppedIds)
  const knownSeq = Math.max(content?.header.catalogSeq ?? 0, replayed.echoSeq, twoPhase.echoSeq)
  if (gns.current.seq > knownSeq) {
    await core.dataLog.appendRecord(dataFrameKind.catalogImage, gns.exportImage())
    notes.push(
      `the catalog is at event ${gns.current.seq}, the data side at ${knownSeq}: image written`,
    )
  }
  collectGarbage(storage.db)
  const report: RecoveryReport = {
    fresh: storage.fresh && content === undefined && replayed.report.frames === 0,
    checkpoint: content === undefined ? undefined : checkpointUsed(content),
    checkpointsSkipped: storage.checkpointsSkipped,
    replay,
    tornTails: storage.tornTails,
    twoPhase: twoPhase.resolutions,
    droppedStores,
    catalog: gns.report,
    notes,
    durationMs: performance.now() - started,
  }
  checkpointer.start()
  return new EngineImpl(core, checkpointer, lock, report)
}

function checkpointUsed(content: CheckpointContent): CheckpointUsed {
  const { name, header, rows, bytes } = content
  return { name, lsn: header.lsn, commitTs: header.commitTs, rows, bytes }
}

function skippedCounts(replayed: Replayed, dropped: readonly string[]) {
  const gone = new Set(dropped)
  let skippedWrites = 0
  let skippedTransactions = 0
  for (const id of gone) {
    const counts = replayed.writesByStore.get(id)
    skippedWrites += counts?.writes ?? 0
    skippedTransactions += counts?.soleRecords ?? 0
  }
  for (const ids of replayed.multiStoreRecords)
    if (ids.every((id) => gone.has(id))) skippedTransactions++
  return { ...replayed.report, skippedWrites, skippedTransactions }
}

function collectGarbage(db: MvccDatabase<Row>): void {
  for (let round = 0; round < 1_000_000; round++) {
    if (db.gc(db.lastCommitTs, { entriesMax: 65_536 }).done) return
  }
  assert(false, 'garbage collection finishes')
}
