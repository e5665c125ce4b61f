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

class NodeFileHandle implements FileHandle {
  #fd: number | undefined

  constructor(
    readonly path: string,
    fd: number,
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
      const count = guarded(this.path, 'write', () =>
        fs.writeSync(fd, data, done, data.length - done, position + done),
      )
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
    guarded(this.path, 'fdatasync', () => fs.fdatasyncSync(fd))
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

/**
 * The real disk, through Node's `fs`.
 *
 * @example
 * ```ts
 * const fs = new NodeFileSystem()
 * const journal = await openJournal({ fs, dir: '/var/lib/skydb/journal' })
 * ```
 */
export class NodeFileSystem implements FileSystem {
  async open(filePath: string, options: OpenOptions = {}): Promise<FileHandle> {
    let flags = fs.constants.O_RDWR
    if (options.create === true) flags |= fs.constants.O_CREAT
    if (options.create === true && options.exclusive === true) flags |= fs.constants.O_EXCL
    const fd = guarded(filePath, 'open', () => fs.openSync(filePath, flags, 0o644))
    return new NodeFileHandle(filePath, fd)
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
