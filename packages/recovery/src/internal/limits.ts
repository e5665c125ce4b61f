/**
 * Limits and defaults of `@sky/recovery`, named once; relations between them are asserted when the
 * module loads.
 */
import { assert } from '@sky/std'

/** Checkpoint by journal volume: after this many bytes of frames since the last one (64 MiB). */
export const checkpointJournalBytesDefault = 64 * 1024 * 1024
/** Checkpoint by time: at most this long after a write, by default (5 minutes). 0 disables. */
export const checkpointIntervalMsDefault = 5 * 60 * 1000
/** Checkpoints kept; segments before the oldest kept are removed (unless retained). */
export const checkpointsRetainedDefault = 2
/** A checkpoint block is closed once its payload reaches this many bytes (256 KiB). */
export const checkpointBlockBytesTarget = 256 * 1024
/** Largest checkpoint block a reader believes (a corrupt length never allocates more). */
export const checkpointBlockBytesMax = 64 * 1024 * 1024
/** Rows read from a store per page while writing a snapshot, between two yields, when idle. */
export const snapshotPageRows = 2048
/** The same while commits are in flight: short pages keep the commit path's share of the loop. */
export const snapshotPageRowsBusy = 256
/** A snapshot being written is fdatasync'd every this many bytes, so the last sync is short. */
export const snapshotSyncBytes = 8 * 1024 * 1024
/** Time marks are written at most this often while commits flow (1 s): toTime's precision. */
export const timeMarkIntervalMsDefault = 1000
/** Largest frame payload the data journal accepts and a reader believes (32 MiB). */
export const dataPayloadBytesMax = 32 * 1024 * 1024
/** Largest redo record (one transaction): keeps a DDL row rewrite within one frame. */
export const redoBytesMaxDefault = 16 * 1024 * 1024

assert(checkpointBlockBytesTarget < checkpointBlockBytesMax, 'a target block fits the reader limit')
assert(snapshotPageRowsBusy <= snapshotPageRows, 'busy pages are the shorter ones')
assert(redoBytesMaxDefault < dataPayloadBytesMax, 'a redo record fits a journal frame')
assert(dataPayloadBytesMax <= 256 * 1024 * 1024, "within @sky/journal's payload ceiling")
assert(redoBytesMaxDefault + 1024 < checkpointBlockBytesMax, 'the largest row fits a block')
