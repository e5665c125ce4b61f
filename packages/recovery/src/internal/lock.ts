/**
 * The data directory's `LOCK`: one process (and one engine) at a time.
 *
 * Taking it: create `LOCK` exclusively and write `{ pid, token, startedAt }` into it. If it exists,
 * read who holds it:
 * - a live process (`process.kill(pid, 0)` succeeds or answers EPERM): refuse with
 *   `RecoveryLockedError`;
 * - this process: refuse if an engine of this process holds it (registry below), else it is the
 *   remains of an earlier incarnation on the same disk (a simulated crash) and is stale;
 * - a dead process, or unreadable content (a crash while the lock was being written): stale. The
 *   stale file is removed (after checking it did not change since read) and the create is retried.
 *
 * Limit: Node has no portable `flock` without native modules, so two processes taking over the same
 * stale lock in the same instant can race; a live holder is always detected.
 *
 * Invariant: an engine holds the lock from before it reads anything until after it wrote its last
 * byte; `release` removes the file only if it still holds this engine's token.
 */
import { randomUUID } from 'node:crypto'
import { NodeFileSystem, joinPath, readWhole } from '@sky/vfs'
import type { FileSystem } from '@sky/vfs'
import { isSkyError } from '@sky/std'
import { RecoveryLockedError } from '../errors.js'

/** Lock file name inside the data directory. */
export const lockFileName = 'LOCK'

const fileSystemIds = new WeakMap<FileSystem, number>()
let nextFileSystemId = 1
/** Locks held by engines of this process, as `<file system>:<dir>`. */
const heldHere = new Set<string>()

function holderKey(fs: FileSystem, dir: string): string {
  // Every NodeFileSystem sees the same disk; each simulated disk is its own.
  if (fs instanceof NodeFileSystem) return `node:${dir}`
  let id = fileSystemIds.get(fs)
  if (id === undefined) fileSystemIds.set(fs, (id = nextFileSystemId++))
  return `${id}:${dir}`
}

interface LockContent {
  readonly pid: number
  readonly token: string
}

function parse(bytes: Uint8Array): LockContent | undefined {
  try {
    const value = JSON.parse(new TextDecoder().decode(bytes)) as Partial<LockContent>
    if (typeof value.pid === 'number' && typeof value.token === 'string') {
      return { pid: value.pid, token: value.token }
    }
  } catch {
    // Torn or empty: the holder died while writing it.
  }
  return undefined
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function readLock(fs: FileSystem, path: string): Promise<Uint8Array | undefined> {
  try {
    const file = await fs.open(path)
    try {
      return await readWhole(file)
    } finally {
      await file.close()
    }
  } catch (error) {
    if (isSkyError(error, 'VFS_NOT_FOUND')) return undefined
    throw error
  }
}

/** A held directory lock. */
export class DirectoryLock {
  #released = false

  constructor(
    private readonly fs: FileSystem,
    private readonly dir: string,
    private readonly key: string,
    private readonly token: string,
  ) {}

  /** Removes the lock file if it is still ours. Idempotent. */
  async release(): Promise<void> {
    if (this.#released) return
    this.#released = true
    heldHere.delete(this.key)
    const path = joinPath(this.dir, lockFileName)
    const bytes = await readLock(this.fs, path)
    if (bytes === undefined || parse(bytes)?.token !== this.token) return
    await this.fs.unlink(path)
    await this.fs.syncDir(this.dir)
  }
}

/**
 * Takes the lock of `dir` (which must exist).
 *
 * @throws RecoveryLockedError when a live process or another engine of this process holds it.
 */
export async function acquireLock(fs: FileSystem, dir: string): Promise<DirectoryLock> {
  const key = holderKey(fs, dir)
  const path = joinPath(dir, lockFileName)
  for (let attempt = 0; ; attempt++) {
    if (heldHere.has(key)) throw new RecoveryLockedError(dir, process.pid)
    const token = randomUUID()
    try {
      const file = await fs.open(path, { create: true, exclusive: true })
      try {
        const content = { pid: process.pid, token, startedAt: new Date().toISOString() }
        await file.write(0, new TextEncoder().encode(JSON.stringify(content)))
        await file.sync()
      } finally {
        await file.close()
      }
      await fs.syncDir(dir)
      heldHere.add(key)
      return new DirectoryLock(fs, dir, key, token)
    } catch (error) {
      if (!isSkyError(error, 'VFS_EXISTS') || attempt >= 3) throw error
    }
    await removeIfStale(fs, dir, path)
  }
}

async function removeIfStale(fs: FileSystem, dir: string, path: string): Promise<void> {
  const bytes = await readLock(fs, path)
  if (bytes === undefined) return // released meanwhile: try again
  const holder = parse(bytes)
  if (holder !== undefined && holder.pid !== process.pid && processAlive(holder.pid)) {
    throw new RecoveryLockedError(dir, holder.pid)
  }
  // Stale. Remove it only if nobody replaced it since we read it.
  const again = await readLock(fs, path)
  if (again === undefined || Buffer.compare(Buffer.from(again), Buffer.from(bytes)) !== 0) return
  await fs.unlink(path)
  await fs.syncDir(dir)
}
