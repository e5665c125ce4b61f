/**
 * Password credentials: scrypt (node:crypto) with a per-user random salt, and the parameters stored
 * beside the hash so they can change without invalidating old users. Verification compares with
 * `timingSafeEqual`, and an unknown user costs the same scrypt as a known one.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'
import type { Credential } from './catalog.js'

/** scrypt parameters for new credentials. */
export interface ScryptParameters {
  /** N, a power of two from 2 to 2^20. Default 2^15 (about 0.1-0.25 s on a server core). */
  readonly cost: number
  /** r, 1..32. Default 8. */
  readonly blockSize: number
  /** p, 1..16. Default 1. */
  readonly parallelization: number
  /** Derived key length, 16..64. Default 32. */
  readonly keyBytes: number
  /** Salt length, 16..64. Default 16. */
  readonly saltBytes: number
}

/** The defaults: N = 2^15, r = 8, p = 1, 32-byte key, 16-byte salt. */
export const scryptDefaults: ScryptParameters = Object.freeze({
  cost: 2 ** 15,
  blockSize: 8,
  parallelization: 1,
  keyBytes: 32,
  saltBytes: 16,
})

function inRange(value: number, low: number, high: number): boolean {
  return Number.isInteger(value) && value >= low && value <= high
}

/** Why these parameters are unusable, or undefined. */
export function scryptProblem(
  parameters: Omit<ScryptParameters, 'saltBytes'> & { saltBytes?: number },
): string | undefined {
  const { cost, blockSize, parallelization, keyBytes } = parameters
  if (!inRange(cost, 2, 2 ** 20) || (cost & (cost - 1)) !== 0)
    return 'cost must be a power of two, 2..2^20'
  if (!inRange(blockSize, 1, 32)) return 'blockSize must be 1..32'
  if (!inRange(parallelization, 1, 16)) return 'parallelization must be 1..16'
  if (!inRange(keyBytes, 16, 64)) return 'keyBytes must be 16..64'
  if (parameters.saltBytes !== undefined && !inRange(parameters.saltBytes, 16, 64))
    return 'saltBytes must be 16..64'
  return undefined
}

function derive(
  password: string,
  salt: Uint8Array,
  parameters: { cost: number; blockSize: number; parallelization: number; keyBytes: number },
): Promise<Uint8Array> {
  const { cost, blockSize, parallelization, keyBytes } = parameters
  const maxmem = 256 * cost * blockSize * parallelization + 1024 * 1024
  return new Promise((resolve, reject) => {
    scrypt(
      password,
      salt,
      keyBytes,
      { N: cost, r: blockSize, p: parallelization, maxmem },
      (error, key) => {
        if (error !== null) reject(error)
        else resolve(new Uint8Array(key.buffer, key.byteOffset, key.length))
      },
    )
  })
}

/** A new credential for `password`, with a fresh random salt. */
export async function hashPassword(
  password: string,
  parameters: ScryptParameters,
): Promise<Credential> {
  const salt = new Uint8Array(randomBytes(parameters.saltBytes))
  const hash = await derive(password, salt, { ...parameters })
  const { cost, blockSize, parallelization } = parameters
  return { algorithm: 'scrypt', cost, blockSize, parallelization, salt, hash }
}

/** True when `password` matches `credential`; a comparison in constant time. */
export async function verifyCredential(credential: Credential, password: string): Promise<boolean> {
  const key = await derive(password, credential.salt, {
    cost: credential.cost,
    blockSize: credential.blockSize,
    parallelization: credential.parallelization,
    keyBytes: credential.hash.length,
  })
  return key.length === credential.hash.length && timingSafeEqual(key, credential.hash)
}

/** Spends the time of a verification with `parameters`, for users that do not exist. */
export async function spendVerification(parameters: ScryptParameters): Promise<void> {
  await derive('', new Uint8Array(parameters.saltBytes), { ...parameters })
}
