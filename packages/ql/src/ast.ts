/**
 * The BlueQL abstract syntax tree (blueql.md §4, plus skydb's transaction statements).
 *
 * Every statement type takes a type parameter `P`: `never` for a bound {@link Statement}, whose
 * values are all concrete, and {@link Placeholder} for a {@link StatementTemplate}, where each `?`
 * the parser met in a value position is still a placeholder. Binding replaces placeholders and
 * changes nothing else.
 *
 * Invariants: every node has a `span` of byte offsets into the query text, start inclusive and
 * end exclusive, and spans nest; lists, dicts and fields keep source order; a dict holds no key
 * twice; nothing in this file is mutated after parsing (trees may be shared through a cache).
 */

/** Byte offsets `[start, end)` into the query text. */
export interface Span {
  readonly start: number
  readonly end: number
}

/** A user-chosen name: space, model, field, dict key, type or user name. Case is kept. */
export interface Identifier {
  readonly kind: 'identifier'
  readonly text: string
  readonly span: Span
}

interface LiteralBase {
  readonly span: Span
  /** The parameter (0-based) this value came from, or null for text (`true`, `false`, `null`). */
  readonly parameterIndex: number | null
}

/** `true`, `false`, or a bool parameter. */
export interface BoolLiteral extends LiteralBase {
  readonly kind: 'bool'
  readonly value: boolean
}

/** An unsigned integer parameter (0 to 2^64 − 1). */
export interface UintLiteral extends LiteralBase {
  readonly kind: 'uint'
  readonly value: bigint
}

/** A signed integer parameter (−2^63 to 2^63 − 1). */
export interface SintLiteral extends LiteralBase {
  readonly kind: 'sint'
  readonly value: bigint
}

/** A float parameter (any 64-bit float, NaN and infinities included). */
export interface FloatLiteral extends LiteralBase {
  readonly kind: 'float'
  readonly value: number
}

/** A binary parameter. */
export interface BinaryLiteral extends LiteralBase {
  readonly kind: 'binary'
  readonly value: Uint8Array
}

/** A string parameter. */
export interface StringLiteral extends LiteralBase {
  readonly kind: 'string'
  readonly value: string
}

/** Any literal ("lit" in blueql.md): what a value position accepts besides `null`. */
export type Literal =
  | BoolLiteral
  | UintLiteral
  | SintLiteral
  | FloatLiteral
  | BinaryLiteral
  | StringLiteral

/** The class of a literal: `Literal['kind']`. */
export type LiteralKind = Literal['kind']

/** The `null` keyword, or a null parameter where `null` is accepted. */
export interface NullValue extends LiteralBase {
  readonly kind: 'null'
}

/** A `?` not yet bound to a parameter (templates only). */
export interface Placeholder {
  readonly kind: 'placeholder'
  /** Which parameter it takes: the number of `?` before it in the text. */
  readonly index: number
  readonly span: Span
}

/** The functions of insert values (case-sensitive names). */
export type FunctionName = 'uuidstr' | 'uuidbin' | 'timesec'

/** `@uuidstr()` (string), `@uuidbin()` (binary) or `@timesec()` (uint), in an insert. */
export interface FunctionCall {
  readonly kind: 'function'
  readonly name: FunctionName
  readonly span: Span
}

/** An inline list `[…]` in an insert. Its elements are all lists or all of one class. */
export interface ListValue<P extends Placeholder = never> {
  readonly kind: 'list'
  readonly elements: readonly ListElement<P>[]
  readonly span: Span
}

/** What a list may hold: never `null`. */
export type ListElement<P extends Placeholder = never> = Literal | ListValue<P> | FunctionCall | P

/** A value of an insert statement. */
export type InsertValue<P extends Placeholder = never> =
  | Literal
  | NullValue
  | ListValue<P>
  | FunctionCall
  | P

/** A value inside a dict: literal, `null` or a nested dict (never a list). */
export type DictValue<P extends Placeholder = never> = Literal | NullValue | Dict<P> | P

/** One `key: value` of a dict. */
export interface DictEntry<P extends Placeholder = never> {
  readonly key: Identifier
  readonly value: DictValue<P>
  readonly span: Span
}

/** A dict `{ key: value, … }`, in source order, keys unique. */
export interface Dict<P extends Placeholder = never> {
  readonly kind: 'dict'
  readonly entries: readonly DictEntry<P>[]
  readonly span: Span
}

/**
 * A type as written: `string`, `list { type: uint8 }`, `string { maxlen: ? }`. Names are not
 * checked here: an unknown name, a bare `list` or any property is the executor's error 105.
 */
export interface TypeSpec<P extends Placeholder = never> {
  readonly kind: 'type'
  readonly name: Identifier
  /** The `type: …` entry of the body (a list's element type), or null. */
  readonly elementType: TypeSpec<P> | null
  /** The other entries of the body, in order (empty when there is no body). */
  readonly properties: readonly DictEntry<P>[]
  readonly span: Span
}

/** A field of `create model`: `[primary] [null] name: type`. */
export interface FieldDefinition<P extends Placeholder = never> {
  readonly kind: 'field'
  readonly name: Identifier
  readonly primary: boolean
  readonly nullable: boolean
  readonly type: TypeSpec<P>
  readonly span: Span
}

/** A field of `alter model … add/update`: `name { type: …, nullable: …, … }`. */
export interface AlterFieldSpec<P extends Placeholder = never> {
  readonly kind: 'alter-field'
  readonly name: Identifier
  /** The `type` entry, or null when absent. */
  readonly type: TypeSpec<P> | null
  /** The `nullable` entry's value as written (the executor wants a bool), or null when absent. */
  readonly nullable: DictValue<P> | null
  /** Every other entry of the body, in order. */
  readonly properties: readonly DictEntry<P>[]
  readonly span: Span
}

/** `space.model`, or a bare `model` (space null) to resolve against the current space. */
export interface EntityRef {
  readonly kind: 'entity'
  readonly space: Identifier | null
  readonly model: Identifier
  readonly span: Span
}

/** `space.model`, the only form DDL accepts. */
export interface QualifiedEntityRef extends EntityRef {
  readonly space: Identifier
}

/** Comparison in a WHERE condition. */
export type ComparisonOperator = '=' | '!=' | '>' | '>=' | '<' | '<='

/** `field op lit` in a WHERE clause. */
export interface Condition<P extends Placeholder = never> {
  readonly kind: 'condition'
  readonly field: Identifier
  readonly operator: ComparisonOperator
  readonly value: Literal | P
  readonly span: Span
}

/** Operator of an update assignment. */
export type AssignmentOperator = '=' | '+=' | '-=' | '*=' | '/='

/** `field op lit` in an update's SET list. */
export interface Assignment<P extends Placeholder = never> {
  readonly kind: 'assignment'
  readonly field: Identifier
  readonly operator: AssignmentOperator
  readonly value: Literal | P
  readonly span: Span
}

/** `*` or a list of column names (repeats allowed). */
export type Columns = '*' | readonly Identifier[]

/** The isolation level of `begin … isolation level …` (skydb extension). */
export type IsolationLevel =
  | 'read-uncommitted'
  | 'read-committed'
  | 'repeatable-read'
  | 'snapshot'
  | 'serializable'

/** `create space [if not exists] name [with dict]` */
export interface CreateSpaceStatement<P extends Placeholder = never> {
  readonly kind: 'create-space'
  readonly ifNotExists: boolean
  readonly name: Identifier
  /** The `with` dict, or null when there is no `with`. */
  readonly properties: Dict<P> | null
  readonly span: Span
}

/** `alter space name with dict` */
export interface AlterSpaceStatement<P extends Placeholder = never> {
  readonly kind: 'alter-space'
  readonly name: Identifier
  readonly properties: Dict<P>
  readonly span: Span
}

/** `drop space [if exists] [allow not empty] name` */
export interface DropSpaceStatement {
  readonly kind: 'drop-space'
  readonly ifExists: boolean
  readonly allowNotEmpty: boolean
  readonly name: Identifier
  readonly span: Span
}

/** `create model [if not exists] space.model(field, …) [with dict]` */
export interface CreateModelStatement<P extends Placeholder = never> {
  readonly kind: 'create-model'
  readonly ifNotExists: boolean
  readonly entity: QualifiedEntityRef
  readonly fields: readonly FieldDefinition<P>[]
  /** The `with` dict, or null when there is no `with`. */
  readonly properties: Dict<P> | null
  readonly span: Span
}

/** `alter model space.model add field | (field, …)` */
export interface AlterModelAddStatement<P extends Placeholder = never> {
  readonly kind: 'alter-model-add'
  readonly entity: QualifiedEntityRef
  readonly fields: readonly AlterFieldSpec<P>[]
  readonly span: Span
}

/** `alter model space.model update field | (field, …)` */
export interface AlterModelUpdateStatement<P extends Placeholder = never> {
  readonly kind: 'alter-model-update'
  readonly entity: QualifiedEntityRef
  readonly fields: readonly AlterFieldSpec<P>[]
  readonly span: Span
}

/** `alter model space.model remove name | (name, …)` (repeats kept: the executor rejects them) */
export interface AlterModelRemoveStatement {
  readonly kind: 'alter-model-remove'
  readonly entity: QualifiedEntityRef
  readonly fields: readonly Identifier[]
  readonly span: Span
}

/** `drop model [if exists] [allow not empty] space.model` */
export interface DropModelStatement {
  readonly kind: 'drop-model'
  readonly ifExists: boolean
  readonly allowNotEmpty: boolean
  readonly entity: QualifiedEntityRef
  readonly span: Span
}

/** What `use` names: a space, `null` (clear) or `$current` (ask). */
export type UseTarget =
  | { readonly kind: 'space'; readonly name: Identifier }
  | { readonly kind: 'null' }
  | { readonly kind: 'current' }

/** `use name | null | $current` */
export interface UseStatement {
  readonly kind: 'use'
  readonly target: UseTarget
  readonly span: Span
}

/** `inspect global` */
export interface InspectGlobalStatement {
  readonly kind: 'inspect-global'
  readonly span: Span
}

/** `inspect space name` */
export interface InspectSpaceStatement {
  readonly kind: 'inspect-space'
  readonly name: Identifier
  readonly span: Span
}

/** `inspect model entity` */
export interface InspectModelStatement {
  readonly kind: 'inspect-model'
  readonly entity: EntityRef
  readonly span: Span
}

/** The `(v, …)` form of insert: values in field declaration order. */
export interface InsertTuple<P extends Placeholder = never> {
  readonly kind: 'tuple'
  readonly values: readonly InsertValue<P>[]
  readonly span: Span
}

/** One `field: value` of the map form of insert. */
export interface InsertMapEntry<P extends Placeholder = never> {
  readonly key: Identifier
  readonly value: InsertValue<P>
  readonly span: Span
}

/** The `{ field: v, … }` form of insert (keys unique). */
export interface InsertMap<P extends Placeholder = never> {
  readonly kind: 'map'
  readonly entries: readonly InsertMapEntry<P>[]
  readonly span: Span
}

/** `insert into entity (…) | { … }` */
export interface InsertStatement<P extends Placeholder = never> {
  readonly kind: 'insert'
  readonly entity: EntityRef
  readonly data: InsertTuple<P> | InsertMap<P>
  readonly span: Span
}

/** `select cols from entity [where cond and …]` (empty `where` = no WHERE clause) */
export interface SelectStatement<P extends Placeholder = never> {
  readonly kind: 'select'
  readonly columns: Columns
  readonly entity: EntityRef
  /** Conditions joined by `and`, fields unique; empty when there is no WHERE. */
  readonly where: readonly Condition<P>[]
  readonly span: Span
}

/** `select all cols from entity limit lit` */
export interface SelectAllStatement<P extends Placeholder = never> {
  readonly kind: 'select-all'
  readonly columns: Columns
  readonly entity: EntityRef
  readonly limit: UintLiteral | P
  readonly span: Span
}

/** `update entity set assign, … where cond and …` */
export interface UpdateStatement<P extends Placeholder = never> {
  readonly kind: 'update'
  readonly entity: EntityRef
  /** In source order; the same field may appear twice (applied in order). */
  readonly assignments: readonly Assignment<P>[]
  /** At least one condition, fields unique. */
  readonly where: readonly Condition<P>[]
  readonly span: Span
}

/** `delete from entity where cond and …` */
export interface DeleteStatement<P extends Placeholder = never> {
  readonly kind: 'delete'
  readonly entity: EntityRef
  /** At least one condition, fields unique. */
  readonly where: readonly Condition<P>[]
  readonly span: Span
}

/** `sysctl report status` */
export interface SysctlReportStatusStatement {
  readonly kind: 'sysctl-report-status'
  readonly span: Span
}

/** `sysctl create user name with dict` */
export interface SysctlCreateUserStatement<P extends Placeholder = never> {
  readonly kind: 'sysctl-create-user'
  readonly user: Identifier
  readonly properties: Dict<P>
  readonly span: Span
}

/** `sysctl alter user name with dict` */
export interface SysctlAlterUserStatement<P extends Placeholder = never> {
  readonly kind: 'sysctl-alter-user'
  readonly user: Identifier
  readonly properties: Dict<P>
  readonly span: Span
}

/** `sysctl drop user name` */
export interface SysctlDropUserStatement {
  readonly kind: 'sysctl-drop-user'
  readonly user: Identifier
  readonly span: Span
}

/** `begin [transaction] [isolation level …]` (skydb extension) */
export interface BeginStatement {
  readonly kind: 'begin'
  /** The level as written, or null for the database's default. */
  readonly isolation: IsolationLevel | null
  readonly span: Span
}

/** `commit [transaction]` (skydb extension) */
export interface CommitStatement {
  readonly kind: 'commit'
  readonly span: Span
}

/** `rollback [transaction]` (skydb extension) */
export interface RollbackStatement {
  readonly kind: 'rollback'
  readonly span: Span
}

/** Any statement, with placeholders of type `P` (`never`: bound). */
export type StatementOf<P extends Placeholder> =
  | CreateSpaceStatement<P>
  | AlterSpaceStatement<P>
  | DropSpaceStatement
  | CreateModelStatement<P>
  | AlterModelAddStatement<P>
  | AlterModelUpdateStatement<P>
  | AlterModelRemoveStatement
  | DropModelStatement
  | UseStatement
  | InspectGlobalStatement
  | InspectSpaceStatement
  | InspectModelStatement
  | InsertStatement<P>
  | SelectStatement<P>
  | SelectAllStatement<P>
  | UpdateStatement<P>
  | DeleteStatement<P>
  | SysctlReportStatusStatement
  | SysctlCreateUserStatement<P>
  | SysctlAlterUserStatement<P>
  | SysctlDropUserStatement
  | BeginStatement
  | CommitStatement
  | RollbackStatement

/** A statement whose every value is concrete: what an executor runs. */
export type Statement = StatementOf<never>

/** A statement as parsed from text alone: `?` values are {@link Placeholder}s. */
export type StatementTemplate = StatementOf<Placeholder>

/** The `kind` of a statement. */
export type StatementKind = Statement['kind']
