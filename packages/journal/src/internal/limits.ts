/**
 * Journal limits and defaults, named once. Relations between them are asserted when the module loads.
 */
import { assert } from '@sky/std'
import { frameHeaderBytes } from './frame.js'
import { segmentHeaderBytes } from './segment.js'

/** Largest payload a frame may carry, by default (16 MiB). */
export const payloadBytesMaxDefault = 16 * 1024 * 1024
/** Hard ceiling for `payloadBytesMax`: a u32 length must never be trusted beyond it (256 MiB). */
export const payloadBytesMaxCeiling = 256 * 1024 * 1024
/** A segment rolls over after this many bytes, by default (64 MiB). */
export const segmentBytesMaxDefault = 64 * 1024 * 1024
/** Bytes of frames written by one write + fdatasync, by default (8 MiB). */
export const batchBytesMaxDefault = 8 * 1024 * 1024
/** Longest `batchDelayMs` accepted: a loss window beyond a minute is not a durability mode. */
export const batchDelayMsMax = 60_000

assert(payloadBytesMaxDefault <= payloadBytesMaxCeiling, 'default payload limit under the ceiling')
assert(segmentBytesMaxDefault > segmentHeaderBytes + frameHeaderBytes, 'a segment holds a frame')
assert(batchBytesMaxDefault <= segmentBytesMaxDefault, 'a batch fits a segment')
