/**
 * @packageDocumentation
 * `@sky/journal` is skydb's write-ahead log: CRC-checked frames in numbered segments, `append` that
 * resolves only when the frame is durable, group commit so one fdatasync serves every append that
 * arrived while the previous one ran, fail-stop on fdatasync failure, and scans that tell a crash's
 * torn tail from corruption in the middle. The bytes are described in FORMAT.md.
 */
export type {
  Durability,
  Journal,
  JournalFrame,
  JournalOptions,
  JournalScan,
  JournalStats,
  ScanEnding,
  TornTail,
} from './journal.js'
export { openJournal, scanJournal } from './open-journal.js'
export {
  DiskFullError,
  JournalClosedError,
  JournalCorruptError,
  JournalPoisonedError,
  JournalVersionError,
} from './errors.js'
export type { CorruptionSite } from './errors.js'
