/**
 * Running DDL and user management (blueql.md §4.1-4.6, §4.14) through the engine's `ddl`, which
 * makes each statement durable (two-phase when it changes data) before it resolves.
 *
 * Results: Empty, or `Bool(changed)` for `create … if not exists` and `drop … if exists`. The
 * caller holds the executor's DDL gate exclusively (no DML runs meanwhile) and has checked that
 * the user is root and no transaction is open.
 */
import type { DdlOp } from '@sky/gns'
import { isSkyError } from '@sky/std'
import type { Statement } from '../../ast.js'
import { QueryError } from '../../errors.js'
import type { QueryEngine } from '../../query-engine.js'
import { emptyResult } from '../../result.js'
import type { QueryResult } from '../../result.js'
import {
  alterModelOp,
  alterSpaceOp,
  createModelOp,
  createSpaceOp,
  dictInput,
  dropSpaceOp,
} from './ddl-ops.js'
import { toQueryError } from './error-map.js'

/** The statements that change the catalog's spaces and models. */
export type DdlStatement = Extract<
  Statement,
  {
    kind:
      | 'create-space'
      | 'alter-space'
      | 'drop-space'
      | 'create-model'
      | 'alter-model-add'
      | 'alter-model-update'
      | 'alter-model-remove'
      | 'drop-model'
  }
>

/** The `sysctl` statements that manage users. */
export type UserStatement = Extract<
  Statement,
  { kind: 'sysctl-create-user' | 'sysctl-alter-user' | 'sysctl-drop-user' }
>

/** Whether the model holds a row now (a drop of it needs `allow not empty`). */
async function modelHasData(engine: QueryEngine, space: string, name: string): Promise<boolean> {
  const model = engine.catalog().model(space, name)
  if (model === undefined || model.unavailable !== undefined) return false
  const storeId = engine.storeId(model)
  const { result } = await engine.manager.autocommit((txn) => {
    try {
      return txn.scan(storeId, { limit: 1 }).entries.length > 0
    } catch (error) {
      if (isSkyError(error, 'TXN_UNKNOWN_MODEL')) return false // no store: no rows
      throw error
    }
  })
  return result
}

async function opOf(engine: QueryEngine, statement: DdlStatement): Promise<DdlOp> {
  switch (statement.kind) {
    case 'create-space':
      return createSpaceOp(statement)
    case 'alter-space':
      return alterSpaceOp(statement)
    case 'drop-space':
      return dropSpaceOp(statement)
    case 'create-model':
      return createModelOp(statement)
    case 'alter-model-add':
    case 'alter-model-update':
    case 'alter-model-remove':
      return alterModelOp(statement)
    case 'drop-model': {
      const space = statement.entity.space.text
      const name = statement.entity.model.text
      return {
        kind: 'dropModel',
        space,
        name,
        ifExists: statement.ifExists,
        allowNotEmpty: statement.allowNotEmpty,
        hasData: await modelHasData(engine, space, name),
      }
    }
  }
}

function withIfClause(statement: DdlStatement): boolean {
  switch (statement.kind) {
    case 'create-space':
    case 'create-model':
      return statement.ifNotExists
    case 'drop-space':
    case 'drop-model':
      return statement.ifExists
    default:
      return false
  }
}

/**
 * Runs one DDL statement. REQUIRES: the caller holds the DDL gate exclusively.
 *
 * @throws QueryError with the catalog's code (100-107, 112, 28 for a bad name), or 0/4 for
 *   storage and two-phase conflicts.
 */
export async function runDdl(engine: QueryEngine, statement: DdlStatement): Promise<QueryResult> {
  try {
    const result = await engine.ddl(await opOf(engine, statement))
    return withIfClause(statement) ? { type: 'bool', value: result.changed } : emptyResult
  } catch (error) {
    throw toQueryError(error)
  }
}

/**
 * Runs `sysctl create/alter/drop user`. REQUIRES: the user running it is root. `alter user`
 * always fails with 3, as in Skytable 0.8 (blueql.md §4.14).
 *
 * @throws QueryError 3 (existing user, unknown user, yourself, alter), 102 (bad properties).
 */
export async function runUserStatement(
  engine: QueryEngine,
  statement: UserStatement,
  actor: string,
): Promise<QueryResult> {
  const name = statement.user.text
  let op: DdlOp
  switch (statement.kind) {
    case 'sysctl-alter-user':
      throw new QueryError('QL_AUTH_ERROR', 'sysctl alter user is refused, as in Skytable 0.8')
    case 'sysctl-create-user':
      op = { kind: 'createUser', name, properties: dictInput(statement.properties) }
      break
    case 'sysctl-drop-user':
      op = { kind: 'dropUser', name, actor }
      break
  }
  try {
    await engine.ddl(op)
    return emptyResult
  } catch (error) {
    throw toQueryError(error)
  }
}
