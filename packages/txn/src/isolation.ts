/**
 * Isolation levels, as the architecture's table defines them:
 *
 * | level | reads | at commit |
 * |---|---|---|
 * | read committed | latest committed version at each read | write-write conflict check |
 * | snapshot (= repeatable read) | the snapshot taken at begin | first committer wins on write-write |
 * | serializable (default) | the snapshot taken at begin | + every key read and range scanned unchanged |
 *
 * `read uncommitted` runs as read committed: a dirty read would show data a crash could take back.
 */

/** The levels a transaction can ask for. */
export type IsolationLevel = 'read uncommitted' | 'read committed' | 'repeatable read' | 'snapshot' | 'serializable'

/** The levels that actually run. */
export type Isolation = 'read committed' | 'snapshot' | 'serializable'

/** The level a requested level runs as, and whether it was changed. */
export function effectiveIsolation(level: IsolationLevel): { readonly isolation: Isolation; readonly note?: string } {
  switch (level) {
    case 'read uncommitted':
      return { isolation: 'read committed', note: 'read uncommitted runs as read committed' }
    case 'read committed':
      return { isolation: 'read committed' }
    case 'repeatable read':
      return { isolation: 'snapshot', note: 'repeatable read runs as snapshot isolation' }
    case 'snapshot':
      return { isolation: 'snapshot' }
    case 'serializable':
      return { isolation: 'serializable' }
    default:
      throw new RangeError(`unknown isolation level ${String(level)}`)
  }
}
