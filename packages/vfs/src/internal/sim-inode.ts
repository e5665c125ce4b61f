/**
 * One simulated file's bytes: what is durable, what is only written, and the writes in between.
 *
 * Invariant: applying `pending` in order to `durable` yields `current`. `sync()` makes
 * `durable = current` and empties `pending`. A crash keeps `durable` plus a prefix of `pending`,
 * the last write of the prefix possibly torn (only its first bytes landed).
 */
import { assert } from '@sky/std'

/** A write or truncate that has not been made durable by a sync. */
export type PendingChange =
  | { readonly kind: 'write'; readonly position: number; readonly data: Uint8Array }
  | { readonly kind: 'truncate'; readonly size: number }

/** What a crash keeps of one file: the first `applied` changes, then `tornBytes` of the next write. */
export interface InodeCrashChoice {
  readonly applied: number
  readonly tornBytes: number
}

/** A byte array that grows with amortised doubling, changed in place. */
export class GrowableBytes {
  #bytes: Uint8Array
  #length: number

  constructor(initial: Uint8Array = new Uint8Array(0)) {
    this.#bytes = initial.slice()
    this.#length = initial.length
  }

  get length(): number {
    return this.#length
  }

  /** A view of the live bytes; valid until the next change. */
  view(): Uint8Array {
    return this.#bytes.subarray(0, this.#length)
  }

  apply(change: PendingChange): void {
    if (change.kind === 'truncate') {
      this.#reserve(change.size)
      if (change.size > this.#length) this.#bytes.fill(0, this.#length, change.size)
      this.#length = change.size
      return
    }
    const end = change.position + change.data.length
    this.#reserve(end)
    if (change.position > this.#length) this.#bytes.fill(0, this.#length, change.position)
    this.#bytes.set(change.data, change.position)
    this.#length = Math.max(this.#length, end)
  }

  #reserve(size: number): void {
    if (size <= this.#bytes.length) return
    const grown = new Uint8Array(Math.max(size, this.#bytes.length * 2, 64))
    grown.set(this.#bytes.subarray(0, this.#length))
    this.#bytes = grown
  }
}

export class SimInode {
  readonly durable = new GrowableBytes()
  readonly current = new GrowableBytes()
  pending: PendingChange[] = []

  constructor(readonly id: number) {}

  write(position: number, data: Uint8Array): void {
    const change = { kind: 'write', position, data: data.slice() } as const
    this.current.apply(change)
    this.pending.push(change)
  }

  truncate(size: number): void {
    const change = { kind: 'truncate', size } as const
    this.current.apply(change)
    this.pending.push(change)
  }

  sync(): void {
    for (const change of this.pending) this.durable.apply(change)
    this.pending = []
  }

  /** Flips one bit in both the written and the durable bytes (a fault: media corruption). */
  flipBit(position: number, bit: number): void {
    assert(position < this.current.length, 'flip inside the file')
    this.current.view()[position]! ^= 1 << bit
    if (position < this.durable.length) this.durable.view()[position]! ^= 1 << bit
  }

  /** Every state a crash could leave this file in, tearing writes at the given byte counts. */
  crashChoices(tearPoints: (length: number) => number[]): InodeCrashChoice[] {
    const choices: InodeCrashChoice[] = []
    for (let applied = 0; applied <= this.pending.length; applied++) {
      choices.push({ applied, tornBytes: 0 })
      const next = this.pending[applied]
      if (next?.kind === 'write') {
        for (const tornBytes of tearPoints(next.data.length)) choices.push({ applied, tornBytes })
      }
    }
    return choices
  }

  /** The bytes this file holds after a crash that made `choice`. */
  contentAfter(choice: InodeCrashChoice): Uint8Array {
    assert(choice.applied <= this.pending.length, 'choice within pending changes')
    const content = new GrowableBytes(this.durable.view())
    for (let index = 0; index < choice.applied; index++) content.apply(this.pending[index]!)
    if (choice.tornBytes > 0) {
      const next = this.pending[choice.applied]
      assert(next?.kind === 'write', 'only writes tear')
      assert(choice.tornBytes < next.data.length, 'a torn write keeps fewer bytes than it had')
      const data = next.data.subarray(0, choice.tornBytes)
      content.apply({ kind: 'write', position: next.position, data })
    }
    return content.view()
  }
}
