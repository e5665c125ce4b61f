/**
 * The FileSystem and FileHandle interfaces: everything skydb asks of a disk, and nothing more.
 *
 * Every package above `@sky/vfs` receives a `FileSystem` instead of importing `node:fs`, so every
 * durability claim can be tested on {@link SimFileSystem}, crashed at any call. The semantics below
 * are the contract both implementations pass (see `fileSystemContract` in `@sky/vfs/testing`).
 *
 * Durability model (what a crash keeps):
 * - File contents: bytes written through a handle are durable once `sync()` on a handle of that file
 *   has resolved. Unsynced writes may survive in part (a prefix of them, the last one torn) or not at all.
 * - Names: a create, rename or unlink is durable once `syncDir()` on the directory holding the name has
 *   resolved. Before that, a crash may or may not keep it.
 */

/** How {@link FileSystem.open} treats a missing or existing file. */
export interface OpenOptions {
  /** Create the file when missing. Default false: a missing file fails with `VfsNotFoundError`. */
  readonly create?: boolean
  /** With `create`, fail with `VfsExistsError` if the file exists. Default false. */
  readonly exclusive?: boolean
}

/** What {@link FileSystem.stat} reports. */
export interface FileStat {
  readonly size: number
  readonly isDirectory: boolean
}

/** An open file. Positions and sizes are byte counts below 2^53. */
export interface FileHandle {
  /** The path it was opened with. */
  readonly path: string
  /**
   * Reads up to `length` bytes at `position`. Returns fewer at end of file, and may return fewer
   * before it (a short read): callers that need all bytes use `readFully`.
   */
  read(position: number, length: number): Promise<Uint8Array>
  /** Writes all of `data` at `position`, extending the file if needed (holes read as zeros). */
  write(position: number, data: Uint8Array): Promise<void>
  /** Writes all of `data` at the current end of the file. */
  append(data: Uint8Array): Promise<void>
  /**
   * Makes every write to this file that resolved before the call durable (fdatasync).
   * @throws VfsIoError when the device reports failure. After that the file's unsynced bytes are in
   *   an unknown state: callers must not retry and assume success (fail-stop).
   */
  sync(): Promise<void>
  /** Cuts or extends the file to `size` bytes. Durable after `sync()`. */
  truncate(size: number): Promise<void>
  /** Current size in bytes, including unsynced writes. */
  size(): Promise<number>
  /** Releases the handle. Does not sync. Idempotent. */
  close(): Promise<void>
}

/**
 * A disk. Paths are absolute, `/`-separated.
 *
 * @example
 * ```ts
 * const fs: FileSystem = new NodeFileSystem()
 * await fs.mkdir('/tmp/db')
 * const file = await fs.open('/tmp/db/x', { create: true })
 * await file.append(new Uint8Array([1, 2, 3]))
 * await file.sync()          // contents durable
 * await fs.syncDir('/tmp/db') // name durable
 * ```
 */
export interface FileSystem {
  /** Opens a file for reading and writing. @throws VfsNotFoundError, VfsExistsError */
  open(path: string, options?: OpenOptions): Promise<FileHandle>
  /**
   * Atomically replaces the file `target` with the file `source`. Durable after `syncDir` of both
   * directories. Files only: renaming a directory is not part of the contract (`SimFileSystem` refuses it).
   */
  rename(source: string, target: string): Promise<void>
  /** Removes a file name. Durable after `syncDir`. @throws VfsNotFoundError */
  unlink(path: string): Promise<void>
  /** Names in a directory, sorted. @throws VfsNotFoundError */
  readdir(path: string): Promise<string[]>
  /** Creates a directory and any missing parents; no error if it exists. */
  mkdir(path: string): Promise<void>
  /** Makes the directory's entries (creates, renames, unlinks) durable. */
  syncDir(path: string): Promise<void>
  /** True if a file or directory exists at `path`. */
  exists(path: string): Promise<boolean>
  /** Size and kind. @throws VfsNotFoundError */
  stat(path: string): Promise<FileStat>
}
