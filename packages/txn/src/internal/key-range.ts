/** Whether a key lies in a key range (bounds inclusive unless marked exclusive). */
import { compareKeys, type Key, type KeyRange } from '@sky/mvcc'

export function inRange(key: Key, range: KeyRange<Key>): boolean {
  if (range.from !== undefined) {
    const order = compareKeys(key, range.from)
    if (order < 0 || (order === 0 && range.fromExclusive === true)) return false
  }
  if (range.to !== undefined) {
    const order = compareKeys(key, range.to)
    if (order > 0 || (order === 0 && range.toExclusive === true)) return false
  }
  return true
}
