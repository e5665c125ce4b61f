/**
 * The kinds of frames in the data journal (`<data>/journal`). One journal carries every record the
 * data side needs to recover, in one LSN order; the kind byte of each frame says whose it is.
 * FORMAT.md ("Data journal frame kinds") documents each payload.
 *
 * Invariant: these numbers never change meaning once written; a reader that meets a kind it does
 * not know refuses to open (`RECOVERY_UNSUPPORTED_VERSION`) instead of skipping it.
 */
import { redoFrameKind } from '@sky/txn'
import { assert } from '@sky/std'

/**
 * Frame kinds of the data journal.
 *
 * | kind | record | written by |
 * |---|---|---|
 * | 1 | redo record of one committed transaction (`@sky/txn` FORMAT.md) | `TxnManager` commit |
 * | 2 | DDL echo: the bytes of one `@sky/gns` event, as `DdlResult.echo` gave them | `Engine.ddl` |
 * | 3 | PREPARE of a two-phase DDL: id, prepare echo, planned data change | `Engine.ddl` |
 * | 4 | catalog image (`Gns.exportImage()`) when the catalog is ahead of the echoes | open |
 * | 5 | time mark: wall-clock milliseconds, for point-in-time restore `toTime` | commits |
 * | 6 | placeholder for a frame lost to corruption, written by `repair` | `repair` |
 */
export const dataFrameKind = {
  redo: redoFrameKind,
  ddlEcho: 2,
  prepare: 3,
  catalogImage: 4,
  timeMark: 5,
  lost: 6,
} as const

/** One of {@link dataFrameKind}'s values. */
export type DataFrameKind = (typeof dataFrameKind)[keyof typeof dataFrameKind]

const kinds: readonly number[] = Object.values(dataFrameKind)

/** True when `kind` is a frame kind this version of the data journal knows. */
export function isDataFrameKind(kind: number): kind is DataFrameKind {
  return kinds.includes(kind)
}

assert(dataFrameKind.redo === 1, '@sky/txn writes its redo records as kind 1')
assert(new Set(kinds).size === kinds.length, 'frame kinds are distinct')
