/**
 * The `skyd` command line: dispatches to `serve` (also the default when the first argument is a
 * flag, as Skytable's `skyd --auth-root-password …` runs the server), `repair`, `verify`,
 * `backup`, `restore` and `shell`, and turns every failure into a message on standard error and
 * an exit code (README "Exit codes"). Nothing here throws.
 */
import { isSkyError } from '@sky/std'
import { runBackup } from './commands/backup.js'
import { runRepair, runRestore, runVerify } from './commands/maintenance.js'
import type { CommandIo } from './commands/io.js'
import { runServe } from './commands/serve.js'
import { runShell } from './commands/shell.js'
import { exitCodes } from './errors.js'
import type { ExitCode } from './errors.js'

/** The version `skyd --version` prints. */
export const skydVersion = '0.0.0'

/** `skyd --help`. */
export const skydHelp = [
  'Usage: skyd <command> [options]',
  '',
  'skyd is the skydb server: Skytable 0.8 compatible (Skyhash 2, BlueQL), with durable commits,',
  'transactions and non-destructive recovery.',
  '',
  'Commands:',
  '  serve     run the server (the default: `skyd --data-dir d ...` means `skyd serve ...`)',
  '  shell     interactive BlueQL shell (reads statements from standard input when piped)',
  '  verify    check a data directory, change nothing',
  '  repair    make a damaged data directory openable, quarantining (never deleting) bad bytes',
  '  backup    write a consistent backup (offline, or online through a running skyd)',
  '  restore   restore a backup into a new data directory, optionally to an LSN or a time',
  '',
  'Run `skyd <command> --help` for the options of each. `skyd --version` prints the version.',
  '',
].join('\n')

type Command = (argv: readonly string[], io: CommandIo) => Promise<ExitCode>

const commands: Readonly<Record<string, Command>> = {
  serve: runServe,
  shell: runShell,
  verify: runVerify,
  repair: runRepair,
  backup: runBackup,
  restore: runRestore,
}

const repairCodes: ReadonlySet<string> = new Set([
  'RECOVERY_JOURNAL_CORRUPT',
  'RECOVERY_CHECKPOINT_CORRUPT',
  'RECOVERY_JOURNAL_GAP',
  'RECOVERY_BAD_RECORD',
])

/** The exit code for a failure, and a hint for the operator. */
export function describeFailure(error: unknown): { exitCode: ExitCode; hint: string | null } {
  const own = (error as { exitCode?: unknown }).exitCode
  if (isSkyError(error) && typeof own === 'number') return { exitCode: own as ExitCode, hint: null }
  if (isSkyError(error, 'RECOVERY_LOCKED')) {
    const hint = 'another process (a running skyd?) holds the data directory'
    return { exitCode: exitCodes.locked, hint }
  }
  if (isSkyError(error) && repairCodes.has(error.code)) {
    const hint = 'run `skyd repair --data-dir <dir>` (try --dry-run first)'
    return { exitCode: exitCodes.needsRepair, hint }
  }
  if (isSkyError(error, 'RECOVERY_TARGET_EXISTS')) {
    return { exitCode: exitCodes.failed, hint: 'the target directory must be missing or empty' }
  }
  return { exitCode: exitCodes.failed, hint: null }
}

/**
 * Runs `skyd` with `argv` (without the node and script paths); resolves with the exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), processIo())
 * ```
 */
export async function runCli(argv: readonly string[], io: CommandIo): Promise<ExitCode> {
  const first = argv[0]
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout(skydHelp)
    return exitCodes.ok
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`skyd (skydb) ${skydVersion}\n`)
    return exitCodes.ok
  }
  const named = first !== undefined && !first.startsWith('-')
  const name = named ? first : 'serve'
  const command = commands[name]
  if (command === undefined) {
    io.stderr(`skyd: unknown command ${name}\n\n${skydHelp}`)
    return exitCodes.usage
  }
  try {
    return await command(named ? argv.slice(1) : argv, io)
  } catch (error) {
    const { exitCode, hint } = describeFailure(error)
    const code = isSkyError(error) ? ` [${error.code}]` : ''
    io.stderr(`skyd ${name}: error${code}: ${(error as Error).message ?? String(error)}\n`)
    if (hint !== null) io.stderr(`hint: ${hint}\n`)
    if (!isSkyError(error) && error instanceof Error && error.stack !== undefined) {
      io.stderr(`${error.stack}\n`)
    }
    return exitCode
  }
}
