/**
 * Skyhash 2 byte by byte against a real skyd: every byte sent and expected here is written from
 * /work/shared/spec/skyhash.md (the hello of §1, the packets of §2, the answers of §3), with no
 * use of @sky/protocol's or @sky/client's encoders. Then authentication and sessions: wrong
 * password, unknown user, no hello, non-root sysctl, pipelining, and the rollback of a dropped
 * connection's transaction.
 */
import { HandshakeRejectedError, QueryError, connect } from '@sky/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RawSocket, hello, packet, param } from './support/raw-socket.js'
import { connectTo, removeDir, rootPassword, startSkyd } from './support/skyd.js'
import type { SkydProcess } from './support/skyd.js'

let skyd: SkydProcess

beforeAll(async () => {
  skyd = await startSkyd({ args: ['--handshake-timeout-ms', '1000', '--max-frame-bytes', '65536'] })
  const root = await connectTo(skyd)
  await root.query('create space p')
  await root.query('create model p.users(username: string, score: uint64, active: bool)')
  await root.query('create model p.small(k: uint8, v: string)')
  await root.query('insert into p.small(?, ?)', 1, 'one')
  await root.query('insert into p.small(?, ?)', 2, 'two')
  await root.close()
})

afterAll(async () => {
  const exit = await skyd.stop()
  expect(exit.code).toBe(0)
  await removeDir(skyd.dataDir)
})

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(
    parts.map((part) =>
      typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from(part),
    ),
  )

async function refusedWith(helloBytes: Buffer): Promise<Buffer> {
  const raw = await RawSocket.connect(skyd.port)
  raw.write(helloBytes)
  return raw.readToEnd()
}

describe('handshake (skyhash.md §1)', () => {
  it('accepts the spec example hello for root and answers 48 00 00 00', async () => {
    const raw = await RawSocket.connect(skyd.port)
    const length = String(rootPassword.length)
    raw.write(bytes([0x48, 0, 0, 0, 0, 0], `4\n${length}\n`, 'root', rootPassword))
    expect((await raw.read(4)).toString('hex')).toBe('48000000')
    raw.destroy()
  })

  it.each([
    ['a first byte other than H', bytes('X', [0, 0, 0, 0, 0], '4\n1\nrootx'), 0],
    ['handshake version 1', bytes([0x48, 1, 0, 0, 0, 0], '4\n1\nrootx'), 1],
    ['protocol version 1', bytes([0x48, 0, 1, 0, 0, 0], '4\n1\nrootx'), 2],
    ['exchange mode 1', bytes([0x48, 0, 0, 1, 0, 0], '4\n1\nrootx'), 3],
    ['query mode 1', bytes([0x48, 0, 0, 0, 1, 0], '4\n1\nrootx'), 4],
    ['auth mode 1', bytes([0x48, 0, 0, 0, 0, 1], '4\n1\nrootx'), 5],
    ['a malformed length', bytes([0x48, 0, 0, 0, 0, 0], '4x\n1\nrootx'), 0],
    ['a user name length far over the limit', bytes([0x48, 0, 0, 0, 0, 0], '99999999999\n'), 0],
    ['a query packet instead of a hello', packet('sysctl report status'), 0],
  ])('refuses %s with 48 00 01 <code> and closes', async (_name, helloBytes, code) => {
    const answer = await refusedWith(helloBytes)
    expect(answer.toString('hex')).toBe(Buffer.from([0x48, 0, 1, code]).toString('hex'))
  })

  it('refuses a wrong password and an unknown user with the same code 5, then closes', async () => {
    expect((await refusedWith(hello('root', 'not-the-password'))).toString('hex')).toBe('48000105')
    expect((await refusedWith(hello('nobody', rootPassword))).toString('hex')).toBe('48000105')
  })

  it('closes a connection that sends no hello within the handshake timeout', async () => {
    const raw = await RawSocket.connect(skyd.port)
    expect((await raw.readToEnd()).length).toBe(0)
  })
})

describe('queries and answers (skyhash.md §2, §3)', () => {
  let raw: RawSocket
  beforeAll(async () => {
    raw = await RawSocket.login(skyd.port, 'root', rootPassword)
  })
  afterAll(() => raw.destroy())

  it('answers Empty (12), Bool (01 01) and the spec error example 111 (10 6F 00)', async () => {
    raw.write(
      packet(
        'insert into p.users(?, ?, ?)',
        Buffer.concat([param.string('sayan'), param.uint(100), param.bool(true)]),
      ),
    )
    expect((await raw.read(1)).toString('hex')).toBe('12')
    raw.write(packet('create space if not exists fresh'))
    expect((await raw.read(2)).toString('hex')).toBe('0101')
    raw.write(packet('select * from p.users where username = ?', param.string('nobody')))
    expect((await raw.read(3)).toString('hex')).toBe('106f00')
  })

  it('answers the spec example packet byte for byte with the spec example row', async () => {
    // skyhash.md §2: S51\n40\nselect * from s.users where username = ?\x065\nsayan (s → p).
    raw.write('S51\n40\nselect * from p.users where username = ?\x065\nsayan')
    const row = bytes([0x11], '3\n', [0x0d], '5\nsayan', [0x05], '100\n', [0x01, 0x01])
    expect((await raw.read(row.length)).toString('hex')).toBe(row.toString('hex'))
  })

  it('answers a multirow of one uint8 column as 13 "2\\n" "1\\n" then the cells', async () => {
    raw.write(packet('select all k from p.small limit ?', param.uint(10)))
    const answer = await raw.read(11)
    expect(answer.subarray(0, 5).toString('latin1')).toBe('\x132\n1\n')
    const cells = answer.subarray(5).toString('latin1')
    expect(['\x021\n\x022\n', '\x022\n\x021\n']).toContain(cells) // row order is unspecified
  })

  it('answers pipelined packets sent in one write in order', async () => {
    raw.write(
      Buffer.concat([
        packet('select v from p.small where k = ?', param.uint(2)),
        packet('select * from p.small where k = ?', param.uint(9)),
        packet('select v from p.small where k = ?', param.uint(1)),
      ]),
    )
    const expected = bytes(
      [0x11],
      '1\n',
      [0x0d],
      '3\ntwo',
      [0x10, 0x6f, 0x00],
      [0x11],
      '1\n',
      [0x0d],
      '3\none',
    )
    expect((await raw.read(expected.length)).toString('hex')).toBe(expected.toString('hex'))
  })

  it('reassembles a packet sent one byte per write', async () => {
    raw.socket.setNoDelay(true)
    const query = packet('select v from p.small where k = ?', param.uint(1))
    for (const byte of query) {
      await new Promise<void>((resolve) => raw.socket.write(Buffer.from([byte]), () => resolve()))
    }
    const expected = bytes([0x11], '1\n', [0x0d], '3\none')
    expect((await raw.read(expected.length)).toString('hex')).toBe(expected.toString('hex'))
  })

  it('answers a parameter with type byte 7 with error 25 (10 19 00)', async () => {
    raw.write(packet('select * from p.small where k = ?', Buffer.from([0x07, 0x31, 0x0a])))
    expect((await raw.read(3)).toString('hex')).toBe('101900')
  })

  it('answers the empty query S2\\n0\\n with error 32 (10 20 00)', async () => {
    raw.write('S2\n0\n')
    expect((await raw.read(3)).toString('hex')).toBe('102000')
  })

  it('answers an illegal packet with error 6 (10 06 00) and stays usable', async () => {
    raw.write('Xgarbage')
    expect((await raw.read(3)).toString('hex')).toBe('100600')
    raw.write(packet('select v from p.small where k = ?', param.uint(2)))
    const expected = bytes([0x11], '1\n', [0x0d], '3\ntwo')
    expect((await raw.read(expected.length)).toString('hex')).toBe(expected.toString('hex'))
  })

  it('answers a frame over the frame limit with error 6 and closes, unread', async () => {
    const other = await RawSocket.login(skyd.port, 'root', rootPassword)
    other.write('S99999999\n')
    expect((await other.readToEnd()).toString('hex')).toBe('100600')
  })
})

describe('authentication and sessions', () => {
  it('refuses a wrong password and an unknown user through @sky/client with code 5', async () => {
    for (const [username, password] of [
      ['root', 'wrong-password-123456'],
      ['ghost', rootPassword],
    ]) {
      const attempt = connect({
        port: skyd.port,
        username: username as string,
        password: password as string,
      })
      await expect(attempt).rejects.toBeInstanceOf(HandshakeRejectedError)
      await attempt.catch((error: HandshakeRejectedError) => expect(error.skytableCode).toBe(5))
    }
  })

  it('lets only root run sysctl user changes and DDL (error 5 for others)', async () => {
    const root = await connectTo(skyd)
    await root.query('sysctl create user bob with { password: ? }', 'bob-password')
    const bob = await connectTo(skyd, 'bob', 'bob-password')
    const code = (promise: Promise<unknown>): Promise<number> =>
      promise.then(
        () => -1,
        (error: QueryError) => error.skytableCode,
      )
    expect(await code(bob.query('sysctl create user eve with { password: ? }', 'x'))).toBe(5)
    expect(await code(bob.query('sysctl drop user root'))).toBe(5)
    expect(await code(bob.query('sysctl alter user bob with { password: ? }', 'y'))).toBe(5)
    expect(await code(bob.query('create space bobs'))).toBe(5)
    expect((await bob.query('sysctl report status')).kind).toBe('empty')
    expect((await bob.query('select v from p.small where k = ?', 1)).row()).toEqual(['one'])
    await bob.close()
    expect((await root.query('sysctl drop user bob')).kind).toBe('empty')
    await expect(connectTo(skyd, 'bob', 'bob-password')).rejects.toBeInstanceOf(
      HandshakeRejectedError,
    )
    await root.close()
  })

  it('answers 1,000 pipelined queries of one connection in order', async () => {
    const root = await connectTo(skyd)
    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_value, index) =>
        root.query('select v from p.small where k = ?', (index % 2) + 1),
      ),
    )
    expect(answers.map((answer) => answer.row()[0])).toEqual(
      Array.from({ length: 1000 }, (_value, index) => (index % 2 === 0 ? 'one' : 'two')),
    )
    await root.close()
  })

  it('rolls back the open transaction of a dropped connection', async () => {
    const first = await connectTo(skyd)
    await first.query('begin')
    await first.query('insert into p.small(?, ?)', 7, 'uncommitted')
    expect((await first.query('select v from p.small where k = ?', 7)).row()).toEqual([
      'uncommitted',
    ])
    first.destroy()
    await first.closed
    const second = await connectTo(skyd)
    await expect(second.query('select v from p.small where k = ?', 7)).rejects.toMatchObject({
      skytableCode: 111,
    })
    // Nothing of the dropped transaction lingers: the same key commits at once.
    await second.query('insert into p.small(?, ?)', 7, 'committed')
    expect((await second.query('select v from p.small where k = ?', 7)).row()).toEqual([
      'committed',
    ])
    await second.close()
  })

  it('keeps sessions apart: use and transactions are per connection', async () => {
    const one = await connectTo(skyd)
    const two = await connectTo(skyd)
    await one.query('use p')
    expect((await one.query('use $current')).scalar()).toBe('p')
    expect((await two.query('use $current')).scalar()).toBe(null)
    await one.query('begin')
    await one.query('insert into small(?, ?)', 8, 'eight')
    await expect(two.query('select v from p.small where k = ?', 8)).rejects.toMatchObject({
      skytableCode: 111,
    })
    await one.query('commit')
    expect((await two.query('select v from p.small where k = ?', 8)).row()).toEqual(['eight'])
    await one.close()
    await two.close()
  })
})
