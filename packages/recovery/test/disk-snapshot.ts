/** Every file of a simulated disk under a directory, with its bytes (to prove nothing changed). */
import type { SimFileSystem } from '@sky/vfs'
import { joinPath } from '@sky/vfs'

export async function filesOf(fs: SimFileSystem, dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  const walk = async (at: string): Promise<void> => {
    for (const name of await fs.readdir(at)) {
      const path = joinPath(at, name)
      if ((await fs.stat(path)).isDirectory) await walk(path)
      else files.set(path, Buffer.from(fs.contents(path)).toString('hex'))
    }
  }
  await walk(dir)
  return files
}

/** Finds `needle` in `haystack`; -1 when absent. */
export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).indexOf(
    Buffer.from(needle),
  )
}
