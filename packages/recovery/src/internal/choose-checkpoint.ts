/**
 * Choosing the checkpoint open starts from: the newest valid one that the journal continues.
 *
 * Decision table (rows in order; the first that matches decides):
 *
 *   newest checkpoint       | journal                      | action
 *   ------------------------+------------------------------+-----------------------------------
 *   valid                   | first LSN <= its LSN + 1     | use it
 *   valid                   | first LSN > its LSN + 1      | refuse: RecoveryJournalGapError
 *   damaged                 | -                            | try the next older (and quarantine
 *                           |                              | the damaged one once one is used)
 *   newer format            | -                            | refuse: RecoveryUnsupportedError
 *   none left               | starts at LSN 1 (or empty)   | start from the empty state
 *   none left, some damaged | starts after LSN 1           | refuse: RecoveryCheckpointCorrupt
 *   none at all             | starts after LSN 1           | refuse: RecoveryJournalGapError
 */
import type { FileSystem } from '@sky/vfs'
import {
  RecoveryCheckpointCorruptError,
  RecoveryJournalGapError,
  RecoveryUnsupportedError,
} from '../errors.js'
import { type CheckpointContent, listCheckpoints, readCheckpoint } from './checkpoint-read.js'

/** A checkpoint passed over because it is damaged. */
export interface DamagedCheckpoint {
  readonly name: string
  readonly problem: string
  readonly bytes: Uint8Array
}

/** The choice. */
export interface CheckpointChoice {
  readonly content: CheckpointContent | undefined
  readonly damaged: readonly DamagedCheckpoint[]
}

/**
 * Picks the checkpoint; `journalFirstLsn` is the base LSN of the oldest journal segment (1n for
 * a new journal).
 */
export async function chooseCheckpoint(
  fs: FileSystem,
  checkpointsDir: string,
  journalFirstLsn: bigint,
): Promise<CheckpointChoice> {
  const damaged: DamagedCheckpoint[] = []
  for (const { name } of await listCheckpoints(fs, checkpointsDir)) {
    const read = await readCheckpoint(fs, checkpointsDir, name)
    if (read.status === 'version') {
      throw new RecoveryUnsupportedError(`checkpoint ${name}`, `format version ${read.version}`)
    }
    if (read.status === 'damaged') {
      const problem = read.problems
        .map((entry) => `${entry.detail} at offset ${entry.offset}`)
        .join('; ')
      damaged.push({ name, problem, bytes: read.bytes })
      continue
    }
    const { header } = read.content
    if (journalFirstLsn > header.lsn + 1n)
      throw new RecoveryJournalGapError(header.lsn + 1n, journalFirstLsn)
    return { content: read.content, damaged }
  }
  if (journalFirstLsn <= 1n) return { content: undefined, damaged }
  const newest = damaged[0]
  if (newest !== undefined) throw new RecoveryCheckpointCorruptError(newest.name, newest.problem)
  throw new RecoveryJournalGapError(1n, journalFirstLsn)
}
