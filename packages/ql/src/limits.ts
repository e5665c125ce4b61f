/**
 * The limits of the BlueQL front end, each named once (unit and `Max` last).
 *
 * Skytable sets none of these; skydb bounds them so that no query text can make the parser
 * recurse without end or a cache grow without end. Names themselves are not bounded here:
 * blueql.md §2.1 gives them no length limit in the query layer, and the query text as a whole is
 * bounded by the protocol (`queryBytesMax`).
 */
import { assert } from '@sky/std'

/**
 * The limits, as one frozen object.
 *
 * - `nestingDepthMax`: deepest nesting of lists, dicts and type specs in one statement (a flat
 *   list has depth 1). Deeper: `QL_LIMIT_EXCEEDED` (Skytable code 6), as skyhash.md §4 asks for
 *   list nesting. Equal to the protocol's response `listDepthMax`, so anything stored can be sent.
 * - `cacheEntriesMaxDefault`: statements a {@link StatementCache} keeps unless told otherwise.
 * - `cacheTextBytesMaxDefault`: longest query text a cache keeps unless told otherwise; longer
 *   texts are parsed every time, so one cache holds at most entries × text bytes of text.
 */
export const qlLimits = Object.freeze({
  nestingDepthMax: 64,
  cacheEntriesMaxDefault: 1024,
  cacheTextBytesMaxDefault: 16 * 1024,
})

assert(qlLimits.nestingDepthMax >= 2, 'a list of lists is always allowed')
assert(qlLimits.cacheEntriesMaxDefault >= 1, 'a default cache holds something')
