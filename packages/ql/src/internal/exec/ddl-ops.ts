/**
 * DDL statements as catalog operations: each parsed `create`/`alter`/`drop` and `sysctl` user
 * statement becomes the `DdlOp` `@sky/gns` checks and applies (names, types, properties, existence
 * and the alter rules are the catalog's; the syntax was the parser's).
 *
 * Invariant: the translation loses nothing the catalog checks: type names are passed as written
 * (so `String`, a bare `list` or type properties reach it and get 105), and dicts keep their nulls.
 */
import type {
  AlterFieldInput,
  AlterModelAction,
  DdlOp,
  DictInput,
  Literal as GnsLiteral,
  TypeSpecInput,
} from '@sky/gns'
import type { AlterFieldSpec, Dict, DictEntry, DictValue, Literal, TypeSpec } from '../../ast.js'
import type {
  AlterModelAddStatement,
  AlterModelRemoveStatement,
  AlterModelUpdateStatement,
  AlterSpaceStatement,
  CreateModelStatement,
  CreateSpaceStatement,
  DropSpaceStatement,
} from '../../ast.js'
import { literalParameter } from '../literal.js'

type DictInputValue = GnsLiteral | DictInput | null

function literalInput(literal: Literal): GnsLiteral {
  const input = literalParameter(literal)
  // The catalog keeps the bytes: copy them, so the statement's buffer can be reused.
  return input.type === 'binary' ? { type: 'binary', value: input.value.slice() } : input
}

function valueInput(value: DictValue): DictInputValue {
  if (value.kind === 'null') return null
  if (value.kind === 'dict') return dictInput(value)
  return literalInput(value)
}

function entriesInput(entries: readonly DictEntry[]): DictInput {
  const result = new Map<string, DictInputValue>()
  for (const entry of entries) result.set(entry.key.text, valueInput(entry.value))
  return result
}

/** A parsed dict as the catalog takes it: a Map of literals, nulls and nested Maps. */
export function dictInput(dict: Dict): DictInput {
  return entriesInput(dict.entries)
}

/** A written type as the catalog takes it (checked there: unknown names, properties → 105). */
export function typeInput(spec: TypeSpec): TypeSpecInput {
  const properties = spec.properties.length > 0 ? { properties: entriesInput(spec.properties) } : {}
  const element = spec.elementType === null ? {} : { element: typeInput(spec.elementType) }
  return { name: spec.name.text, ...element, ...properties }
}

function alterFieldInput(spec: AlterFieldSpec): AlterFieldInput {
  const properties = new Map<string, DictInputValue>()
  if (spec.nullable !== null) properties.set('nullable', valueInput(spec.nullable))
  for (const entry of spec.properties) properties.set(entry.key.text, valueInput(entry.value))
  const type = spec.type === null ? {} : { type: typeInput(spec.type) }
  return { name: spec.name.text, ...type, properties }
}

function propertiesOf(dict: Dict | null): { properties?: DictInput } {
  return dict === null ? {} : { properties: dictInput(dict) }
}

/** `create space`. */
export function createSpaceOp(statement: CreateSpaceStatement): DdlOp {
  return {
    kind: 'createSpace',
    name: statement.name.text,
    ifNotExists: statement.ifNotExists,
    ...propertiesOf(statement.properties),
  }
}

/** `alter space`. */
export function alterSpaceOp(statement: AlterSpaceStatement): DdlOp {
  const name = statement.name.text
  return { kind: 'alterSpace', name, properties: dictInput(statement.properties) }
}

/** `drop space`. */
export function dropSpaceOp(statement: DropSpaceStatement): DdlOp {
  return {
    kind: 'dropSpace',
    name: statement.name.text,
    ifExists: statement.ifExists,
    allowNotEmpty: statement.allowNotEmpty,
  }
}

/** `create model`. */
export function createModelOp(statement: CreateModelStatement): DdlOp {
  const fields = statement.fields.map((field) => ({
    name: field.name.text,
    type: typeInput(field.type),
    nullable: field.nullable,
    primary: field.primary,
  }))
  return {
    kind: 'createModel',
    space: statement.entity.space.text,
    name: statement.entity.model.text,
    ifNotExists: statement.ifNotExists,
    fields,
    ...propertiesOf(statement.properties),
  }
}

/** `alter model … add | update | remove`. */
export function alterModelOp(
  statement: AlterModelAddStatement | AlterModelUpdateStatement | AlterModelRemoveStatement,
): DdlOp {
  const target = { space: statement.entity.space.text, name: statement.entity.model.text }
  let action: AlterModelAction
  switch (statement.kind) {
    case 'alter-model-add':
      action = { kind: 'add', fields: statement.fields.map(alterFieldInput) }
      break
    case 'alter-model-update':
      action = { kind: 'update', fields: statement.fields.map(alterFieldInput) }
      break
    case 'alter-model-remove':
      action = { kind: 'remove', names: statement.fields.map((field) => field.text) }
      break
  }
  return { kind: 'alterModel', ...target, action }
}
