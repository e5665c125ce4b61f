/**
 * Builds hand-made histories for tests, in a compact notation close to Elle's:
 * `['a', 'x', 1]` appends 1 to list x, `['rl', 'x', [1, 2]]` reads list x, `['w', 'x', 1]` writes
 * register x, `['r', 'x', null]` reads register x. `serial` runs the transactions one after the
 * other (each completes before the next begins); `concurrent` begins them all, then ends them all,
 * so no transaction precedes another in real time.
 */
import { HistoryRecorder, type Transaction, type TransactionRecorder, type TransactionStatus,
  type Value } from '../../src/index.js'

export type Step =
  | readonly ['a', string, Value]
  | readonly ['rl', string, readonly Value[] | null]
  | readonly ['w', string, Value]
  | readonly ['r', string, Value | null]

export interface Spec {
  readonly steps: readonly Step[]
  readonly status: TransactionStatus
}

/** One transaction of a hand-made history; committed unless told otherwise. */
export function txn(steps: readonly Step[], status: TransactionStatus = 'committed'): Spec {
  return { steps, status }
}

function play(recorder: TransactionRecorder, steps: readonly Step[]): void {
  for (const step of steps) {
    if (step[0] === 'a') recorder.append(step[1], step[2])
    else if (step[0] === 'rl') recorder.readList(step[1], step[2])
    else if (step[0] === 'w') recorder.write(step[1], step[2])
    else recorder.read(step[1], step[2])
  }
}

function finish(recorder: TransactionRecorder, status: TransactionStatus): void {
  if (status === 'committed') recorder.commit()
  else if (status === 'aborted') recorder.abort()
  else recorder.unknown()
}

/** Transactions T1, T2, … run one after the other. */
export function serial(...specs: readonly Spec[]): Transaction[] {
  const recorder = new HistoryRecorder()
  for (const spec of specs) {
    const transaction = recorder.begin()
    play(transaction, spec.steps)
    finish(transaction, spec.status)
  }
  return recorder.history()
}

/** Transactions T1, T2, … all overlapping in time. */
export function concurrent(...specs: readonly Spec[]): Transaction[] {
  const recorder = new HistoryRecorder()
  const open = specs.map(() => recorder.begin())
  specs.forEach((spec, index) => play(open[index] as TransactionRecorder, spec.steps))
  specs.forEach((spec, index) => finish(open[index] as TransactionRecorder, spec.status))
  return recorder.history()
}
