/** Shared by the tests: databases on the simulated disk and in temp directories. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SimFileSystem } from '@sky/vfs'
import { open } from '../src/index.js'
import type { Database, OpenOptions } from '../src/index.js'

/** Cheap password hashing: tests create users often. */
export const cheapHashing = { cost: 16, blockSize: 1 } as const

/** A database on a fresh simulated disk (its `fs` is returned to reopen or crash it). */
export async function simDatabase(options: OpenOptions = {}) {
  const fs = options.fs ?? new SimFileSystem()
  const db = await open('/db', { fs, passwordHashing: cheapHashing, ...options })
  return { db, fs: fs as SimFileSystem }
}

/** A new empty directory under the OS temp dir, and a function that removes it. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `sky-embedded-${prefix}-`))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The Skytable code of a rejected promise, or 'ok'. */
export async function codeOf(promise: Promise<unknown>): Promise<number | 'ok'> {
  try {
    await promise
    return 'ok'
  } catch (error) {
    const code = (error as { skytableCode?: unknown }).skytableCode
    if (typeof code === 'number') return code
    throw error
  }
}

export type { Database }
