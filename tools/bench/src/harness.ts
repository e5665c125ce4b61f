/**
 * A closed-loop load harness: `concurrency` workers each run `operation` back to back for a fixed time;
 * the result is completed operations per second and latency percentiles. Every system under test is
 * driven by this same code in the same process, so their figures compare as ratios.
 */

/** One system under test at one concurrency. */
export interface Target {
  readonly name: string
  /** Prepares a fresh instance (temp dir, schema). */
  setup(): Promise<void>
  /** One durable operation; `worker` and `sequence` make keys unique. */
  operation(worker: number, sequence: number): Promise<void> | void
  teardown(): Promise<void>
}

export interface LoadResult {
  readonly name: string
  readonly concurrency: number
  readonly operations: number
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
}

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!
}

/** Runs `target` with `concurrency` workers for `durationMs` (after `warmupMs`). */
export async function runLoad(
  target: Target,
  options: { readonly concurrency: number; readonly durationMs: number; readonly warmupMs?: number },
): Promise<LoadResult> {
  await target.setup()
  try {
    const warmupUntil = performance.now() + (options.warmupMs ?? 200)
    let measuring = false
    let stopAt = Number.POSITIVE_INFINITY
    const latencies: number[] = []
    let operations = 0
    let measuredFrom = 0
    const worker = async (id: number): Promise<void> => {
      for (let sequence = 0; ; sequence++) {
        const started = performance.now()
        if (started >= stopAt) return
        if (!measuring && started >= warmupUntil) {
          measuring = true
          measuredFrom = started
          stopAt = started + options.durationMs
        }
        await target.operation(id, sequence)
        if (measuring) {
          operations++
          latencies.push(performance.now() - started)
        }
      }
    }
    await Promise.all(Array.from({ length: options.concurrency }, (_, id) => worker(id)))
    const elapsedMs = performance.now() - measuredFrom
    const sorted = Float64Array.from(latencies).sort()
    return {
      name: target.name,
      concurrency: options.concurrency,
      operations,
      perSecond: (operations * 1000) / elapsedMs,
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
    }
  } finally {
    await target.teardown()
  }
}
