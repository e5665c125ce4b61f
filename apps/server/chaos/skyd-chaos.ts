/**
 * The long chaos run: `pnpm --filter @sky/server chaos [-- --cycles N --writers W --seed S]`.
 * Prints one line per cycle and exits 1 if any check failed (see chaos/harness.ts).
 */
import { parseArgs } from 'node:util'
import { runChaos } from './harness.js'

const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '50' },
    writers: { type: 'string', default: '32' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
  },
})
const seed = Number(values.seed)
console.log(`skyd chaos: ${values.cycles} cycles, ${values.writers} writers, seed ${seed}`)
const report = await runChaos({
  cycles: Number(values.cycles),
  writers: Number(values.writers),
  acksBeforeKill: [100, 2000],
  seed,
  log: (line) => console.log(line),
})
console.log(JSON.stringify(report, null, 2))
process.exit(report.problems.length === 0 ? 0 : 1)
