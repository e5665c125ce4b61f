// Handshake, byte for byte from skyhash.md §1: the hello, both answers, and every refusal code.
import { describe, expect, it } from 'vitest'
import { isSkyError } from '@sky/std'
import {
  ClientDecoder,
  HandshakeErrorCode,
  ProtocolError,
  ServerDecoder,
  encodeClientHello,
  encodeHandshakeAccepted,
  encodeHandshakeRejected,
  encodeProtocolErrorReply,
} from '../src/index.js'
import type { ServerMessage } from '../src/index.js'
import { concat, hex, latin1 } from './helpers.js'

/** The spec's example: user `root`, password `pass123`. */
const SPEC_HELLO = concat(
  Uint8Array.of(0x48, 0x00, 0x00, 0x00, 0x00, 0x00, 0x34, 0x0a, 0x37, 0x0a),
  latin1('rootpass123'),
)

function onlyError(messages: ServerMessage[]): ProtocolError {
  expect(messages).toHaveLength(1)
  const [message] = messages
  if (message?.kind !== 'error') throw new Error(`expected an error, got ${message?.kind}`)
  return message.error
}

describe('encodeClientHello', () => {
  it('writes the spec example exactly', () => {
    const bytes = encodeClientHello({ username: 'root', password: 'pass123' })
    expect(hex(bytes)).toBe(hex(SPEC_HELLO))
    expect(bytes).toEqual(latin1('H\0\0\0\0\0' + '4\n' + '7\n' + 'rootpass123'))
  })

  it('counts UTF-8 bytes, not chars, in the lengths', () => {
    const bytes = encodeClientHello({ username: 'Zoë', password: '' })
    expect(bytes).toEqual(concat(latin1('H\0\0\0\0\0' + '4\n0\nZo'), 0xc3, 0xab))
  })

  it('refuses a credential with a lone surrogate instead of altering it', () => {
    expect(() => encodeClientHello({ username: 'a\ud800', password: 'x' })).toThrow(RangeError)
  })
})

describe('handshake answers', () => {
  it('accepts with H 00 00 00', () => {
    expect(hex(encodeHandshakeAccepted())).toBe('48 00 00 00')
  })

  it('refuses with H 00 01 <code>', () => {
    expect(hex(encodeHandshakeRejected(HandshakeErrorCode.authenticationFailed))).toBe(
      '48 00 01 05',
    )
    expect(hex(encodeHandshakeRejected(0))).toBe('48 00 01 00')
  })

  it('rejects a code that is not a byte', () => {
    expect(() => encodeHandshakeRejected(256)).toThrow(RangeError)
    expect(() => encodeHandshakeRejected(1.5)).toThrow(RangeError)
  })
})

describe('ServerDecoder handshake', () => {
  it('decodes the spec example and moves to the query phase', () => {
    const decoder = new ServerDecoder()
    expect(decoder.phase).toBe('handshake')
    expect(decoder.feed(SPEC_HELLO)).toEqual([
      { kind: 'handshake', username: 'root', password: 'pass123' },
    ])
    expect(decoder.phase).toBe('query')
    expect(decoder.status).toBe('idle')
  })

  it('decodes the spec example fed one byte at a time, and is partial until the last byte', () => {
    const decoder = new ServerDecoder()
    for (let index = 0; index < SPEC_HELLO.length - 1; index += 1) {
      expect(decoder.feed(SPEC_HELLO.subarray(index, index + 1))).toEqual([])
      expect(decoder.status).toBe('partial')
    }
    expect(decoder.feed(SPEC_HELLO.subarray(SPEC_HELLO.length - 1))).toHaveLength(1)
  })

  it('accepts empty credentials and non-ASCII UTF-8 ones', () => {
    for (const hello of [
      { username: '', password: '' },
      { username: 'ユーザー', password: 'pässwörd🔑' },
      { username: '\ufeffbom', password: 'x' },
    ]) {
      const messages = new ServerDecoder().feed(encodeClientHello(hello))
      expect(messages).toEqual([{ kind: 'handshake', ...hello }])
    }
  })

  // One row per fixed byte: which byte is wrong, the code it gets (skyhash.md §1).
  const fixedByteTable = [
    { index: 0, value: 0x53, code: 'PROTOCOL_HANDSHAKE_CORRUPTED', skytable: 0 },
    { index: 1, value: 1, code: 'PROTOCOL_HANDSHAKE_VERSION_REJECTED', skytable: 1 },
    { index: 2, value: 1, code: 'PROTOCOL_VERSION_REJECTED', skytable: 2 },
    { index: 3, value: 1, code: 'PROTOCOL_EXCHANGE_MODE_REJECTED', skytable: 3 },
    { index: 4, value: 1, code: 'PROTOCOL_QUERY_MODE_REJECTED', skytable: 4 },
    { index: 5, value: 1, code: 'PROTOCOL_AUTH_MODE_REJECTED', skytable: 5 },
    { index: 5, value: 0xff, code: 'PROTOCOL_AUTH_MODE_REJECTED', skytable: 5 },
  ] as const
  for (const row of fixedByteTable) {
    it(`refuses byte ${row.index} = ${row.value} with code ${row.skytable}`, () => {
      const bytes = SPEC_HELLO.slice()
      bytes[row.index] = row.value
      const decoder = new ServerDecoder()
      const error = onlyError(decoder.feed(bytes))
      expect(error.code).toBe(row.code)
      expect(error.skytableCode).toBe(row.skytable)
      expect(error.reply).toBe('handshake')
      expect(error.fatal).toBe(true)
      expect(error.offset).toBe(row.index)
      expect(hex(encodeProtocolErrorReply(error))).toBe(`48 00 01 0${row.skytable}`)
      expect(decoder.status).toBe('failed')
    })
  }

  it('refuses a wrong first byte as soon as it arrives', () => {
    const decoder = new ServerDecoder()
    const error = onlyError(decoder.feed(latin1('S')))
    expect(error.code).toBe('PROTOCOL_HANDSHAKE_CORRUPTED')
  })

  it('refuses a wrong fixed byte that arrives in a later chunk than the marker', () => {
    const decoder = new ServerDecoder()
    expect(decoder.feed(latin1('H'))).toEqual([])
    expect(decoder.status).toBe('partial')
    const error = onlyError(decoder.feed(Uint8Array.of(0x01)))
    expect(error.code).toBe('PROTOCOL_HANDSHAKE_VERSION_REJECTED')
    expect(error.offset).toBe(1)
  })

  it('reports the first wrong byte when several are wrong', () => {
    const error = onlyError(new ServerDecoder().feed(latin1('H\x01\x01\x01\x01\x01')))
    expect(error.skytableCode).toBe(HandshakeErrorCode.handshakeVersionRejected)
  })

  for (const [name, lengths] of [
    ['a non-digit', 'x\n1\n'],
    ['no digits', '\n1\n'],
    ['a minus sign', '-1\n1\n'],
    ['21 digits', '000000000000000000001\n1\n'],
    ['a bad password length', '1\n1x\n'],
  ] as const) {
    it(`refuses a length with ${name} with code 0`, () => {
      const error = onlyError(new ServerDecoder().feed(latin1(`H\0\0\0\0\0${lengths}ab`)))
      expect(error.code).toBe('PROTOCOL_HANDSHAKE_CORRUPTED')
      expect(error.skytableCode).toBe(0)
    })
  }

  it('refuses an oversized user name before its bytes arrive, with code 0', () => {
    const decoder = new ServerDecoder({ limits: { usernameBytesMax: 8 } })
    const error = onlyError(decoder.feed(latin1('H\0\0\0\0\0' + '9\n')))
    expect(error.code).toBe('PROTOCOL_LIMIT_EXCEEDED')
    expect(error.limit).toBe('usernameBytesMax')
    expect(error.skytableCode).toBe(HandshakeErrorCode.corruptedPacket)
    expect(error.offset).toBe(6)
    expect(decoder.bufferedBytes).toBe(0)
  })

  it('accepts a user name exactly at the limit and refuses a password one byte over', () => {
    const limits = { usernameBytesMax: 4, passwordBytesMax: 6 }
    const atLimit = new ServerDecoder({ limits }).feed(
      encodeClientHello({ username: 'root', password: 'secret' }),
    )
    expect(atLimit[0]?.kind).toBe('handshake')
    const over = new ServerDecoder({ limits }).feed(
      encodeClientHello({ username: 'root', password: 'secret7' }),
    )
    expect(onlyError(over).limit).toBe('passwordBytesMax')
  })

  it('refuses credentials that are not UTF-8 with code 5, like a wrong password', () => {
    const bytes = concat(latin1('H\0\0\0\0\0' + '1\n1\n'), 0xff, latin1('x'))
    const error = onlyError(new ServerDecoder().feed(bytes))
    expect(error.code).toBe('PROTOCOL_CREDENTIALS_NOT_UTF8')
    expect(error.skytableCode).toBe(HandshakeErrorCode.authenticationFailed)
  })

  it('ignores every byte once failed, and says so through status and failure', () => {
    const decoder = new ServerDecoder()
    const error = onlyError(decoder.feed(latin1('X')))
    expect(decoder.feed(SPEC_HELLO)).toEqual([])
    expect(decoder.status).toBe('failed')
    expect(decoder.failure).toBe(error)
    expect(isSkyError(error, 'PROTOCOL_HANDSHAKE_CORRUPTED')).toBe(true)
  })

  it('decodes a query pipelined right behind the hello', () => {
    const query = latin1('S4\n2\nab')
    const messages = new ServerDecoder().feed(concat(SPEC_HELLO, query))
    expect(messages.map((message) => message.kind)).toEqual(['handshake', 'query'])
  })
})

describe('ClientDecoder handshake answer', () => {
  it('reports an acceptance and then decodes responses', () => {
    const decoder = new ClientDecoder()
    expect(decoder.feed(concat(encodeHandshakeAccepted(), 0x12))).toEqual([
      { kind: 'handshake-accepted' },
      { kind: 'response', response: { type: 'empty' } },
    ])
    expect(decoder.phase).toBe('response')
  })

  for (let code = 0; code <= 5; code += 1) {
    it(`reports a refusal with code ${code}, split at every byte`, () => {
      const decoder = new ClientDecoder()
      const bytes = encodeHandshakeRejected(code)
      const messages = Array.from(bytes).flatMap((byte) => decoder.feed(Uint8Array.of(byte)))
      expect(messages).toEqual([{ kind: 'handshake-rejected', code }])
      expect(decoder.phase).toBe('rejected')
      expect(decoder.status).toBe('idle')
    })
  }

  for (const [name, bytes] of [
    ['a wrong marker', [0x53]],
    ['a non-zero second byte', [0x48, 0x01]],
    ['an unknown status byte', [0x48, 0x00, 0x02]],
    ['an acceptance with a non-zero last byte', [0x48, 0x00, 0x00, 0x07]],
  ] as const) {
    it(`fails on ${name} as soon as it arrives`, () => {
      const decoder = new ClientDecoder()
      const [message, ...rest] = decoder.feed(Uint8Array.from(bytes))
      expect(rest).toEqual([])
      expect(message?.kind).toBe('error')
      if (message?.kind !== 'error') return
      expect(message.error.code).toBe('PROTOCOL_MALFORMED_RESPONSE')
      expect(message.error.offset).toBe(bytes.length - 1)
      expect(message.error.reply).toBe('none')
      expect(() => encodeProtocolErrorReply(message.error)).toThrow(RangeError)
      expect(decoder.status).toBe('failed')
    })
  }

  it('fails on bytes after a refusal', () => {
    const decoder = new ClientDecoder()
    const messages = decoder.feed(concat(encodeHandshakeRejected(5), 0x12))
    expect(messages.map((message) => message.kind)).toEqual(['handshake-rejected', 'error'])
  })
})
