/**
 * A literal as a typed value `{ type, value }`: the shape shared by a protocol parameter and a
 * catalog property literal, so the formatter and the DDL executor convert literals one way.
 */
import { unreachable } from '@sky/std'
import type { Literal } from '../ast.js'
import type { Parameter } from '../parameter.js'

/** A non-null parameter: what a literal becomes. */
export type LiteralValue = Exclude<Parameter, { readonly type: 'null' }>

export function literalParameter(literal: Literal): LiteralValue {
  switch (literal.kind) {
    case 'bool':
      return { type: 'bool', value: literal.value }
    case 'uint':
      return { type: 'uint', value: literal.value }
    case 'sint':
      return { type: 'sint', value: literal.value }
    case 'float':
      return { type: 'float', value: literal.value }
    case 'binary':
      return { type: 'binary', value: literal.value }
    case 'string':
      return { type: 'string', value: literal.value }
    default:
      return unreachable(literal)
  }
}
