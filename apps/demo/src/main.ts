/**
 * skydb journal demo: the main program until the server exists.
 *
 * Opens a durable journal in `./skydb-demo-data/journal` (or the directory given as the first
 * argument), appends records from many concurrent writers, shows how group commit served them with few
 * fdatasyncs, then reopens the journal and reads every record back, checking each one.
 */
import path from 'node:path'
import { openJournal } from '@sky/journal'
import { NodeFileSystem } from '@sky/vfs'

const dir = path.resolve(process.argv[2] ?? 'skydb-demo-data/journal')
const writers = 64
const recordsPerWriter = 50
const fs = new NodeFileSystem()
const encoder = new TextEncoder()
const decoder = new TextDecoder()

console.log(`skydb journal demo: ${dir}`)
const journal = await openJournal({ fs, dir, durability: 'sync' })
const firstLsn = journal.nextLsn
console.log(`opened; the next record gets lsn ${firstLsn}`)

const started = performance.now()
const acknowledged = new Map<bigint, string>()
await Promise.all(
  Array.from({ length: writers }, async (_, writer) => {
    for (let record = 0; record < recordsPerWriter; record++) {
      const text = `writer ${writer} record ${record} at ${new Date().toISOString()}`
      const lsn = await journal.append(encoder.encode(text)) // resolves only once on disk
      acknowledged.set(lsn, text)
    }
  }),
)
const seconds = (performance.now() - started) / 1000
const { appends, syncs } = journal.stats
console.log(
  `${appends} records acknowledged durable in ${seconds.toFixed(2)} s ` +
    `(${Math.round(appends / seconds)}/s) with ${syncs} fdatasyncs: ` +
    `${(appends / Math.max(syncs, 1)).toFixed(1)} records per fdatasync thanks to group commit`,
)
await journal.close()

const reopened = await openJournal({ fs, dir })
let checked = 0
let total = 0
const scan = reopened.scan(1n)
for await (const frame of scan) {
  total++
  const expected = acknowledged.get(frame.lsn)
  if (expected === undefined) continue
  if (decoder.decode(frame.payload) !== expected) throw new Error(`lsn ${frame.lsn} differs`)
  checked++
}
await reopened.close()
if (checked !== acknowledged.size) throw new Error(`only ${checked} of ${acknowledged.size} records read back`)
console.log(
  `reopened: the journal holds ${total} records (lsn 1..${total}), scan ended ${scan.ending?.kind}; ` +
    `all ${checked} records of this run read back and checked`,
)
