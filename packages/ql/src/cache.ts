/**
 * StatementCache: a bounded prepared-statement cache keyed by query text.
 *
 * Only texts that parse are kept (a failing text is parsed again each time, which costs what a
 * cache miss costs). Eviction is least-recently-used, by a Map's insertion order.
 *
 * Invariants: `size <= entriesMax`; no kept text is longer than `textBytesMax`; a cached answer
 * equals the uncached one (`cache.parse(t, p)` ≡ `parseQuery(t, p)`), because templates are
 * immutable and the key includes every option that changes parsing.
 */
import type { Statement } from './ast.js'
import { bindCompiled } from './internal/bind.js'
import { compile } from './internal/compile.js'
import type { CompileFailure } from './internal/compile.js'
import { toQueryText } from './internal/lexer.js'
import { qlLimits } from './limits.js'
import type { Parameter } from './parameter.js'
import { hasCurrentSpaceOption, preparedFrom } from './parser.js'
import type { BindOptions, ParseOptions, PreparedStatement } from './parser.js'

/** Options of {@link StatementCache}. */
export interface StatementCacheOptions {
  /** Most statements kept. Default `qlLimits.cacheEntriesMaxDefault` (1024). */
  readonly entriesMax?: number
  /** Longest query text kept, in bytes. Default `qlLimits.cacheTextBytesMaxDefault` (16 KiB). */
  readonly textBytesMax?: number
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive safe integer, got ${String(value)}`)
  }
  return value
}

/**
 * Keeps recently parsed statements so a repeated query text skips lexing and parsing.
 *
 * @example
 * ```ts
 * const cache = new StatementCache({ entriesMax: 256 })
 * const statement = cache.parse('select * from s.u where k = ?', [{ type: 'uint', value: 1n }])
 * ```
 */
export class StatementCache {
  readonly entriesMax: number
  readonly textBytesMax: number
  private readonly entries = new Map<string, PreparedStatement>()
  private hitCount = 0
  private missCount = 0
  /**
   * The last key built and what it was built from. A repeated text (the common case) reuses the
   * key string: building it anew cost a concatenation, a flattening and a hash per lookup.
   */
  private lastText: string | undefined // only a text short enough to be kept
  private lastHasCurrentSpace = false
  private lastKey = ''

  /** @throws RangeError if a limit is not a positive safe integer. */
  constructor(options: StatementCacheOptions = {}) {
    const entriesMax = options.entriesMax ?? qlLimits.cacheEntriesMaxDefault
    const textBytesMax = options.textBytesMax ?? qlLimits.cacheTextBytesMaxDefault
    this.entriesMax = positiveInteger(entriesMax, 'entriesMax')
    this.textBytesMax = positiveInteger(textBytesMax, 'textBytesMax')
  }

  /** Lookups answered from the cache. */
  get hits(): number {
    return this.hitCount
  }

  /** Lookups that had to parse. */
  get misses(): number {
    return this.missCount
  }

  /** Statements kept now. */
  get size(): number {
    return this.entries.size
  }

  /** Forgets every statement (counters are kept). */
  clear(): void {
    this.entries.clear()
  }

  /**
   * {@link prepare} through the cache.
   *
   * @throws QueryError as `prepare` does.
   */
  prepare(query: string | Uint8Array, options: ParseOptions = {}): PreparedStatement {
    const prepared = this.lookup(query, options)
    if ('error' in prepared) throw prepared.error
    return prepared
  }

  /**
   * {@link parseQuery} through the cache: the same statement or the same error.
   *
   * @throws QueryError as `parseQuery` does.
   */
  parse(
    query: string | Uint8Array,
    parameters: readonly Parameter[] = [],
    options: ParseOptions & BindOptions = {},
  ): Statement {
    const found = this.lookup(query, options)
    if (!('error' in found)) return found.bind(parameters, options)
    return bindCompiled(found.failure, parameters, options.parameterError)
  }

  private lookup(
    query: string | Uint8Array,
    options: ParseOptions,
  ): PreparedStatement | { readonly error: Error; readonly failure: CompileFailure } {
    if (typeof query !== 'string' && !(query instanceof Uint8Array)) {
      throw new TypeError('query must be a string (one char per byte) or a Uint8Array')
    }
    const hasCurrentSpace = hasCurrentSpaceOption(options)
    const text = toQueryText(query)
    let key = this.lastKey
    if (text !== this.lastText || hasCurrentSpace !== this.lastHasCurrentSpace) {
      key = `${hasCurrentSpace ? 'c' : 'n'}${text}`
      if (text.length <= this.textBytesMax) {
        this.lastText = text
        this.lastHasCurrentSpace = hasCurrentSpace
        this.lastKey = key
      }
    }
    const cached = this.entries.get(key)
    if (cached !== undefined) {
      this.hitCount += 1
      this.entries.delete(key)
      this.entries.set(key, cached)
      return cached
    }
    this.missCount += 1
    const compiled = compile(text, hasCurrentSpace)
    if (!compiled.ok) return { error: compiled.error, failure: compiled }
    const prepared = preparedFrom(compiled)
    if (text.length <= this.textBytesMax) this.remember(key, prepared)
    return prepared
  }

  private remember(key: string, prepared: PreparedStatement): void {
    this.entries.set(key, prepared)
    while (this.entries.size > this.entriesMax) {
      const oldest = this.entries.keys().next()
      if (oldest.done === true) break
      this.entries.delete(oldest.value)
    }
  }
}
