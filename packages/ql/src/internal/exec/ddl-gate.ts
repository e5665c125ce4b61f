/**
 * DdlGate: keeps DDL and DML of one executor apart, so that no statement reads a catalog version
 * and rows that disagree (a model altered while its rows are being rewritten).
 *
 * Statements (DML, `begin`, `commit`) enter shared; DDL enters exclusive. A statement enters at
 * once, synchronously, unless a DDL statement runs or waits (then it queues: DDL is not starved).
 * A DDL statement waits until no statement is inside, runs alone, then lets the queued statements
 * in before the next DDL. An explicit transaction holds the gate only during each of its
 * statements and its commit, never in between, so DDL never waits for an idle transaction (and
 * the executor catches the transactions whose models changed, see session.ts).
 *
 *   open ──enterExclusive──▶ draining (shared > 0) ──last leaveShared──▶ exclusive
 *     ▲                                                                      │
 *     └──────────────────────────── leaveExclusive ◀────────────────────────┘
 *
 * Invariants: `shared >= 0`; `exclusive` implies `shared === 0`.
 */
import { assert } from '@sky/std'

export class DdlGate {
  #shared = 0
  #exclusive = false
  readonly #waitingShared: (() => void)[] = []
  readonly #waitingExclusive: (() => void)[] = []

  /** Enters as a statement: null when entered at once, else a promise resolved once inside. */
  enterShared(): Promise<void> | null {
    if (!this.#exclusive && this.#waitingExclusive.length === 0) {
      this.#shared++
      return null
    }
    return new Promise((resolve) => {
      this.#waitingShared.push(() => {
        this.#shared++
        resolve()
      })
    })
  }

  /** Leaves after {@link enterShared}. */
  leaveShared(): void {
    assert(this.#shared > 0, 'leaveShared follows enterShared')
    this.#shared--
    if (this.#shared === 0) this.#admitExclusive()
    this.#assertInvariants()
  }

  /** Enters as DDL: resolves once no statement is inside and no other DDL runs. */
  enterExclusive(): Promise<void> {
    return new Promise((resolve) => {
      this.#waitingExclusive.push(() => {
        this.#exclusive = true
        resolve()
      })
      if (this.#shared === 0 && !this.#exclusive) this.#admitExclusive()
    })
  }

  /** Leaves after {@link enterExclusive}: queued statements first, then the next DDL. */
  leaveExclusive(): void {
    assert(this.#exclusive, 'leaveExclusive follows enterExclusive')
    this.#exclusive = false
    const admitted = this.#waitingShared.splice(0)
    for (const admit of admitted) admit()
    if (this.#shared === 0) this.#admitExclusive()
    this.#assertInvariants()
  }

  #admitExclusive(): void {
    if (this.#exclusive) return
    const next = this.#waitingExclusive.shift()
    next?.()
  }

  #assertInvariants(): void {
    assert(this.#shared >= 0, 'shared count is not negative')
    if (this.#exclusive) assert(this.#shared === 0, 'exclusive excludes statements')
  }
}
