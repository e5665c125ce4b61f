/**
 * The offline maintenance commands, over `@sky/recovery`: `skyd verify` (check everything,
 * change nothing), `skyd repair` (salvage past damage, quarantine the bad bytes, say what was
 * lost) and `skyd restore` (from a backup, optionally to an LSN or a time). `skyd backup`, which
 * also works through a running skyd, is in backup.ts and shares the helpers here.
 *
 * Each prints progress lines on standard error while it works (a heartbeat every second, so a
 * long run is visibly alive), then its report on standard output: readable lines, or the whole
 * report as JSON with `--json`. Exit codes: README "Exit codes".
 */
import path from 'node:path'
import { repair, restore, verify } from '@sky/recovery'
import { NodeFileSystem } from '@sky/vfs'
import { parse as parseYaml } from 'yaml'
import { exitCodes, ServerUsageError } from '../errors.js'
import type { ExitCode } from '../errors.js'
import { flagSet, flagValue, parseFlags } from '../internal/flags.js'
import type { FlagSpec, ParsedFlags } from '../internal/flags.js'
import { readOperatorFile } from '../internal/read-text-file.js'
import type { CommandIo } from './io.js'

/** The flags every maintenance command takes. */
export const commonFlags: readonly FlagSpec[] = [
  { name: '--data-dir', takesValue: true },
  { name: '--config', takesValue: true },
  { name: '--json', takesValue: false },
  { name: '--help', takesValue: false, aliases: ['-h'] },
]

type MaintenanceCommand = 'verify' | 'repair' | 'restore'

/** Help of each maintenance command. */
export const maintenanceHelp: Readonly<Record<MaintenanceCommand, string>> = {
  verify: [
    'Usage: skyd verify [--data-dir <dir>] [--config <file>] [--json]',
    '',
    'Reads and checks every checkpoint, journal segment and catalog copy; changes nothing (it',
    'runs beside a live server too). Exit 0: no problem (a torn tail is only a warning);',
    'exit 1: a problem was found (run skyd repair).',
    '',
  ].join('\n'),
  repair: [
    'Usage: skyd repair [--data-dir <dir>] [--config <file>] [--dry-run] [--json]',
    '',
    'Makes a damaged data directory openable without deleting a byte: every valid journal frame',
    'after damage is salvaged, damaged bytes go to <dir>/quarantine/, and the report names what',
    'was lost (LSN ranges, models). Offline: refuses while skyd runs (exit 3).',
    '--dry-run reports what would be done and changes nothing (exit 1 if there is work to do).',
    '',
  ].join('\n'),
  restore: [
    'Usage: skyd restore --from <backup> --data-dir <dir> [--to-lsn <n> | --to-time <time>]',
    '                    [--journal-dir <dir>]... [--json]',
    '',
    'Restores a backup into a new data directory (missing or empty), replaying the journal up to',
    'the end, an LSN, or the last time mark at or before a time (ISO 8601, or ms since the',
    'epoch). --journal-dir adds journals to read frames from (e.g. the damaged live one).',
    '',
  ].join('\n'),
}

/** The data directory: `--data-dir`, else SKYDB_DATA_DIR, else the config file's, else default. */
export async function dataDirOf(flags: ParsedFlags, io: CommandIo): Promise<string> {
  const given = flagValue(flags, '--data-dir') ?? io.env.SKYDB_DATA_DIR
  if (given !== undefined && given !== '') return path.resolve(io.cwd, given)
  const configFile = flagValue(flags, '--config')
  if (configFile !== undefined) {
    const text = (await readOperatorFile(path.resolve(io.cwd, configFile))).toString('utf8')
    const document = parseYaml(text) as { system?: { data_dir?: unknown } } | null
    const fromFile = document?.system?.data_dir
    if (typeof fromFile === 'string') return path.resolve(io.cwd, fromFile)
  }
  return path.resolve(io.cwd, './skydb-data')
}

/** Prints "what: n s" every second on standard error while `work` runs. */
export async function withProgress<T>(
  io: CommandIo,
  what: string,
  work: () => Promise<T>,
): Promise<T> {
  const started = Date.now()
  io.stderr(`${what}…\n`)
  const timer = setInterval(() => {
    io.stderr(`${what}: ${Math.round((Date.now() - started) / 1000)} s\n`)
  }, 1_000)
  try {
    const result = await work()
    io.stderr(`${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
    return result
  } finally {
    clearInterval(timer)
  }
}

/** Prints `value` as indented JSON (bigints as decimal strings) on standard output. */
export function printJson(io: CommandIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, (_key, item: unknown) =>
    (typeof item === 'bigint' ? item.toString() : item), 2)}\n`)
}

/** `skyd verify`. */
export async function runVerify(argv: readonly string[], io: CommandIo): Promise<ExitCode> {
  const flags = parseFlags(argv, commonFlags)
  if (flagSet(flags, '--help')) return help(io, 'verify')
  const dir = await dataDirOf(flags, io)
  const report = await withProgress(io, `verifying ${dir}`, () =>
    verify(dir, { fs: new NodeFileSystem() }))
  if (flagSet(flags, '--json')) printJson(io, report)
  else {
    const { journal } = report
    io.stdout(`journal: ${journal.segments} segments, ${journal.frames} frames, ` +
      `lsn ${journal.firstLsn}..${journal.lastLsn}\n`)
    for (const checkpoint of report.checkpoints) {
      io.stdout(`checkpoint ${checkpoint.name}: ${checkpoint.status}` +
        `${checkpoint.rows === undefined ? '' : `, ${checkpoint.rows} rows`}\n`)
    }
    const seq = report.catalogSeq
    const catalog = seq === undefined ? 'cannot be recovered' : `seq ${seq}`
    io.stdout(`catalog: ${catalog}\n`)
    for (const warning of report.warnings) io.stdout(`warning: ${warning}\n`)
    for (const problem of report.problems) {
      io.stdout(`problem: ${problem.area} ${problem.file}` +
        `${problem.offset === undefined ? '' : ` at offset ${problem.offset}`}: ` +
        `${problem.detail}\n`)
    }
    io.stdout(report.ok ? 'ok\n' : `${report.problems.length} problem(s): run skyd repair\n`)
  }
  return report.ok ? exitCodes.ok : exitCodes.failed
}

/** `skyd repair`. */
export async function runRepair(argv: readonly string[], io: CommandIo): Promise<ExitCode> {
  const flags = parseFlags(argv, [...commonFlags, { name: '--dry-run', takesValue: false }])
  if (flagSet(flags, '--help')) return help(io, 'repair')
  const dir = await dataDirOf(flags, io)
  const dryRun = flagSet(flags, '--dry-run')
  const what = `${dryRun ? 'checking (dry run)' : 'repairing'} ${dir}`
  const report = await withProgress(io, what, () =>
    repair(dir, { fs: new NodeFileSystem(), dryRun }))
  if (flagSet(flags, '--json')) printJson(io, report)
  else {
    for (const line of report.summary) io.stdout(`${line}\n`)
    for (const entry of report.quarantined) io.stdout(`quarantined: ${entry}\n`)
    io.stdout(report.changed
      ? (dryRun ? 'repair would change the directory (run without --dry-run)\n' : 'repaired\n')
      : 'nothing to repair\n')
  }
  return dryRun && report.changed ? exitCodes.failed : exitCodes.ok
}

function parseTime(raw: string): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw)
  if (!Number.isFinite(value)) throw new ServerUsageError(`--to-time: not a time: ${raw}`)
  return value
}

/** `skyd restore`. */
export async function runRestore(argv: readonly string[], io: CommandIo): Promise<ExitCode> {
  const flags = parseFlags(argv, [
    ...commonFlags,
    { name: '--from', takesValue: true },
    { name: '--to-lsn', takesValue: true },
    { name: '--to-time', takesValue: true },
    { name: '--journal-dir', takesValue: true, repeatable: true },
  ])
  if (flagSet(flags, '--help')) return help(io, 'restore')
  const from = flagValue(flags, '--from')
  if (from === undefined) throw new ServerUsageError('skyd restore needs --from <backup dir>')
  if (flagValue(flags, '--data-dir') === undefined && io.env.SKYDB_DATA_DIR === undefined) {
    throw new ServerUsageError('skyd restore needs --data-dir <new data dir>')
  }
  const toLsn = flagValue(flags, '--to-lsn')
  const toTime = flagValue(flags, '--to-time')
  if (toLsn !== undefined && !/^\d+$/.test(toLsn)) {
    throw new ServerUsageError('--to-lsn: not an LSN')
  }
  if (toLsn !== undefined && toTime !== undefined) {
    throw new ServerUsageError('give --to-lsn or --to-time, not both')
  }
  const dir = await dataDirOf(flags, io)
  const backupDir = path.resolve(io.cwd, from)
  const journalDirs = (flags.values.get('--journal-dir') ?? [])
    .map((entry) => path.resolve(io.cwd, entry))
  const report = await withProgress(io, `restoring ${backupDir} into ${dir}`, () =>
    restore(backupDir, dir, {
      fs: new NodeFileSystem(),
      ...(toLsn === undefined ? {} : { toLsn: BigInt(toLsn) }),
      ...(toTime === undefined ? {} : { toTime: parseTime(toTime) }),
      journalDirs,
    }))
  if (flagSet(flags, '--json')) printJson(io, report)
  else {
    io.stdout(`restored ${dir} from checkpoint ${report.checkpoint.name} plus ${report.frames} ` +
      `journal frame(s), up to lsn ${report.toLsn} (stopped at: ${report.stoppedAt})\n`)
  }
  return exitCodes.ok
}

function help(io: CommandIo, command: keyof typeof maintenanceHelp): ExitCode {
  io.stdout(maintenanceHelp[command])
  return exitCodes.ok
}
