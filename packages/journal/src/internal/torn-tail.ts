/**
 * Default keeper of torn tails: before the journal cuts a crash remnant off its last segment, the bytes
 * go to `<dir>/torn/<segment>.<offset>.<n>.bin`, synced, so no byte is ever dropped unseen.
 */
import type { FileSystem } from '@sky/vfs'
import { joinPath } from '@sky/vfs'
import type { TornTail } from '../journal.js'

export async function keepTornTail(fs: FileSystem, dir: string, tail: TornTail): Promise<void> {
  const tornDir = joinPath(dir, 'torn')
  const created = !(await fs.exists(tornDir))
  if (created) await fs.mkdir(tornDir)
  let attempt = 0
  let target = ''
  do {
    target = joinPath(tornDir, `${tail.segment}.${tail.offset}.${attempt++}.bin`)
  } while (await fs.exists(target))
  const file = await fs.open(target, { create: true, exclusive: true })
  try {
    await file.write(0, tail.bytes)
    await file.sync()
  } finally {
    await file.close()
  }
  await fs.syncDir(tornDir)
  if (created) await fs.syncDir(dir)
}
