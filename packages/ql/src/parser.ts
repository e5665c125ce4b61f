/**
 * The public entry of the front end: parse query text once into a template (`prepare`), bind
 * parameters to it (`PreparedStatement.bind`), or do both in one call (`parseQuery`).
 *
 * Invariants: every failure is a QueryError (a malformed `Parameter` object, a caller bug, is a
 * TypeError); `parseQuery(text, p)` and `prepare(text).bind(p)` agree whenever `prepare`
 * succeeds; the answer for any text and parameters is the one Skytable 0.8 gives, with skydb's
 * documented choices where the spec leaves room (see README).
 */
import type { Statement, StatementTemplate } from './ast.js'
import { bindCompiled } from './internal/bind.js'
import { compile } from './internal/compile.js'
import type { Compiled } from './internal/compile.js'
import { toQueryText } from './internal/lexer.js'
import type { Parameter } from './parameter.js'

/** Options of {@link prepare} and {@link parseQuery}. */
export interface ParseOptions {
  /**
   * Whether the connection may have a current space (set by `use`). When false, a bare model
   * name is rejected as Skytable does: 28 in DML, 31 in `inspect model`. When true (default),
   * bare names parse with `space: null` and the executor resolves them. Default true.
   */
  readonly hasCurrentSpace?: boolean
}

/** Options of binding. */
export interface BindOptions {
  /**
   * Why the parameter after the given ones could not be decoded (from the protocol decoder), or
   * null/absent when every parameter was read. Skytable reads parameters one per `?`, so this
   * becomes error 25 only if the text has a `?` for that parameter before any bad byte.
   */
  readonly parameterError?: unknown
}

/**
 * A parsed statement waiting for its parameters. Immutable; may be cached and bound many times.
 */
export interface PreparedStatement {
  /** The query text, one char per byte. */
  readonly text: string
  /** The statement with a placeholder for each `?` in a value position. */
  readonly statement: StatementTemplate
  /** The number of `?` in the text: the parameters used; any beyond are ignored. */
  readonly parameterCount: number
  /**
   * Binds `parameters` to the placeholders, in order.
   *
   * @throws QueryError 25 for an out-of-range integer, a string that is not valid UTF-8 or a
   *   `parameterError` the text reaches; the position's own code (usually 28) for a missing `?`
   *   parameter or one of a type the position refuses (null in WHERE, non-uint LIMIT, …); 28 for
   *   an inline list whose elements disagree. TypeError if an element is not a Parameter.
   */
  bind(parameters: readonly Parameter[], options?: BindOptions): Statement
}

class Prepared implements PreparedStatement {
  readonly text: string
  readonly statement: StatementTemplate
  readonly parameterCount: number

  constructor(private readonly compiled: Compiled) {
    this.text = compiled.text
    this.statement = compiled.template
    this.parameterCount = compiled.placeholderOffsets.length
  }

  bind(parameters: readonly Parameter[], options: BindOptions = {}): Statement {
    return bindCompiled(this.compiled, parameters, options.parameterError)
  }
}

/** Wraps a successful compile result; used by {@link StatementCache} too. */
export function preparedFrom(compiled: Compiled): PreparedStatement {
  return new Prepared(compiled)
}

/** Reads `hasCurrentSpace`, checking the options object at the public boundary. */
export function hasCurrentSpaceOption(options: ParseOptions): boolean {
  const value = options.hasCurrentSpace ?? true
  if (typeof value !== 'boolean') throw new TypeError('hasCurrentSpace must be a boolean')
  return value
}

function checkQuery(query: unknown): asserts query is string | Uint8Array {
  if (typeof query !== 'string' && !(query instanceof Uint8Array)) {
    throw new TypeError('query must be a string (one char per byte) or a Uint8Array')
  }
}

/**
 * Lexes and parses query text into a {@link PreparedStatement}, without parameters.
 *
 * The text is what the client sent: a Uint8Array, or a string holding one char per byte
 * (Latin-1), so that a non-ASCII byte reaches the lexer and gets error 26.
 *
 * @throws QueryError with the error the text gives when every `?` has an acceptable parameter
 *   (26 bad byte, 27 too few tokens, 28 syntax, 29, 30, 31, 32, 33, or 6 nesting too deep). With
 *   actual parameters the answer can differ; {@link parseQuery} gives the exact one.
 * @example
 * ```ts
 * const prepared = prepare('select * from s.users where username = ?')
 * const statement = prepared.bind([{ type: 'string', value: 'sayan' }])
 * ```
 */
export function prepare(query: string | Uint8Array, options: ParseOptions = {}): PreparedStatement {
  checkQuery(query)
  const compiled = compile(toQueryText(query), hasCurrentSpaceOption(options))
  if (!compiled.ok) throw compiled.error
  return new Prepared(compiled)
}

/**
 * Parses query text and binds its parameters: the statement to execute, or the error Skytable
 * 0.8 answers for this text and these parameters, in Skytable's order (a bad parameter before a
 * bad byte, a refused parameter before a later syntax error, …).
 *
 * @throws QueryError (see {@link prepare} and {@link PreparedStatement.bind}); TypeError if the
 *   query is neither a string nor a Uint8Array, or a parameter is not a Parameter.
 * @example
 * ```ts
 * parseQuery('update s.u set age += ? where name = ?', [
 *   { type: 'uint', value: 1n },
 *   { type: 'string', value: 'sayan' },
 * ]) // { kind: 'update', assignments: [{ operator: '+=', … }], … }
 * ```
 */
export function parseQuery(
  query: string | Uint8Array,
  parameters: readonly Parameter[] = [],
  options: ParseOptions & BindOptions = {},
): Statement {
  checkQuery(query)
  const compiled = compile(toQueryText(query), hasCurrentSpaceOption(options))
  return bindCompiled(compiled, parameters, options.parameterError)
}
