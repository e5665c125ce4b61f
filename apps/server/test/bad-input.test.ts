/**
 * Hostile and broken clients against one real skyd: random bytes (before and after login),
 * truncated frames, oversized lengths, a client sending one byte at a time, 1,000 connections
 * at once, half-closed sockets and a client that never reads its answers. After each, a fresh
 * "witness" client must still be served, and the server's memory (its own report) must stay
 * bounded. The generators are seeded, so a failure replays.
 *
 * skyd runs here with small limits (idle and handshake timeouts of 2 s, 256 KiB per-connection
 * input and output bounds) so that every stuck connection ends by an event the test can await.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RawSocket, hello, packet, param } from './support/raw-socket.js'
import { connectTo, removeDir, rootPassword, startSkyd } from './support/skyd.js'
import type { SkydProcess } from './support/skyd.js'

const KiB = 1024
let skyd: SkydProcess

/** A small seeded PRNG (mulberry32): the same bytes on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomBytes(next: () => number, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => Math.floor(next() * 256)))
}

interface Metrics {
  queries: { total: number }
  connections: { open: number; refused: number; idleTimeouts: number }
  network: { bytesIn: number }
  memory: { rssBytes: number }
}

/** A fresh client: one query must work. Returns the server's metrics. */
async function witness(): Promise<Metrics> {
  const client = await connectTo(skyd)
  try {
    expect((await client.query('select v from b.kv where k = ?', 'ping')).row()).toEqual(['pong'])
    return JSON.parse((await client.query('sysctl report metrics')).scalar() as string) as Metrics
  } finally {
    await client.close()
  }
}

beforeAll(async () => {
  skyd = await startSkyd({
    args: [
      '--max-connections',
      '1100',
      '--idle-timeout-ms',
      '2000',
      '--handshake-timeout-ms',
      '2000',
      '--max-connection-input-bytes',
      String(256 * KiB),
      '--max-connection-output-bytes',
      String(256 * KiB),
    ],
  })
  const root = await connectTo(skyd)
  await root.query('create space b')
  await root.query('create model b.kv(k: string, v: string)')
  await root.query('insert into b.kv(?, ?)', 'ping', 'pong')
  await root.query('insert into b.kv(?, ?)', 'big', 'x'.repeat(100 * KiB))
  await root.close()
})

afterAll(async () => {
  const exit = await skyd.stop()
  expect(exit.code).toBe(0)
  await removeDir(skyd.dataDir)
})

describe('bad input', () => {
  it('survives 200 connections sending random bytes instead of a hello', async () => {
    const next = random(1)
    const sockets = await Promise.all(
      Array.from({ length: 200 }, () => RawSocket.connect(skyd.port)),
    )
    sockets.forEach((socket, index) => {
      const noise = randomBytes(next, 1 + Math.floor(next() * 4 * KiB))
      // Half start like a hello, so the decoder goes past the first byte.
      if (index % 2 === 0) noise[0] = 0x48
      socket.write(noise)
    })
    await witness()
    const answers = await Promise.all(sockets.map((socket) => socket.readToEnd()))
    for (const answer of answers) {
      // Nothing but a refusal (48 00 01 <code>) ever comes back, and every socket is closed.
      if (answer.length > 0) expect(answer.subarray(0, 3).toString('hex')).toBe('480001')
    }
    await witness()
  })

  it('survives random bytes after a valid login, answering only errors', async () => {
    const next = random(2)
    for (let round = 0; round < 20; round += 1) {
      const raw = await RawSocket.login(skyd.port, 'root', rootPassword)
      raw.write(randomBytes(next, 1 + Math.floor(next() * 8 * KiB)))
      raw.socket.end()
      const answer = await raw.readToEnd()
      // Every answer to garbage is an error frame: 10 <code LE> (6, or a query's own error).
      for (let offset = 0; offset < answer.length; offset += 3) expect(answer[offset]).toBe(0x10)
    }
    await witness()
  })

  it('drops a truncated frame at half-close, answering the complete ones', async () => {
    const raw = await RawSocket.login(skyd.port, 'root', rootPassword)
    const whole = packet('select v from b.kv where k = ?', param.string('ping'))
    raw.write(Buffer.concat([whole, whole.subarray(0, whole.length - 3)]))
    raw.socket.end()
    const answer = await raw.readToEnd()
    expect(answer.toString('latin1')).toBe('\x111\n\x0d4\npong')
  })

  it('closes a connection whose hello is cut and never completed', async () => {
    const raw = await RawSocket.connect(skyd.port)
    raw.write(hello('root', rootPassword).subarray(0, 9))
    expect((await raw.readToEnd()).length).toBe(0) // the handshake timeout
  })

  it('refuses oversized lengths without allocating them', async () => {
    const raw = await RawSocket.login(skyd.port, 'root', rootPassword)
    // A binary parameter claiming a petabyte in a 40-byte packet: error 25 (or 6), usable after.
    raw.write(
      packet('select v from b.kv where k = ?', Buffer.from('\x051000000000000000\nab', 'latin1')),
    )
    const code = (await raw.read(3)).readUInt16LE(1)
    expect([6, 25]).toContain(code)
    raw.write(packet('select v from b.kv where k = ?', param.string('ping')))
    expect((await raw.read(10)).toString('latin1')).toBe('\x111\n\x0d4\npong')
    // A query length beyond its 12-byte packet: error 6.
    raw.write('S12\n99999999\nabc')
    expect((await raw.read(3)).toString('hex')).toBe('100600')
    raw.destroy()
    const metrics = await witness()
    expect(metrics.memory.rssBytes).toBeLessThan(1024 * 1024 * 1024)
  })

  it('serves a client that sends one byte per write, and others meanwhile', async () => {
    const raw = await RawSocket.login(skyd.port, 'root', rootPassword)
    raw.socket.setNoDelay(true)
    const query = packet('select v from b.kv where k = ?', param.string('ping'))
    for (const [index, byte] of query.entries()) {
      await new Promise<void>((resolve) => raw.socket.write(Buffer.from([byte]), () => resolve()))
      if (index === 10) await witness()
    }
    expect((await raw.read(10)).toString('latin1')).toBe('\x111\n\x0d4\npong')
    raw.destroy()
  })

  it('answers every query of a half-closed socket, then closes', async () => {
    const raw = await RawSocket.login(skyd.port, 'root', rootPassword)
    const query = packet('select v from b.kv where k = ?', param.string('ping'))
    raw.write(Buffer.concat([query, query, query]))
    raw.socket.end()
    expect((await raw.readToEnd()).toString('latin1')).toBe('\x111\n\x0d4\npong'.repeat(3))
  })

  it('holds 1,000 connections at once and still serves a new client', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 1000 }, () => RawSocket.connect(skyd.port)),
    )
    // Half of them start a hello and stop (slow clients), half send nothing.
    sockets.forEach((socket, index) => {
      if (index % 2 === 0) socket.write(hello('root', rootPassword).subarray(0, 4))
    })
    const metrics = await witness()
    expect(metrics.connections.open).toBeGreaterThanOrEqual(1000)
    expect(metrics.memory.rssBytes).toBeLessThan(1024 * 1024 * 1024)
    for (const socket of sockets) socket.destroy()
    await Promise.all(sockets.map((socket) => socket.closed))
    await witness()
  })

  it('stops running the queries of a client that does not read, then closes it', async () => {
    const before = await witness()
    const raw = await RawSocket.login(skyd.port, 'root', rootPassword)
    raw.socket.pause() // never read: each answer is a 100 KiB row
    const query = packet('select v from b.kv where k = ?', param.string('big'))
    const count = 20_000
    raw.socket.write(Buffer.concat(Array.from({ length: count }, () => query)))
    // The idle timeout ends it: the client read nothing for 2 s. (The paused client socket would
    // not notice, so the server's log says when.)
    await skyd.waitForLog(
      (record) => record.msg === 'closing a client that does not read its answers',
    )
    raw.destroy()
    const after = await witness()
    const executed = after.queries.total - before.queries.total
    // Unbounded, the server would have run all 20,000 (2 GB of answers). With 256 KiB bounds,
    // it runs what fills its output bound and the kernel's socket buffers, then waits.
    expect(executed).toBeLessThan(2_000)
    expect(after.network.bytesIn - before.network.bytesIn).toBeLessThan(count * query.length)
    expect(after.connections.idleTimeouts).toBeGreaterThan(before.connections.idleTimeouts)
    expect(after.memory.rssBytes).toBeLessThan(1024 * 1024 * 1024)
  })

  it('closes an authenticated connection idle for the idle timeout', async () => {
    const raw = await RawSocket.login(skyd.port, 'root', rootPassword)
    expect((await raw.readToEnd()).length).toBe(0)
  })
})

describe('connection limit', () => {
  it('closes connections over the limit at accept, admits again after one closes', async () => {
    const small = await startSkyd({ args: ['--max-connections', '3', '--log-level', 'debug'] })
    try {
      // Three logged-in connections: each answered hello proves the server counts it.
      const held = await Promise.all(
        [0, 1, 2].map(() => RawSocket.login(small.port, 'root', rootPassword)),
      )
      const refused = await RawSocket.connect(small.port)
      refused.write(hello('root', rootPassword))
      expect((await refused.readToEnd()).length).toBe(0)
      const closedLogs = small.logs.filter((record) => record.msg === 'closed').length
      held[1]?.destroy()
      await small.waitForLog(
        (record) =>
          record.msg === 'closed' &&
          small.logs.filter((entry) => entry.msg === 'closed').length > closedLogs,
      )
      const client = await connectTo(small)
      const metrics = JSON.parse(
        (await client.query('sysctl report metrics')).scalar() as string,
      ) as Metrics
      expect(metrics.connections.refused).toBeGreaterThanOrEqual(1)
      await client.close()
      for (const socket of held) socket.destroy()
    } finally {
      expect((await small.stop()).code).toBe(0)
      await removeDir(small.dataDir)
    }
  })
})
