/** Creating a directory whose existence survives a crash. */
import path from 'node:path'
import type { FileSystem } from './file-system.js'

/**
 * Creates `dirPath` and any missing parents, and syncs the parent of each directory it created, so the
 * whole chain survives a crash. A plain `mkdir` leaves the new names pending until someone syncs their
 * parents, and a crash can take the directory away with every file in it.
 *
 * @example
 * ```ts
 * await mkdirDurable(fs, '/var/lib/skydb/journal')
 * ```
 */
export async function mkdirDurable(fs: FileSystem, dirPath: string): Promise<void> {
  const missing: string[] = []
  for (let at = dirPath; !(await fs.exists(at)); at = path.posix.dirname(at)) missing.unshift(at)
  if (missing.length === 0) return
  await fs.mkdir(dirPath)
  for (const created of missing) await fs.syncDir(path.posix.dirname(created))
}
