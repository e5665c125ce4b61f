/**
 * Field types of models (BlueQL spec §2.2): the scalar types, `list { type: T }`, their classes,
 * which can be a primary key, and which changes `alter model update` allows.
 *
 * Invariant: a {@link FieldType} held by the catalog is always well formed: a list has an element,
 * the nesting is at most `listDepthMax` deep, and the innermost type is a scalar.
 */
import { GnsInvalidTypeError } from './errors.js'
import { listDepthMax } from './internal/limits.js'
import type { DictInput } from './properties.js'

/** The scalar type names, as written in BlueQL (lowercase, case-sensitive). */
export const scalarTypeNames = [
  'bool',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
  'sint8',
  'sint16',
  'sint32',
  'sint64',
  'float32',
  'float64',
  'binary',
  'string',
] as const

/** One of {@link scalarTypeNames}. */
export type ScalarTypeName = (typeof scalarTypeNames)[number]

/** The type of a field: a scalar, or a list of a type. */
export type FieldType =
  | { readonly kind: ScalarTypeName }
  | { readonly kind: 'list'; readonly element: FieldType }

/** A type's class: values must match it exactly (spec §2.2, "class match is strict"). */
export type TypeClass = 'bool' | 'unsigned' | 'signed' | 'float' | 'binary' | 'string' | 'list'

/**
 * A type as written in a statement, before checking: `name`, an optional element type (the `type:`
 * entry of a list's body) and any other body entries (`properties`), which 0.8 rejects.
 */
export interface TypeSpecInput {
  readonly name: string
  readonly element?: TypeSpecInput
  readonly properties?: DictInput
}

const scalarSet: ReadonlySet<string> = new Set(scalarTypeNames)

const classOfScalar: Readonly<Record<ScalarTypeName, TypeClass>> = {
  bool: 'bool',
  uint8: 'unsigned',
  uint16: 'unsigned',
  uint32: 'unsigned',
  uint64: 'unsigned',
  sint8: 'signed',
  sint16: 'signed',
  sint32: 'signed',
  sint64: 'signed',
  float32: 'float',
  float64: 'float',
  binary: 'binary',
  string: 'string',
}

const widthOfScalar: Readonly<Record<ScalarTypeName, number>> = {
  bool: 1,
  uint8: 8,
  uint16: 16,
  uint32: 32,
  uint64: 64,
  sint8: 8,
  sint16: 16,
  sint32: 32,
  sint64: 64,
  float32: 32,
  float64: 64,
  binary: 0,
  string: 0,
}

const inspectNames: Readonly<Record<ScalarTypeName, string>> = {
  bool: 'Bool',
  uint8: 'UInt8',
  uint16: 'UInt16',
  uint32: 'UInt32',
  uint64: 'UInt64',
  sint8: 'SInt8',
  sint16: 'SInt16',
  sint32: 'SInt32',
  sint64: 'SInt64',
  float32: 'Float32',
  float64: 'Float64',
  binary: 'Binary',
  string: 'String',
}

/** The class of a type. */
export function typeClassOf(type: FieldType): TypeClass {
  return type.kind === 'list' ? 'list' : classOfScalar[type.kind]
}

/** True for the types a primary key may have: unsigned and signed ints, string, binary. */
export function isPrimaryKeyType(type: FieldType): boolean {
  const kind = typeClassOf(type)
  return kind === 'unsigned' || kind === 'signed' || kind === 'string' || kind === 'binary'
}

/** How many list levels wrap the innermost scalar (0 for a scalar). */
export function listDepthOf(type: FieldType): number {
  let depth = 0
  for (let at: FieldType = type; at.kind === 'list'; at = at.element) depth++
  return depth
}

/**
 * The name `inspect model` shows: `UInt8`, `String`, `[String]`, `[[UInt8]]`.
 *
 * @example
 * ```ts
 * describeFieldType({ kind: 'list', element: { kind: 'string' } }) // '[String]'
 * ```
 */
export function describeFieldType(type: FieldType): string {
  return type.kind === 'list' ? `[${describeFieldType(type.element)}]` : inspectNames[type.kind]
}

/** The canonical text of a type, as stored: `uint8`, `list<list<string>>`. */
export function formatFieldType(type: FieldType): string {
  return type.kind === 'list' ? `list<${formatFieldType(type.element)}>` : type.kind
}

/** Parsed types, shared and frozen: a catalog of many models holds few distinct types. */
const parsedTypes = new Map<string, FieldType>()
const parsedTypesMax = 4096

/** Parses {@link formatFieldType}'s text; undefined when it is not one. The result is frozen. */
export function parseFieldType(text: string): FieldType | undefined {
  const known = parsedTypes.get(text)
  if (known !== undefined) return known
  const type = parseUncached(text, 0)
  if (type !== undefined && parsedTypes.size < parsedTypesMax) parsedTypes.set(text, type)
  return type
}

function parseUncached(text: string, depth: number): FieldType | undefined {
  if (scalarSet.has(text)) return Object.freeze({ kind: text as ScalarTypeName })
  if (depth >= listDepthMax || !text.startsWith('list<') || !text.endsWith('>')) return undefined
  const element = parseUncached(text.slice(5, -1), depth + 1)
  return element === undefined ? undefined : Object.freeze({ kind: 'list', element })
}

function hasEntries(dict: DictInput | undefined): boolean {
  return dict !== undefined && dict.size > 0
}

/**
 * Checks a written type and returns it (spec §4.4).
 *
 * @throws GnsInvalidTypeError for an unknown name (names are case-sensitive), a bare `list`, type
 *   properties, an element type given to a non-list, or nesting deeper than `listDepthMax`.
 */
export function resolveTypeSpec(spec: TypeSpecInput, depth = 0): FieldType {
  if (typeof spec !== 'object' || spec === null || typeof spec.name !== 'string') {
    throw new GnsInvalidTypeError('a type needs a name')
  }
  if (hasEntries(spec.properties)) {
    throw new GnsInvalidTypeError(`type properties are not supported (${spec.name})`)
  }
  if (spec.name === 'list') {
    if (spec.element === undefined) throw new GnsInvalidTypeError('list needs an element type')
    if (depth + 1 > listDepthMax)
      throw new GnsInvalidTypeError(`lists nest at most ${listDepthMax} deep`)
    return { kind: 'list', element: resolveTypeSpec(spec.element, depth + 1) }
  }
  if (!scalarSet.has(spec.name))
    throw new GnsInvalidTypeError(`unknown type ${JSON.stringify(spec.name)}`)
  if (spec.element !== undefined)
    throw new GnsInvalidTypeError(`${spec.name} takes no element type`)
  return { kind: spec.name as ScalarTypeName }
}

/** What changing a field's type from `current` to `next` means (spec §4.5, alter update). */
export type TypeChange = 'same' | 'widen' | 'narrow' | 'class-change' | 'deeper'

/** Classifies a type change: more list levels, a class change, a narrowing, a widening, or none. */
export function classifyTypeChange(current: FieldType, next: FieldType): TypeChange {
  if (listDepthOf(next) > listDepthOf(current)) return 'deeper'
  if (current.kind === 'list' || next.kind === 'list') {
    if (current.kind !== 'list' || next.kind !== 'list') return 'class-change'
    return classifyTypeChange(current.element, next.element)
  }
  if (classOfScalar[current.kind] !== classOfScalar[next.kind]) return 'class-change'
  const from = widthOfScalar[current.kind]
  const to = widthOfScalar[next.kind]
  return from === to ? 'same' : to > from ? 'widen' : 'narrow'
}
