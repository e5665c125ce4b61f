/**
 * Small durable-disk helpers: directories whose creation survives a crash, files written whole
 * (temp name, fdatasync, rename, directory fsync), and the quarantine where damaged bytes are kept.
 *
 * Invariant: nothing here deletes bytes that held catalog data, except temp files, which never held
 * an acknowledged state (a checkpoint counts only once renamed into place).
 */
import type { FileSystem } from '@sky/vfs'
import { joinPath, mkdirDurable, readWhole } from '@sky/vfs'

/** Reads a whole file, or undefined when it does not exist. */
export async function readFileIfPresent(
  fs: FileSystem,
  path: string,
): Promise<Uint8Array | undefined> {
  if (!(await fs.exists(path))) return undefined
  const file = await fs.open(path)
  try {
    return await readWhole(file)
  } finally {
    await file.close()
  }
}

/** Replaces `dir/name` with `bytes` atomically: temp name, fdatasync, rename, directory fsync. */
export async function writeFileAtomically(
  fs: FileSystem,
  dir: string,
  name: string,
  bytes: Uint8Array,
): Promise<void> {
  const temp = joinPath(dir, `${name}.tmp`)
  const file = await fs.open(temp, { create: true })
  try {
    await file.truncate(0)
    await file.write(0, bytes)
    await file.sync()
  } finally {
    await file.close()
  }
  await fs.rename(temp, joinPath(dir, name))
  await fs.syncDir(dir)
}

/** Removes leftover `*.tmp` files of `dir` (interrupted checkpoint writes). Returns their names. */
export async function removeTempFiles(fs: FileSystem, dir: string): Promise<string[]> {
  const temps = (await fs.readdir(dir)).filter((name) => name.endsWith('.tmp'))
  for (const name of temps) await fs.unlink(joinPath(dir, name))
  if (temps.length > 0) await fs.syncDir(dir)
  return temps
}

/**
 * The quarantine: `<dir>/quarantine/<n>-<label>`, numbered in order. Bytes put here are never
 * deleted by skydb.
 */
export class Quarantine {
  readonly dir: string
  #next: number | undefined

  constructor(private readonly fs: FileSystem, gnsDir: string) {
    this.dir = joinPath(gnsDir, 'quarantine')
  }

  async #name(label: string): Promise<string> {
    await mkdirDurable(this.fs, this.dir)
    if (this.#next === undefined) {
      const numbers = (await this.fs.readdir(this.dir)).map((name) => Number.parseInt(name, 10))
      this.#next = Math.max(0, ...numbers.filter((value) => Number.isSafeInteger(value))) + 1
    }
    return joinPath(this.dir, `${String(this.#next++).padStart(4, '0')}-${label}`)
  }

  /** Keeps `bytes` as a new quarantined file; returns its path. */
  async keepBytes(label: string, bytes: Uint8Array): Promise<string> {
    const path = await this.#name(label)
    const file = await this.fs.open(path, { create: true, exclusive: true })
    try {
      await file.write(0, bytes)
      await file.sync()
    } finally {
      await file.close()
    }
    await this.fs.syncDir(this.dir)
    return path
  }

  /**
   * Moves every file under `dir` (recursively) into a new quarantine directory, keeping relative
   * paths, and leaves `dir` itself empty. File by file, because a directory rename is not part of
   * the FileSystem contract. Returns the quarantine directory.
   */
  async moveContents(dir: string, label: string): Promise<string> {
    const target = await this.#name(label)
    await this.#moveTree(dir, target)
    return target
  }

  async #moveTree(source: string, target: string): Promise<void> {
    await mkdirDurable(this.fs, target)
    for (const name of await this.fs.readdir(source)) {
      const from = joinPath(source, name)
      if ((await this.fs.stat(from)).isDirectory) await this.#moveTree(from, joinPath(target, name))
      else await this.fs.rename(from, joinPath(target, name))
    }
    await this.fs.syncDir(target)
    await this.fs.syncDir(source)
  }
}
