/**
 * @packageDocumentation
 * `@sky/ql` is the front half of BlueQL, Skytable 0.8's query language, plus skydb's transaction
 * statements: a lexer and parser that turn query text into a typed AST ({@link Statement}) or a
 * {@link QueryError} carrying the exact Skytable error code, parameter binding with Skytable's
 * error order ({@link parseQuery}, {@link prepare}), a bounded prepared-statement cache
 * ({@link StatementCache}) and a formatter ({@link formatStatement}); and the executor
 * ({@link Executor}, {@link Session}) that runs statements against a {@link QueryEngine} (the
 * catalog of `@sky/gns` and the transactions of `@sky/txn`), with Skytable's results and error
 * codes, and transactions scoped to a session.
 */

// ast.ts: the syntax tree.
export type {
  AlterFieldSpec,
  AlterModelAddStatement,
  AlterModelRemoveStatement,
  AlterModelUpdateStatement,
  AlterSpaceStatement,
  Assignment,
  AssignmentOperator,
  BeginStatement,
  BinaryLiteral,
  BoolLiteral,
  Columns,
  CommitStatement,
  ComparisonOperator,
  Condition,
  CreateModelStatement,
  CreateSpaceStatement,
  DeleteStatement,
  Dict,
  DictEntry,
  DictValue,
  DropModelStatement,
  DropSpaceStatement,
  EntityRef,
  FieldDefinition,
  FloatLiteral,
  FunctionCall,
  FunctionName,
  Identifier,
  InsertMap,
  InsertMapEntry,
  InsertStatement,
  InsertTuple,
  InsertValue,
  InspectGlobalStatement,
  InspectModelStatement,
  InspectSpaceStatement,
  IsolationLevel,
  ListElement,
  ListValue,
  Literal,
  LiteralKind,
  NullValue,
  Placeholder,
  QualifiedEntityRef,
  RollbackStatement,
  SelectAllStatement,
  SelectStatement,
  SintLiteral,
  Span,
  Statement,
  StatementKind,
  StatementOf,
  StatementTemplate,
  StringLiteral,
  SysctlAlterUserStatement,
  SysctlCreateUserStatement,
  SysctlDropUserStatement,
  SysctlReportStatusStatement,
  TypeSpec,
  UintLiteral,
  UpdateStatement,
  UseStatement,
  UseTarget,
} from './ast.js'

// errors.ts: the one error class and its code table.
export { QueryError, locate, queryErrorCodes, serializationFailureCode } from './errors.js'
export type {
  QueryErrorCode,
  QueryErrorOptions,
  SkytableErrorCode,
  SourcePosition,
  StatementKeyword,
} from './errors.js'

// parameter.ts: what binds to `?`.
export type { Parameter, ParameterType } from './parameter.js'

// parser.ts: parse and bind.
export { parseQuery, prepare } from './parser.js'
export type { BindOptions, ParseOptions, PreparedStatement } from './parser.js'

// cache.ts: the prepared-statement cache.
export { StatementCache } from './cache.js'
export type { StatementCacheOptions } from './cache.js'

// format.ts: AST → text.
export { formatStatement } from './format.js'
export type { FormattedStatement } from './format.js'

// limits.ts
export { qlLimits } from './limits.js'

// result.ts: what the executor answers.
export { emptyResult } from './result.js'
export type {
  EmptyResult,
  ErrorResult,
  MultiRowResult,
  QueryResponse,
  QueryResult,
  ResultValue,
  RowResult,
  SmallIntegerType,
} from './result.js'

// query-engine.ts: what the executor needs from the engine.
export type { EngineStatus, QueryEngine } from './query-engine.js'

// executor.ts, session.ts: running statements.
export { Executor, resultRowsMaxDefault } from './executor.js'
export type { ExecutorOptions, SessionOptions } from './executor.js'
export { Session, statementsPerYield } from './session.js'
export type { QueryOptions, TransactionState } from './session.js'
export type { FunctionSource } from './internal/exec/insert-values.js'
