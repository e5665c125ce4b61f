/** A string identity for a primary key, for hash maps (Uint8Array keys compare by value). */
import type { Key } from '@sky/mvcc'

export function keyId(key: Key): string {
  if (typeof key === 'bigint') return `i${key}`
  if (typeof key === 'string') return `s${key}`
  return `b${Buffer.from(key.buffer, key.byteOffset, key.length).toString('hex')}`
}
