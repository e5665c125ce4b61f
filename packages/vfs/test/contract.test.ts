import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll } from 'vitest'
import { NodeFileSystem, SimFileSystem } from '../src/index.js'
import { fileSystemContract } from '../src/testing.js'

const temporary: string[] = []
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true })
})

fileSystemContract('NodeFileSystem', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sky-vfs-'))
  temporary.push(dir)
  return { fs: new NodeFileSystem(), dir }
})

fileSystemContract('NodeFileSystem (io: thread-pool)', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sky-vfs-pool-'))
  temporary.push(dir)
  return { fs: new NodeFileSystem({ io: 'thread-pool' }), dir }
})

fileSystemContract('SimFileSystem', async () => {
  const fs = new SimFileSystem()
  await fs.mkdir('/data')
  return { fs, dir: '/data' }
})
