/**
 * @packageDocumentation
 * `@sky/ql` is the front half of BlueQL, Skytable 0.8's query language, plus skydb's transaction
 * statements: a lexer and parser that turn query text into a typed AST ({@link Statement}) or a
 * {@link QueryError} carrying the exact Skytable error code, parameter binding with Skytable's
 * error order ({@link parseQuery}, {@link prepare}), a bounded prepared-statement cache
 * ({@link StatementCache}) and a formatter ({@link formatStatement}). It does no I/O.
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
export { QueryError, locate, queryErrorCodes } from './errors.js'
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
