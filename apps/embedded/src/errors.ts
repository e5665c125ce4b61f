/**
 * Errors of `@sky/embedded` itself. A statement's failure is a `QueryError` from `@sky/ql` (with
 * the Skytable code to answer); these are the failures of the database object around it.
 */
import { SkyError } from '@sky/std'

/** A query, session or transaction on a database after `close()`. */
export class DatabaseClosedError extends SkyError {
  readonly code = 'EMBEDDED_CLOSED'
  constructor() {
    super('the database is closed')
  }
}
