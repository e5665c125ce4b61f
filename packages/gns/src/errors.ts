/**
 * Typed errors of `@sky/gns`. Each carries a stable `code` (`GNS_WHAT`) and the Skytable 0.8 error
 * code (`skytableCode`, see the BlueQL spec §6) that the query layer answers with, so a client sees
 * the same number as from Skytable. A failed validation never changes the catalog.
 *
 * Two recurring shapes share a base: a broken rule (`<rule>: <reason>`) and an object in the wrong
 * state (`<what> <problem>`), each class giving its wording as a static. `test/errors.test.ts`
 * pins every class's name, code, message and fields.
 */
import { SkyError } from '@sky/std'

/** Fields every catalog error has beyond {@link SkyError}'s. */
export abstract class GnsError extends SkyError {
  /** The Skytable 0.8 error code this error is reported as (BlueQL spec §6). */
  abstract readonly skytableCode: number
}

/** A statement broke one rule: the message is the thrown class's `rule`, `: ` and the reason. */
abstract class GnsRuleError extends GnsError {
  /** The rule broken: the message's first part. */
  static readonly rule: string
  constructor(reason: string) {
    super(`${new.target.rule}: ${reason}`)
  }
}

/** An object is in the wrong state: the message is the object, then the thrown class's `problem`. */
abstract class GnsObjectError extends GnsError {
  /** What is wrong with the object: the message's second part. */
  static readonly problem: string
  constructor(
    /** The object, e.g. `space shop` or `model shop.orders`. */
    readonly what: string,
  ) {
    super(`${what} ${new.target.problem}`)
  }
}

/**
 * A space, model, field, user or property-key name that is not an identifier, is a keyword, or is
 * too long.
 */
export class GnsInvalidNameError extends GnsError {
  readonly code = 'GNS_INVALID_NAME'
  readonly skytableCode = 28 // QLInvalidSyntax: a keyword or non-identifier where a name belongs
  constructor(
    /** The rejected name. */
    readonly value: string,
    reason: string,
  ) {
    super(`invalid name ${JSON.stringify(value)}: ${reason}`)
  }
}

/** The space or model named does not exist. */
export class GnsNotFoundError extends GnsObjectError {
  static override readonly problem = 'not found'
  readonly code = 'GNS_NOT_FOUND'
  readonly skytableCode = 100 // QExecObjectNotFound
}

/** A field named by alter update/remove does not exist in the model. */
export class GnsUnknownFieldError extends GnsError {
  readonly code = 'GNS_UNKNOWN_FIELD'
  readonly skytableCode = 101 // QExecUnknownField
  constructor(readonly field: string) {
    super(`unknown field ${field}`)
  }
}

/**
 * Bad properties: space `with` dict, `nullable` that is not a bool, user dict without exactly a
 * password.
 */
export class GnsInvalidPropertiesError extends GnsRuleError {
  static override readonly rule = 'invalid properties'
  readonly code = 'GNS_INVALID_PROPERTIES'
  readonly skytableCode = 102 // QExecDdlInvalidProperties
}

/** Create of a space or model that exists, without `if not exists`. */
export class GnsAlreadyExistsError extends GnsObjectError {
  static override readonly problem = 'already exists'
  readonly code = 'GNS_ALREADY_EXISTS'
  readonly skytableCode = 103 // QExecDdlObjectAlreadyExists
}

/** Drop of a space that still has models, or of a model holding data, without `allow not empty`. */
export class GnsNotEmptyError extends GnsObjectError {
  static override readonly problem = 'is not empty; use allow not empty'
  readonly code = 'GNS_NOT_EMPTY'
  readonly skytableCode = 104 // QExecDdlNotEmpty
}

/**
 * Unknown type name, bare list, type properties, element type on a non-list, class change, missing
 * type.
 */
export class GnsInvalidTypeError extends GnsRuleError {
  static override readonly rule = 'invalid type definition'
  readonly code = 'GNS_INVALID_TYPE'
  readonly skytableCode = 105 // QExecDdlInvalidTypeDefinition
}

/**
 * Model properties, duplicate field, several primary keys, a primary key of the wrong type or
 * nullable.
 */
export class GnsBadModelDefinitionError extends GnsRuleError {
  static override readonly rule = 'bad model definition'
  readonly code = 'GNS_BAD_MODEL_DEFINITION'
  readonly skytableCode = 106 // QExecDdlModelBadDefinition
}

/**
 * Alter model: add an existing field, touch the primary key, duplicate remove, extra keys, more
 * list levels.
 */
export class GnsIllegalAlterError extends GnsRuleError {
  static override readonly rule = 'illegal alter'
  readonly code = 'GNS_ILLEGAL_ALTER'
  readonly skytableCode = 107 // QExecDdlModelAlterIllegal
}

/**
 * Alter update that narrows a type or makes a nullable field non-nullable (existing rows may not
 * fit).
 */
export class GnsNeedLockError extends GnsRuleError {
  static override readonly rule = "alter needs a lock on the model's data"
  readonly code = 'GNS_NEED_LOCK'
  readonly skytableCode = 112 // QExecNeedLock
}

/** User management refused: create an existing user, drop an unknown user or yourself. */
export class GnsAuthError extends GnsRuleError {
  static override readonly rule = 'user management refused'
  readonly code = 'GNS_AUTH'
  readonly skytableCode = 3 // SysAuthError
}

/** The catalog would exceed one of its limits (object count or encoded size). */
export class GnsCatalogFullError extends GnsRuleError {
  static override readonly rule = 'catalog full'
  readonly code = 'GNS_CATALOG_FULL'
  readonly skytableCode = 0 // SysServerError
}

/** The model's definition was lost to damage no copy could repair; only drop is allowed. */
export class GnsModelUnavailableError extends GnsError {
  readonly code = 'GNS_MODEL_UNAVAILABLE'
  readonly skytableCode = 0 // SysServerError
  constructor(readonly what: string, readonly reason: string) {
    super(`${what} is unavailable: ${reason}`)
  }
}

/** Another prepared (two-phase) operation on the same space or model awaits commit or abort. */
export class GnsPrepareConflictError extends GnsError {
  readonly code = 'GNS_PREPARE_CONFLICT'
  readonly skytableCode = 4 // SysTransactionalError
  override readonly retryable = true
  constructor(readonly what: string, readonly prepareId: string) {
    super(`${what} has a prepared operation ${prepareId} awaiting commit or abort`)
  }
}

/** commit/abort/resolveInDoubt of an id that is not a pending prepared operation. */
export class GnsUnknownPrepareError extends GnsError {
  readonly code = 'GNS_UNKNOWN_PREPARE'
  readonly skytableCode = 4 // SysTransactionalError
  constructor(readonly prepareId: string) {
    super(`no pending prepared operation ${prepareId}`)
  }
}

/**
 * The journal, or a compaction's checkpoint that must be written before the next event, ran out of
 * disk space; nothing changed. Retry once space is freed.
 */
export class GnsDiskFullError extends GnsError {
  readonly code = 'GNS_DISK_FULL'
  readonly skytableCode = 0 // SysServerError
  override readonly retryable = true
  constructor(options: { cause: unknown }) {
    super('catalog journal disk full; nothing changed', options)
  }
}

/**
 * A write or fdatasync failed: the catalog refuses every later change until reopened (fail-stop).
 */
export class GnsPoisonedError extends GnsError {
  readonly code = 'GNS_POISONED'
  readonly skytableCode = 0 // SysServerError
  constructor(options: { cause: unknown }) {
    super('catalog stopped after a storage failure; reopen to recover', options)
  }
}

/** The catalog was closed. */
export class GnsClosedError extends GnsError {
  readonly code = 'GNS_CLOSED'
  readonly skytableCode = 0 // SysServerError
  constructor() {
    super('catalog is closed')
  }
}

/** A GNS file or catalog image was written by a format version this code does not know. */
export class GnsUnsupportedVersionError extends GnsError {
  readonly code = 'GNS_UNSUPPORTED_VERSION'
  readonly skytableCode = 0 // SysServerError
  constructor(readonly file: string, readonly version: number) {
    super(
      `${file} has format version ${version}, which this skydb cannot read; refusing to rewrite it`,
    )
  }
}

/** GNS files exist but no copy (checkpoint, journal, catalog source) yields a catalog. */
export class GnsUnrecoverableError extends GnsError {
  readonly code = 'GNS_UNRECOVERABLE'
  readonly skytableCode = 0 // SysServerError
  constructor(readonly details: readonly string[]) {
    super(`catalog unrecoverable: ${details.join('; ')}`)
  }
}

/** The Skytable error code of a catalog error, or undefined for anything else. */
export function skytableCodeOf(error: unknown): number | undefined {
  if (error instanceof GnsError) return error.skytableCode
  const code = (error as { skytableCode?: unknown } | undefined)?.skytableCode
  return typeof code === 'number' ? code : undefined
}
