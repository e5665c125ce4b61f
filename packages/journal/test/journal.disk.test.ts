/**
 * The journal on the real disk: the behaviour suite of journal.test.ts on NodeFileSystem, and a
 * process killed with SIGKILL while appending loses no acknowledged append.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { NodeFileSystem } from '@sky/vfs'
import { afterAll, describe, expect, it } from 'vitest'
import { openJournal } from '../src/index.js'
import { collect } from './helpers.js'
import { journalSuite } from './journal-suite.js'

const temporary: string[] = []
const makeDir = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sky-journal-'))
  temporary.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true })
})

journalSuite('NodeFileSystem', async () => ({ fs: new NodeFileSystem(), root: makeDir() }))

/** Starts the appender child; resolves with the LSNs it reported as acknowledged when killed. */
function runAndKill(dir: string, killAfterAcks: number): Promise<bigint[]> {
  const script = fileURLToPath(new URL('./fixtures/appender.ts', import.meta.url))
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', '--conditions=@sky/source', script, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const acknowledged: bigint[] = []
  let buffered = ''
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      const lines = buffered.split('\n')
      buffered = lines.pop()!
      for (const line of lines) acknowledged.push(BigInt(line))
      if (acknowledged.length >= killAfterAcks) child.kill('SIGKILL')
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`appender exited with ${code} before it was killed`))
      else resolve(acknowledged)
    })
  })
}

describe('journal under SIGKILL', () => {
  it('keeps every append the killed process saw acknowledged', async () => {
    const dir = makeDir()
    for (const killAfter of [50, 400, 1500]) {
      const acknowledged = await runAndKill(dir, killAfter)
      expect(acknowledged.length).toBeGreaterThanOrEqual(killAfter)
      const journal = await openJournal({ fs: new NodeFileSystem(), dir })
      const { frames, ending } = await collect(journal)
      expect(ending.kind).toBe('clean')
      const present = new Set(frames.map((frame) => frame.lsn))
      const missing = acknowledged.filter((lsn) => !present.has(lsn))
      expect(missing).toEqual([])
      frames.forEach((frame, at) => expect(frame.lsn).toBe(BigInt(at + 1)))
      await journal.close()
    }
  })
})
