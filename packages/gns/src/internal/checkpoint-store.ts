/**
 * The two checkpoint copies, `gns.a` and `gns.b`. Generations alternate between them: odd
 * generations live in `gns.a`, even ones in `gns.b`, so writing generation g+1 after a valid g
 * never touches g's copy, and a heal that writes "the next generation after the newest valid one"
 * always lands on the other copy, which is the damaged one.
 */
import type { FileSystem } from '@sky/vfs'
import { joinPath } from '@sky/vfs'
import { readFileIfPresent, writeFileAtomically } from './disk.js'
import { type ImageRead, decodeImage } from './image-codec.js'

export const checkpointSlots = ['gns.a', 'gns.b'] as const
export type CheckpointSlot = (typeof checkpointSlots)[number]

/** The copy that holds `generation`. */
export function slotOf(generation: number): CheckpointSlot {
  return generation % 2 === 1 ? 'gns.a' : 'gns.b'
}

/** What reading one copy found. */
export type CheckpointRead =
  | { readonly slot: CheckpointSlot; readonly status: 'missing' }
  | { readonly slot: CheckpointSlot; readonly status: 'unreadable'; readonly error: unknown }
  | {
      readonly slot: CheckpointSlot
      readonly status: 'present'
      readonly bytes: Uint8Array
      readonly image: ImageRead
    }

export async function readCheckpoint(
  fs: FileSystem,
  dir: string,
  slot: CheckpointSlot,
): Promise<CheckpointRead> {
  let bytes: Uint8Array | undefined
  try {
    bytes = await readFileIfPresent(fs, joinPath(dir, slot))
  } catch (error) {
    return { slot, status: 'unreadable', error }
  }
  if (bytes === undefined) return { slot, status: 'missing' }
  return { slot, status: 'present', bytes, image: decodeImage(bytes) }
}

/** Writes an encoded image as the copy of its generation. */
export async function writeCheckpoint(
  fs: FileSystem,
  dir: string,
  generation: number,
  image: Uint8Array,
): Promise<CheckpointSlot> {
  const slot = slotOf(generation)
  await writeFileAtomically(fs, dir, slot, image)
  return slot
}
