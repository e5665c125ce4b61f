/**
 * A raw TCP client for byte-level tests: it writes the bytes it is given and exposes what the
 * server sends, with no Skyhash knowledge at all (independent of @sky/protocol and @sky/client).
 */
import net from 'node:net'

export class RawSocket {
  readonly socket: net.Socket
  #received = Buffer.alloc(0)
  #waiters: (() => void)[] = []
  #ended = false
  readonly closed: Promise<void>

  private constructor(socket: net.Socket) {
    this.socket = socket
    socket.on('data', (chunk: Buffer) => {
      this.#received = Buffer.concat([this.#received, chunk])
      this.#wake()
    })
    socket.on('error', () => {})
    // The server ending its side counts as closed (the socket is half-open, so 'close' would
    // wait for our own end): end ours too.
    this.closed = new Promise((resolve) => {
      const ended = (): void => {
        this.#ended = true
        this.#wake()
        resolve()
      }
      socket.on('end', () => {
        ended()
        socket.end()
      })
      socket.on('close', ended)
    })
  }

  static connect(port: number): Promise<RawSocket> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, allowHalfOpen: true })
      socket.once('connect', () => resolve(new RawSocket(socket)))
      socket.once('error', reject)
    })
  }

  /** Connects and sends a valid hello; resolves once `48 00 00 00` arrived. */
  static async login(port: number, user: string, password: string): Promise<RawSocket> {
    const raw = await RawSocket.connect(port)
    raw.write(hello(user, password))
    const answer = await raw.read(4)
    if (!answer.equals(Buffer.from([0x48, 0, 0, 0]))) {
      throw new Error(`hello refused: ${answer.toString('hex')}`)
    }
    return raw
  }

  write(bytes: Uint8Array | string): boolean {
    return this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes)
  }

  /** Bytes received and not yet read. */
  get pending(): Buffer {
    return this.#received
  }

  /** Resolves with exactly `count` bytes once they arrived; rejects if the socket closes first. */
  async read(count: number): Promise<Buffer> {
    while (this.#received.length < count) {
      if (this.#ended) {
        throw new Error(
          `closed after ${this.#received.length} of ${count} bytes: ` +
            this.#received.toString('hex'),
        )
      }
      await new Promise<void>((resolve) => this.#waiters.push(resolve))
    }
    const bytes = this.#received.subarray(0, count)
    this.#received = this.#received.subarray(count)
    return Buffer.from(bytes)
  }

  /** Everything received until the server closed the connection. */
  async readToEnd(): Promise<Buffer> {
    await this.closed
    const bytes = this.#received
    this.#received = Buffer.alloc(0)
    return bytes
  }

  destroy(): void {
    this.socket.destroy()
  }

  #wake(): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }
}

/** The hello of skyhash.md §1, written from the spec: `H 0 0 0 0 0 <ulen>\n <plen>\n user pass`. */
export function hello(user: string, password: string): Buffer {
  const userBytes = Buffer.from(user, 'utf8')
  const passwordBytes = Buffer.from(password, 'utf8')
  return Buffer.concat([
    Buffer.from([0x48, 0, 0, 0, 0, 0]),
    Buffer.from(`${userBytes.length}\n${passwordBytes.length}\n`, 'latin1'),
    userBytes,
    passwordBytes,
  ])
}

/** A query packet of skyhash.md §2: `S <size>\n <qlen>\n <query> <params>`. */
export function packet(query: string, parameters: Buffer = Buffer.alloc(0)): Buffer {
  const text = Buffer.from(query, 'utf8')
  const body = Buffer.concat([Buffer.from(`${text.length}\n`, 'latin1'), text, parameters])
  return Buffer.concat([Buffer.from(`S${body.length}\n`, 'latin1'), body])
}

/** Parameter encodings of skyhash.md §2's table. */
export const param = {
  null: (): Buffer => Buffer.from([0x00]),
  bool: (value: boolean): Buffer => Buffer.from([0x01, value ? 1 : 0]),
  uint: (value: bigint | number): Buffer => Buffer.from(`\x02${value}\n`, 'latin1'),
  sint: (value: bigint | number): Buffer => Buffer.from(`\x03${value}\n`, 'latin1'),
  float: (text: string): Buffer => Buffer.from(`\x04${text}\n`, 'latin1'),
  binary: (bytes: Buffer): Buffer =>
    Buffer.concat([Buffer.from(`\x05${bytes.length}\n`, 'latin1'), bytes]),
  string: (value: string): Buffer => {
    const bytes = Buffer.from(value, 'utf8')
    return Buffer.concat([Buffer.from(`\x06${bytes.length}\n`, 'latin1'), bytes])
  },
}
