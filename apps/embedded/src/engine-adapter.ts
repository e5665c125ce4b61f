/**
 * The recovery engine as the executor's `QueryEngine`: the catalog, DDL (two-phase inside the
 * engine), the transaction manager, the store ids, password checks, and a health flag.
 *
 * Invariant: once a fatal storage failure was seen (a poisoned journal or catalog, a failed
 * engine), `status()` stays unhealthy until the database is reopened, as the engine itself
 * refuses writes until then (fail-stop).
 */
import type { DdlOp, DdlResult } from '@sky/gns'
import type { EngineStatus, QueryEngine } from '@sky/ql'
import { storeIdOf } from '@sky/recovery'
import type { Engine } from '@sky/recovery'
import { isSkyError } from '@sky/std'

/** Error codes after which the engine accepts no more writes until reopened. */
const fatalCodes: ReadonlySet<string> = new Set([
  'JOURNAL_POISONED',
  'TXN_JOURNAL_POISONED',
  'GNS_POISONED',
  'RECOVERY_ENGINE_FAILED',
])

/** Wraps an open engine for the executor and remembers fatal failures. */
export class EngineAdapter implements QueryEngine {
  readonly manager: Engine['manager']
  readonly #engine: Engine
  #failure: string | undefined

  constructor(engine: Engine) {
    this.#engine = engine
    this.manager = engine.manager
  }

  catalog() {
    return this.#engine.gns.current
  }

  async ddl(op: DdlOp): Promise<DdlResult> {
    try {
      return await this.#engine.ddl(op)
    } catch (error) {
      this.observe(error)
      throw error
    }
  }

  storeId = storeIdOf

  verifyPassword(user: string, password: string): Promise<boolean> {
    return this.#engine.gns.verifyPassword(user, password)
  }

  status(): EngineStatus {
    if (this.#failure === undefined) return { healthy: true }
    return { healthy: false, detail: this.#failure }
  }

  /** Records a fatal failure seen anywhere (a query's cause chain included). */
  observe(error: unknown): void {
    for (let at: unknown = error, depth = 0; at !== undefined && depth < 8; depth++) {
      if (isSkyError(at) && fatalCodes.has(at.code)) {
        this.#failure ??= `${at.code}: ${at.message}`
        return
      }
      at = at instanceof Error ? at.cause : undefined
    }
  }
}
