/**
 * One assignment of an update (blueql.md §4.12, steps 2-5), with skydb's choices for the
 * reference server's defects (§7 item 1): every result is checked like an insert value, so an
 * overflow, a division by zero, a non-finite float or an operator the class does not support is
 * error 109 instead of a stored out-of-range value or a silent `null`.
 *
 * Operators by class: bool `=`; unsigned, signed, float `= += -= *= /=` (integer division
 * truncates toward zero); string and binary `=` (replace) and `+=` (append); list `+=` (append
 * one element of the list's element class).
 *
 * Invariant: the value returned fits the field (as values.ts defines it).
 */
import { typeClassOf } from '@sky/gns'
import type { Field, FieldType, ScalarTypeName } from '@sky/gns'
import { assert } from '@sky/std'
import type { Value } from '@sky/txn'
import type { AssignmentOperator, Literal } from '../../ast.js'
import {
  literalClass,
  literalToStored,
  scalarFits,
  storeScalar,
  validationError,
} from './values.js'

function concatBytes(left: Uint8Array, right: Uint8Array): Uint8Array {
  const joined = new Uint8Array(left.length + right.length)
  joined.set(left, 0)
  joined.set(right, left.length)
  return joined
}

function integerResult(operator: AssignmentOperator, current: bigint, operand: bigint): bigint {
  switch (operator) {
    case '+=':
      return current + operand
    case '-=':
      return current - operand
    case '*=':
      return current * operand
    case '/=':
      if (operand === 0n) throw validationError('division by zero')
      return current / operand
    case '=':
      return operand
  }
}

function floatResult(operator: AssignmentOperator, current: number, operand: number): number {
  switch (operator) {
    case '+=':
      return current + operand
    case '-=':
      return current - operand
    case '*=':
      return current * operand
    case '/=':
      return current / operand
    case '=':
      return operand
  }
}

/** Step 2: the field's class equals the literal's, the current value is a non-null scalar. */
function applyToScalar(
  type: ScalarTypeName,
  name: string,
  operator: AssignmentOperator,
  current: Value,
  literal: Literal,
): Value {
  const operand = literalToStored(literal)
  let next: Value
  if (typeof current === 'bigint' && typeof operand === 'bigint') {
    next = integerResult(operator, current, operand)
  } else if (typeof current === 'number' && typeof operand === 'number') {
    next = floatResult(operator, current, operand)
  } else if (operator === '=') {
    next = operand
  } else if (operator === '+=' && typeof current === 'string' && typeof operand === 'string') {
    next = current + operand
  } else if (operator === '+=' && current instanceof Uint8Array && operand instanceof Uint8Array) {
    next = concatBytes(current, operand)
  } else {
    throw validationError(`${name}: ${operator} is not defined for ${type}`)
  }
  if (!scalarFits(type, next)) throw validationError(`${name}: result does not fit ${type}`)
  return next
}

/** Step 4: `+=` on a list appends one element of the list's element class. */
function appendToList(field: Field, current: Value, literal: Literal): Value {
  assert(field.type.kind === 'list', 'appendToList takes a list field')
  const element: FieldType = field.type.element
  if (element.kind === 'list') throw validationError(`${field.name}: a nested list takes no +=`)
  if (current === null) throw validationError(`${field.name} is null; += needs a list`)
  assert(Array.isArray(current), 'a list field holds an array')
  return [...(current as readonly Value[]), storeScalar(literal, element, field.name)]
}

/**
 * The new value of `field` after `field operator literal`, given its current value.
 *
 * @throws QueryError 109: a class mismatch, an operator the class does not support, a non-`=`
 *   operator on a null value, `=`/`-=`/… on a list, or a result that does not fit the field.
 */
export function applyAssignment(
  field: Field,
  current: Value,
  operator: AssignmentOperator,
  literal: Literal,
): Value {
  const { type } = field
  if (type.kind === 'list') {
    if (operator !== '+=') throw validationError(`${field.name} is a list: only += is allowed`)
    return appendToList(field, current, literal)
  }
  if (literalClass[literal.kind] !== typeClassOf(type)) {
    throw validationError(`${field.name} is ${type.kind}; got a ${literal.kind} value`)
  }
  if (current === null) {
    if (operator !== '=') throw validationError(`${field.name} is null; only = applies`)
    return storeScalar(literal, type, field.name)
  }
  return applyToScalar(type.kind, field.name, operator, current, literal)
}
