/**
 * Values between the language and the store (blueql.md §2.2, §5): checking a literal against a
 * field's declared type, turning it into the stored form, and turning a stored value back into a
 * typed result value.
 *
 * Stored forms (`@sky/txn`'s `Value`): bool → boolean, every integer width → bigint, floats →
 * number, binary → Uint8Array, string → string, list → array, null → null.
 *
 * Invariants: a value this module stores always fits its field (class equal, width respected,
 * floats finite and within float32 range for float32 fields, no null where the field is not
 * nullable, no null inside a list); `toResultValue` of a stored value gives the declared type.
 */
import { typeClassOf } from '@sky/gns'
import type { Field, FieldType, ScalarTypeName, TypeClass } from '@sky/gns'
import { assert } from '@sky/std'
import type { Key, Value } from '@sky/txn'
import type { Literal, LiteralKind } from '../../ast.js'
import { QueryError } from '../../errors.js'
import type { ResultValue, SmallIntegerType } from '../../result.js'

/** The class of each literal kind (blueql.md §2.2: class match is strict). */
export const literalClass: Readonly<Record<LiteralKind, TypeClass>> = {
  bool: 'bool',
  uint: 'unsigned',
  sint: 'signed',
  float: 'float',
  binary: 'binary',
  string: 'string',
}

/** Inclusive ranges of the integer types. */
const integerRange: Readonly<Partial<Record<ScalarTypeName, readonly [bigint, bigint]>>> = {
  uint8: [0n, 0xffn],
  uint16: [0n, 0xffffn],
  uint32: [0n, 0xffff_ffffn],
  uint64: [0n, 0xffff_ffff_ffff_ffffn],
  sint8: [-0x80n, 0x7fn],
  sint16: [-0x8000n, 0x7fffn],
  sint32: [-0x8000_0000n, 0x7fff_ffffn],
  sint64: [-0x8000_0000_0000_0000n, 0x7fff_ffff_ffff_ffffn],
}

/** The largest finite float32 (f32::MAX). */
export const float32Max = 3.4028234663852886e38

const smallIntegerTypes: ReadonlySet<string> = new Set<SmallIntegerType>([
  'uint8',
  'uint16',
  'uint32',
  'sint8',
  'sint16',
  'sint32',
])

/** A validation failure: error 109. */
export function validationError(message: string): QueryError {
  return new QueryError('QL_VALIDATION_ERROR', message)
}

/**
 * Whether a stored scalar (already of the field's class) fits the scalar type: integer width,
 * finite floats, float32 range.
 */
export function scalarFits(type: ScalarTypeName, value: Value): boolean {
  const range = integerRange[type]
  if (range !== undefined) {
    return typeof value === 'bigint' && value >= range[0] && value <= range[1]
  }
  if (type === 'float64') return typeof value === 'number' && Number.isFinite(value)
  if (type === 'float32') {
    return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= float32Max
  }
  return true
}

/** The stored form of a literal (no check against any type). */
export function literalToStored(literal: Literal): Value {
  switch (literal.kind) {
    case 'bool':
    case 'uint':
    case 'sint':
    case 'float':
    case 'string':
      return literal.value
    case 'binary':
      // Copied: the caller's parameter buffer may be reused after the statement.
      return literal.value.slice()
  }
}

/**
 * Checks a literal against a scalar field type and returns its stored form.
 *
 * @throws QueryError 109 when the class differs or the value does not fit the width.
 */
export function storeScalar(literal: Literal, type: FieldType, field: string): Value {
  if (type.kind === 'list') throw validationError(`${field} is a list; got a ${literal.kind}`)
  const expected = typeClassOf(type)
  if (literalClass[literal.kind] !== expected) {
    throw validationError(`${field} is ${type.kind}; got a ${literal.kind} value`)
  }
  const stored = literalToStored(literal)
  if (!scalarFits(type.kind, stored)) {
    throw validationError(`${field}: value does not fit ${type.kind}`)
  }
  return stored
}

/** Whether a field holds the primary key class a literal of this kind can look up. */
export function keyClassMatches(field: Field, literal: Literal): boolean {
  const fieldClass = typeClassOf(field.type)
  if (fieldClass === 'bool' || fieldClass === 'float' || fieldClass === 'list') return false
  return literalClass[literal.kind] === fieldClass
}

/** The store key of a primary key literal (its class already checked). */
export function keyOf(literal: Literal): Key {
  switch (literal.kind) {
    case 'uint':
    case 'sint':
    case 'string':
      return literal.value
    case 'binary':
      return literal.value.slice()
    default:
      assert(false, `a ${literal.kind} literal is never a key`)
  }
}

/** The cell of a row at a field index: rows written before `alter … add` are shorter. */
export function cellOf(row: readonly Value[], index: number): Value {
  return index < row.length ? (row[index] ?? null) : null
}

/** The result value of a stored value of the declared type. */
export function toResultValue(value: Value, type: FieldType): ResultValue {
  if (value === null) return { type: 'null' }
  if (type.kind === 'list') {
    assert(Array.isArray(value), 'a list field holds an array')
    const elements = (value as readonly Value[]).map((item) => toResultValue(item, type.element))
    return { type: 'list', value: elements }
  }
  switch (type.kind) {
    case 'bool':
      assert(typeof value === 'boolean', 'a bool field holds a boolean')
      return { type: 'bool', value }
    case 'float32':
    case 'float64':
      assert(typeof value === 'number', 'a float field holds a number')
      return { type: type.kind, value }
    case 'binary':
      assert(value instanceof Uint8Array, 'a binary field holds bytes')
      return { type: 'binary', value }
    case 'string':
      assert(typeof value === 'string', 'a string field holds a string')
      return { type: 'string', value }
    default:
      return integerResult(type.kind, value)
  }
}

function integerResult(type: ScalarTypeName, value: Value): ResultValue {
  assert(typeof value === 'bigint', `an ${type} field holds a bigint`)
  if (smallIntegerTypes.has(type)) {
    assert(scalarFits(type, value), `a stored ${type} fits its width`)
    return { type: type as SmallIntegerType, value: Number(value) }
  }
  assert(type === 'uint64' || type === 'sint64', `${type} is an integer type`)
  return { type, value }
}

/** The result value of a point select's primary key cell: typed by the query literal. */
export function keyResultValue(literal: Literal): ResultValue {
  switch (literal.kind) {
    case 'uint':
      return { type: 'uint64', value: literal.value }
    case 'sint':
      return { type: 'sint64', value: literal.value }
    case 'string':
      return { type: 'string', value: literal.value }
    case 'binary':
      return { type: 'binary', value: literal.value }
    default:
      assert(false, `a ${literal.kind} literal is never a key`)
  }
}
