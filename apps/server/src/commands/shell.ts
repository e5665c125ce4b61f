/**
 * `skyd shell`: an interactive BlueQL shell over `@sky/client`, with history (kept in a file),
 * inline literals (see shell/literals.ts) and tabular output.
 *
 * Non-interactive use: with `--eval <statement>` (repeatable), or when standard input is not a
 * terminal, it runs each statement (one per line; blank lines and lines starting with `#` or
 * `--` are skipped) in order, prints each answer, and exits 0 if every statement succeeded, 1 if
 * one failed or the connection was lost.
 */
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline'
import {
  ConnectionClosedError,
  HandshakeRejectedError,
  QueryError,
  connect,
  defaultTcpPort,
} from '@sky/client'
import type { Connection, ConnectOptions } from '@sky/client'
import { exitCodes, ServerUsageError } from '../errors.js'
import type { ExitCode } from '../errors.js'
import { flagSet, flagValue, parseFlags } from '../internal/flags.js'
import type { ParsedFlags } from '../internal/flags.js'
import { appendOperatorFile, readOperatorFile } from '../internal/read-text-file.js'
import { formatQueryError, formatResult } from '../shell/format.js'
import { LiteralError, extractLiterals } from '../shell/literals.js'
import type { CommandIo } from './io.js'

/** `skyd shell --help`. */
export const shellHelp = [
  'Usage: skyd shell [--endpoint tcp@host:port | tls@host:port] [--user <name>]',
  '                  [--password <password>] [--tls-cert <ca.pem>] [--eval <statement>]...',
  '',
  'An interactive BlueQL shell. The password comes from --password, else SKYDB_PASSWORD, else a',
  'prompt. Literals may be written inline: \'text\', 42 (uint), -42 or +42 (sint), 1.5 (float),',
  "x'00ff' (binary). Commands: !help, !metrics, !exit (or exit, quit, Ctrl-D).",
  'With --eval, or with standard input not a terminal, statements are read one per line and',
  'the exit code is 1 if any failed.',
  '',
].join('\n')

const historyLinesMax = 1_000

interface ShellOutput {
  readonly out: (text: string) => void
  readonly err: (text: string) => void
}

/** Runs `skyd shell`. */
export async function runShell(argv: readonly string[], io: CommandIo): Promise<ExitCode> {
  const flags = parseFlags(argv, [
    { name: '--endpoint', takesValue: true },
    { name: '--host', takesValue: true },
    { name: '--port', takesValue: true },
    { name: '--user', takesValue: true },
    { name: '--password', takesValue: true },
    { name: '--tls-cert', takesValue: true },
    { name: '--eval', takesValue: true, repeatable: true },
    { name: '--history-file', takesValue: true },
    { name: '--help', takesValue: false, aliases: ['-h'] },
  ])
  if (flagSet(flags, '--help')) {
    io.stdout(shellHelp)
    return exitCodes.ok
  }
  const evaluate = flags.values.get('--eval') ?? []
  const interactive = evaluate.length === 0 && io.stdin.isTTY === true
  const options = await connectOptions(flags, io, interactive)
  let connection: Connection
  try {
    connection = await connect(options)
  } catch (error) {
    const reason = error instanceof HandshakeRejectedError && error.skytableCode === 5
      ? 'authentication failed (wrong user or password)'
      : (error as Error).message
    io.stderr(`skyd shell: cannot connect to ${options.host}:${options.port}: ${reason}\n`)
    return exitCodes.failed
  }
  const output: ShellOutput = { out: io.stdout, err: io.stderr }
  try {
    if (evaluate.length > 0) return await runBatch(connection, evaluate, output)
    if (!interactive) return await runBatch(connection, await readLines(io), output)
    return await runInteractive(connection, flags, io, output)
  } finally {
    await connection.close()
  }
}

async function connectOptions(
  flags: ParsedFlags,
  io: CommandIo,
  interactive: boolean,
): Promise<ConnectOptions> {
  let tls = false
  let host = '127.0.0.1'
  let port = defaultTcpPort
  const endpoint = flagValue(flags, '--endpoint')
  if (endpoint !== undefined) {
    const match = /^(tcp|tls)@(.+):(\d{1,5})$/.exec(endpoint)
    if (match === null) {
      throw new ServerUsageError('--endpoint: expected tcp@host:port or tls@host:port')
    }
    tls = match[1] === 'tls'
    host = match[2] as string
    port = Number(match[3])
  }
  host = flagValue(flags, '--host') ?? host
  const portFlag = flagValue(flags, '--port')
  if (portFlag !== undefined) {
    if (!/^\d{1,5}$/.test(portFlag)) throw new ServerUsageError('--port: not a port')
    port = Number(portFlag)
  }
  const username = flagValue(flags, '--user') ?? 'root'
  let password = flagValue(flags, '--password') ?? io.env.SKYDB_PASSWORD
  if (password === undefined) {
    if (!interactive) {
      throw new ServerUsageError('no password: pass --password or set SKYDB_PASSWORD')
    }
    password = await promptPassword(io, `Password for ${username}: `)
  }
  const certFile = flagValue(flags, '--tls-cert')
  const tlsOption = certFile === undefined
    ? tls
    : { ca: await readOperatorFile(path.resolve(io.cwd, certFile)) }
  if (certFile !== undefined) tls = true
  return { host, port, username, password, ...(tls ? { tls: tlsOption } : {}) }
}

/** Reads a password from the terminal without echoing it. */
function promptPassword(io: CommandIo, prompt: string): Promise<string> {
  const input = io.stdin as NodeJS.ReadStream
  io.stdout(prompt)
  return new Promise((resolve) => {
    let typed = ''
    input.setRawMode?.(true)
    input.resume()
    const onData = (chunk: Buffer): void => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          input.off('data', onData)
          input.setRawMode?.(false)
          input.pause()
          io.stdout('\n')
          resolve(typed)
          return
        }
        if (char === '\u0003') process.exit(exitCodes.interrupted)
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + char
      }
    }
    input.on('data', onData)
  })
}

async function readLines(io: CommandIo): Promise<string[]> {
  const chunks: Buffer[] = []
  for await (const chunk of io.stdin) chunks.push(Buffer.from(chunk as Uint8Array))
  return Buffer.concat(chunks).toString('utf8').split('\n')
}

function isSkipped(line: string): boolean {
  const trimmed = line.trim()
  return trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith('--')
}

/** Runs one line; resolves false when it failed, 'closed' when the connection is gone. */
async function runLine(
  connection: Connection,
  line: string,
  output: ShellOutput,
): Promise<boolean | 'closed'> {
  const statement = line.trim()
  if (statement === '!metrics') {
    return runLine(connection, 'sysctl report metrics', {
      out: (text) => output.out(`${prettyJson(text.trimEnd())}\n`),
      err: output.err,
    })
  }
  let extracted
  try {
    extracted = extractLiterals(statement)
  } catch (error) {
    if (!(error instanceof LiteralError)) throw error
    output.err(`(error) ${error.message}\n`)
    return false
  }
  try {
    const result = await connection.query(extracted.query, ...extracted.parameters)
    output.out(`${formatResult(extracted.query, result)}\n`)
    return true
  } catch (error) {
    if (error instanceof QueryError) {
      output.out(`${formatQueryError(error.skytableCode)}\n`)
      return false
    }
    if (error instanceof ConnectionClosedError) {
      output.err(`(connection closed: ${error.reason})\n`)
      return 'closed'
    }
    throw error
  }
}

function prettyJson(text: string): string {
  const quoted = /^"(.*)"$/s.exec(text)
  if (quoted === null) return text
  try {
    return JSON.stringify(JSON.parse(JSON.parse(text) as string), null, 2)
  } catch {
    return text
  }
}

async function runBatch(
  connection: Connection,
  lines: readonly string[],
  output: ShellOutput,
): Promise<ExitCode> {
  let failed = false
  for (const line of lines) {
    if (isSkipped(line)) continue
    const outcome = await runLine(connection, line, output)
    if (outcome === 'closed') return exitCodes.failed
    if (!outcome) failed = true
  }
  return failed ? exitCodes.failed : exitCodes.ok
}

async function loadHistory(file: string): Promise<string[]> {
  try {
    const text = (await readOperatorFile(file)).toString('utf8')
    const lines = text.split('\n').filter((line) => line !== '')
    return lines.slice(-historyLinesMax).reverse()
  } catch {
    return []
  }
}

async function runInteractive(
  connection: Connection,
  flags: ParsedFlags,
  io: CommandIo,
  output: ShellOutput,
): Promise<ExitCode> {
  const historyFile = path.resolve(io.cwd,
    flagValue(flags, '--history-file') ?? path.join(os.homedir(), '.skydb_history'))
  const history = await loadHistory(historyFile)
  const lines = readline.createInterface({
    input: io.stdin,
    output: process.stdout,
    terminal: true,
    history,
    historySize: historyLinesMax,
    prompt: 'skysh> ',
  })
  output.out(`connected; type !help for help, !exit to leave\n`)
  lines.prompt()
  for await (const line of lines) {
    const statement = line.trim()
    if (statement === '!exit' || statement === 'exit' || statement === 'quit') break
    if (statement === '!help') output.out(shellHelp)
    else if (!isSkipped(statement)) {
      await appendOperatorFile(historyFile, `${statement}\n`).catch(() => {})
      if ((await runLine(connection, statement, output)) === 'closed') {
        lines.close()
        return exitCodes.failed
      }
    }
    lines.prompt()
  }
  lines.close()
  return exitCodes.ok
}
