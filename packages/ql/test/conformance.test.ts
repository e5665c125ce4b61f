/**
 * The BlueQL conformance table (src/conformance.ts, blueql.md §9 and every section) run through
 * the executor over the test engine (catalog, transactions, journal on a simulated disk).
 */
import { Executor } from '../src/index.js'
import { blueqlConformance } from '../src/testing.js'
import { EngineDouble } from './engine-double.js'

blueqlConformance('Executor over the engine double', async () => {
  const engine = await EngineDouble.open()
  const executor = new Executor(engine)
  return {
    session: (user: string) => executor.session({ user }),
    close: () => engine.close(),
  }
})
