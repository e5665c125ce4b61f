import { describe, expect, it } from 'vitest'
import { SimFileSystem, readWhole } from '../src/index.js'
import { settle } from '../src/testing.js'

const text = (value: string): Uint8Array => new TextEncoder().encode(value)
const decode = (value: Uint8Array): string => new TextDecoder().decode(value)

async function contentOrMissing(fs: SimFileSystem, filePath: string): Promise<string | undefined> {
  if (!(await fs.exists(filePath))) return undefined
  const file = await fs.open(filePath)
  const content = decode(await readWhole(file))
  await file.close()
  return content
}

async function allStates(fs: SimFileSystem, filePath: string): Promise<Set<string | undefined>> {
  const seen = new Set<string | undefined>()
  for (const state of fs.crashStates()) seen.add(await contentOrMissing(state, filePath))
  return seen
}

/** A durable directory with one durable, synced file holding `content`. */
async function durableFile(content: string, options = {}): Promise<SimFileSystem> {
  const fs = new SimFileSystem(options)
  await fs.mkdir('/d')
  await fs.syncDir('/')
  const file = await fs.open('/d/f', { create: true })
  await file.append(text(content))
  await file.sync()
  await fs.syncDir('/d')
  await file.close()
  return fs
}

describe('SimFileSystem crash model', () => {
  it('keeps synced bytes in every crash state', async () => {
    const fs = await durableFile('durable')
    expect(fs.crashStateCount()).toBe(1)
    expect(await allStates(fs, '/d/f')).toEqual(new Set(['durable']))
  })

  it('keeps any prefix of unsynced writes, tearing the last one', async () => {
    const fs = await durableFile('ab', { tearStepBytes: 2 })
    const file = await fs.open('/d/f')
    await file.append(text('cdef'))
    await file.append(text('gh'))
    // Choices: none, 'c', 'cd', 'cde', 'cdef', 'cdefg', 'cdefgh': torn at 1, 2 and 3 bytes of the first.
    expect(await allStates(fs, '/d/f')).toEqual(
      new Set(['ab', 'abc', 'abcd', 'abcde', 'abcdef', 'abcdefg', 'abcdefgh']),
    )
  })

  it('loses an unsynced create, and keeps it once its directory is synced', async () => {
    const fs = new SimFileSystem()
    await fs.mkdir('/d')
    await fs.syncDir('/')
    const file = await fs.open('/d/new', { create: true })
    await file.append(text('x'))
    await file.sync()
    expect(await allStates(fs, '/d/new')).toEqual(new Set([undefined, 'x']))
    await fs.syncDir('/d')
    expect(await allStates(fs, '/d/new')).toEqual(new Set(['x']))
  })

  it('makes a rename durable only after syncDir, and the old name wins before', async () => {
    const fs = await durableFile('old')
    const temp = await fs.open('/d/tmp', { create: true })
    await temp.append(text('new'))
    await temp.sync()
    await fs.rename('/d/tmp', '/d/f')
    expect(await allStates(fs, '/d/f')).toEqual(new Set(['old', 'new']))
    await fs.syncDir('/d')
    expect(await allStates(fs, '/d/f')).toEqual(new Set(['new']))
  })

  it('loses files whose directory creation did not survive', async () => {
    const fs = new SimFileSystem()
    await fs.mkdir('/a/b')
    const file = await fs.open('/a/b/f', { create: true })
    await file.append(text('x'))
    await file.sync()
    await fs.syncDir('/a/b') // the entry is durable, but /a and /a/b are not
    const results = new Set<string>()
    for (const state of fs.crashStates()) {
      results.add(`${await state.exists('/a/b')}:${await contentOrMissing(state, '/a/b/f')}`)
    }
    expect(results).toEqual(new Set(['false:undefined', 'true:x']))
  })

  it('returns crash states whose bytes are all durable', async () => {
    const fs = await durableFile('ab')
    const file = await fs.open('/d/f')
    await file.append(text('cd'))
    for (const state of fs.crashStates()) expect(state.crashStateCount()).toBe(1)
  })

  it('chooses the same crash state for the same seed', async () => {
    const run = async (seed: number): Promise<string[]> => {
      const fs = await durableFile('', { seed, tearStepBytes: 1 })
      const file = await fs.open('/d/f')
      await file.append(text('0123456789'))
      const seen: string[] = []
      for (let round = 0; round < 8; round++) seen.push((await contentOrMissing(fs.crash(), '/d/f'))!)
      return seen
    }
    expect(await run(42)).toEqual(await run(42))
  })

  it('never settles calls after the halt point', async () => {
    const fs = new SimFileSystem()
    await fs.mkdir('/d')
    fs.haltAfter(fs.calls + 1)
    const file = await fs.open('/d/f', { create: true })
    let settled = false
    void file.append(text('x')).finally(() => {
      settled = true
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(settled).toBe(false)
    expect(fs.halted).toBe(true)
  })
})

describe('SimFileSystem faults', () => {
  it('fails the next sync with EIO, on the named file only', async () => {
    const fs = await durableFile('x')
    const other = await fs.open('/d/other', { create: true })
    const file = await fs.open('/d/f')
    fs.failSync({ path: '/d/f' })
    await other.sync()
    await expect(file.sync()).rejects.toMatchObject({ code: 'VFS_IO', errno: 'EIO' })
    await file.sync()
  })

  it('writes what fits, then fails with ENOSPC past its capacity', async () => {
    const fs = await durableFile('abc', { capacityBytes: 5 })
    const file = await fs.open('/d/f')
    await expect(file.append(text('defg'))).rejects.toMatchObject({ code: 'VFS_NO_SPACE', retryable: true })
    expect(decode(await readWhole(file))).toBe('abcde')
    await file.truncate(3)
    await file.append(text('de'))
    fs.capacityBytes = undefined
    await file.append(text('fg'))
    expect(decode(await readWhole(file))).toBe('abcdefg')
  })

  it('flips one bit of a durable file', async () => {
    const fs = await durableFile('a')
    fs.flipBit('/d/f', 0, 1)
    expect(await contentOrMissing(fs, '/d/f')).toBe('c')
    expect(await allStates(fs, '/d/f')).toEqual(new Set(['c']))
  })

  it('returns short reads on demand', async () => {
    const fs = await durableFile('abcdefgh')
    const file = await fs.open('/d/f')
    fs.shortReads(1)
    expect((await file.read(0, 8)).length).toBe(4)
    expect(decode(await readWhole(file))).toBe('abcdefgh')
  })
})

describe('mkdirDurable', () => {
  it('creates a chain of directories that every crash state keeps', async () => {
    const { mkdirDurable } = await import('../src/index.js')
    const fs = new SimFileSystem()
    await mkdirDurable(fs, '/a/b/c')
    await mkdirDurable(fs, '/a/b/c')
    for (const state of fs.crashStates()) expect(await state.exists('/a/b/c')).toBe(true)
  })
})

describe('settle (@sky/vfs/testing)', () => {
  it('reports a value, an error, or a disk that halted under the promise', async () => {
    const fs = new SimFileSystem()
    await fs.mkdir('/d')
    expect(await settle(fs.exists('/d'), fs)).toEqual({ value: true })
    const missing = await settle(fs.open('/d/none'), fs)
    expect(missing).toMatchObject({ error: { code: 'VFS_NOT_FOUND' } })
    fs.haltAfter(0)
    expect(await settle(fs.open('/d/f', { create: true }), fs)).toBe('halted')
  })
})
