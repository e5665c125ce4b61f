/** Small helpers shared by the tests. */
import { QueryError } from '../src/index.js'

/** The Skytable code `run` throws, or 'ok' if it returns. Anything but a QueryError propagates. */
export function codeOf(run: () => unknown): number | 'ok' {
  try {
    run()
    return 'ok'
  } catch (error) {
    if (error instanceof QueryError) return error.skytableCode
    throw error
  }
}

/** The QueryError `run` throws. */
export function errorOf(run: () => unknown): QueryError {
  try {
    run()
  } catch (error) {
    if (error instanceof QueryError) return error
    throw error
  }
  throw new Error('expected a QueryError, got a result')
}

/** A deep copy without `span` keys (and, if asked, without parameter numbers). */
export function withoutSpans(value: unknown, dropIndexes = false): unknown {
  if (Array.isArray(value)) return value.map((item) => withoutSpans(item, dropIndexes))
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (key === 'span') continue
    if (dropIndexes && (key === 'parameterIndex' || key === 'index')) continue
    copy[key] = withoutSpans(item, dropIndexes)
  }
  return copy
}
