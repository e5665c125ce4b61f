/**
 * CommandIo: what a command may touch of its process, injected so commands run in tests the same
 * way as from a terminal.
 */
import type { Readable } from 'node:stream'

/** The process surface a command uses. */
export interface CommandIo {
  /** Writes to standard output (the caller adds nothing: include the newline). */
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly stdin: Readable & { readonly isTTY?: boolean }
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe function. */
  readonly onSignal: (handler: (signal: 'SIGINT' | 'SIGTERM') => void) => () => void
  /** Whether standard output is a terminal (tables get no colour either way). */
  readonly stdoutIsTTY: boolean
}

/** The real process. */
export function processIo(): CommandIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    onSignal: (handler) => {
      const onInt = (): void => handler('SIGINT')
      const onTerm = (): void => handler('SIGTERM')
      process.on('SIGINT', onInt)
      process.on('SIGTERM', onTerm)
      return () => {
        process.off('SIGINT', onInt)
        process.off('SIGTERM', onTerm)
      }
    },
    stdoutIsTTY: process.stdout.isTTY === true,
  }
}
