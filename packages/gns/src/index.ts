/**
 * @packageDocumentation
 * `@sky/gns` is skydb's catalog (global namespace): spaces, models and users. Each DDL statement is
 * one fdatasync'd event in its own journal and publishes a new immutable {@link CatalogVersion}
 * that readers hold without locks. Two checksummed checkpoint copies (`gns.a`, `gns.b`), snapshot
 * frames in the journal and an optional {@link CatalogSource} (the data side's copies) let
 * `openGns` rebuild the complete catalog whenever one valid copy of each fact remains, report
 * exactly which copy was damaged, and rewrite it. DDL that also changes data uses
 * `prepare`/`commit` (two-phase). The bytes are described in FORMAT.md; recovery's decision table
 * is in README.md.
 */

// gns.ts, open-gns.ts
export type { Gns, GnsOptions } from './gns.js'
export { openGns } from './open-gns.js'

// catalog.ts
export type { CatalogVersion, Credential, Field, Model, Space, User } from './catalog.js'

// operations.ts
export type {
  AlterFieldInput,
  AlterModelAction,
  DdlOp,
  DdlResult,
  FieldInput,
  InDoubtPrepare,
  PrepareOutcome,
  PrepareResult,
} from './operations.js'

// field-type.ts
export {
  classifyTypeChange,
  describeFieldType,
  formatFieldType,
  isPrimaryKeyType,
  scalarTypeNames,
  typeClassOf,
} from './field-type.js'
export type {
  FieldType,
  ScalarTypeName,
  TypeChange,
  TypeClass,
  TypeSpecInput,
} from './field-type.js'

// properties.ts
export type { DictInput, EnvDict, EnvValue, Literal } from './properties.js'

// names.ts
export { isValidName, keywords } from './names.js'

// credentials.ts
export { scryptDefaults } from './credentials.js'
export type { ScryptParameters } from './credentials.js'

// catalog-source.ts
export { MemoryCatalogSource, readEcho } from './catalog-source.js'
export type { CatalogSource, EchoSummary } from './catalog-source.js'

// report.ts
export type { GnsDamage, GnsDamageKind, GnsFile, GnsOpenReport } from './report.js'

// errors.ts
export {
  GnsAlreadyExistsError,
  GnsAuthError,
  GnsBadModelDefinitionError,
  GnsCatalogFullError,
  GnsClosedError,
  GnsDiskFullError,
  GnsError,
  GnsIllegalAlterError,
  GnsInvalidNameError,
  GnsInvalidPropertiesError,
  GnsInvalidTypeError,
  GnsModelUnavailableError,
  GnsNeedLockError,
  GnsNotEmptyError,
  GnsNotFoundError,
  GnsPoisonedError,
  GnsPrepareConflictError,
  GnsUnknownFieldError,
  GnsUnknownPrepareError,
  GnsUnrecoverableError,
  GnsUnsupportedVersionError,
  skytableCodeOf,
} from './errors.js'
