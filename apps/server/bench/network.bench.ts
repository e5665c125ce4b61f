/**
 * Durable inserts/s and point selects/s with 1, 64 and 256 connections, p50/p99 latency, in one
 * run against three targets driven by the same Node load generator with 100-byte values:
 *
 * - skyd: a real skyd process (durability sync: acknowledged = fdatasync'd), over TCP through
 *   @sky/client;
 * - embedded: the same engine in this process (`@sky/embedded`, durability sync), one session
 *   per "connection", no network;
 * - redis: Debian's redis-server with `appendonly yes` and `appendfsync always`, on a loopback
 *   port and a temp directory, through the `redis` npm client (installed with apt-get when
 *   missing and possible; skipped with a message otherwise).
 *
 * Why not tinybench: the figures wanted are per-operation latency percentiles under C concurrent
 * closed-loop clients, which tinybench's one-task-at-a-time iterations do not model. Each
 * scenario runs `durationMs`; each client has one operation in flight at a time.
 *
 * Run: `pnpm --filter @sky/server bench` (options: --duration-ms, --connections 1,64,256,
 * --skip redis|embedded|skyd). On a shared 2-core machine the load generator, the server and
 * the disk compete; compare ratios from one run, not absolute figures across machines.
 */
import { execFileSync, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import { connect } from '@sky/client'
import type { Connection } from '@sky/client'
import { open } from '@sky/embedded'
import type { Database } from '@sky/embedded'
import { createClient } from 'redis'
import { rootPassword, startSkyd } from '../test/support/skyd.js'
import type { SkydProcess } from '../test/support/skyd.js'

const { values: args } = parseArgs({
  options: {
    'duration-ms': { type: 'string', default: '3000' },
    connections: { type: 'string', default: '1,64,256' },
    skip: { type: 'string', multiple: true, default: [] },
  },
})
const durationMs = Number(args['duration-ms'])
const concurrencies = (args.connections as string).split(',').map(Number)
const skipped = new Set(args.skip as string[])
const value = 'v'.repeat(100)
const preloadKeys = 10_000

/** One client of a target: an insert and a point select. */
interface Client {
  insert(key: string): Promise<void>
  select(key: string): Promise<void>
}

interface Target {
  readonly name: string
  clients(count: number): Promise<Client[]>
  closeClients(): Promise<void>
  close(): Promise<void>
}

interface Result {
  readonly target: string
  readonly op: 'insert' | 'select'
  readonly connections: number
  readonly opsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
}

function percentile(sorted: Float64Array, fraction: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))
  return sorted[index] ?? NaN
}

/** Closed loop: every client runs `op` back to back until the deadline. */
async function drive(
  clients: readonly Client[],
  op: (client: Client, clientIndex: number, n: number) => Promise<void>,
): Promise<{ ops: number; seconds: number; p50: number; p99: number }> {
  const latencies: number[] = []
  const started = performance.now()
  const deadline = started + durationMs
  await Promise.all(
    clients.map(async (client, clientIndex) => {
      for (let n = 0; performance.now() < deadline; n += 1) {
        const before = performance.now()
        await op(client, clientIndex, n)
        latencies.push(performance.now() - before)
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  const sorted = Float64Array.from(latencies).sort()
  return {
    ops: latencies.length,
    seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
  }
}

async function measure(target: Target, results: Result[], round: number): Promise<void> {
  for (const connections of concurrencies) {
    const setupStarted = performance.now()
    const clients = await target.clients(connections)
    const setupMs = performance.now() - setupStarted
    for (const op of ['insert', 'select'] as const) {
      const outcome = await drive(clients, (client, clientIndex, n) =>
        op === 'insert'
          ? client.insert(`r${round}c${connections}-${clientIndex}-${n}`)
          : client.select(`pre-${(clientIndex * 7919 + n * 104_729) % preloadKeys}`),
      )
      const result: Result = {
        target: target.name,
        op,
        connections,
        opsPerSecond: Math.round(outcome.ops / outcome.seconds),
        p50Ms: Math.round(outcome.p50 * 1000) / 1000,
        p99Ms: Math.round(outcome.p99 * 1000) / 1000,
      }
      results.push(result)
      console.log(
        `${target.name} ${op} c=${connections}: ${result.opsPerSecond} ops/s, ` +
          `p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (clients ready in ${Math.round(
            setupMs,
          )} ms)`,
      )
    }
    await target.closeClients()
  }
}

// --- targets ------------------------------------------------------------------------------------

async function preload(insert: (key: string) => Promise<void>): Promise<void> {
  const batch = 256
  for (let start = 0; start < preloadKeys; start += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, preloadKeys - start) }, (_v, i) =>
        insert(`pre-${start + i}`),
      ),
    )
  }
}

async function skydTarget(): Promise<Target> {
  const skyd: SkydProcess = await startSkyd({ args: ['--max-connections', '1024'] })
  const admin = await connect({ port: skyd.port, username: 'root', password: rootPassword })
  await admin.query('create space bench')
  await admin.query('create model bench.kv(k: string, v: string)')
  await preload(async (key) => void (await admin.query('insert into bench.kv(?, ?)', key, value)))
  await admin.close()
  let open: Connection[] = []
  return {
    name: 'skyd',
    async clients(count) {
      open = await Promise.all(
        Array.from({ length: count }, () =>
          connect({ port: skyd.port, username: 'root', password: rootPassword }),
        ),
      )
      return open.map((connection) => ({
        insert: async (key) =>
          void (await connection.query('insert into bench.kv(?, ?)', key, value)),
        select: async (key) =>
          void (await connection.query('select v from bench.kv where k = ?', key)),
      }))
    },
    async closeClients() {
      await Promise.all(open.map((connection) => connection.close()))
    },
    async close() {
      await skyd.stop()
      await rm(skyd.dataDir, { recursive: true, force: true })
    },
  }
}

async function embeddedTarget(): Promise<Target> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'skyd-bench-embedded-'))
  const db: Database = await open(dir, { durability: 'sync', rootPassword })
  await db.query('create space bench')
  await db.query('create model bench.kv(k: string, v: string)')
  await preload(async (key) => void (await db.query('insert into bench.kv(?, ?)', key, value)))
  let sessions: ReturnType<Database['session']>[] = []
  return {
    name: 'embedded',
    async clients(count) {
      sessions = Array.from({ length: count }, () => db.session())
      return sessions.map((session) => ({
        insert: async (key) => void (await session.query('insert into bench.kv(?, ?)', key, value)),
        select: async (key) =>
          void (await session.query('select v from bench.kv where k = ?', key)),
      }))
    },
    async closeClients() {
      for (const session of sessions) session.close()
    },
    async close() {
      await db.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

function haveRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** redis-server, installed with apt-get if missing and possible; null with a message if not. */
function ensureRedisServer(): boolean {
  if (haveRedisServer()) return true
  if (process.getuid?.() !== 0) {
    console.log('redis: redis-server is not installed and this is not root: skipped')
    return false
  }
  try {
    console.log('redis: installing redis-server with apt-get…')
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' })
    execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'ignore' })
  } catch (error) {
    console.log(`redis: apt-get install redis-server failed (${(error as Error).message}): skipped`)
    return false
  }
  return haveRedisServer()
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as net.AddressInfo
  server.close()
  return port
}

async function redisTarget(): Promise<Target | null> {
  if (!ensureRedisServer()) return null
  const dir = await mkdtemp(path.join(os.tmpdir(), 'skyd-bench-redis-'))
  const port = await freePort()
  const server: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--maxclients',
      '2000',
      '--daemonize',
      'no',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise<void>((resolve, reject) => {
    server.stdout?.setEncoding('utf8').on('data', (text: string) => {
      if (text.includes('Ready to accept connections')) resolve()
    })
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)))
  })
  const admin = createClient({ socket: { host: '127.0.0.1', port } })
  await admin.connect()
  await preload(async (key) => void (await admin.set(key, value)))
  await admin.quit()
  let open: ReturnType<typeof createClient>[] = []
  return {
    name: 'redis',
    async clients(count) {
      open = Array.from({ length: count }, () =>
        createClient({ socket: { host: '127.0.0.1', port } }),
      )
      await Promise.all(open.map((client) => client.connect()))
      return open.map((client) => ({
        insert: async (key) => void (await client.set(key, value)),
        select: async (key) => void (await client.get(key)),
      }))
    },
    async closeClients() {
      await Promise.all(open.map((client) => client.quit()))
    },
    async close() {
      server.kill('SIGTERM')
      await once(server, 'exit')
      await rm(dir, { recursive: true, force: true })
    },
  }
}

// --- the run ------------------------------------------------------------------------------------

const results: Result[] = []
const factories: [string, () => Promise<Target | null>][] = [
  ['skyd', skydTarget],
  ['embedded', embeddedTarget],
  ['redis', redisTarget],
]
console.log(
  `durable inserts and point selects, 100-byte values, ${durationMs} ms per scenario, ` +
    `connections ${concurrencies.join(', ')}; ${os.cpus().length} CPUs`,
)
for (const [name, factory] of factories) {
  if (skipped.has(name)) continue
  const target = await factory()
  if (target === null) continue
  try {
    await measure(target, results, results.length)
  } finally {
    await target.close()
  }
}
console.table(results)

const find = (target: string, op: string, connections: number): Result | undefined =>
  results.find(
    (result) => result.target === target && result.op === op && result.connections === connections,
  )
const ratios = concurrencies.flatMap((connections) =>
  (['insert', 'select'] as const).map((op) => {
    const skyd = find('skyd', op, connections)
    const embedded = find('embedded', op, connections)
    const redis = find('redis', op, connections)
    const ratio = (a: Result | undefined, b: Result | undefined): number | null =>
      a === undefined || b === undefined
        ? null
        : Math.round((a.opsPerSecond / b.opsPerSecond) * 100) / 100
    return {
      op,
      connections,
      'embedded/skyd (network cost ×)': ratio(embedded, skyd),
      'skyd/redis (× redis rate)': ratio(skyd, redis),
    }
  }),
)
console.table(ratios)
process.exit(0)
