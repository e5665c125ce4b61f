/**
 * The shape rule of inline lists (blueql.md §2.2, §4.9): a list holds only lists or only scalars
 * of one class, and nested lists agree in shape, at every depth; empty lists fit anywhere.
 *
 * A placeholder counts as a scalar of unknown class, so the rule runs at parse time with what
 * the text tells (bools, functions) and again after binding with every class known.
 *
 * Invariants: `mergeShapes` is commutative and associative on what it accepts, so the verdict
 * does not depend on element order; it never recurses deeper than the list it is given.
 */
import type { ListElement, ListValue, LiteralKind, Placeholder } from '../ast.js'

/** A scalar of a class (null: not known yet), or a list of elements of a shape (null: empty). */
type Shape =
  | { readonly tag: 'scalar'; readonly kind: LiteralKind | null }
  | { readonly tag: 'list'; readonly element: Shape | null }

/** Where and why a list breaks the rule. */
export interface ListConflict {
  readonly offset: number
  readonly reason: string
}

const FUNCTION_KINDS = { uuidstr: 'string', uuidbin: 'binary', timesec: 'uint' } as const

function describe(shape: Shape): string {
  if (shape.tag === 'list') return shape.element === null ? '[]' : `[${describe(shape.element)}]`
  return shape.kind ?? 'scalar'
}

function mergeShapes(left: Shape, right: Shape): Shape | null {
  if (left.tag === 'scalar' && right.tag === 'scalar') {
    if (left.kind !== null && right.kind !== null && left.kind !== right.kind) return null
    return left.kind === null ? right : left
  }
  if (left.tag === 'list' && right.tag === 'list') {
    if (left.element === null) return right
    if (right.element === null) return left
    const element = mergeShapes(left.element, right.element)
    return element === null ? null : { tag: 'list', element }
  }
  return null
}

function shapeOf(element: ListElement<Placeholder>): Shape | ListConflict {
  switch (element.kind) {
    case 'list':
      return listShape(element)
    case 'function':
      return { tag: 'scalar', kind: FUNCTION_KINDS[element.name] }
    case 'placeholder':
      return { tag: 'scalar', kind: null }
    default:
      return { tag: 'scalar', kind: element.kind }
  }
}

function listShape(list: ListValue<Placeholder>): Shape | ListConflict {
  let merged: Shape | null = null
  for (const element of list.elements) {
    const shape = shapeOf(element)
    if (!('tag' in shape)) return shape
    if (merged === null) {
      merged = shape
      continue
    }
    const next: Shape | null = mergeShapes(merged, shape)
    if (next === null) {
      const reason = `${describe(shape)} does not fit ${describe(merged)}`
      return { offset: element.span.start, reason }
    }
    merged = next
  }
  return { tag: 'list', element: merged }
}

/** The first place where `list` breaks the shape rule, or null when it follows it. */
export function listConflict(list: ListValue<Placeholder>): ListConflict | null {
  const shape = listShape(list)
  return 'tag' in shape ? null : shape
}
