/**
 * Looking at a data directory's catalog without changing it: `openGns` heals what it finds, so
 * verify and a dry-run repair open a copy of `gns/` on an in-memory `SimFileSystem`, with the real
 * data directory (read only) as the catalog source.
 */
import { type GnsOpenReport, type GnsOptions, openGns } from '@sky/gns'
import type { FileSystem } from '@sky/vfs'
import { SimFileSystem, joinPath, readWhole } from '@sky/vfs'
import { DataCatalogSource } from '../data-catalog-source.js'

/** Copies the tree at `from` on `source` to `to` on `target` (files and directories). */
export async function copyTree(
  source: FileSystem,
  from: string,
  target: FileSystem,
  to: string,
): Promise<void> {
  await target.mkdir(to)
  for (const name of await source.readdir(from)) {
    const path = joinPath(from, name)
    if ((await source.stat(path)).isDirectory) {
      await copyTree(source, path, target, joinPath(to, name))
      continue
    }
    const file = await source.open(path)
    let bytes: Uint8Array
    try {
      bytes = await readWhole(file)
    } finally {
      await file.close()
    }
    const copy = await target.open(joinPath(to, name), { create: true })
    await copy.write(0, bytes)
    await copy.close()
  }
}

/** The report `openGns` would give for the directory's catalog; the directory is not changed. */
export async function inspectGns(
  fs: FileSystem,
  dataDir: string,
  gnsOptions: Omit<GnsOptions, 'fs' | 'dir' | 'catalogSource'> = {},
): Promise<{ report: GnsOpenReport; seq: number } | { error: string }> {
  const copy = new SimFileSystem()
  const gnsDir = joinPath(dataDir, 'gns')
  if (await fs.exists(gnsDir)) await copyTree(fs, gnsDir, copy, '/gns')
  try {
    const gns = await openGns({
      ...gnsOptions,
      fs: copy,
      dir: '/gns',
      durability: 'none',
      catalogSource: new DataCatalogSource({ fs, dir: dataDir }),
    })
    const result = { report: gns.report, seq: gns.current.seq }
    await gns.close()
    return result
  } catch (error) {
    return { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }
  }
}
