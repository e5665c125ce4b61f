/**
 * The values of an insert (blueql.md §4.9, §5): literals, `null`, inline lists and the functions
 * `@uuidstr()`, `@uuidbin()`, `@timesec()`, each checked against its field and turned into the
 * stored form.
 *
 * Invariant: a row built here has one value per field, each fitting its field (see values.ts).
 */
import { randomUUID } from 'node:crypto'
import type { Field, FieldType } from '@sky/gns'
import type { Value } from '@sky/txn'
import type { FunctionCall, InsertValue, ListElement, Literal } from '../../ast.js'
import { storeScalar, validationError } from './values.js'

/** Where the functions get their values: injectable for tests. */
export interface FunctionSource {
  /** Milliseconds since the Unix epoch (for `@timesec()`). */
  now(): number
  /** A random version 4 UUID in its 36-character text form. */
  uuid(): string
}

/** The real clock and `crypto.randomUUID`. */
export const systemFunctionSource: FunctionSource = {
  now: () => Date.now(),
  uuid: () => randomUUID(),
}

function uuidBytes(text: string): Uint8Array {
  const hex = text.replaceAll('-', '')
  const bytes = new Uint8Array(16)
  for (let index = 0; index < 16; index++) {
    bytes[index] = Number.parseInt(hex.slice(index * 2, index * 2 + 2), 16)
  }
  return bytes
}

/** The literal a function call gives (validated afterwards like any literal). */
export function evaluateFunction(call: FunctionCall, source: FunctionSource): Literal {
  const base = { span: call.span, parameterIndex: null }
  switch (call.name) {
    case 'uuidstr':
      return { kind: 'string', value: source.uuid(), ...base }
    case 'uuidbin':
      return { kind: 'binary', value: uuidBytes(source.uuid()), ...base }
    case 'timesec':
      return { kind: 'uint', value: BigInt(Math.floor(source.now() / 1000)), ...base }
  }
}

function storeElement(
  element: ListElement,
  type: FieldType,
  field: string,
  source: FunctionSource,
): Value {
  if (element.kind === 'list') return storeList(element.elements, type, field, source)
  const literal = element.kind === 'function' ? evaluateFunction(element, source) : element
  return storeScalar(literal, type, field)
}

function storeList(
  elements: readonly ListElement[],
  type: FieldType,
  field: string,
  source: FunctionSource,
): Value {
  if (type.kind !== 'list') throw validationError(`${field} is ${type.kind}; got a list`)
  return elements.map((element) => storeElement(element, type.element, field, source))
}

/**
 * Checks one insert value against its field and returns the stored value.
 *
 * @throws QueryError 109 for a null in a non-nullable field, a class or width mismatch, a list
 *   given to a scalar field or a scalar given to a list field.
 */
export function storeInsertValue(value: InsertValue, field: Field, source: FunctionSource): Value {
  switch (value.kind) {
    case 'null':
      if (!field.nullable) throw validationError(`${field.name} is not nullable`)
      return null
    case 'list':
      return storeList(value.elements, field.type, field.name, source)
    case 'function':
      return storeScalar(evaluateFunction(value, source), field.type, field.name)
    default:
      return storeScalar(value, field.type, field.name)
  }
}
