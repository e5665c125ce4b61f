/**
 * CredentialCache: remembers, for a while, that a user's password was verified, so that a pool
 * opening 256 connections costs one scrypt check instead of 256 (each ~0.1-0.2 s of CPU).
 *
 * What is kept: per user, an HMAC-SHA256 of the verified password under a random key made at
 * start-up (never the password), and when it was verified. A handshake whose password has the
 * same HMAC within `ttlMs` is accepted without scrypt; concurrent checks of the same user and
 * password share one scrypt run. A wrong password is never remembered, so guessing still costs
 * a full scrypt per attempt.
 *
 * Invalidation: the server clears the cache whenever a `sysctl` user statement succeeds. skyd
 * holds the data directory's lock, so every change of a user goes through it and none is missed.
 *
 * Invariants: at most `entriesMax` entries (the oldest is evicted); an entry is used only while
 * younger than `ttlMs`; comparisons are constant-time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { assert } from '@sky/std'

interface Entry {
  readonly digest: Buffer
  readonly verifiedAt: number
}

/** The cache of verified passwords (see the file header). */
export class CredentialCache {
  readonly ttlMs: number
  readonly entriesMax: number
  readonly #key = randomBytes(32)
  readonly #entries = new Map<string, Entry>()
  readonly #pending = new Map<string, Promise<boolean>>()
  readonly #now: () => number
  #generation = 0

  constructor(options: { ttlMs: number; entriesMax?: number; now?: () => number }) {
    assert(options.ttlMs >= 0, 'ttlMs >= 0')
    this.ttlMs = options.ttlMs
    this.entriesMax = options.entriesMax ?? 1024
    this.#now = options.now ?? Date.now
  }

  #digest(user: string, password: string): Buffer {
    return createHmac('sha256', this.#key).update(user).update('\0').update(password).digest()
  }

  /**
   * True when `password` is `user`'s: from the cache, or by `verify` (the slow check), whose
   * success is then remembered. Concurrent calls with the same user and password share one
   * `verify`.
   */
  async check(user: string, password: string, verify: () => Promise<boolean>): Promise<boolean> {
    if (this.ttlMs === 0) return verify()
    const digest = this.#digest(user, password)
    const entry = this.#entries.get(user)
    if (entry !== undefined && this.#now() - entry.verifiedAt < this.ttlMs &&
      timingSafeEqual(entry.digest, digest)) {
      return true
    }
    const pendingKey = `${user}\0${digest.toString('hex')}`
    const pending = this.#pending.get(pendingKey)
    if (pending !== undefined) return pending
    const generation = this.#generation
    const run = verify().then((valid) => {
      // A user change while verifying may have made this answer stale: do not remember it.
      if (valid && generation === this.#generation) this.#remember(user, digest)
      return valid
    }).finally(() => this.#pending.delete(pendingKey))
    this.#pending.set(pendingKey, run)
    return run
  }

  #remember(user: string, digest: Buffer): void {
    this.#entries.delete(user)
    if (this.#entries.size >= this.entriesMax) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
    this.#entries.set(user, { digest, verifiedAt: this.#now() })
    assert(this.#entries.size <= this.entriesMax, 'bounded')
  }

  /** Forgets every verification (a user was created, altered or dropped). */
  clear(): void {
    this.#entries.clear()
    this.#generation += 1
  }

  get size(): number {
    return this.#entries.size
  }
}
