/**
 * A scripted Skyhash 2 server for the client's tests: listens on 127.0.0.1 port 0 (TCP or TLS),
 * decodes with @sky/protocol's ServerDecoder and answers each query with what the test's `answer`
 * function returns. It can refuse the hello, answer garbage, hang, close mid-answer, stop reading,
 * and cut its output into arbitrary pieces, so the client meets every chunking.
 *
 * Invariants: answers of one socket are written in query order (one write chain per socket);
 * every socket is destroyed by `close()`.
 */
import { once } from 'node:events'
import { createServer as createTcpServer } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:tls'
import {
  ServerDecoder,
  encodeHandshakeAccepted,
  encodeHandshakeRejected,
  encodeProtocolErrorReply,
  encodeResponse,
} from '@sky/protocol'
import type { QueryMessage, Response } from '@sky/protocol'

/** Something other than a plain response: raw bytes, silence, or a close after some bytes. */
export type FakeAction =
  | { readonly kind: 'raw'; readonly bytes: Uint8Array }
  | { readonly kind: 'hang' }
  | { readonly kind: 'close'; readonly bytes?: Uint8Array }

/** Per-connection state handed to `answer`. */
export interface FakeSession {
  readonly id: number
  readonly username: string
  /** Queries this connection sent, including the current one. */
  readonly queries: QueryMessage[]
}

export interface FakeServerOptions {
  readonly tls?: { readonly key: string; readonly cert: string }
  /** Return a handshake refusal code, `'garbage'` for a bad answer, or null to accept. */
  readonly handshake?: (hello: { username: string; password: string }) => number | 'garbage' | null
  /** The answer to one query. Default: Empty. */
  readonly answer?: (query: QueryMessage, session: FakeSession) => Response | FakeAction
  /** Cut each batch of answers into pieces of 1..`splitBytesMax` bytes, yielding between pieces. */
  readonly splitBytesMax?: number
  /** Stop reading a socket right after its handshake, until `resume()`. */
  readonly pauseAfterHandshake?: boolean
}

export interface FakeServer {
  readonly port: number
  readonly sockets: ReadonlySet<Socket>
  /** Every query received, over all connections, in arrival order. */
  readonly queries: QueryMessage[]
  /** Connections accepted so far. */
  connectionCount(): number
  /** Hellos received so far. */
  helloCount(): number
  /** Resolves once `count` queries (in total) have arrived. */
  waitForQueries(count: number): Promise<void>
  /** Resolves once `count` hellos (in total) have arrived. */
  waitForHellos(count: number): Promise<void>
  /** Resumes every paused socket. */
  resume(): void
  close(): Promise<void>
}

/** A deterministic generator (xorshift32), so a failing split can be replayed. */
function randomSource(seed: number): (max: number) => number {
  let state = seed | 0 || 1
  return (max) => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return ((state >>> 0) % max) + 1
  }
}

function isAction(answer: Response | FakeAction): answer is FakeAction {
  return 'kind' in answer
}

interface Waiter {
  readonly count: number
  readonly resolve: () => void
}

function notify(waiters: Waiter[], count: number): void {
  for (const waiter of waiters.filter((w) => w.count <= count)) {
    waiters.splice(waiters.indexOf(waiter), 1)
    waiter.resolve()
  }
}

function waitFor(waiters: Waiter[], count: number, current: number): Promise<void> {
  if (count <= current) return Promise.resolve()
  return new Promise((resolve) => waiters.push({ count, resolve }))
}

/** The bytes to write for one decoded batch, and whether to close after them. */
interface Output {
  readonly chunks: Uint8Array[]
  close: boolean
}

class ScriptedServer implements FakeServer {
  port = 0
  readonly sockets = new Set<Socket>()
  readonly queries: QueryMessage[] = []
  private readonly queryWaiters: Waiter[] = []
  private readonly helloWaiters: Waiter[] = []
  private hellos = 0
  private connections = 0
  private readonly random = randomSource(0x5eed)
  private readonly server: Server

  constructor(private readonly options: FakeServerOptions) {
    const onSocket = (socket: Socket): void => this.onSocket(socket)
    this.server = options.tls === undefined
      ? createTcpServer(onSocket)
      : createTlsServer({ key: options.tls.key, cert: options.tls.cert }, onSocket)
  }

  async listen(): Promise<void> {
    this.server.listen(0, '127.0.0.1')
    await once(this.server, 'listening')
    this.port = (this.server.address() as AddressInfo).port
  }

  connectionCount(): number {
    return this.connections
  }

  helloCount(): number {
    return this.hellos
  }

  waitForQueries(count: number): Promise<void> {
    return waitFor(this.queryWaiters, count, this.queries.length)
  }

  waitForHellos(count: number): Promise<void> {
    return waitFor(this.helloWaiters, count, this.hellos)
  }

  resume(): void {
    for (const socket of this.sockets) socket.resume()
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    this.server.close()
    await once(this.server, 'close')
  }

  private onSocket(socket: Socket): void {
    this.connections += 1
    this.sockets.add(socket)
    socket.on('close', () => this.sockets.delete(socket))
    socket.on('error', () => {})
    const session: FakeSession = { id: this.connections, username: '', queries: [] }
    const decoder = new ServerDecoder()
    let chain: Promise<void> = Promise.resolve()
    let closed = false
    socket.on('data', (chunk: Buffer) => {
      if (closed) return
      const output: Output = { chunks: [], close: false }
      for (const message of decoder.feed(chunk)) {
        if (output.close) break
        if (message.kind === 'handshake') this.onHello(socket, session, message, output)
        else if (message.kind === 'query') this.onQuery(session, message, output)
        else {
          output.chunks.push(encodeProtocolErrorReply(message.error))
          output.close = message.error.fatal
        }
      }
      notify(this.queryWaiters, this.queries.length)
      const bytes = Buffer.concat(output.chunks)
      // One chain per socket keeps the answers of successive chunks in order.
      chain = chain.then(async () => {
        if (closed) return
        await this.write(socket, bytes)
        if (output.close) {
          closed = true
          socket.destroy()
        }
      })
    })
  }

  private onHello(
    socket: Socket,
    session: FakeSession,
    hello: { username: string; password: string },
    output: Output,
  ): void {
    this.hellos += 1
    notify(this.helloWaiters, this.hellos)
    Object.assign(session, { username: hello.username })
    const verdict = this.options.handshake?.(hello) ?? null
    if (verdict === null) {
      output.chunks.push(encodeHandshakeAccepted())
      if (this.options.pauseAfterHandshake === true) socket.pause()
      return
    }
    const garbage = Uint8Array.of(0x58, 1, 2, 3)
    output.chunks.push(verdict === 'garbage' ? garbage : encodeHandshakeRejected(verdict))
    output.close = true
  }

  private onQuery(session: FakeSession, query: QueryMessage, output: Output): void {
    this.queries.push(query)
    session.queries.push(query)
    const answer = this.options.answer?.(query, session) ?? { type: 'empty' }
    if (!isAction(answer)) {
      output.chunks.push(encodeResponse(answer))
    } else if (answer.kind === 'raw') {
      output.chunks.push(answer.bytes)
    } else if (answer.kind === 'close') {
      if (answer.bytes !== undefined) output.chunks.push(answer.bytes)
      output.close = true
    }
  }

  /** Writes `bytes` whole, or in random pieces yielding to the event loop between them. */
  private async write(socket: Socket, bytes: Uint8Array): Promise<void> {
    const limit = this.options.splitBytesMax
    if (limit === undefined) {
      if (bytes.length > 0) socket.write(bytes)
      return
    }
    for (let offset = 0; offset < bytes.length;) {
      const size = this.random(limit)
      socket.write(bytes.subarray(offset, offset + size))
      offset += size
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
}

export async function startFakeServer(options: FakeServerOptions = {}): Promise<FakeServer> {
  const server = new ScriptedServer(options)
  await server.listen()
  return server
}
