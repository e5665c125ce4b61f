/**
 * The BlueQL conformance table of `@sky/ql/testing` (every row of blueql.md §9 and the rules of
 * each section, 384 statements) run against `open()`: on the simulated disk, and durably on the
 * real disk.
 */
import { blueqlConformance } from '@sky/ql/testing'
import type { ConformanceTarget } from '@sky/ql/testing'
import { open } from '../src/index.js'
import type { Database } from '../src/index.js'
import { cheapHashing, simDatabase, tempDir } from './helpers.js'

function target(db: Database, cleanup: () => void = () => undefined): ConformanceTarget {
  return {
    session: (user) => {
      const session = db.session({ user })
      return { query: (query, parameters, options) => session.raw(query, parameters, options) }
    },
    close: async () => {
      await db.close()
      cleanup()
    },
  }
}

blueqlConformance('apps/embedded on the simulated disk', async () => {
  return target((await simDatabase()).db)
})

blueqlConformance('apps/embedded on the real disk, durable', async () => {
  const { dir, remove } = tempDir('conformance')
  const db = await open(dir, { durability: 'sync', passwordHashing: cheapHashing })
  return target(db, remove)
})
