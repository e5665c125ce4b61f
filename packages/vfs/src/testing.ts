/**
 * Test support, exported as `@sky/vfs/testing`: the contract every {@link FileSystem} passes, as a
 * vitest suite (`fileSystemContract(name, factory)`), so an implementation elsewhere can prove
 * itself the same way; and {@link settle}, for crash tests that halt a {@link SimFileSystem}.
 */
import { describe, expect, it } from 'vitest'
import { readFully, readWhole } from './read-fully.js'
import type { FileSystem } from './file-system.js'
import type { SimFileSystem } from './sim-file-system.js'

/** How a promise ended on a disk that may halt under it. */
export type Settled<T> = { readonly value: T } | { readonly error: unknown } | 'halted'

/** Event-loop turns to wait after the disk halted before calling a promise stuck. */
const haltedTurnsMax = 4

/**
 * Waits for `promise`, or reports `'halted'` when the simulated disk under it halted (after
 * `haltAfter(n)`, its calls never settle, so neither would the promise): the crash-point loop's
 * way of running a workload "until the process dies".
 *
 * @example
 * ```ts
 * fs.haltAfter(k)
 * const outcome = await settle(store.write(record), fs)
 * if (outcome === 'halted') for (const disk of fs.crashStates()) await check(disk)
 * ```
 */
export async function settle<T>(promise: Promise<T>, fs: SimFileSystem): Promise<Settled<T>> {
  let result: Settled<T> | undefined
  promise.then(
    (value) => (result = { value }),
    (error: unknown) => (result = { error }),
  )
  for (let idle = 0; result === undefined; ) {
    await new Promise((resolve) => setImmediate(resolve))
    if (fs.halted && ++idle > haltedTurnsMax) return 'halted'
  }
  return result
}

/** What a contract run needs: a fresh file system and an empty directory on it. */
export interface ContractFixture {
  readonly fs: FileSystem
  readonly dir: string
}

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values)

/** Registers the shared FileSystem contract tests under `describe(name)`. */
export function fileSystemContract(name: string, fixture: () => Promise<ContractFixture>): void {
  describe(`${name} (FileSystem contract)`, () => {
    it('creates, writes at positions, appends and reads back', async () => {
      const { fs, dir } = await fixture()
      const file = await fs.open(`${dir}/a`, { create: true })
      await file.write(0, bytes(1, 2, 3))
      await file.append(bytes(4, 5))
      await file.write(1, bytes(9))
      expect(await file.size()).toBe(5)
      expect([...(await readFully(file, 0, 5))]).toEqual([1, 9, 3, 4, 5])
      expect([...(await readFully(file, 3, 10))]).toEqual([4, 5])
      expect((await file.read(10, 4)).length).toBe(0)
      await file.close()
    })

    it('fills a hole with zeros when writing past the end', async () => {
      const { fs, dir } = await fixture()
      const file = await fs.open(`${dir}/hole`, { create: true })
      await file.write(3, bytes(7))
      expect([...(await readWhole(file))]).toEqual([0, 0, 0, 7])
      await file.close()
    })

    it('truncates and extends', async () => {
      const { fs, dir } = await fixture()
      const file = await fs.open(`${dir}/t`, { create: true })
      await file.append(bytes(1, 2, 3, 4))
      await file.truncate(2)
      expect([...(await readWhole(file))]).toEqual([1, 2])
      await file.truncate(3)
      expect([...(await readWhole(file))]).toEqual([1, 2, 0])
      await file.sync()
      await file.close()
    })

    it('reports a missing file and an exclusive create of an existing one with typed codes', async () => {
      const { fs, dir } = await fixture()
      await expect(fs.open(`${dir}/missing`)).rejects.toMatchObject({ code: 'VFS_NOT_FOUND' })
      await expect(fs.stat(`${dir}/missing`)).rejects.toMatchObject({ code: 'VFS_NOT_FOUND' })
      await expect(fs.unlink(`${dir}/missing`)).rejects.toMatchObject({ code: 'VFS_NOT_FOUND' })
      await (await fs.open(`${dir}/e`, { create: true })).close()
      await expect(fs.open(`${dir}/e`, { create: true, exclusive: true })).rejects.toMatchObject({
        code: 'VFS_EXISTS',
      })
    })

    it('rejects use of a closed handle', async () => {
      const { fs, dir } = await fixture()
      const file = await fs.open(`${dir}/c`, { create: true })
      await file.close()
      await file.close()
      await expect(file.append(bytes(1))).rejects.toMatchObject({ code: 'VFS_CLOSED' })
    })

    it('renames over an existing file, unlinks, lists sorted and stats', async () => {
      const { fs, dir } = await fixture()
      await fs.mkdir(`${dir}/sub/deeper`)
      await fs.mkdir(`${dir}/sub`)
      for (const fileName of ['b', 'a', 'tmp']) {
        const file = await fs.open(`${dir}/sub/${fileName}`, { create: true })
        await file.append(new TextEncoder().encode(fileName))
        await file.close()
      }
      await fs.rename(`${dir}/sub/tmp`, `${dir}/sub/a`)
      await fs.syncDir(`${dir}/sub`)
      expect(await fs.readdir(`${dir}/sub`)).toEqual(['a', 'b', 'deeper'])
      const renamed = await fs.open(`${dir}/sub/a`)
      expect(new TextDecoder().decode(await readWhole(renamed))).toBe('tmp')
      await renamed.close()
      expect(await fs.stat(`${dir}/sub/a`)).toEqual({ size: 3, isDirectory: false })
      expect((await fs.stat(`${dir}/sub/deeper`)).isDirectory).toBe(true)
      await fs.unlink(`${dir}/sub/b`)
      expect(await fs.exists(`${dir}/sub/b`)).toBe(false)
      expect(await fs.exists(`${dir}/sub/a`)).toBe(true)
    })
  })
}
