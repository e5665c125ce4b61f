/**
 * The DDL operations the catalog accepts, as the query layer hands them over after parsing, and
 * what each returns. Syntax is the parser's business; everything the spec checks at execution
 * (names, types, properties, existence, alter rules) is checked here, with typed errors.
 */
import type { CatalogVersion } from './catalog.js'
import type { TypeSpecInput } from './field-type.js'
import type { DictInput } from './properties.js'

/** A field of `create model`. */
export interface FieldInput {
  readonly name: string
  readonly type: TypeSpecInput
  /** Declared with the `null` prefix. Default false. */
  readonly nullable?: boolean
  /** Declared with `primary`. If no field is, the first field is the primary key. */
  readonly primary?: boolean
}

/** A field of `alter model add/update`: `name { type: T, nullable: b, ... }`. */
export interface AlterFieldInput {
  readonly name: string
  /** The `type:` entry, if present. */
  readonly type?: TypeSpecInput
  /** Every other body entry, `nullable` included (which must be a bool; absent means false). */
  readonly properties?: DictInput
}

/** What `alter model` does. */
export type AlterModelAction =
  | { readonly kind: 'add'; readonly fields: readonly AlterFieldInput[] }
  | { readonly kind: 'update'; readonly fields: readonly AlterFieldInput[] }
  | { readonly kind: 'remove'; readonly names: readonly string[] }

/**
 * One DDL statement. `properties` are the statement's `with { ... }` dict.
 *
 * `hasData` (drop model) says whether the caller's store holds rows for the model: the catalog does
 * not see data, and a drop of a model with rows needs `allowNotEmpty` (else `GnsNotEmptyError`).
 * `actor` (drop user) is the user running the statement: nobody may drop themselves.
 * `root` (create user) makes a root user; BlueQL cannot set it (bootstrap and tools only).
 */
export type DdlOp =
  | {
      readonly kind: 'createSpace'
      readonly name: string
      readonly ifNotExists?: boolean
      readonly properties?: DictInput
    }
  | { readonly kind: 'alterSpace'; readonly name: string; readonly properties: DictInput }
  | {
      readonly kind: 'dropSpace'
      readonly name: string
      readonly ifExists?: boolean
      readonly allowNotEmpty?: boolean
    }
  | {
      readonly kind: 'createModel'
      readonly space: string
      readonly name: string
      readonly ifNotExists?: boolean
      readonly fields: readonly FieldInput[]
      readonly properties?: DictInput
    }
  | {
      readonly kind: 'alterModel'
      readonly space: string
      readonly name: string
      readonly action: AlterModelAction
    }
  | {
      readonly kind: 'dropModel'
      readonly space: string
      readonly name: string
      readonly ifExists?: boolean
      readonly allowNotEmpty?: boolean
      readonly hasData?: boolean
    }
  | {
      readonly kind: 'createUser'
      readonly name: string
      readonly properties: DictInput
      readonly root?: boolean
    }
  | { readonly kind: 'alterUser'; readonly name: string; readonly properties: DictInput }
  | { readonly kind: 'dropUser'; readonly name: string; readonly actor?: string }

/** The outcome of a DDL statement. */
export interface DdlResult {
  /**
   * False when nothing changed: `if not exists` on an existing object, `if exists` on a missing one
   * (BlueQL answers `Bool(false)`), or an alter with no effect.
   */
  readonly changed: boolean
  /** The catalog version after the statement (the one it produced, when it changed something). */
  readonly version: CatalogVersion
  /**
   * The event as bytes, to echo into the data journal once the promise resolved (undefined when
   * nothing changed). A `CatalogSource` hands these back to rebuild a lost catalog.
   */
  readonly echo: Uint8Array | undefined
}

/** The outcome of `prepare`: a durable PREPARE, or nothing to do. */
export type PrepareResult =
  | {
      readonly prepared: true
      /**
       * Unique id (a UUID) to write with the caller's PREPARE record and pass to `commit`/`abort`.
       */
      readonly id: string
      /** Sequence number of the prepare event. */
      readonly seq: number
      /** The prepare event as bytes, to embed in the caller's PREPARE record. */
      readonly echo: Uint8Array
    }
  | { readonly prepared: false; readonly result: DdlResult }

/** A prepared operation found pending at open: prepared, neither committed nor aborted. */
export interface InDoubtPrepare {
  readonly id: string
  readonly preparedSeq: number
  /** What it would do, e.g. `dropModel shop.orders`. */
  readonly description: string
}

/** What became of a prepared id: see `Gns.outcomeOf`. */
export type PrepareOutcome = 'committed' | 'aborted' | 'pending' | 'unknown'
