/**
 * SimFileSystem: an in-memory disk that remembers what a crash could take away, and fails on demand.
 *
 * Model. Each file (inode) keeps its durable bytes, its written bytes and the writes in between (see
 * `internal/sim-inode.ts`). The namespace keeps a durable map of names and a list of pending name
 * changes (create, mkdir, rename, unlink) in the order they happened. `syncDir(dir)` makes durable,
 * in order, every pending change that touches `dir`. A crash keeps:
 * - the durable names plus any prefix of the pending name changes (names whose directory did not
 *   survive are lost with it), and
 * - for each file, its durable bytes plus any prefix of its pending writes, the last one possibly torn.
 *
 * `crashStates()` enumerates every such state (writes torn at `tearStepBytes` granularity plus 1 byte
 * and 1 byte short of whole); `crash()` picks one with the seeded PRNG. Both return new, independent
 * file systems whose every byte is durable, as a disk is after reboot.
 *
 * Crash points. `haltAfter(n)` freezes the disk after its n-th call: every later call returns a promise
 * that never settles, as if the process died there. Test harnesses run a workload once to count its
 * calls, then once per crash point.
 *
 * Faults on demand: `failSync` (EIO), `capacityBytes` (ENOSPC), `flipBit`, `shortReads`.
 * Everything is deterministic given the seed and the sequence of calls.
 */
import path from 'node:path'
import { assert } from '@sky/std'
import { VfsClosedError, VfsExistsError, VfsIoError, VfsNoSpaceError, VfsNotFoundError } from './errors.js'
import type { FileHandle, FileStat, FileSystem, OpenOptions } from './file-system.js'
import { Random } from './internal/random.js'
import { type InodeCrashChoice, SimInode } from './internal/sim-inode.js'

/** Options of {@link SimFileSystem}. */
export interface SimFileSystemOptions {
  /** Seed of the PRNG used by `crash()`. Default 1. */
  readonly seed?: number
  /** Total bytes all files may hold; a write past it fails with ENOSPC after writing what fits. */
  readonly capacityBytes?: number
  /** Granularity at which `crashStates()` tears a pending write. Default 512 (a sector). */
  readonly tearStepBytes?: number
}

type Entry = { readonly kind: 'file'; readonly inode: SimInode } | { readonly kind: 'dir' }

type NameChange =
  | { readonly kind: 'link'; readonly path: string; readonly entry: Entry }
  | { readonly kind: 'unlink'; readonly path: string }
  | { readonly kind: 'rename'; readonly source: string; readonly target: string }

const root = '/'

function normalize(filePath: string): string {
  assert(filePath.startsWith('/'), `paths are absolute: ${filePath}`)
  const normal = path.posix.normalize(filePath)
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal
}

function directoriesOf(change: NameChange): string[] {
  if (change.kind === 'rename') return [path.posix.dirname(change.source), path.posix.dirname(change.target)]
  return [path.posix.dirname(change.path)]
}

function applyName(names: Map<string, Entry>, change: NameChange): void {
  switch (change.kind) {
    case 'link':
      names.set(change.path, change.entry)
      return
    case 'unlink':
      names.delete(change.path)
      return
    case 'rename': {
      const entry = names.get(change.source)
      if (entry === undefined) return // the source's creation did not survive
      names.delete(change.source)
      names.set(change.target, entry)
      return
    }
  }
}

/** Drops names whose parent directory does not exist (orphans after a crash). */
function withoutOrphans(names: Map<string, Entry>): Map<string, Entry> {
  const result = new Map<string, Entry>([[root, { kind: 'dir' }]])
  const sorted = [...names.keys()].sort((a, b) => a.split('/').length - b.split('/').length)
  for (const name of sorted) {
    if (name === root) continue
    if (result.get(path.posix.dirname(name))?.kind === 'dir') result.set(name, names.get(name)!)
  }
  return result
}

/** Byte counts at which a pending write of `length` bytes may be torn. */
function tearPoints(length: number, step: number): number[] {
  const points = new Set<number>()
  if (length > 1) {
    points.add(1)
    points.add(length - 1)
  }
  for (let point = step; point < length; point += step) points.add(point)
  return [...points].sort((a, b) => a - b)
}

/** A crash state's recipe: how many name changes survived, and each pending file's choice. */
interface CrashRecipe {
  readonly namesApplied: number
  readonly choices: ReadonlyMap<SimInode, InodeCrashChoice>
}

/**
 * The simulated disk.
 *
 * @example
 * ```ts
 * const fs = new SimFileSystem({ seed: 7 })
 * await runWorkload(fs)
 * for (const state of fs.crashStates()) await checkRecovery(state)
 * ```
 */
export class SimFileSystem implements FileSystem {
  #names = new Map<string, Entry>([[root, { kind: 'dir' }]])
  #durableNames = new Map<string, Entry>([[root, { kind: 'dir' }]])
  #pendingNames: NameChange[] = []
  #nextInode = 1
  #random: Random
  #calls = 0
  #haltAfter = Number.POSITIVE_INFINITY
  #syncFailures: Array<{ path: string | undefined }> = []
  #shortReads = 0
  readonly #tearStepBytes: number
  /** Total bytes the files may hold; `undefined` for unlimited. Change it at any time. */
  capacityBytes: number | undefined

  constructor(options: SimFileSystemOptions = {}) {
    this.#random = new Random(options.seed ?? 1)
    this.capacityBytes = options.capacityBytes
    this.#tearStepBytes = options.tearStepBytes ?? 512
    assert(this.#tearStepBytes >= 1, 'tearStepBytes is positive')
  }

  /** How many calls (file system and handle methods) have started. */
  get calls(): number {
    return this.#calls
  }

  /** Freezes the disk after `count` calls: later calls never settle, as if the process died. */
  haltAfter(count: number): void {
    assert(count >= 0, 'halt point is not negative')
    this.#haltAfter = count
  }

  /** True once a call has been refused by `haltAfter`. */
  get halted(): boolean {
    return this.#calls > this.#haltAfter
  }

  /** Makes the next `sync()` (of `path`, or of any file) fail with EIO. Queue several by calling again. */
  failSync(options: { readonly path?: string } = {}): void {
    this.#syncFailures.push({ path: options.path === undefined ? undefined : normalize(options.path) })
  }

  /** Makes the next `count` reads return about half the bytes asked (at least one). */
  shortReads(count: number): void {
    this.#shortReads += count
  }

  /** Flips bit `bit` (0..7) of the byte at `position` of a file, in its written and durable bytes. */
  flipBit(filePath: string, position: number, bit: number): void {
    assert(bit >= 0 && bit < 8, 'bit is 0..7')
    this.#file(normalize(filePath)).flipBit(position, bit)
  }

  /** Bytes currently written to a file (for tests that inspect or corrupt files). */
  contents(filePath: string): Uint8Array {
    return this.#file(normalize(filePath)).current.view().slice()
  }

  /** Total bytes held by all reachable files. */
  usedBytes(): number {
    let total = 0
    for (const entry of this.#names.values()) if (entry.kind === 'file') total += entry.inode.current.length
    return total
  }

  // --- crash -------------------------------------------------------------------------------

  /** How many distinct states `crashStates()` yields. */
  crashStateCount(): number {
    let count = this.#pendingNames.length + 1
    for (const inode of this.#pendingInodes()) count *= inode.crashChoices((length) => this.#tears(length)).length
    return count
  }

  /** Every disk a crash right now could leave behind, each a new durable SimFileSystem. */
  *crashStates(): Generator<SimFileSystem> {
    const inodes = this.#pendingInodes()
    const options = inodes.map((inode) => inode.crashChoices((length) => this.#tears(length)))
    for (let namesApplied = 0; namesApplied <= this.#pendingNames.length; namesApplied++) {
      const indexes = inodes.map(() => 0)
      for (;;) {
        const choices = new Map(inodes.map((inode, at) => [inode, options[at]![indexes[at]!]!]))
        yield this.#materialize({ namesApplied, choices })
        let position = 0
        while (position < indexes.length && ++indexes[position]! === options[position]!.length) {
          indexes[position++] = 0
        }
        if (position === indexes.length) break
      }
    }
  }

  /** One crash state chosen with the seeded PRNG. */
  crash(): SimFileSystem {
    const namesApplied = this.#random.below(this.#pendingNames.length + 1)
    const choices = new Map<SimInode, InodeCrashChoice>()
    for (const inode of this.#pendingInodes()) {
      const options = inode.crashChoices((length) => this.#tears(length))
      choices.set(inode, options[this.#random.below(options.length)]!)
    }
    return this.#materialize({ namesApplied, choices })
  }

  /** A copy of this disk in which everything written so far is durable (a clean shutdown). */
  cleanCopy(): SimFileSystem {
    const choices = new Map<SimInode, InodeCrashChoice>()
    for (const inode of this.#pendingInodes()) choices.set(inode, { applied: inode.pending.length, tornBytes: 0 })
    return this.#materialize({ namesApplied: this.#pendingNames.length, choices })
  }

  #tears(length: number): number[] {
    return tearPoints(length, this.#tearStepBytes)
  }

  #pendingInodes(): SimInode[] {
    const seen = new Set<SimInode>()
    const consider = (entry: Entry): void => {
      if (entry.kind === 'file' && entry.inode.pending.length > 0) seen.add(entry.inode)
    }
    for (const entry of this.#durableNames.values()) consider(entry)
    for (const change of this.#pendingNames) if (change.kind === 'link') consider(change.entry)
    return [...seen].sort((a, b) => a.id - b.id)
  }

  #materialize(recipe: CrashRecipe): SimFileSystem {
    const names = new Map(this.#durableNames)
    for (const change of this.#pendingNames.slice(0, recipe.namesApplied)) applyName(names, change)
    const survivor = new SimFileSystem({ seed: this.#random.below(2 ** 31), tearStepBytes: this.#tearStepBytes })
    const copies = new Map<SimInode, SimInode>()
    for (const [name, entry] of withoutOrphans(names)) {
      if (entry.kind === 'dir') {
        survivor.#names.set(name, entry)
        continue
      }
      let copy = copies.get(entry.inode)
      if (copy === undefined) {
        copy = new SimInode(survivor.#nextInode++)
        const choice = recipe.choices.get(entry.inode) ?? { applied: 0, tornBytes: 0 }
        copy.write(0, entry.inode.contentAfter(choice))
        copy.sync()
        copies.set(entry.inode, copy)
      }
      survivor.#names.set(name, { kind: 'file', inode: copy })
    }
    survivor.#durableNames = new Map(survivor.#names)
    survivor.capacityBytes = this.capacityBytes
    return survivor
  }

  // --- FileSystem --------------------------------------------------------------------------

  /** Counts a call; returns false when the disk is halted (the caller must then never settle). */
  #enter(): boolean {
    this.#calls++
    return this.#calls <= this.#haltAfter
  }

  #file(filePath: string): SimInode {
    const entry = this.#names.get(filePath)
    if (entry === undefined) throw new VfsNotFoundError('no such file', { path: filePath, errno: 'ENOENT' })
    if (entry.kind !== 'file') throw new VfsIoError('is a directory', { path: filePath, errno: 'EISDIR' })
    return entry.inode
  }

  #requireDirectory(dirPath: string): void {
    const entry = this.#names.get(dirPath)
    if (entry === undefined) throw new VfsNotFoundError('no such directory', { path: dirPath, errno: 'ENOENT' })
    if (entry.kind !== 'dir') throw new VfsIoError('not a directory', { path: dirPath, errno: 'ENOTDIR' })
  }

  #change(change: NameChange): void {
    applyName(this.#names, change)
    this.#pendingNames.push(change)
  }

  async open(filePath: string, options: OpenOptions = {}): Promise<FileHandle> {
    if (!this.#enter()) return never()
    const name = normalize(filePath)
    const existing = this.#names.get(name)
    if (existing !== undefined) {
      if (options.create === true && options.exclusive === true) {
        throw new VfsExistsError('file exists', { path: name, errno: 'EEXIST' })
      }
      return new SimFileHandle(this, name, this.#file(name))
    }
    if (options.create !== true) throw new VfsNotFoundError('no such file', { path: name, errno: 'ENOENT' })
    this.#requireDirectory(path.posix.dirname(name))
    const inode = new SimInode(this.#nextInode++)
    this.#change({ kind: 'link', path: name, entry: { kind: 'file', inode } })
    return new SimFileHandle(this, name, inode)
  }

  async rename(source: string, target: string): Promise<void> {
    if (!this.#enter()) return never()
    const from = normalize(source)
    const to = normalize(target)
    this.#file(from)
    this.#requireDirectory(path.posix.dirname(to))
    this.#change({ kind: 'rename', source: from, target: to })
  }

  async unlink(filePath: string): Promise<void> {
    if (!this.#enter()) return never()
    const name = normalize(filePath)
    this.#file(name)
    this.#change({ kind: 'unlink', path: name })
  }

  async readdir(dirPath: string): Promise<string[]> {
    if (!this.#enter()) return never()
    const name = normalize(dirPath)
    this.#requireDirectory(name)
    const result: string[] = []
    for (const child of this.#names.keys()) {
      if (child !== root && path.posix.dirname(child) === name) result.push(path.posix.basename(child))
    }
    return result.sort()
  }

  async mkdir(dirPath: string): Promise<void> {
    if (!this.#enter()) return never()
    const name = normalize(dirPath)
    const missing: string[] = []
    for (let at = name; !this.#names.has(at); at = path.posix.dirname(at)) missing.unshift(at)
    for (const directory of missing) this.#change({ kind: 'link', path: directory, entry: { kind: 'dir' } })
    this.#requireDirectory(name)
  }

  async syncDir(dirPath: string): Promise<void> {
    if (!this.#enter()) return never()
    const name = normalize(dirPath)
    this.#requireDirectory(name)
    const remaining: NameChange[] = []
    for (const change of this.#pendingNames) {
      if (directoriesOf(change).includes(name)) applyName(this.#durableNames, change)
      else remaining.push(change)
    }
    this.#pendingNames = remaining
  }

  async exists(filePath: string): Promise<boolean> {
    if (!this.#enter()) return never()
    return this.#names.has(normalize(filePath))
  }

  async stat(filePath: string): Promise<FileStat> {
    if (!this.#enter()) return never()
    const name = normalize(filePath)
    const entry = this.#names.get(name)
    if (entry === undefined) throw new VfsNotFoundError('no such file', { path: name, errno: 'ENOENT' })
    if (entry.kind === 'dir') return { size: 0, isDirectory: true }
    return { size: entry.inode.current.length, isDirectory: false }
  }

  // --- used by SimFileHandle ---------------------------------------------------------------

  /** @internal */
  enterHandleCall(): boolean {
    return this.#enter()
  }

  /** @internal Bytes a write may add before the disk is full. */
  roomFor(inode: SimInode, position: number, length: number): number {
    if (this.capacityBytes === undefined) return length
    const growth = Math.max(0, position + length - inode.current.length)
    const free = this.capacityBytes - this.usedBytes()
    if (growth <= free) return length
    return Math.max(0, inode.current.length + free - position)
  }

  /** @internal */
  takeSyncFailure(filePath: string): boolean {
    const index = this.#syncFailures.findIndex((failure) => failure.path === undefined || failure.path === filePath)
    if (index < 0) return false
    this.#syncFailures.splice(index, 1)
    return true
  }

  /** @internal */
  takeShortRead(): boolean {
    if (this.#shortReads === 0) return false
    this.#shortReads--
    return true
  }
}

/** A promise that never settles: what a call returns after the simulated process died. */
function never<T>(): Promise<T> {
  return new Promise<T>(() => {})
}

class SimFileHandle implements FileHandle {
  #open = true

  constructor(
    private readonly disk: SimFileSystem,
    readonly path: string,
    private readonly inode: SimInode,
  ) {}

  #check(): void {
    if (!this.#open) throw new VfsClosedError('handle closed', { path: this.path, errno: 'EBADF' })
  }

  async read(position: number, length: number): Promise<Uint8Array> {
    if (!this.disk.enterHandleCall()) return never()
    this.#check()
    const bytes = this.inode.current.view()
    let count = Math.max(0, Math.min(length, bytes.length - position))
    if (count > 1 && this.disk.takeShortRead()) count = Math.ceil(count / 2)
    return bytes.slice(position, position + count)
  }

  async write(position: number, data: Uint8Array): Promise<void> {
    if (!this.disk.enterHandleCall()) return never()
    this.#check()
    this.#write(position, data)
  }

  async append(data: Uint8Array): Promise<void> {
    if (!this.disk.enterHandleCall()) return never()
    this.#check()
    this.#write(this.inode.current.length, data)
  }

  #write(position: number, data: Uint8Array): void {
    const room = this.disk.roomFor(this.inode, position, data.length)
    if (room > 0) this.inode.write(position, data.subarray(0, Math.min(room, data.length)))
    if (room < data.length) throw new VfsNoSpaceError('no space left', { path: this.path, errno: 'ENOSPC' })
  }

  async sync(): Promise<void> {
    if (!this.disk.enterHandleCall()) return never()
    this.#check()
    if (this.disk.takeSyncFailure(this.path)) {
      throw new VfsIoError('fdatasync failed', { path: this.path, errno: 'EIO' })
    }
    this.inode.sync()
  }

  async truncate(size: number): Promise<void> {
    if (!this.disk.enterHandleCall()) return never()
    this.#check()
    this.inode.truncate(size)
  }

  async size(): Promise<number> {
    if (!this.disk.enterHandleCall()) return never()
    this.#check()
    return this.inode.current.length
  }

  async close(): Promise<void> {
    this.#open = false
  }
}
