/**
 * A small catalog on a simulated disk with every kind of file: two checkpoint generations, a
 * journal of several segments holding a snapshot frame and events after the newest checkpoint, and
 * a catalog source double holding every echo. Used by the corruption and rebuild tests.
 */
import type { SimFileSystem } from '@sky/vfs'
import { MemoryCatalogSource } from '../src/index.js'
import type { DdlOp, Gns } from '../src/index.js'
import {
  createModel,
  createSpace,
  createUser,
  describeCatalog,
  dict,
  newSim,
  open,
  str,
  uint,
} from './helpers.js'

export const smallOptions = { compactEvery: 6, segmentBytesMax: 256 } as const

/**
 * 6 events → generation 1 (gns.a); 6 more → generation 2 (gns.b); then 3 events in the journal
 * only.
 */
export const smallOps: readonly DdlOp[] = [
  createSpace('s1', { properties: dict({ env: { region: str('eu'), n: uint(1) } }) }),
  createModel('s1', 'm1', 'id:uint64', '?note:string'),
  createUser('alice', 'pw'),
  createModel('s1', 'm2', 'k:string', 'v:binary'),
  createSpace('s2'),
  {
    kind: 'alterModel',
    space: 's1',
    name: 'm1',
    action: {
      kind: 'add',
      fields: [{ name: 'tags', type: { name: 'list', element: { name: 'string' } } }],
    },
  },
  createModel('s2', 'm3', 'id:sint32', 'x:float32'),
  { kind: 'dropModel', space: 's1', name: 'm2' },
  { kind: 'alterSpace', name: 's1', properties: dict({ env: { n: uint(2), region: null } }) },
  createModel('s2', 'm4', 'id:uint8'),
  createUser('bob', 'pw2'),
  {
    kind: 'alterModel',
    space: 's2',
    name: 'm3',
    action: { kind: 'update', fields: [{ name: 'x', type: { name: 'float64' } }] },
  },
  createSpace('s3'),
  createModel('s3', 'm5', 'name:string', 'age:uint16'),
  { kind: 'alterModel', space: 's2', name: 'm3', action: { kind: 'remove', names: ['x'] } },
]

export interface SmallGns {
  readonly fs: SimFileSystem
  readonly source: MemoryCatalogSource
  readonly expected: unknown
}

/** Runs `ops` on a fresh disk, recording every echo, and closes cleanly. */
export async function buildSmallGns(ops: readonly DdlOp[] = smallOps): Promise<SmallGns> {
  const fs = await newSim({ tearStepBytes: 64 })
  const source = new MemoryCatalogSource()
  const gns: Gns = await open(fs, smallOptions)
  for (const op of ops) {
    const result = await gns.execute(op)
    if (result.echo !== undefined) source.recordEvent(result.echo)
  }
  const expected = describeCatalog(gns.current)
  await gns.close()
  return { fs, source, expected }
}

/** Every file under the GNS directory with its size. */
export async function gnsFiles(
  fs: SimFileSystem,
  root = '/db/gns',
): Promise<{ path: string; size: number }[]> {
  const files: { path: string; size: number }[] = []
  for (const name of await fs.readdir(root)) {
    const path = `${root}/${name}`
    const stat = await fs.stat(path)
    if (stat.isDirectory) files.push(...(await gnsFiles(fs, path)))
    else files.push({ path, size: stat.size })
  }
  return files
}
