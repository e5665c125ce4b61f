/**
 * The shared chaos loop on tiny child processes (`node -e`): it kills at the n-th acknowledgement
 * or after a delay, always with SIGKILL and only once the child is ready, checks only after the
 * death, and reports a child that exits by itself as a violation (stopping there when asked).
 */
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { type ChaosChild, type ChildExit, runChaos } from '../src/index.js'

/** A node child running `script`; every stdout line `ack` is one acknowledgement. */
function nodeChild(script: string, acknowledge: () => void, log: string[]): ChaosChild {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] })
  let onReady!: () => void
  const ready = new Promise<void>((resolve) => (onReady = resolve))
  let buffered = ''
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const lines = buffered.split('\n')
    buffered = lines.pop()!
    for (const line of lines) {
      log.push(line)
      if (line === 'ready') onReady()
      if (line === 'ack') acknowledge()
    }
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<ChildExit>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }))
  })
  return { process: child, ready, exited, stderr: () => stderr }
}

const acking = "console.log('ready'); setInterval(() => console.log('ack'), 1)"

describe('runChaos', () => {
  it('kills each round at its n-th acknowledgement and checks after the death', async () => {
    const seen: number[] = []
    let alive: ChaosChild | undefined
    const result = await runChaos({
      rounds: 3,
      seed: 5,
      killAt: { afterAcks: [5, 9] },
      spawnChild: async ({ acknowledge }) => {
        const log: string[] = []
        alive = nodeChild(acking, acknowledge, log)
        return alive
      },
      check: async (round) => {
        expect(alive!.process.signalCode).toBe('SIGKILL')
        seen.push(round)
        return { violations: [] }
      },
    })
    expect(seen).toEqual([1, 2, 3])
    expect(result).toMatchObject({ rounds: 3, violations: [] })
    expect(result.acknowledged).toBeGreaterThanOrEqual(3 * 5)
  })

  it('kills after a delay once the child is ready', async () => {
    const result = await runChaos({
      rounds: 2,
      seed: 1,
      killAt: { afterMs: [0, 5] },
      spawnChild: async ({ acknowledge }) =>
        nodeChild("console.log('ready'); setInterval(() => {}, 1000)", acknowledge, []),
      check: async () => ({ violations: [], line: 'checked' }),
    })
    expect(result).toMatchObject({ rounds: 2, violations: [] })
  })

  it('reports a child that exits by itself, and stops there when asked', async () => {
    const lines: string[] = []
    const result = await runChaos({
      rounds: 3,
      seed: 1,
      killAt: { afterMs: [1000, 1000] },
      stopOnViolation: true,
      spawnChild: async ({ acknowledge }) =>
        nodeChild("console.error('broken'); process.exit(3)", acknowledge, []),
      check: async () => ({ violations: [] }),
      log: (line) => lines.push(line),
    })
    expect(result.rounds).toBe(1)
    expect(result.violations).toEqual([
      'round 1: the child exited by itself (code 3, signal null): broken',
    ])
    expect(lines).toEqual(['round 1: 0 acknowledged, 1 violations'])
  })

  it('refuses bounds that are not integers in order', async () => {
    const options = {
      rounds: 1,
      seed: 1,
      spawnChild: () => Promise.reject(new Error('not started')),
      check: async () => ({ violations: [] }),
    }
    await expect(runChaos({ ...options, killAt: { afterAcks: [9, 5] } })).rejects.toThrow(
      RangeError,
    )
    await expect(runChaos({ ...options, killAt: { afterMs: [-1, 5] } })).rejects.toThrow(
      RangeError,
    )
  })
})
