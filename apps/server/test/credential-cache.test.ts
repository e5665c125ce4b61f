/**
 * CredentialCache: a verified password skips scrypt until its TTL or a user change; a wrong one
 * is never remembered; concurrent checks share one verification. Time is a fake clock.
 */
import { describe, expect, it } from 'vitest'
import { CredentialCache } from '../src/internal/credential-cache.js'

describe('CredentialCache', () => {
  it('remembers successes only, until the TTL or clear()', async () => {
    let now = 0
    const cache = new CredentialCache({ ttlMs: 1000, now: () => now })
    let verifications = 0
    const verify = (valid: boolean) => async (): Promise<boolean> => {
      verifications += 1
      return valid
    }
    expect(await cache.check('ann', 'pw', verify(true))).toBe(true)
    expect(await cache.check('ann', 'pw', verify(true))).toBe(true)
    expect(verifications).toBe(1)
    expect(await cache.check('ann', 'other', verify(false))).toBe(false)
    expect(await cache.check('ann', 'other', verify(false))).toBe(false)
    expect(verifications).toBe(3) // wrong passwords always pay
    now = 1000
    expect(await cache.check('ann', 'pw', verify(true))).toBe(true)
    expect(verifications).toBe(4) // expired
    cache.clear()
    expect(await cache.check('ann', 'pw', verify(false))).toBe(false) // e.g. the user was dropped
    expect(verifications).toBe(5)
  })

  it('shares one verification among concurrent checks of the same password', async () => {
    const cache = new CredentialCache({ ttlMs: 1000 })
    let verifications = 0
    const verify = async (): Promise<boolean> => {
      verifications += 1
      return true
    }
    const answers = await Promise.all(
      Array.from({ length: 256 }, () => cache.check('root', 'pw', verify)),
    )
    expect(answers.every(Boolean)).toBe(true)
    expect(verifications).toBe(1)
  })

  it('verifies every time with a TTL of 0, and stays within entriesMax', async () => {
    const off = new CredentialCache({ ttlMs: 0 })
    let verifications = 0
    const verify = async (): Promise<boolean> => {
      verifications += 1
      return true
    }
    await off.check('a', 'p', verify)
    await off.check('a', 'p', verify)
    expect(verifications).toBe(2)
    const small = new CredentialCache({ ttlMs: 1000, entriesMax: 2 })
    for (const user of ['a', 'b', 'c']) await small.check(user, 'p', verify)
    expect(small.size).toBe(2)
  })
})
