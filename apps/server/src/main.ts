/**
 * The `skyd` process: runs the command line and exits with its code. `bin/skyd.mjs` loads this
 * file (through tsx) when `skyd` is run from a clone.
 */
import { runCli } from './cli.js'
import { processIo } from './commands/io.js'

const exitCode = await runCli(process.argv.slice(2), processIo())
process.exit(exitCode)
