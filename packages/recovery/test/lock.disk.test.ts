/**
 * The directory lock, on the real disk: a second engine in this process and a second process both
 * get a typed, retryable RecoveryLockedError; a lock left by a process killed with SIGKILL is stale
 * and taken over.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { NodeFileSystem } from '@sky/vfs'
import { afterEach, describe, expect, it } from 'vitest'
import { openEngine } from '../src/index.js'
import { createModel } from './helpers.js'

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const child = path.join(packageDir, 'test/fixtures/open-child.ts')
const dirs: string[] = []

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sky-lock-'))
  dirs.push(dir)
  return dir
}

/** Every file under `dir` with its bytes (hex), to prove a refused open changed nothing. */
function filesUnder(dir: string): Map<string, string> {
  const files = new Map<string, string>()
  for (const name of readdirSync(dir)) {
    const at = path.join(dir, name)
    if (statSync(at).isDirectory()) for (const entry of filesUnder(at)) files.set(...entry)
    else files.set(at, readFileSync(at).toString('hex'))
  }
  return files
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function start(
  dir: string,
  mode: 'once' | 'hold',
): { process: ChildProcess; line: Promise<Record<string, unknown>> } {
  const spawned = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@sky/source', child, dir, mode],
    {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  const line = new Promise<Record<string, unknown>>((resolve, reject) => {
    let buffered = ''
    spawned.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const end = buffered.indexOf('\n')
      if (end >= 0) resolve(JSON.parse(buffered.slice(0, end)) as Record<string, unknown>)
    })
    spawned.on('exit', () => reject(new Error('child exited without a line')))
  })
  return { process: spawned, line }
}

describe('directory lock', () => {
  it('refuses a second engine in the same process', async () => {
    const dir = tempDir()
    const fs = new NodeFileSystem()
    const engine = await openEngine({ fs, dir, idleTimeoutMs: 0 })
    await expect(openEngine({ fs: new NodeFileSystem(), dir })).rejects.toMatchObject({
      code: 'RECOVERY_LOCKED',
      retryable: true,
    })
    await engine.close()
    const again = await openEngine({ fs, dir, idleTimeoutMs: 0 })
    await again.close()
  })

  it('refuses a second process with a typed error and leaves the database as it was', async () => {
    const dir = tempDir()
    const options = { dir, idleTimeoutMs: 0, checkpoint: { intervalMs: 0 } }
    const engine = await openEngine({ fs: new NodeFileSystem(), ...options })
    const id = await createModel(engine)
    for (let key = 0n; key < 10n; key++)
      await engine.manager.transaction((txn) => txn.insert(id, key, [key]))
    await engine.checkpoint()
    const before = filesUnder(dir)
    const second = start(dir, 'once')
    const answer = await second.line
    expect(answer).toMatchObject({ code: 'RECOVERY_LOCKED' })
    expect(answer.message).toContain(`locked by process ${process.pid}`)
    expect(filesUnder(dir)).toEqual(before)
    // The holder goes on undisturbed, and everything is there after it closes.
    for (let key = 10n; key < 20n; key++)
      await engine.manager.transaction((txn) => txn.insert(id, key, [key]))
    await engine.close()
    const again = await openEngine({ fs: new NodeFileSystem(), ...options })
    expect(again.store.store(id)!.stats().liveKeyCount).toBe(20)
    await again.close()
  }, 60_000)

  it('takes over the lock of a process killed with SIGKILL', async () => {
    const dir = tempDir()
    const holder = start(dir, 'hold')
    expect(await holder.line).toEqual({ opened: true })
    await expect(openEngine({ fs: new NodeFileSystem(), dir })).rejects.toMatchObject({
      code: 'RECOVERY_LOCKED',
      pid: holder.process.pid,
    })
    const exited = new Promise((resolve) => holder.process.on('exit', resolve))
    holder.process.kill('SIGKILL')
    await exited
    const engine = await openEngine({ fs: new NodeFileSystem(), dir, idleTimeoutMs: 0 })
    await engine.close()
  }, 60_000)
})
