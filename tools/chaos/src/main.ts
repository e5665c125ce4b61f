/**
 * `pnpm chaos [--rounds N] [--dir PATH] [--seed N] [--writers N] [--slots N] [--kill-min MS]
 * [--kill-max MS]`:
 * the process-level chaos run of the engine (see engine-chaos.ts). Prints one line per round and
 * a summary; exits 1 when any acknowledged write was missing or any transaction partly present.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runEngineChaos } from './engine-chaos.js'

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`)
  if (at < 0) return fallback
  const value = Number(process.argv[at + 1])
  if (!Number.isFinite(value)) throw new RangeError(`--${name} needs a number`)
  return value
}

const dirAt = process.argv.indexOf('--dir')
const temporary = dirAt < 0
const dir = temporary
  ? mkdtempSync(path.join(tmpdir(), 'sky-chaos-'))
  : path.resolve(process.argv[dirAt + 1]!)
const rounds = option('rounds', 20)
const seed = option('seed', Date.now() % 1_000_000)
console.log(`chaos: ${rounds} rounds in ${dir}, seed ${seed}`)
const result = await runEngineChaos({
  dir,
  rounds,
  seed,
  writers: option('writers', 16),
  slots: option('slots', 512),
  killAfterMs: [option('kill-min', 50), option('kill-max', 1500)],
  log: (line) => console.log(line),
})
console.log(
  `chaos: ${result.rounds} rounds, ${result.acknowledged.toLocaleString('en')} acknowledged ` +
    'transactions, all checked; ' +
    `${result.tornTails} torn tails quarantined; ` +
    `${result.checkpoints} checkpoints in the children; ` +
    `${result.violations.length} violations; ${(result.durationMs / 1000).toFixed(1)} s`,
)
for (const violation of result.violations.slice(0, 20)) console.log(`  ${violation}`)
process.exitCode = result.violations.length === 0 ? 0 : 1
// A temporary directory is kept for inspection when something was wrong.
if (temporary && result.violations.length === 0) rmSync(dir, { recursive: true, force: true })
