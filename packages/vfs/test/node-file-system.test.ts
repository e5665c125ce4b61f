import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { NodeFileSystem } from '../src/index.js'

const dir = mkdtempSync(path.join(tmpdir(), 'sky-vfs-node-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('NodeFileSystem', () => {
  it('translates Node errors into typed vfs errors that name the path', async () => {
    const fs = new NodeFileSystem()
    const missing = path.join(dir, 'nope')
    await expect(fs.open(missing)).rejects.toMatchObject({ code: 'VFS_NOT_FOUND', path: missing, errno: 'ENOENT' })
    await expect(fs.readdir(missing)).rejects.toMatchObject({ code: 'VFS_NOT_FOUND' })
    writeFileSync(path.join(dir, 'plain'), 'x')
    await expect(fs.syncDir(path.join(dir, 'plain', 'below'))).rejects.toMatchObject({ errno: 'ENOTDIR' })
  })

  it('syncs a directory and a file', async () => {
    const fs = new NodeFileSystem()
    const file = await fs.open(path.join(dir, 'synced'), { create: true })
    await file.append(new Uint8Array([1]))
    await file.sync()
    await fs.syncDir(dir)
    await file.close()
    expect((await fs.stat(path.join(dir, 'synced'))).size).toBe(1)
  })
})
