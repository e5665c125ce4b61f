/**
 * Resolving what a DML statement names: the model (blueql.md §2.1, a bare name against the
 * session's current space), a field, and the row a WHERE clause addresses (§4.10: exactly one row,
 * by `pk = lit`).
 *
 * Invariant: a model returned here is available (its definition is known) and its store id is the
 * engine's; a key returned here is of the primary key's class.
 */
import type { CatalogVersion, Field, Model } from '@sky/gns'
import { assert } from '@sky/std'
import type { Key } from '@sky/txn'
import type { Condition, EntityRef, Literal } from '../../ast.js'
import { QueryError } from '../../errors.js'
import type { QueryEngine } from '../../query-engine.js'
import { keyClassMatches, keyOf } from './values.js'

/** What every statement runs against: one catalog version and the session's state. */
export interface StatementContext {
  readonly engine: QueryEngine
  readonly catalog: CatalogVersion
  readonly currentSpace: string | null
  /** Called with every model a statement resolves (transactions check its definition). */
  readonly onModel: ((model: Model) => void) | undefined
}

/** A resolved model with what DML needs of it. */
export interface ResolvedModel {
  readonly model: Model
  readonly storeId: string
  readonly primaryIndex: number
}

/**
 * The model an entity names.
 *
 * @throws QueryError 100 when the space or model does not exist; 0 when the model's definition
 *   was lost to damage (only `drop model` is allowed on it).
 */
export function resolveModel(context: StatementContext, entity: EntityRef): ResolvedModel {
  const space = entity.space?.text ?? context.currentSpace
  // The parser refuses a bare name when the session has no current space (hasCurrentSpace).
  assert(space !== null, 'a bare model name is parsed only with a current space')
  const model = context.catalog.model(space, entity.model.text)
  if (model === undefined) {
    throw new QueryError('QL_OBJECT_NOT_FOUND', `model ${space}.${entity.model.text} not found`)
  }
  if (model.unavailable !== undefined) {
    throw new QueryError(
      'QL_SERVER_ERROR',
      `model ${space}.${model.name} is unavailable: ${model.unavailable}`,
    )
  }
  context.onModel?.(model)
  const primaryIndex = model.fields.findIndex((field) => field.name === model.primaryKey)
  assert(primaryIndex >= 0, 'an available model has its primary key among its fields')
  return { model, storeId: context.engine.storeId(model), primaryIndex }
}

/** The index of a field by name, or -1. */
export function fieldIndex(model: Model, name: string): number {
  return model.fields.findIndex((field) => field.name === name)
}

/** The primary key field of a resolved model. */
export function primaryField(resolved: ResolvedModel): Field {
  const field = resolved.model.fields[resolved.primaryIndex]
  assert(field !== undefined, 'the primary index is in range')
  return field
}

/**
 * The primary key literal and store key a WHERE clause addresses.
 *
 * @throws QueryError 110 when there is no `pk = lit` condition or its literal is not of the
 *   primary key's class (conditions on other fields are accepted and ignored).
 */
export function addressedKey(
  resolved: ResolvedModel,
  where: readonly Condition[],
): { readonly literal: Literal; readonly key: Key } {
  const field = primaryField(resolved)
  const condition = where.find((candidate) => candidate.field.text === field.name)
  if (condition === undefined || condition.operator !== '=') {
    throw new QueryError('QL_WHERE_NOT_INDEXED', `the WHERE clause needs ${field.name} = ?`)
  }
  if (!keyClassMatches(field, condition.value)) {
    throw new QueryError(
      'QL_WHERE_NOT_INDEXED',
      `${field.name} is ${field.type.kind}; a ${condition.value.kind} cannot address it`,
    )
  }
  return { literal: condition.value, key: keyOf(condition.value) }
}
