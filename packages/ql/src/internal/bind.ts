/**
 * Binding: parameters → the values of a compiled statement, with Skytable's error order.
 *
 * Skytable decodes a parameter when its lexer reaches the `?` (error 25 there), parses with null
 * parameters as the `null` keyword and missing ones as a plain `?`, and stops at the first
 * error. So, in order: parameters of every `?` before the first bad byte are decoded (25); the
 * bad byte is reported (26); each slot before the parse failure checks its parameter (its own
 * code); then the parse failure, or on success the shape of inline lists (28).
 *
 * Invariants: a bound statement holds no placeholder; parameters past the last `?` are ignored
 * (blueql.md §1.4); a template without placeholders is returned as is (trees are immutable).
 */
import { assert } from '@sky/std'
import type {
  InsertValue,
  Literal,
  NullValue,
  Placeholder,
  Statement,
  StatementTemplate,
} from '../ast.js'
import { QueryError, locate } from '../errors.js'
import { parameterToValue } from '../parameter.js'
import type { Parameter } from '../parameter.js'
import type { CompileFailure, Compiled } from './compile.js'
import type { Slot } from './cursor.js'
import { listConflict } from './list-shape.js'

type BoundValue = Literal | NullValue

function accepts(slot: Slot, value: BoundValue): boolean {
  switch (slot.accept) {
    case 'value':
      return true
    case 'literal':
      return value.kind !== 'null'
    case 'uint':
      return value.kind === 'uint'
    case 'null':
      return value.kind === 'null'
  }
}

/** Decodes the parameters the lexer reaches and reports a parameter the protocol could not read. */
function decodeReached(
  compiled: Compiled | CompileFailure,
  parameters: readonly Parameter[],
  parameterError: unknown,
): BoundValue[] {
  const { placeholderOffsets } = compiled
  const values: BoundValue[] = []
  const count = Math.min(parameters.length, placeholderOffsets.length)
  for (let index = 0; index < count; index += 1) {
    const offset = placeholderOffsets[index]
    const parameter = parameters[index]
    assert(offset !== undefined && parameter !== undefined, 'index below both lengths')
    values.push(parameterToValue(parameter, index, { start: offset, end: offset + 1 }))
  }
  const brokenOffset = placeholderOffsets[parameters.length]
  if (parameterError !== undefined && parameterError !== null && brokenOffset !== undefined) {
    const index = parameters.length
    throw new QueryError('QL_INVALID_PARAMETER', `parameter ${index} could not be decoded`, {
      position: locate(compiled.text, brokenOffset),
      parameterIndex: index,
      cause: parameterError,
    })
  }
  return values
}

function checkSlots(compiled: Compiled | CompileFailure, values: readonly BoundValue[]): void {
  for (const slot of compiled.slots) {
    const value = values[slot.index]
    if (value !== undefined && accepts(slot, value)) continue
    const options = {
      position: locate(compiled.text, slot.offset),
      statementKeyword: compiled.statementKeyword,
      parameterIndex: slot.index,
    }
    if (value === undefined) {
      const message = `no parameter for '?' number ${slot.index} (${slot.what})`
      throw new QueryError(slot.missingCode, message, options)
    }
    const message = `a ${value.kind} parameter is not accepted as ${slot.what}`
    throw new QueryError(slot.rejectCode, message, options)
  }
}

/**
 * Where a template's placeholders are: a placeholder's index, or for a node above some, the plans
 * of the children (by property name or array index) that hold them. Children without
 * placeholders are absent: binding copies only the nodes on a path to a placeholder.
 */
type Plan = number | ReadonlyMap<string | number, Plan>

/**
 * Plans by template, made on first bind: walking the whole tree (every property of every node)
 * at each bind was the costliest step of running a cached statement.
 */
const plans = new WeakMap<object, Plan | null>()

/** The plan of `node`, or null when it holds no placeholder (spans and bytes are not entered). */
function planOf(node: unknown): Plan | null {
  if (typeof node !== 'object' || node === null || node instanceof Uint8Array) return null
  const children = new Map<string | number, Plan>()
  if (Array.isArray(node)) {
    node.forEach((item: unknown, index) => {
      const plan = planOf(item)
      if (plan !== null) children.set(index, plan)
    })
  } else {
    const record = node as Record<string, unknown>
    if (record['kind'] === 'placeholder') return (record as unknown as Placeholder).index
    for (const key of Object.keys(record)) {
      if (key === 'span') continue
      const plan = planOf(record[key])
      if (plan !== null) children.set(key, plan)
    }
  }
  return children.size === 0 ? null : children
}

/** Copies `node` along `plan` with every placeholder replaced; other subtrees are shared. */
function applyPlan(node: unknown, plan: Plan, values: readonly BoundValue[]): unknown {
  if (typeof plan === 'number') {
    const value = values[plan]
    assert(value !== undefined, 'every placeholder was checked by its slot')
    return value
  }
  const source = node as Record<string | number, unknown>
  const copy: Record<string | number, unknown> = Array.isArray(node)
    ? (node.slice() as unknown as Record<number, unknown>)
    : { ...source }
  for (const [key, child] of plan) copy[key] = applyPlan(source[key], child, values)
  return copy
}

/** Copies `template` with every placeholder replaced; unchanged subtrees are shared. */
function substitute(template: StatementTemplate, values: readonly BoundValue[]): unknown {
  let plan = plans.get(template)
  if (plan === undefined) plans.set(template, (plan = planOf(template)))
  return plan === null ? template : applyPlan(template, plan, values)
}

function checkInsertLists(compiled: Compiled, statement: Statement): void {
  if (statement.kind !== 'insert') return
  const { data } = statement
  const values: readonly InsertValue[] =
    data.kind === 'tuple' ? data.values : data.entries.map((entry) => entry.value)
  for (const value of values) {
    if (value.kind !== 'list') continue
    const conflict = listConflict(value)
    if (conflict === null) continue
    throw new QueryError('QL_INVALID_SYNTAX', `list elements disagree: ${conflict.reason}`, {
      position: locate(compiled.text, conflict.offset),
      statementKeyword: compiled.statementKeyword,
    })
  }
}

/**
 * The statement `compiled` gives with `parameters`, or the error Skytable would answer.
 *
 * @throws QueryError as described in the file comment; TypeError for a malformed Parameter.
 */
export function bindCompiled(
  compiled: Compiled | CompileFailure,
  parameters: readonly Parameter[],
  parameterError: unknown,
): Statement {
  if (!Array.isArray(parameters)) throw new TypeError('parameters must be an array')
  const values = decodeReached(compiled, parameters, parameterError)
  if (!compiled.ok && compiled.error.code === 'QL_UNEXPECTED_BYTE') throw compiled.error
  checkSlots(compiled, values)
  if (!compiled.ok) throw compiled.error
  const template: StatementTemplate = compiled.template
  // Without slots the template holds no placeholder: it already is a bound statement.
  const bound = compiled.slots.length === 0 ? template : substitute(template, values)
  const statement = bound as Statement
  checkInsertLists(compiled, statement)
  return statement
}
