/** Test helpers shared by the journal tests. */
import { SimFileSystem } from '@sky/vfs'
import type { Journal } from '../src/index.js'

export const encoder = new TextEncoder()
export const decoder = new TextDecoder()

/** A payload that names its own sequence number, so a recovered frame proves where it came from. */
export function payloadFor(sequence: number, size = 24): Uint8Array {
  const text = `#${sequence}:`.padEnd(size, String.fromCharCode(97 + (sequence % 26)))
  return encoder.encode(text)
}

export async function collect(journal: Pick<Journal, 'scan'>, fromLsn = 1n) {
  const scan = journal.scan(fromLsn)
  const frames = []
  for await (const frame of scan) frames.push(frame)
  return { frames, ending: scan.ending! }
}

export async function newSim(options: ConstructorParameters<typeof SimFileSystem>[0] = {}) {
  const fs = new SimFileSystem(options)
  await fs.mkdir('/db')
  await fs.syncDir('/')
  return fs
}

/** Lets every queued immediate and microtask run. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
