/**
 * Property dictionaries (BlueQL spec §2.4, §4.1, §4.2): the `with { ... }` of statements, and the
 * `env` a space keeps.
 *
 * Inputs are Maps (`DictInput`), whose values are literals, `null` or nested Maps, so a key can
 * never be mistaken for a tag. The stored form (`EnvDict`) has no nulls: create drops them, alter
 * deletes the keys they name. Invariant: a stored env has valid names as keys, depth at most
 * `propertyDepthMax`, and encodes to at most `propertyBytesMax` bytes.
 */
import { GnsInvalidPropertiesError } from './errors.js'
import { propertyBytesMax, propertyDepthMax } from './internal/limits.js'
import { nameProblem } from './names.js'

/** A literal value, tagged with its class (spec §1.4). Unsigned and signed ints are bigints. */
export type Literal =
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'uint'; readonly value: bigint }
  | { readonly type: 'sint'; readonly value: bigint }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'binary'; readonly value: Uint8Array }
  | { readonly type: 'string'; readonly value: string }

/** A dictionary as written in a statement: `null` entries included. */
export type DictInput = ReadonlyMap<string, Literal | DictInput | null>

/** A stored value: a literal or a nested dictionary. */
export type EnvValue = Literal | EnvDict

/** A stored dictionary (a space's `env`): no nulls. */
export type EnvDict = ReadonlyMap<string, EnvValue>

/** An empty env, shared. */
export const emptyEnv: EnvDict = new Map()

const uint64Max = 2n ** 64n - 1n
const sint64Min = -(2n ** 63n)
const sint64Max = 2n ** 63n - 1n

function fail(reason: string): never {
  throw new GnsInvalidPropertiesError(reason)
}

function checkLiteral(key: string, value: Literal): Literal {
  const ok = (() => {
    switch (value.type) {
      case 'bool':
        return typeof value.value === 'boolean'
      case 'uint':
        return typeof value.value === 'bigint' && value.value >= 0n && value.value <= uint64Max
      case 'sint':
        return (
          typeof value.value === 'bigint' && value.value >= sint64Min && value.value <= sint64Max
        )
      case 'float':
        return typeof value.value === 'number'
      case 'binary':
        return value.value instanceof Uint8Array
      case 'string':
        return typeof value.value === 'string'
      default:
        return false
    }
  })()
  if (!ok) fail(`${key} holds a malformed literal`)
  return value
}

/** Narrows a dictionary entry to a literal (not a nested dictionary, not null). */
export function isLiteral(
  value: Literal | DictInput | EnvDict | null | undefined,
): value is Literal {
  return value !== null && value !== undefined && !(value instanceof Map)
}

/** The class of a stored value: a literal's type, or `dict`. */
export function valueClassOf(value: EnvValue): Literal['type'] | 'dict' {
  return value instanceof Map ? 'dict' : (value as Literal).type
}

/** A stored dict from an input dict: nulls dropped, keys and literals checked (create space). */
function normalize(input: DictInput, depth: number): EnvDict {
  if (!(input instanceof Map)) fail('a dictionary must be a Map')
  if (depth > propertyDepthMax) fail(`dictionaries nest at most ${propertyDepthMax} deep`)
  const result = new Map<string, EnvValue>()
  for (const [key, value] of input) {
    const problem = nameProblem(key)
    if (problem !== undefined) fail(`key ${JSON.stringify(key)} is ${problem}`)
    if (value === null) continue
    result.set(
      key,
      value instanceof Map ? normalize(value, depth + 1) : checkLiteral(key, value as Literal),
    )
  }
  return result
}

/** Merges `patch` into `current` (alter space): adds, replaces within a class, deletes on null. */
function merge(current: EnvDict, patch: DictInput, depth: number): EnvDict {
  if (!(patch instanceof Map)) fail('a dictionary must be a Map')
  if (depth > propertyDepthMax) fail(`dictionaries nest at most ${propertyDepthMax} deep`)
  const result = new Map(current)
  for (const [key, value] of patch) {
    const problem = nameProblem(key)
    if (problem !== undefined) fail(`key ${JSON.stringify(key)} is ${problem}`)
    if (value === null) {
      result.delete(key)
      continue
    }
    const existing = current.get(key)
    const next: EnvValue =
      value instanceof Map
        ? existing instanceof Map
          ? merge(existing, value, depth + 1)
          : normalize(value, depth + 1)
        : checkLiteral(key, value as Literal)
    if (existing !== undefined && valueClassOf(existing) !== valueClassOf(next)) {
      fail(`${key} holds a ${valueClassOf(existing)}; it cannot become a ${valueClassOf(next)}`)
    }
    result.set(key, next)
  }
  return result
}

function checkSize(env: EnvDict): EnvDict {
  const bytes = Buffer.byteLength(JSON.stringify(envToJson(env)))
  if (bytes > propertyBytesMax) fail(`env encodes to ${bytes} bytes, more than ${propertyBytesMax}`)
  return env
}

/**
 * The env of a new space from its `with` dict: only the key `env`, holding a dict or null.
 *
 * @throws GnsInvalidPropertiesError for any other key, an env that is not a dict or null, a bad
 *   key,
 *   or an env over the limits.
 */
export function envForCreate(properties: DictInput | undefined): EnvDict {
  if (properties === undefined) return emptyEnv
  if (!(properties instanceof Map)) fail('properties must be a Map')
  for (const key of properties.keys()) if (key !== 'env') fail(`unknown space property ${key}`)
  const env = properties.get('env')
  if (env === undefined || env === null) return emptyEnv
  if (!(env instanceof Map)) fail('env must be a dictionary or null')
  return checkSize(normalize(env, 1))
}

/**
 * The env after `alter space ... with properties`: `{}` keeps it, `{ env: null }` empties it,
 * `{ env: dict }` merges into it.
 *
 * @throws GnsInvalidPropertiesError as {@link envForCreate}, and when a key would change class.
 */
export function envForAlter(current: EnvDict, properties: DictInput): EnvDict {
  if (!(properties instanceof Map)) fail('properties must be a Map')
  for (const key of properties.keys()) if (key !== 'env') fail(`unknown space property ${key}`)
  if (!properties.has('env')) return current
  const env = properties.get('env')
  if (env === null || env === undefined) return emptyEnv
  if (!(env instanceof Map)) fail('env must be a dictionary or null')
  return checkSize(merge(current, env, 1))
}

// --- JSON form (used by the on-disk encodings) -------------------------------------------------

/** JSON form of a stored value: `[tag, value]`, tags `b u s f x t d`. */
export type EnvJson = readonly [string, unknown]

/** Encodes an env as JSON-compatible data. */
export function envToJson(env: EnvDict): Record<string, EnvJson> {
  const result: Record<string, EnvJson> = {}
  for (const [key, value] of env) result[key] = valueToJson(value)
  return result
}

function valueToJson(value: EnvValue): EnvJson {
  if (value instanceof Map) return ['d', envToJson(value)]
  const literal = value as Literal
  switch (literal.type) {
    case 'bool':
      return ['b', literal.value]
    case 'uint':
      return ['u', literal.value.toString()]
    case 'sint':
      return ['s', literal.value.toString()]
    case 'float':
      return ['f', String(literal.value)]
    case 'binary':
      return ['x', Buffer.from(literal.value).toString('base64')]
    case 'string':
      return ['t', literal.value]
  }
}

/** Decodes {@link envToJson}'s form; undefined when malformed. */
export function envFromJson(json: unknown, depth = 1): EnvDict | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined
  if (depth > propertyDepthMax) return undefined
  const result = new Map<string, EnvValue>()
  for (const [key, entry] of Object.entries(json)) {
    if (nameProblem(key) !== undefined || !Array.isArray(entry) || entry.length !== 2)
      return undefined
    const value = valueFromJson(entry[0], entry[1], depth)
    if (value === undefined) return undefined
    result.set(key, value)
  }
  return result
}

function valueFromJson(tag: unknown, raw: unknown, depth: number): EnvValue | undefined {
  switch (tag) {
    case 'd':
      return envFromJson(raw, depth + 1)
    case 'b':
      return typeof raw === 'boolean' ? { type: 'bool', value: raw } : undefined
    case 'u':
      return typeof raw === 'string' && /^\d+$/.test(raw)
        ? { type: 'uint', value: BigInt(raw) }
        : undefined
    case 's':
      return typeof raw === 'string' && /^-?\d+$/.test(raw)
        ? { type: 'sint', value: BigInt(raw) }
        : undefined
    case 'f':
      return typeof raw === 'string' ? { type: 'float', value: Number(raw) } : undefined
    case 'x':
      return typeof raw === 'string'
        ? { type: 'binary', value: new Uint8Array(Buffer.from(raw, 'base64')) }
        : undefined
    case 't':
      return typeof raw === 'string' ? { type: 'string', value: raw } : undefined
    default:
      return undefined
  }
}
