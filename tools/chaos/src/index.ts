/**
 * @packageDocumentation
 * `@sky/chaos` is skydb's process-level chaos harness (a private tool). {@link runChaos} is the
 * loop every harness shares: start a child process under load, SIGKILL it at a random moment (a
 * delay after it is ready or its n-th acknowledgement), wait for its death, and let the harness
 * check every acknowledged write after a restart. {@link runEngineChaos} runs it on the whole engine in a
 * child process (`pnpm chaos`); `apps/server/chaos` runs it on skyd under client load.
 */

// loop.ts
export { runChaos } from './loop.js'
export type {
  ChaosChild,
  ChaosLoopOptions,
  ChaosLoopResult,
  ChildExit,
  KillMoment,
  RoundCheck,
  RoundControl,
} from './loop.js'

// engine-chaos.ts
export { runEngineChaos } from './engine-chaos.js'
export type { EngineChaosOptions, EngineChaosResult } from './engine-chaos.js'
