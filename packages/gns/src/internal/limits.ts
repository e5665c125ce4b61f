/**
 * Limits and defaults of the catalog, named once. Each limit is enforced at the public boundary
 * with a typed error; the relations between them are asserted when the module loads.
 */
import { assert } from '@sky/std'

/** Longest space, model, field, user or property-key name, in bytes (names are ASCII). */
export const nameBytesMax = 255
/** Most fields in one model. */
export const fieldsPerModelMax = 1024
/** Deepest `list { type: list { ... } }` nesting. */
export const listDepthMax = 8
/** Deepest nesting of dictionaries inside a space's `env`. */
export const propertyDepthMax = 8
/** Largest encoded `env` of one space, in bytes. */
export const propertyBytesMax = 64 * 1024
/** Longest password accepted by create/alter user, in bytes. */
export const passwordBytesMax = 1024
/** Most spaces, models and users together. */
export const objectsMax = 1_000_000
/** Largest encoded catalog image (checkpoint body), in bytes. */
export const catalogBytesMax = 128 * 1024 * 1024
/** Largest encoded event, in bytes (a model of `fieldsPerModelMax` long-named list fields fits). */
export const eventBytesMax = 2 * 1024 * 1024
/** Most prepared (two-phase) operations waiting for commit or abort at once. */
export const pendingPreparesMax = 1024
/** How many resolved prepare outcomes the catalog remembers for `outcomeOf`. */
export const outcomesKeptMax = 4096
/** Events between two checkpoints, by default. */
export const compactEveryDefault = 1000
/**
 * GNS journal segments roll over after this many bytes, by default. Small, because compaction can
 * drop only whole segments before its snapshot frame: what stays is at most one segment of old
 * events.
 */
export const segmentBytesMaxDefault = 256 * 1024
/** Bytes of catalog image a journal frame may carry: an image plus its header must fit. */
export const journalPayloadBytesMax = catalogBytesMax + 1024 * 1024

assert(nameBytesMax <= 255, 'a name length fits the u8 of a record header')
assert(
  fieldsPerModelMax * (nameBytesMax + 64 + listDepthMax * 8) < eventBytesMax,
  'a model fits an event',
)
assert(propertyBytesMax < eventBytesMax, 'a space fits an event')
assert(eventBytesMax < catalogBytesMax, 'an event fits an image')
assert(journalPayloadBytesMax <= 256 * 1024 * 1024, 'a journal frame may carry a whole image')
assert(pendingPreparesMax < outcomesKeptMax, 'outcomes outlive the prepares they resolve')
