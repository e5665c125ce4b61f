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

/** Copies `node` with every placeholder replaced; unchanged subtrees are shared. */
function substitute(node: unknown, values: readonly BoundValue[]): unknown {
  if (Array.isArray(node)) {
    let changed = false
    const copy = node.map((item: unknown) => {
      const bound = substitute(item, values)
      changed ||= bound !== item
      return bound
    })
    return changed ? copy : node
  }
  if (typeof node !== 'object' || node === null || node instanceof Uint8Array) return node
  const record = node as Record<string, unknown>
  if (record['kind'] === 'placeholder') {
    const value = values[(record as unknown as Placeholder).index]
    assert(value !== undefined, 'every placeholder was checked by its slot')
    return value
  }
  let copy: Record<string, unknown> | null = null
  for (const key of Object.keys(record)) {
    if (key === 'span') continue
    const before = record[key]
    const after = substitute(before, values)
    if (after === before) continue
    copy ??= { ...record }
    copy[key] = after
  }
  return copy ?? node
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
