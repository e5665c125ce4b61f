/** Reading a whole range despite short reads. */
import { assert } from '@sky/std'
import type { FileHandle } from './file-system.js'

/**
 * Reads `length` bytes at `position`, looping over short reads. Returns fewer bytes only at end of file.
 *
 * @example
 * ```ts
 * const header = await readFully(file, 0, 32)
 * if (header.length < 32) { ... } // the file is shorter than a header: torn
 * ```
 */
export async function readFully(
  file: FileHandle,
  position: number,
  length: number,
): Promise<Uint8Array> {
  assert(Number.isSafeInteger(position) && position >= 0, 'position is a non-negative integer')
  assert(Number.isSafeInteger(length) && length >= 0, 'length is a non-negative integer')
  const result = new Uint8Array(length)
  let done = 0
  while (done < length) {
    const chunk = await file.read(position + done, length - done)
    if (chunk.length === 0) break // end of file
    assert(chunk.length <= length - done, 'read returned no more than asked')
    result.set(chunk, done)
    done += chunk.length
  }
  return done === length ? result : result.subarray(0, done)
}

/** Reads the whole file, looping over short reads. */
export async function readWhole(file: FileHandle): Promise<Uint8Array> {
  return readFully(file, 0, await file.size())
}
