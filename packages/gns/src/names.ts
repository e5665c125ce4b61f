/**
 * Names of spaces, models, fields, users and property keys (BlueQL spec §1.2, §1.3, §2.1).
 *
 * A name is an identifier: an ASCII letter or `_`, then letters, digits and `_`; case-sensitive;
 * not one of the reserved words and not `true`/`false`, both compared ignoring ASCII case. skydb
 * also bounds its length (`nameBytesMax`), which the spec leaves open.
 */
import { assert } from '@sky/std'
import { GnsInvalidNameError } from './errors.js'
import { nameBytesMax } from './internal/limits.js'

/** The reserved words of BlueQL, lowercase (spec §1.3). */
export const keywords: ReadonlySet<string> = new Set([
  ...['sysctl', 'create', 'alter', 'drop', 'use', 'inspect', 'describe', 'insert', 'select'],
  ...['update', 'delete', 'exists', 'table', 'model', 'space', 'index', 'type', 'function'],
  ...['rename', 'add', 'remove', 'transform', 'set', 'return', 'order', 'sort', 'group', 'limit'],
  ...['asc', 'desc', 'all', 'by', 'with', 'on', 'from', 'into', 'as', 'to', 'in', 'of', 'and'],
  ...['or', 'not', 'if', 'else', 'where', 'when', 'allow', 'auto', 'default', 'null'],
  ...['transaction', 'batch', 'lock', 'read', 'write', 'begin', 'end', 'key', 'value', 'primary'],
  ...['truncate'],
])

// The spec's prose says 63 reserved words; its lists (§1.3) name 62, which is what is checked.
assert(keywords.size === 62, 'the reserved words of spec §1.3')

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Why `name` is not a valid name, or undefined when it is. */
export function nameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'not a string'
  if (name.length === 0) return 'empty'
  if (name.length > nameBytesMax) return `longer than ${nameBytesMax} bytes`
  if (!identifier.test(name)) return 'not an identifier ([A-Za-z_][A-Za-z0-9_]*)'
  const lower = name.toLowerCase()
  if (keywords.has(lower)) return 'a keyword'
  if (lower === 'true' || lower === 'false') return 'a boolean literal'
  return undefined
}

/**
 * True when `name` may name a space, model, field, user or property key.
 *
 * @example
 * ```ts
 * isValidName('users')  // true
 * isValidName('key')    // false: a keyword
 * ```
 */
export function isValidName(name: unknown): name is string {
  return nameProblem(name) === undefined
}

/** @throws GnsInvalidNameError when `name` is not a valid name. */
export function checkName(name: unknown): asserts name is string {
  const problem = nameProblem(name)
  if (problem !== undefined) throw new GnsInvalidNameError(String(name), problem)
}
