/**
 * Checks and prints values. A value is a string or a finite number; `NaN` is refused because it is
 * not equal to itself, which would break the "each value is unique per key" bookkeeping.
 */
import type { Value } from '../history.js'

/** Whether `value` is a usable register value or list element. */
export function isValue(value: unknown): value is Value {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))
}

/** Whether `list` is an array of values; a plain loop, as lists can hold millions in total. */
export function isValueList(list: unknown): list is Value[] {
  if (!Array.isArray(list)) return false
  for (let position = 0; position < list.length; position += 1) {
    const element: unknown = list[position]
    if (typeof element === 'string') continue
    if (typeof element !== 'number' || !Number.isFinite(element)) return false
  }
  return true
}

const listElementsShownMax = 8

/** Prints a value, `nil` or a list compactly: strings quoted, long lists elided in the middle. */
export function formatValue(value: Value | null | readonly Value[]): string {
  if (value === null) return 'nil'
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number') return String(value)
  if (value.length <= listElementsShownMax) return `[${value.map(formatValue).join(' ')}]`
  const head = value.slice(0, listElementsShownMax / 2).map(formatValue)
  const tail = value.slice(-listElementsShownMax / 2).map(formatValue)
  const elided = value.length - listElementsShownMax
  return `[${head.join(' ')} …${elided} more… ${tail.join(' ')}]`
}
