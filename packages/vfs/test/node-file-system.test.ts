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

  it('keeps the event loop turning while a thread-pool fdatasync runs, and not in blocking mode', async () => {
    // A timer scheduled before sync() fires before sync() resolves only if the event loop
    // was free while the disk worked: that is the whole point of io: 'thread-pool'.
    const order = async (io: 'blocking' | 'thread-pool'): Promise<string[]> => {
      const fs = new NodeFileSystem({ io })
      const file = await fs.open(path.join(dir, `order-${io}`), { create: true })
      await file.write(0, new Uint8Array(4096).fill(7))
      const events: string[] = []
      const immediate = new Promise<void>((resolve) =>
        setImmediate(() => {
          events.push('immediate')
          resolve()
        }),
      )
      const synced = file.sync().then(() => events.push('synced'))
      if (io === 'blocking') events.push('returned')
      await Promise.all([immediate, synced])
      await file.close()
      return events
    }
    expect(await order('thread-pool')).toEqual(['immediate', 'synced'])
    // The blocking call finished before sync() even returned its promise.
    expect(await order('blocking')).toEqual(['returned', 'synced', 'immediate'])
  })

  it('refuses an unknown io mode with a RangeError', () => {
    expect(() => new NodeFileSystem({ io: 'async' as never })).toThrow(RangeError)
  })

  it('reports the io mode and writes the same bytes in both modes', async () => {
    const data = new Uint8Array(3 * 1024 * 1024).map((_, at) => at % 251)
    for (const io of ['blocking', 'thread-pool'] as const) {
      const fs = new NodeFileSystem({ io })
      expect(fs.io).toBe(io)
      const file = await fs.open(path.join(dir, `big-${io}`), { create: true })
      await file.write(0, data)
      await file.sync()
      const back = await file.read(0, data.length)
      expect(Buffer.compare(back, data)).toBe(0)
      await file.close()
    }
  })
})
