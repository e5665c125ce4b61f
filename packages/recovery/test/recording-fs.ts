/**
 * A FileSystem that records every call it passes on to another one: which file was read where and
 * how much, and the order of writes, syncs, renames and directory syncs. Tests use it to prove what
 * open reads (and what it does not) and in which order a checkpoint becomes durable, and to act at
 * a chosen call (`onCall`, called as each call completes).
 */
import type { FileHandle, FileStat, FileSystem, OpenOptions } from '@sky/vfs'

/** One recorded call. `bytes` is what a read returned or a write passed. */
export type Recorded =
  | {
      readonly op: 'read' | 'write'
      readonly path: string
      readonly position: number
      readonly bytes: number
    }
  | { readonly op: 'sync' | 'truncate' | 'open'; readonly path: string }
  | { readonly op: 'rename'; readonly path: string; readonly target: string }
  | { readonly op: 'unlink' | 'syncDir' | 'mkdir'; readonly path: string }

export class RecordingFileSystem implements FileSystem {
  readonly calls: Recorded[] = []
  /** Called with each call once it completed (after it is recorded). */
  onCall: ((call: Recorded) => void) | undefined

  readonly #record = (call: Recorded): void => {
    this.calls.push(call)
    this.onCall?.(call)
  }

  constructor(private readonly inner: FileSystem) {}

  /** Bytes read per path since the last `clear()`. */
  bytesRead(): Map<string, number> {
    const read = new Map<string, number>()
    for (const call of this.calls)
      if (call.op === 'read') read.set(call.path, (read.get(call.path) ?? 0) + call.bytes)
    return read
  }

  clear(): void {
    this.calls.length = 0
  }

  async open(path: string, options?: OpenOptions): Promise<FileHandle> {
    const handle = await this.inner.open(path, options)
    this.#record({ op: 'open', path })
    return new RecordingHandle(handle, this.#record)
  }

  async rename(source: string, target: string): Promise<void> {
    await this.inner.rename(source, target)
    this.#record({ op: 'rename', path: source, target })
  }

  async unlink(path: string): Promise<void> {
    await this.inner.unlink(path)
    this.#record({ op: 'unlink', path })
  }

  readdir(path: string): Promise<string[]> {
    return this.inner.readdir(path)
  }

  async mkdir(path: string): Promise<void> {
    await this.inner.mkdir(path)
    this.#record({ op: 'mkdir', path })
  }

  async syncDir(path: string): Promise<void> {
    await this.inner.syncDir(path)
    this.#record({ op: 'syncDir', path })
  }

  exists(path: string): Promise<boolean> {
    return this.inner.exists(path)
  }

  stat(path: string): Promise<FileStat> {
    return this.inner.stat(path)
  }
}

class RecordingHandle implements FileHandle {
  constructor(
    private readonly inner: FileHandle,
    private readonly record: (call: Recorded) => void,
  ) {}

  get path(): string {
    return this.inner.path
  }

  async read(position: number, length: number): Promise<Uint8Array> {
    const bytes = await this.inner.read(position, length)
    this.record({ op: 'read', path: this.path, position, bytes: bytes.length })
    return bytes
  }

  async write(position: number, data: Uint8Array): Promise<void> {
    await this.inner.write(position, data)
    this.record({ op: 'write', path: this.path, position, bytes: data.length })
  }

  async append(data: Uint8Array): Promise<void> {
    const position = await this.inner.size()
    await this.inner.append(data)
    this.record({ op: 'write', path: this.path, position, bytes: data.length })
  }

  async sync(): Promise<void> {
    await this.inner.sync()
    this.record({ op: 'sync', path: this.path })
  }

  async truncate(size: number): Promise<void> {
    await this.inner.truncate(size)
    this.record({ op: 'truncate', path: this.path })
  }

  size(): Promise<number> {
    return this.inner.size()
  }

  close(): Promise<void> {
    return this.inner.close()
  }
}

/** Calls of `SimFileSystem` that change what a crash can leave (the rest only read). */
const mutating = new Set([
  ...['write', 'append', 'sync', 'truncate'],
  ...['rename', 'unlink', 'mkdir', 'syncDir'],
])

/**
 * Whether each counted call of a `SimFileSystem` changes what a crash could leave, in the order
 * made: one entry per call the simulator counts (every call but `size` and `close`). `open`
 * with `create` counts as changing (it may create the file).
 */
export class CallKinds implements FileSystem {
  readonly changes: boolean[] = []

  constructor(private readonly inner: FileSystem) {}

  #count(op: string): void {
    this.changes.push(mutating.has(op))
  }

  async open(path: string, options?: OpenOptions): Promise<FileHandle> {
    this.changes.push(options?.create === true)
    const handle = await this.inner.open(path, options)
    const count = (op: string): void => this.#count(op)
    return {
      path: handle.path,
      read: (position, length) => (count('read'), handle.read(position, length)),
      write: (position, data) => (count('write'), handle.write(position, data)),
      append: (data) => (count('append'), handle.append(data)),
      sync: () => (count('sync'), handle.sync()),
      truncate: (size) => (count('truncate'), handle.truncate(size)),
      size: () => handle.size(),
      close: () => handle.close(),
    }
  }

  rename(source: string, target: string): Promise<void> {
    this.#count('rename')
    return this.inner.rename(source, target)
  }
  unlink(path: string): Promise<void> {
    this.#count('unlink')
    return this.inner.unlink(path)
  }
  readdir(path: string): Promise<string[]> {
    this.#count('readdir')
    return this.inner.readdir(path)
  }
  mkdir(path: string): Promise<void> {
    this.#count('mkdir')
    return this.inner.mkdir(path)
  }
  syncDir(path: string): Promise<void> {
    this.#count('syncDir')
    return this.inner.syncDir(path)
  }
  exists(path: string): Promise<boolean> {
    this.#count('exists')
    return this.inner.exists(path)
  }
  stat(path: string): Promise<FileStat> {
    this.#count('stat')
    return this.inner.stat(path)
  }
}
