/**
 * What damaged bytes probably held: frame (or block) headers read without trusting their CRC, and
 * redo records decoded where they still decode. Reports use it to name the transactions and models
 * a damaged range most likely contained; it is evidence, never applied.
 */
import { decodeRedo } from '@sky/txn'
import { dataFrameKind } from '../frame-kinds.js'
import { frameHeaderAt } from './journal-format.js'

/** One frame that probably sat in damaged bytes. */
export interface SuspectedFrame {
  readonly lsn: bigint
  readonly kind: number
  /** For a redo record that still decodes: its commit timestamp, models and write count. */
  readonly commitTs?: number
  readonly models?: readonly string[]
  readonly writes?: number
}

/** Suspected frames read from `bytes[start, end)`, at most `limit`. */
export function suspectFrames(
  bytes: Uint8Array,
  start: number,
  end: number,
  limit = 1000,
): SuspectedFrame[] {
  const found: SuspectedFrame[] = []
  for (let at = start; found.length < limit; ) {
    const header = frameHeaderAt(bytes, at, end)
    if (header === undefined || header.end <= at) break
    found.push(describe(header.lsn, header.kind, header.payload))
    at = header.end
  }
  return found
}

function describe(lsn: bigint, kind: number, payload: Uint8Array): SuspectedFrame {
  if (kind !== dataFrameKind.redo) return { lsn, kind }
  try {
    const record = decodeRedo(payload)
    const models = [...new Set(record.writes.map((write) => write.modelId))].sort()
    return { lsn, kind, commitTs: record.commitTs, models, writes: record.writes.length }
  } catch {
    return { lsn, kind }
  }
}
