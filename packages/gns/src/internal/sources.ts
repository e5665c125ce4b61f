/**
 * The raw material of recovery: candidate bases (whole catalog states at some sequence number) and
 * the pool of events by sequence number, gathered from the checkpoints, the journal and the
 * catalog source, with every damaged copy recorded.
 */
import { GnsUnsupportedVersionError } from '../errors.js'
import type { GnsDamage, GnsDamageKind, GnsFile } from '../report.js'
import type { Change } from './change.js'
import type { CheckpointRead, CheckpointSlot } from './checkpoint-store.js'
import { type ImageRead, decodeImage, peekImageHeader, recordKinds } from './image-codec.js'
import { buildState, metaFromJson } from './image-state.js'
import type { CatalogState } from './state.js'

/**
 * A whole catalog state some copy holds, at `seq`. Its records passed their checksums when it was
 * read; the state itself is built only when recovery uses it (a checkpoint and the journal's
 * snapshot frame usually hold the same state, and one build is enough).
 */
export class Base {
  #state: CatalogState | undefined
  #problem: string | undefined
  #build: (() => { state: CatalogState } | { problem: string }) | undefined

  constructor(
    readonly origin: string,
    readonly kind: 'genesis' | 'checkpoint' | 'journal' | 'source' | 'partial',
    readonly seq: number,
    build: CatalogState | (() => { state: CatalogState } | { problem: string }),
  ) {
    if (typeof build === 'function') this.#build = build
    else this.#state = build
  }

  /** The state, or undefined when the records do not form a consistent catalog (see `problem`). */
  load(): CatalogState | undefined {
    if (this.#build !== undefined) {
      const built = this.#build()
      this.#build = undefined
      if ('state' in built) this.#state = built.state
      else this.#problem = built.problem
    }
    return this.#state
  }

  get problem(): string | undefined {
    return this.#problem
  }
}

export interface PoolEvent {
  readonly change: Change
  readonly bytes: Uint8Array
  readonly origin: 'journal' | 'source'
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, at) => byte === b[at])
}

/** Events by sequence number; the first copy of a sequence number wins. */
export class EventPool {
  readonly #bySeq = new Map<number, PoolEvent>()
  #maxSeq = 0

  /** Adds an event; 'conflict' when another, different event has the same sequence number. */
  add(seq: number, event: PoolEvent): 'added' | 'same' | 'conflict' {
    const existing = this.#bySeq.get(seq)
    if (existing !== undefined) return sameBytes(existing.bytes, event.bytes) ? 'same' : 'conflict'
    this.#bySeq.set(seq, event)
    this.#maxSeq = Math.max(this.#maxSeq, seq)
    return 'added'
  }

  get(seq: number): PoolEvent | undefined {
    return this.#bySeq.get(seq)
  }

  get maxSeq(): number {
    return this.#maxSeq
  }

  /** The last sequence number reachable from `seq` by consecutive events. */
  chainEnd(seq: number): number {
    let end = seq
    while (this.#bySeq.has(end + 1)) end++
    return end
  }
}

/** Collects damage reports. */
export class DamageLog {
  readonly entries: GnsDamage[] = []

  add(
    file: GnsFile,
    kind: GnsDamageKind,
    detail: string,
    where: { offset?: number; segment?: string } = {},
  ): void {
    this.entries.push({ file, kind, detail, offset: where.offset, segment: where.segment })
  }

  has(file: GnsFile): boolean {
    return this.entries.some((entry) => entry.file === file)
  }
}

/** What one checkpoint copy contributes. */
export interface CheckpointAssessment {
  readonly slot: CheckpointSlot
  readonly present: boolean
  /** Generation and seq from a header whose own checksum holds, even if the rest is damaged. */
  readonly header: { readonly generation: number; readonly seq: number } | undefined
  /** The copy as a usable whole state (its records are all intact). */
  readonly base: Base | undefined
  /** The decoded image, when its header holds (for salvaging records from a damaged copy). */
  readonly image: Extract<ImageRead, { status: 'read' }> | undefined
  /** Whether the copy must be rewritten (it failed a check). */
  readonly damaged: boolean
}

function describeRecords(image: Extract<ImageRead, { status: 'read' }>): string {
  const spaceNames = new Map<number, string>()
  for (const record of [...image.records, ...image.damaged]) {
    if (record.kind === recordKinds.space) spaceNames.set(record.key, record.name)
  }
  const kinds = ['', 'meta', 'space', 'model', 'user']
  const parts = image.damaged.map((record) => {
    const name =
      record.kind === recordKinds.model
        ? `${spaceNames.get(record.parent) ?? `#${record.parent}`}.${record.name}`
        : record.name
    return `${kinds[record.kind]} ${name || '(catalog meta)'} (id ${record.key}) at offset ${
      record.offset
    }: ${record.reason}`
  })
  for (const range of image.unidentified)
    parts.push(`unidentifiable bytes at offset ${range.offset} (${range.length} bytes)`)
  if (parts.length === 0) parts.push('record count does not match the header')
  return parts.join('; ')
}

/** Turns a complete image into a base, or says why it is not one. */
export function baseOfImage(
  image: Extract<ImageRead, { status: 'read' }>,
  origin: string,
  kind: Base['kind'],
): { base: Base } | { problem: string } {
  if (!image.countOk || image.damaged.length > 0) return { problem: describeRecords(image) }
  const metaRecord = image.records.find((record) => record.kind === recordKinds.meta)
  const meta = metaRecord === undefined ? undefined : metaFromJson(metaRecord.payload)
  if (meta === undefined) return { problem: 'meta record missing or malformed' }
  const records = image.records
  return { base: new Base(origin, kind, image.seq, () => buildState(image.seq, meta, records)) }
}

/**
 * A base from image bytes whose checksum was already verified elsewhere, decoded only when used.
 */
export function baseOfImageBytes(
  bytes: Uint8Array,
  origin: string,
  kind: Base['kind'],
  seq: number,
  image: () => ImageRead,
): Base {
  return new Base(origin, kind, seq, () => {
    const read = image()
    if (read.status !== 'read') return { problem: `unreadable (${read.status})` }
    const built = baseOfImage(read, origin, kind)
    if ('problem' in built) return built
    const state = built.base.load()
    return state === undefined ? { problem: built.base.problem ?? 'inconsistent' } : { state }
  })
}

/** Memoizes the decoding of image bytes. */
export function lazyImage(bytes: Uint8Array): () => ImageRead {
  let read: ImageRead | undefined
  return () => (read ??= decodeImage(bytes))
}

/** Assesses one checkpoint copy, logging its damage. */
export function assessCheckpoint(read: CheckpointRead, damage: DamageLog): CheckpointAssessment {
  const { slot } = read
  const none = { slot, header: undefined, base: undefined, image: undefined }
  if (read.status === 'missing') return { ...none, present: false, damaged: false }
  if (read.status === 'unreadable') {
    damage.add(slot, 'unreadable', String((read.error as Error)?.message ?? read.error))
    return { ...none, present: true, damaged: true }
  }
  const { image, bytes } = read
  if (image.status === 'version') throw new GnsUnsupportedVersionError(slot, image.version)
  if (image.status !== 'read') {
    damage.add(slot, image.status, image.detail, { offset: 0 })
    return { ...none, present: true, header: peekImageHeader(bytes), damaged: true }
  }
  const header = { generation: image.generation, seq: image.seq }
  const built = baseOfImage(image, `${slot} (generation ${image.generation})`, 'checkpoint')
  if ('problem' in built) {
    const offset = image.damaged[0]?.offset ?? image.unidentified[0]?.offset
    damage.add(slot, 'damaged-records', built.problem, offset === undefined ? {} : { offset })
    return { slot, present: true, header, base: undefined, image, damaged: true }
  }
  if (!image.fileCrcOk)
    damage.add(slot, 'bad-checksum', 'file checksum fails; every record is intact', { offset: 44 })
  return { slot, present: true, header, base: built.base, image, damaged: !image.fileCrcOk }
}
