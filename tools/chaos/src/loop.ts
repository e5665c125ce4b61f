/**
 * The chaos loop every process-level chaos harness shares: for each round, start a child process
 * under load, SIGKILL it at a random moment (a delay after it is ready, or its n-th
 * acknowledgement of the round), wait until it is dead and its load has wound down, and let the
 * harness check, after a restart, everything the child acknowledged.
 *
 * What stays with each harness: how the child is started and loaded, what it acknowledges, and
 * what a check compares (see engine-chaos.ts for the engine in a child process, and
 * apps/server/chaos for skyd under client load).
 *
 * Invariants: a round kills its child exactly once, only after it is ready; the check of a round
 * runs only after the child is dead (its exit observed) and `settled` resolved; a child that exits
 * by itself is a violation, never a pass. Kill moments come from the seeded PRNG, so a run's
 * choices repeat with its seed (where a timer-based kill lands does not).
 */
import type { ChildProcess } from 'node:child_process'
import { Random } from '@sky/vfs'

/** An integer in [min, max], drawn from the seeded PRNG (`@sky/vfs`'s mulberry32). */
function between(random: Random, min: number, max: number): number {
  return min + random.below(max - min + 1)
}

/** How a child process ended. */
export interface ChildExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/** One round's child, as the harness started it. */
export interface ChaosChild {
  /** The process the loop kills with SIGKILL. */
  readonly process: ChildProcess
  /** Resolves once the child is under load; a kill moment counts from here. */
  readonly ready: Promise<void>
  /** Resolves when the process has exited (the harness listens from the moment it started it). */
  readonly exited: Promise<ChildExit>
  /** Resolves once the load the harness drives has wound down after the kill (default: at once). */
  readonly settled?: Promise<unknown>
  /** What the child said on stderr, for the violation when it exits by itself. */
  readonly stderr?: () => string
}

/** When a round kills its child, drawn per round from the seeded PRNG within the bounds. */
export type KillMoment =
  /** A delay in milliseconds after the child is ready. */
  | { readonly afterMs: readonly [number, number] }
  /** The n-th acknowledgement of the round (counted by `acknowledge`). */
  | { readonly afterAcks: readonly [number, number] }

/** What the loop hands a harness's `spawnChild`. */
export interface RoundControl {
  readonly round: number
  /** Call once per acknowledgement the child (or its load) received; counts toward `afterAcks`. */
  acknowledge(): void
}

/** What a round's check found. */
export interface RoundCheck {
  /** Every broken promise found, one line each (empty when the round was clean). */
  readonly violations: readonly string[]
  /** A line for the log (what was checked). */
  readonly line?: string
}

/** Options of {@link runChaos}. */
export interface ChaosLoopOptions {
  readonly rounds: number
  readonly seed: number
  readonly killAt: KillMoment
  /** Starts round `control.round`'s child under load. */
  spawnChild(control: RoundControl): Promise<ChaosChild>
  /** After the child died: restart or reopen, and check everything acknowledged so far. */
  check(round: number): Promise<RoundCheck>
  /** Stop after the first round with a violation (default false: run every round). */
  readonly stopOnViolation?: boolean
  /** Called after each round with its line of the log. */
  readonly log?: (line: string) => void
}

/** What a run of the loop found. */
export interface ChaosLoopResult {
  /** Rounds run (fewer than asked when `stopOnViolation` stopped early). */
  readonly rounds: number
  /** Acknowledgements counted through `acknowledge`, over all rounds. */
  readonly acknowledged: number
  readonly violations: readonly string[]
  readonly durationMs: number
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function checkBounds([min, max]: readonly [number, number], name: string): void {
  if (!(Number.isInteger(min) && Number.isInteger(max) && min >= 0 && max >= min)) {
    throw new RangeError(`${name} must be integers with 0 <= min <= max`)
  }
}

/** Waits for the round's kill moment; resolves false when the child died before it. */
async function killMoment(
  options: ChaosLoopOptions,
  random: Random,
  child: ChaosChild,
  acks: { count: number; reached: () => void; target: number },
): Promise<boolean> {
  let died = false
  const death = child.exited.then(() => {
    died = true
  })
  await Promise.race([child.ready, death])
  if (died) return false
  if ('afterMs' in options.killAt) {
    await Promise.race([sleep(between(random, ...options.killAt.afterMs)), death])
  } else {
    acks.target = between(random, ...options.killAt.afterAcks)
    const reached = new Promise<void>((resolve) => (acks.reached = resolve))
    if (acks.count >= acks.target) acks.reached()
    await Promise.race([reached, death])
  }
  return !died
}

/**
 * Runs the rounds: start, kill at the drawn moment, wait for the death and the load, check.
 *
 * @throws RangeError for bad options; whatever `spawnChild` or `check` throws.
 * @example
 * ```ts
 * const result = await runChaos({
 *   rounds: 20, seed: 7, killAt: { afterMs: [20, 400] },
 *   spawnChild: ({ round, acknowledge }) => startLoadedChild(round, acknowledge),
 *   check: async (round) => ({ violations: await reopenAndCheck(round) }),
 * })
 * if (result.violations.length > 0) process.exitCode = 1
 * ```
 */
export async function runChaos(options: ChaosLoopOptions): Promise<ChaosLoopResult> {
  if (!(Number.isInteger(options.rounds) && options.rounds >= 0))
    throw new RangeError('rounds must be a non-negative integer')
  if ('afterMs' in options.killAt) checkBounds(options.killAt.afterMs, 'killAt.afterMs')
  else checkBounds(options.killAt.afterAcks, 'killAt.afterAcks')
  const random = new Random(options.seed)
  const started = performance.now()
  const violations: string[] = []
  let acknowledged = 0
  let round = 0
  while (round < options.rounds) {
    round++
    const acks = { count: 0, target: Number.POSITIVE_INFINITY, reached: () => {} }
    const acknowledge = (): void => {
      acknowledged++
      if (++acks.count === acks.target) acks.reached()
    }
    const child = await options.spawnChild({ round, acknowledge })
    if (await killMoment(options, random, child, acks)) child.process.kill('SIGKILL')
    const exit = await child.exited
    await child.settled
    const found: string[] = []
    if (exit.signal !== 'SIGKILL') {
      const stderr = child.stderr?.().trim() ?? ''
      found.push(
        `round ${round}: the child exited by itself (code ${exit.code}, ` +
          `signal ${exit.signal})${stderr === '' ? '' : `: ${stderr}`}`,
      )
    }
    const checked = await options.check(round)
    found.push(...checked.violations)
    violations.push(...found)
    options.log?.(
      `round ${round}: ${acks.count} acknowledged` +
        `${checked.line === undefined ? '' : `, ${checked.line}`}, ${found.length} violations`,
    )
    if (found.length > 0 && options.stopOnViolation === true) break
  }
  return { rounds: round, acknowledged, violations, durationMs: performance.now() - started }
}
