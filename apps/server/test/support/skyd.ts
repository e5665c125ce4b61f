/**
 * Starts and stops real skyd processes for the tests: `bin/skyd.mjs serve` on 127.0.0.1 with a
 * free port (port 0; the `ready` log line says which), a temp data directory, and JSON logs
 * captured line by line. Every process started is killed when the test process exits.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { connect } from '@sky/client'
import type { Connection } from '@sky/client'

export const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const skydBin = path.join(appDir, 'bin', 'skyd.mjs')
export const rootPassword = 'test-root-password-0001'

/** One JSON log record. */
export type LogRecord = Record<string, unknown> & { readonly msg: string; readonly level: string }

export interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export interface SkydProcess {
  readonly child: ChildProcess
  readonly dataDir: string
  readonly port: number
  readonly tlsPort: number | null
  readonly logs: LogRecord[]
  readonly stderr: () => string
  readonly exited: Promise<Exit>
  /** Resolves with the first record (past or future) that matches. */
  waitForLog(predicate: (record: LogRecord) => boolean): Promise<LogRecord>
  /** SIGTERM (default) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>
}

const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

export async function tempDir(prefix = 'skyd-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix))
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}

/** Runs `skyd <args>` to completion (for the maintenance commands and the shell). */
export function runSkyd(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [skydBin, ...args], {
    cwd: appDir,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  running.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  child.stdin.end(options.input ?? '')
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      running.delete(child)
      resolve({ code, stdout, stderr })
    })
  })
}

export interface StartOptions {
  /** Default: a new temp directory. */
  readonly dataDir?: string
  /** Default {@link rootPassword}; null: none given. */
  readonly rootPassword?: string | null
  readonly args?: readonly string[]
  readonly env?: Record<string, string>
  /** Default: a TCP endpoint on a free port. */
  readonly endpoints?: readonly string[]
  /** Do not pass `--data-dir` (the configuration names the directory). */
  readonly omitDataDirFlag?: boolean
}

/**
 * Starts skyd and resolves once it logged `ready`.
 *
 * @throws when it exits first (with its stderr in the message).
 */
export async function startSkyd(options: StartOptions = {}): Promise<SkydProcess> {
  const dataDir = options.dataDir ?? (await tempDir())
  const password = options.rootPassword === undefined ? rootPassword : options.rootPassword
  const endpoints = options.endpoints ?? ['tcp@127.0.0.1:0']
  const args = [
    skydBin,
    'serve',
    ...(options.omitDataDirFlag === true ? [] : ['--data-dir', dataDir]),
    '--metrics-log-interval-ms',
    '0',
    ...endpoints.flatMap((endpoint) => ['--endpoint', endpoint]),
    ...(password === null ? [] : ['--auth-root-password', password]),
    ...(options.args ?? []),
  ]
  const child = spawn(process.execPath, args, {
    cwd: appDir,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  const logs: LogRecord[] = []
  const waiters: {
    predicate: (record: LogRecord) => boolean
    resolve: (record: LogRecord) => void
  }[] = []
  let stderr = ''
  let buffered = ''
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    buffered += text
    let newline = buffered.indexOf('\n')
    while (newline !== -1) {
      const line = buffered.slice(0, newline)
      buffered = buffered.slice(newline + 1)
      newline = buffered.indexOf('\n')
      let record: LogRecord
      try {
        record = JSON.parse(line) as LogRecord
      } catch {
        continue
      }
      logs.push(record)
      for (const waiter of [...waiters]) {
        if (!waiter.predicate(record)) continue
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(record)
      }
    }
  })
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child)
      resolve({ code, signal })
    })
  })
  const waitForLog = (predicate: (record: LogRecord) => boolean): Promise<LogRecord> => {
    const found = logs.find(predicate)
    if (found !== undefined) return Promise.resolve(found)
    return new Promise((resolve) => waiters.push({ predicate, resolve }))
  }
  const ready = await Promise.race([
    waitForLog((record) => record.msg === 'ready'),
    exited.then((exit) => {
      throw new Error(`skyd exited (${exit.code ?? exit.signal}) before ready:\n${stderr}`)
    }),
  ])
  const address = (key: 'tcp' | 'tls'): number | null =>
    (ready[key] as { port: number } | null)?.port ?? null
  return {
    child,
    dataDir,
    port: address('tcp') ?? 0,
    tlsPort: address('tls'),
    logs,
    stderr: () => stderr,
    exited,
    waitForLog,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal)
      return exited
    },
  }
}

/** A @sky/client connection to `skyd` (root unless told otherwise). */
export function connectTo(
  skyd: Pick<SkydProcess, 'port'>,
  user = 'root',
  password = rootPassword,
): Promise<Connection> {
  return connect({ host: '127.0.0.1', port: skyd.port, username: user, password })
}

/**
 * Runs the `skyd` command line in this process (no spawn: fast), capturing its output. For
 * commands that end by themselves; `serve` only where it fails before binding.
 */
export async function runCliInProcess(
  args: readonly string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { runCli } = await import('../../src/index.js')
  const { Readable } = await import('node:stream')
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    stdout: (text) => {
      stdout += text
    },
    stderr: (text) => {
      stderr += text
    },
    stdin: Readable.from([Buffer.from(options.input ?? '')]),
    env: { ...process.env, ...options.env },
    cwd: appDir,
    onSignal: () => () => {},
    stdoutIsTTY: false,
  })
  return { code, stdout, stderr }
}
