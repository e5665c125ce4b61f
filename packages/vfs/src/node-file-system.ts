/**
 * NodeFileSystem: the real disk.
 *
 * It uses Node's synchronous calls (`writeSync`, `fdatasyncSync`, ...) inside async methods. Measured on
 * this project's machines (see README, "Why synchronous calls"), a write + fdatasync through
 * `fs/promises` costs about 1.4x the synchronous pair, because every call hops through libuv's thread
 * pool and back. The journal issues one write and one fdatasync per group-commit batch, so the hop is
 * pure latency; blocking the event loop for that time costs nothing the batch would not wait for anyway.
 *
 * Every failure is translated into a typed `VfsError`; raw Node errors never escape.
 */
import fs from 'node:fs'
import path from 'node:path'
import { assert } from '@sky/std'
import { VfsClosedError, vfsErrorFor } from './errors.js'
import type { FileHandle, FileStat, FileSystem, OpenOptions } from './file-system.js'

function translate(error: unknown, filePath: string, what: string): Error {
  const errno = (error as NodeJS.ErrnoException | undefined)?.code
  if (typeof errno === 'string') return vfsErrorFor(errno, filePath, what, error)
  return error instanceof Error ? error : new Error(String(error))
}

/** Runs `operation`, converting any thrown Node error into a typed vfs error. */
function guarded<T>(filePath: string, what: string, operation: () => T): T {
  try {
    return operation()
  } catch (error) {
    throw translate(error, filePath, what)
  }
}

/** Runs a callback-style `fs` call on libuv's thread pool, translating its error. */
function offThread<T>(
  filePath: string,
  what: string,
  call: (done: (error: NodeJS.ErrnoException | null, result: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    call((error, result) => (error === null ? resolve(result) : reject(translate(error, filePath, what))))
  })
}

class NodeFileHandle implements FileHandle {
  #fd: number | undefined

  constructor(
    readonly path: string,
    fd: number,
    private readonly threadPool: boolean,
  ) {
    this.#fd = fd
  }

  #descriptor(): number {
    if (this.#fd === undefined) throw new VfsClosedError('handle closed', { path: this.path, errno: 'EBADF' })
    return this.#fd
  }

  async read(position: number, length: number): Promise<Uint8Array> {
    const fd = this.#descriptor()
    const buffer = Buffer.allocUnsafe(length)
    const count = guarded(this.path, 'read', () => fs.readSync(fd, buffer, 0, length, position))
    return new Uint8Array(buffer.buffer, buffer.byteOffset, count)
  }

  async write(position: number, data: Uint8Array): Promise<void> {
    const fd = this.#descriptor()
    let done = 0
    while (done < data.length) {
      const at = done
      const count = this.threadPool
        ? await offThread<number>(this.path, 'write', (callback) =>
            fs.write(fd, data, at, data.length - at, position + at, callback),
          )
        : guarded(this.path, 'write', () => fs.writeSync(fd, data, at, data.length - at, position + at))
      assert(count > 0, 'writeSync makes progress')
      done += count
    }
  }

  async append(data: Uint8Array): Promise<void> {
    const fd = this.#descriptor()
    const size = guarded(this.path, 'fstat', () => fs.fstatSync(fd).size)
    await this.write(size, data)
  }

  async sync(): Promise<void> {
    const fd = this.#descriptor()
    if (this.threadPool) {
      await offThread<void>(this.path, 'fdatasync', (callback) =>
        fs.fdatasync(fd, (error) => callback(error, undefined)),
      )
    } else {
      guarded(this.path, 'fdatasync', () => fs.fdatasyncSync(fd))
    }
  }

  async truncate(size: number): Promise<void> {
    const fd = this.#descriptor()
    guarded(this.path, 'truncate', () => fs.ftruncateSync(fd, size))
  }

  async size(): Promise<number> {
    const fd = this.#descriptor()
    return guarded(this.path, 'fstat', () => fs.fstatSync(fd).size)
  }

  async close(): Promise<void> {
    const fd = this.#fd
    if (fd === undefined) return
    this.#fd = undefined
    guarded(this.path, 'close', () => fs.closeSync(fd))
  }
}

/** Options of {@link NodeFileSystem}. */
export interface NodeFileSystemOptions {
  /**
   * Where file writes and fdatasync run.
   *
   * - `'blocking'` (default): synchronous calls on the calling thread. Lowest latency for one
   *   writer (no thread-pool hop), but the event loop stops while the disk syncs.
   * - `'thread-pool'`: `write` and `sync` run on libuv's thread pool, so the event loop keeps
   *   serving (sockets, timers, new appends that form the next group-commit batch) while the disk
   *   works. Better for a server with many connections; see the README for measurements.
   *
   * Both give the same durability contract. Metadata calls (open, rename, fsync of a directory)
   * stay synchronous in both modes.
   */
  readonly io?: 'blocking' | 'thread-pool'
}

/**
 * The real disk, through Node's `fs`.
 *
 * @example
 * ```ts
 * const fs = new NodeFileSystem()
 * const journal = await openJournal({ fs, dir: '/var/lib/skydb/journal' })
 * // a server with many connections: keep the event loop free while the disk syncs
 * const serverFs = new NodeFileSystem({ io: 'thread-pool' })
 * ```
 */
export class NodeFileSystem implements FileSystem {
  readonly #threadPool: boolean

  constructor(options: NodeFileSystemOptions = {}) {
    const io = options.io ?? 'blocking'
    if (io !== 'blocking' && io !== 'thread-pool') {
      throw new RangeError(`io must be 'blocking' or 'thread-pool', got ${String(io)}`)
    }
    this.#threadPool = io === 'thread-pool'
  }

  /** The `io` mode this file system was made with. */
  get io(): 'blocking' | 'thread-pool' {
    return this.#threadPool ? 'thread-pool' : 'blocking'
  }

  async open(filePath: string, options: OpenOptions = {}): Promise<FileHandle> {
    let flags = fs.constants.O_RDWR
    if (options.create === true) flags |= fs.constants.O_CREAT
    if (options.create === true && options.exclusive === true) flags |= fs.constants.O_EXCL
    const fd = guarded(filePath, 'open', () => fs.openSync(filePath, flags, 0o644))
    return new NodeFileHandle(filePath, fd, this.#threadPool)
  }

  async rename(source: string, target: string): Promise<void> {
    guarded(source, 'rename', () => fs.renameSync(source, target))
  }

  async unlink(filePath: string): Promise<void> {
    guarded(filePath, 'unlink', () => fs.unlinkSync(filePath))
  }

  async readdir(dirPath: string): Promise<string[]> {
    return guarded(dirPath, 'readdir', () => fs.readdirSync(dirPath)).sort()
  }

  async mkdir(dirPath: string): Promise<void> {
    guarded(dirPath, 'mkdir', () => fs.mkdirSync(dirPath, { recursive: true }))
  }

  async syncDir(dirPath: string): Promise<void> {
    const fd = guarded(dirPath, 'open directory', () => fs.openSync(dirPath, fs.constants.O_RDONLY))
    try {
      guarded(dirPath, 'fsync directory', () => fs.fsyncSync(fd))
    } finally {
      fs.closeSync(fd)
    }
  }

  async exists(filePath: string): Promise<boolean> {
    return fs.existsSync(filePath)
  }

  async stat(filePath: string): Promise<FileStat> {
    const stats = guarded(filePath, 'stat', () => fs.statSync(filePath))
    return { size: stats.size, isDirectory: stats.isDirectory() }
  }
}

/** Joins path segments with `/` (re-exported so callers need not import `node:path`). */
export function joinPath(...segments: string[]): string {
  return path.posix.join(...segments)
}
