/**
 * AuthGate: at most `concurrencyMax` password checks run at once; the others wait in arrival
 * order.
 *
 * Why: a password check is scrypt, about 0.2 s of CPU in Node's thread pool — the same pool that
 * runs the journal's writes and fdatasyncs. A burst of handshakes (or a password-guessing client)
 * must not take every thread from the disk, or every commit would wait behind it.
 *
 * Invariant: `running <= concurrencyMax`; every `run` settles with its work's outcome.
 */
import { assert } from '@sky/std'

/** A counting gate for password checks (see the file header). */
export class AuthGate {
  readonly concurrencyMax: number
  #running = 0
  readonly #waiting: (() => void)[] = []

  constructor(concurrencyMax: number) {
    assert(Number.isInteger(concurrencyMax) && concurrencyMax >= 1, 'concurrencyMax >= 1')
    this.concurrencyMax = concurrencyMax
  }

  /** Checks waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrencyMax) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve))
    } else {
      this.#running += 1
    }
    assert(this.#running <= this.concurrencyMax, 'running within the limit')
    try {
      return await work()
    } finally {
      const next = this.#waiting.shift()
      // A slot passes straight to the next waiter, so `running` does not change then.
      if (next === undefined) this.#running -= 1
      else next()
    }
  }
}
