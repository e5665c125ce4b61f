/**
 * The DML statements (blueql.md §4.9-4.13): insert, select, select all, update, delete, run
 * synchronously inside one `Txn` (an autocommit statement or an explicit transaction).
 *
 * Each function checks in the spec's order (model 100, WHERE 110, row 111, columns 101, values
 * 109, duplicate 108) and writes at most once, after every check passed, so a failing statement
 * leaves its transaction as it was (statement-level atomicity).
 */
import type { Field } from '@sky/gns'
import { assert } from '@sky/std'
import type { Key, Row, Txn, Value } from '@sky/txn'
import type {
  Columns,
  DeleteStatement,
  InsertStatement,
  SelectAllStatement,
  SelectStatement,
  UpdateStatement,
} from '../../ast.js'
import { QueryError } from '../../errors.js'
import { emptyResult } from '../../result.js'
import type { EmptyResult, MultiRowResult, ResultValue, RowResult } from '../../result.js'
import { applyAssignment } from './assignment.js'
import { storeInsertValue } from './insert-values.js'
import type { FunctionSource } from './insert-values.js'
import { addressedKey, fieldIndex, resolveModel } from './model-ref.js'
import type { ResolvedModel, StatementContext } from './model-ref.js'
import { cellOf, keyResultValue, toResultValue, validationError } from './values.js'

/** Rows one scan call asks the store for. */
const scanPageRows = 4096

/** What DML needs beyond the statement context. */
export interface DmlContext extends StatementContext {
  readonly functions: FunctionSource
  /** Most rows a `select all` may return. */
  readonly resultRowsMax: number
}

function rowNotFound(resolved: ResolvedModel): QueryError {
  const { model } = resolved
  return new QueryError('QL_ROW_NOT_FOUND', `no such row in ${model.space}.${model.name}`)
}

/** `insert into m (…)` / `{…}`: Empty, or 100, 109, 108. */
export function runInsert(context: DmlContext, txn: Txn, statement: InsertStatement): EmptyResult {
  const resolved = resolveModel(context, statement.entity)
  const { fields } = resolved.model
  const row: Value[] = new Array<Value>(fields.length)
  const { data } = statement
  if (data.kind === 'tuple') {
    if (data.values.length !== fields.length) {
      throw validationError(`${fields.length} values expected, got ${data.values.length}`)
    }
    data.values.forEach((value, index) => {
      row[index] = storeInsertValue(value, fields[index]!, context.functions)
    })
  } else {
    for (const entry of data.entries) {
      if (fieldIndex(resolved.model, entry.key.text) < 0) {
        throw validationError(`unknown field ${entry.key.text}`)
      }
    }
    if (data.entries.length !== fields.length) {
      throw validationError(`${fields.length} values expected, got ${data.entries.length}`)
    }
    for (const entry of data.entries) {
      const index = fieldIndex(resolved.model, entry.key.text)
      row[index] = storeInsertValue(entry.value, fields[index]!, context.functions)
    }
  }
  const key = row[resolved.primaryIndex]
  assert(key !== undefined && key !== null && typeof key !== 'boolean', 'the key is stored')
  if (txn.exists(resolved.storeId, key as Key)) {
    throw new QueryError('QL_DUPLICATE_KEY', `a row with this primary key exists`)
  }
  txn.insert(resolved.storeId, key as Key, row)
  return emptyResult
}

/** The field indexes of a column list, or null for `*`. */
function columnIndexes(resolved: ResolvedModel, columns: Columns): number[] | null {
  if (columns === '*') return null
  return columns.map((column) => {
    const index = fieldIndex(resolved.model, column.text)
    if (index < 0) throw new QueryError('QL_UNKNOWN_FIELD', `unknown field ${column.text}`)
    return index
  })
}

function cellValue(fields: readonly Field[], row: Row, index: number): ResultValue {
  const field = fields[index]
  assert(field !== undefined, 'a column index is in range')
  return toResultValue(cellOf(row, index), field.type)
}

/** `select cols from m where pk = ?`: a Row, or 100, 110, 111, 101. */
export function runSelect(context: DmlContext, txn: Txn, statement: SelectStatement): RowResult {
  const resolved = resolveModel(context, statement.entity)
  const { literal, key } = addressedKey(resolved, statement.where)
  const row = txn.get(resolved.storeId, key)
  if (row === undefined) throw rowNotFound(resolved)
  const { fields } = resolved.model
  const indexes = columnIndexes(resolved, statement.columns) ?? fields.map((_, index) => index)
  // The primary key cell takes the query literal's type, as in Skytable (blueql.md §4.10).
  const values = indexes.map((index) =>
    index === resolved.primaryIndex ? keyResultValue(literal) : cellValue(fields, row, index),
  )
  return { type: 'row', values }
}

/** `select all cols from m limit n`: a MultiRow, or 100, 101. */
export function runSelectAll(
  context: DmlContext,
  txn: Txn,
  statement: SelectAllStatement,
): MultiRowResult {
  const resolved = resolveModel(context, statement.entity)
  const { fields } = resolved.model
  const named = columnIndexes(resolved, statement.columns)
  if (named !== null && named.length > fields.length) {
    throw new QueryError('QL_UNKNOWN_FIELD', `more columns than ${resolved.model.name} has`)
  }
  const indexes = named ?? fields.map((_, index) => index)
  const limit = statement.limit.value
  const rows: ResultValue[][] = []
  let from: Key | undefined
  while (BigInt(rows.length) < limit) {
    const wanted = Math.min(Number(limit - BigInt(rows.length)), scanPageRows)
    const range = from === undefined ? {} : { from, fromExclusive: true }
    const page = txn.scan(resolved.storeId, { ...range, limit: wanted })
    for (const entry of page.entries) {
      if (rows.length >= context.resultRowsMax) {
        const message = `select all returns at most ${context.resultRowsMax} rows`
        throw new QueryError('QL_LIMIT_EXCEEDED', message)
      }
      rows.push(indexes.map((index) => cellValue(fields, entry.row, index)))
    }
    if (page.resume === undefined) break
    from = page.resume
  }
  return { type: 'multirow', columnCount: indexes.length, rows }
}

/** `update m set … where pk = ?`: Empty, or 100, 110, 111, 101, 109. */
export function runUpdate(context: DmlContext, txn: Txn, statement: UpdateStatement): EmptyResult {
  const resolved = resolveModel(context, statement.entity)
  const { key } = addressedKey(resolved, statement.where)
  const { fields } = resolved.model
  const old = txn.get(resolved.storeId, key)
  if (old === undefined) throw rowNotFound(resolved)
  const next: Value[] = fields.map((_, index) => cellOf(old, index))
  for (const assignment of statement.assignments) {
    const index = fieldIndex(resolved.model, assignment.field.text)
    if (index < 0 || index === resolved.primaryIndex) {
      throw new QueryError('QL_UNKNOWN_FIELD', `cannot update ${assignment.field.text}`)
    }
    const field = fields[index]!
    next[index] = applyAssignment(field, next[index] ?? null, assignment.operator, assignment.value)
  }
  txn.update(resolved.storeId, key, next)
  return emptyResult
}

/** `delete from m where pk = ?`: Empty, or 100, 110, 111. */
export function runDelete(context: DmlContext, txn: Txn, statement: DeleteStatement): EmptyResult {
  const resolved = resolveModel(context, statement.entity)
  const { key } = addressedKey(resolved, statement.where)
  if (!txn.exists(resolved.storeId, key)) throw rowNotFound(resolved)
  txn.delete(resolved.storeId, key)
  return emptyResult
}

/** The number of rows of a model as `txn` sees them (for `inspect model`). */
export function countRows(txn: Txn, storeId: string): number {
  let count = 0
  let from: Key | undefined
  for (;;) {
    const range = from === undefined ? {} : { from, fromExclusive: true }
    const page = txn.scan(storeId, { ...range, limit: scanPageRows })
    count += page.entries.length
    if (page.resume === undefined) return count
    from = page.resume
  }
}
