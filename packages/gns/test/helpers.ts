/**
 * Test helpers shared by the catalog tests: a simulated disk, cheap scrypt, op builders, a
 * canonical view.
 */
import { type FileSystem, SimFileSystem } from '@sky/vfs'
import type {
  CatalogSource,
  CatalogVersion,
  DdlOp,
  DictInput,
  FieldInput,
  Gns,
  GnsOptions,
  Literal,
} from '../src/index.js'
import { describeFieldType, openGns } from '../src/index.js'

export const dir = '/db/gns'

/** scrypt cheap enough for tests (never for production). */
export const fastScrypt = {
  cost: 16,
  blockSize: 1,
  parallelization: 1,
  keyBytes: 16,
  saltBytes: 16,
}

export async function newSim(
  options: ConstructorParameters<typeof SimFileSystem>[0] = {},
): Promise<SimFileSystem> {
  const fs = new SimFileSystem(options)
  await fs.mkdir('/db')
  await fs.syncDir('/')
  return fs
}

export function open(fs: SimFileSystem, options: Partial<GnsOptions> = {}): Promise<Gns> {
  return openGns({ fs, dir, scrypt: fastScrypt, ...options })
}

export function openWithSource(
  fs: SimFileSystem,
  source: CatalogSource,
  options: Partial<GnsOptions> = {},
): Promise<Gns> {
  return open(fs, { catalogSource: source, ...options })
}

export { settle } from '@sky/vfs/testing'
export type { Settled } from '@sky/vfs/testing'

/**
 * `fs` seen through a trap: once `trap.at` is set, the first file-system call (`open`, `rename`,
 * `unlink`, …; not calls on open handles) whose method and path it matches halts the disk before
 * running, as if the process died just then. Lets a test crash at a named step rather than at a
 * counted call.
 */
export function haltingBefore(fs: SimFileSystem): {
  readonly fs: FileSystem
  at: ((method: string, path: string) => boolean) | undefined
} {
  const trap: { fs: FileSystem; at: ((method: string, path: string) => boolean) | undefined } = {
    fs,
    at: undefined,
  }
  trap.fs = new Proxy(fs, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (trap.at?.(String(key), String(args[0])) === true) {
          trap.at = undefined
          target.haltAfter(target.calls)
        }
        return (value as (...rest: unknown[]) => unknown).apply(target, args)
      }
    },
  }) as FileSystem
  return trap
}

// --- literals and dicts --------------------------------------------------------------------------

export const uint = (value: number | bigint): Literal => ({ type: 'uint', value: BigInt(value) })
export const sint = (value: number | bigint): Literal => ({ type: 'sint', value: BigInt(value) })
export const str = (value: string): Literal => ({ type: 'string', value })
export const bool = (value: boolean): Literal => ({ type: 'bool', value })
export const float = (value: number): Literal => ({ type: 'float', value })
export const bin = (value: string): Literal => ({
  type: 'binary',
  value: new TextEncoder().encode(value),
})

type DictShape = { readonly [key: string]: Literal | DictShape | null }

export function dict(shape: DictShape): DictInput {
  const result = new Map<string, Literal | DictInput | null>()
  for (const [key, value] of Object.entries(shape)) {
    const isLiteral =
      value !== null && typeof (value as Literal).type === 'string' && 'value' in value
    result.set(
      key,
      value === null ? null : isLiteral ? (value as Literal) : dict(value as DictShape),
    )
  }
  return result
}

// --- op builders ---------------------------------------------------------------------------------

/**
 * `name: type` fields from a compact spec: 'id:uint64', '?note:string', '*key:string',
 * 'tags:list<string>'.
 */
export function fields(...specs: string[]): FieldInput[] {
  return specs.map((spec) => {
    let rest = spec
    const primary = rest.startsWith('*')
    if (primary) rest = rest.slice(1)
    const nullable = rest.startsWith('?')
    if (nullable) rest = rest.slice(1)
    const [name, type] = rest.split(':') as [string, string]
    return {
      name,
      type: typeSpec(type),
      ...(nullable ? { nullable } : {}),
      ...(primary ? { primary } : {}),
    }
  })
}

export function typeSpec(text: string): { name: string; element?: ReturnType<typeof typeSpec> } {
  if (text.startsWith('list<') && text.endsWith('>'))
    return { name: 'list', element: typeSpec(text.slice(5, -1)) }
  return { name: text }
}

export const createSpace = (
  name: string,
  extra: Partial<Extract<DdlOp, { kind: 'createSpace' }>> = {},
): DdlOp => ({
  kind: 'createSpace',
  name,
  ...extra,
})

export const createModel = (space: string, name: string, ...specs: string[]): DdlOp => ({
  kind: 'createModel',
  space,
  name,
  fields: fields(...specs),
})

export const createUser = (name: string, password: string): DdlOp => ({
  kind: 'createUser',
  name,
  properties: dict({ password: str(password) }),
})

// --- a canonical description of a catalog, for equality across runs
// -------------------------------

export function describeCatalog(version: CatalogVersion): unknown {
  const spaces = [...version.spaces.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((space) => ({
      id: space.id,
      name: space.name,
      env: JSON.stringify([...space.env.entries()], (_, value) =>
        typeof value === 'bigint' ? `${value}n` : value,
      ),
      models: [...space.models.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((model) => ({
          id: model.id,
          name: model.name,
          pk: model.primaryKey,
          fields: model.fields.map(
            (field) => `${field.nullable ? '?' : ''}${field.name}:${describeFieldType(field.type)}`,
          ),
          unavailable: model.unavailable ?? null,
        })),
    }))
  const users = [...version.users.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((user) => ({
      id: user.id,
      name: user.name,
      root: user.root,
      credential: user.credential !== undefined,
    }))
  return { seq: version.seq, spaces, users }
}
