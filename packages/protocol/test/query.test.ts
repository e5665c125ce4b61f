// Query packets and parameters, byte for byte from skyhash.md §2 and blueql.md §1.4, and the
// server decoder's answer to every kind of bad packet, including the resynchronisation rule.
import { describe, expect, it } from 'vitest'
import {
  QueryErrorCode,
  ServerDecoder,
  decodeParameters,
  encodeParameters,
  encodeProtocolErrorReply,
  encodeQuery,
} from '../src/index.js'
import type { Parameter, ProtocolError, QueryMessage, ServerMessage } from '../src/index.js'
import { concat, hex, latin1, splitAt } from './helpers.js'

const SPEC_QUERY_TEXT = 'select * from s.users where username = ?'
const SPEC_QUERY = latin1(`S51\n40\n${SPEC_QUERY_TEXT}\x065\nsayan`)

function queryDecoder(limits = {}): ServerDecoder {
  return new ServerDecoder({ initialPhase: 'query', limits })
}

function onlyQuery(messages: ServerMessage[]): QueryMessage {
  expect(messages).toHaveLength(1)
  const [message] = messages
  if (message?.kind !== 'query') throw new Error(`expected a query, got ${message?.kind}`)
  return message
}

function onlyError(messages: ServerMessage[]): ProtocolError {
  expect(messages).toHaveLength(1)
  const [message] = messages
  if (message?.kind !== 'error') throw new Error(`expected an error, got ${message?.kind}`)
  return message.error
}

describe('encodeQuery', () => {
  it('writes the spec example exactly', () => {
    const bytes = encodeQuery(SPEC_QUERY_TEXT, [{ type: 'string', value: 'sayan' }])
    expect(hex(bytes)).toBe(hex(SPEC_QUERY))
  })

  it('writes a query with no parameters and an empty query', () => {
    expect(encodeQuery('use $current')).toEqual(latin1('S15\n12\nuse $current'))
    expect(encodeQuery('')).toEqual(latin1('S2\n0\n'))
  })

  it('takes the statement as bytes too', () => {
    expect(encodeQuery(latin1('x'))).toEqual(latin1('S3\n1\nx'))
  })
})

describe('encodeParameters', () => {
  // One row per parameter type: the exact bytes of skyhash.md §2.
  const table: readonly (readonly [Parameter, string])[] = [
    [{ type: 'null' }, '\x00'],
    [{ type: 'bool', value: false }, '\x01\x00'],
    [{ type: 'bool', value: true }, '\x01\x01'],
    [{ type: 'uint', value: 5n }, '\x025\n'],
    [{ type: 'uint', value: 18446744073709551615n }, '\x0218446744073709551615\n'],
    [{ type: 'sint', value: -5n }, '\x03-5\n'],
    [{ type: 'sint', value: 5n }, '\x035\n'],
    [{ type: 'sint', value: -9223372036854775808n }, '\x03-9223372036854775808\n'],
    [{ type: 'float', value: 1.5 }, '\x041.5\n'],
    [{ type: 'float', value: 1e-7 }, '\x040.0000001\n'],
    [{ type: 'float', value: Number.NaN }, '\x04NaN\n'],
    [{ type: 'float', value: -Infinity }, '\x04-inf\n'],
    [{ type: 'binary', value: latin1('a\nb') }, '\x053\na\nb'],
    [{ type: 'binary', value: new Uint8Array(0) }, '\x050\n'],
    [{ type: 'string', value: 'sayan' }, '\x065\nsayan'],
    [{ type: 'string', value: '' }, '\x060\n'],
    [{ type: 'string', value: 'é' }, '\x062\n\xc3\xa9'],
  ]
  for (const [parameter, bytes] of table) {
    it(`writes ${parameter.type} ${JSON.stringify(bytes)}`, () => {
      expect(hex(encodeParameters([parameter]))).toBe(hex(latin1(bytes)))
    })
  }

  it('refuses values that do not fit their type', () => {
    expect(() => encodeParameters([{ type: 'uint', value: -1n }])).toThrow(RangeError)
    expect(() => encodeParameters([{ type: 'uint', value: 1n << 64n }])).toThrow(RangeError)
    expect(() => encodeParameters([{ type: 'sint', value: 1n << 63n }])).toThrow(RangeError)
    expect(() => encodeParameters([{ type: 'sint', value: -(1n << 63n) - 1n }])).toThrow(RangeError)
    expect(() => encodeParameters([{ type: 'string', value: '\udc00' }])).toThrow(RangeError)
    const wrong = { type: 'uint', value: 5 } as unknown as Parameter
    expect(() => encodeParameters([wrong])).toThrow(TypeError)
    const unknown = { type: 'dict' } as unknown as Parameter
    expect(() => encodeParameters([unknown])).toThrow(TypeError)
  })
})

describe('ServerDecoder query packets', () => {
  it('decodes the spec example', () => {
    const message = onlyQuery(queryDecoder().feed(SPEC_QUERY))
    expect(message.queryText).toBe(SPEC_QUERY_TEXT)
    expect(message.query).toEqual(latin1(SPEC_QUERY_TEXT))
    expect(message.parameters).toEqual([{ type: 'string', value: 'sayan' }])
    expect(message.parameterError).toBeNull()
  })

  it('decodes an empty query (the language layer answers it with error 32)', () => {
    const message = onlyQuery(queryDecoder().feed(latin1('S2\n0\n')))
    expect(message.queryText).toBe('')
    expect(message.parameters).toEqual([])
  })

  it('keeps non-ASCII query bytes exactly, one char per byte in queryText', () => {
    const message = onlyQuery(queryDecoder().feed(concat(latin1('S4\n2\n'), 0xc3, 0xa9)))
    expect(message.query).toEqual(Uint8Array.of(0xc3, 0xa9))
    expect(message.queryText).toBe('\xc3\xa9')
  })

  it('decodes pipelined packets in order, and waits on a split one', () => {
    const first = encodeQuery('a', [{ type: 'uint', value: 1n }])
    const second = encodeQuery('b', [{ type: 'sint', value: -2n }])
    const decoder = queryDecoder()
    const stream = concat(first, second)
    const cut = first.length + 3
    const early = decoder.feed(stream.subarray(0, cut))
    expect(early.map((message) => (message as QueryMessage).queryText)).toEqual(['a'])
    expect(decoder.status).toBe('partial')
    expect(decoder.bufferedBytes).toBe(3)
    const late = decoder.feed(stream.subarray(cut))
    expect(late.map((message) => (message as QueryMessage).queryText)).toEqual(['b'])
    expect(decoder.status).toBe('idle')
  })

  it('accepts every float form Rust reads', () => {
    const forms: readonly (readonly [string, number])[] = [
      ['1', 1], ['1.', 1], ['.5', 0.5], ['+1.5', 1.5], ['-2.5', -2.5], ['1e5', 1e5],
      ['2.5E-3', 2.5e-3], ['inf', Infinity], ['-infinity', -Infinity], ['INF', Infinity],
      ['NaN', Number.NaN], ['nan', Number.NaN], ['-0', -0], ['0.' + '0'.repeat(600) + '1', 0],
    ]
    for (const [text, value] of forms) {
      const { parameters, error } = decodeParameters(latin1(`\x04${text}\n`))
      expect(error, text).toBeNull()
      expect(parameters, text).toEqual([{ type: 'float', value }])
    }
  })

  it('accepts integer edge forms: leading zeros, -0, u64 max, i64 min', () => {
    const { parameters } = decodeParameters(
      latin1('\x02007\n\x03-0\n\x0218446744073709551615\n\x03-9223372036854775808\n'),
    )
    expect(parameters).toEqual([
      { type: 'uint', value: 7n },
      { type: 'sint', value: 0n },
      { type: 'uint', value: 18446744073709551615n },
      { type: 'sint', value: -9223372036854775808n },
    ])
  })
})

describe('parameter errors (error 25, reported per parameter, not fatal)', () => {
  // One row per way a parameter can be bad (blueql.md §1.4); the good `null` first shows that the
  // parameters before the bad one are kept and the error names the bad one's index.
  const table: readonly (readonly [string, string])[] = [
    ['an unknown type byte', '\x07'],
    ['a bool byte of 2', '\x01\x02'],
    ['a bool with no byte', '\x01'],
    ['a uint with a non-digit', '\x021x\n'],
    ['a uint with no digits', '\x02\n'],
    ['a uint with no LF', '\x0212'],
    ['a uint one past u64 max', '\x0218446744073709551616\n'],
    ['a uint with 21 digits', '\x02000000000000000000001\n'],
    ['a uint with a sign', '\x02-1\n'],
    ['a sint one below i64 min', '\x03-9223372036854775809\n'],
    ['a sint one past i64 max', '\x039223372036854775808\n'],
    ['a sint with two signs', '\x03--1\n'],
    ['a sint with a plus sign', '\x03+1\n'],
    ['a float that is not a number', '\x04abc\n'],
    ['a float with spaces', '\x04 1\n'],
    ['a float in hex', '\x040x10\n'],
    ['a float with no LF', '\x041.5'],
    ['a binary longer than the block', '\x055\nabc'],
    ['a binary with a bad length', '\x05x\n'],
    ['a string that is not UTF-8', '\x062\n\xc3\x28'],
  ]
  for (const [name, bytes] of table) {
    it(`reports ${name}`, () => {
      const packet = encodeQuery(latin1('? ?'), [])
      const block = latin1(`\x00${bytes}`)
      const message = onlyQuery(queryDecoder().feed(withParameters(packet, block)))
      expect(message.parameters).toEqual([{ type: 'null' }])
      const error = message.parameterError
      expect(error?.code).toBe('PROTOCOL_INVALID_PARAMETER')
      expect(error?.skytableCode).toBe(QueryErrorCode.LexInvalidInput)
      expect(error?.parameterIndex).toBe(1)
      expect(error?.fatal).toBe(false)
      expect(hex(encodeProtocolErrorReply(error as ProtocolError))).toBe('10 19 00')
    })
  }

  it('gives the stream offset of the bad byte', () => {
    const packet = withParameters(encodeQuery(latin1('?'), []), latin1('\x01\x07'))
    const error = onlyQuery(queryDecoder().feed(packet)).parameterError
    expect(error?.offset).toBe(packet.length - 1)
  })
})

/** Rebuilds a packet with `block` appended as raw parameter bytes. */
function withParameters(packet: Uint8Array, block: Uint8Array): Uint8Array {
  const text = new TextDecoder('latin1').decode(packet)
  const body = text.slice(text.indexOf('\n') + 1)
  return concat(latin1(`S${body.length + block.length}\n${body}`), block)
}

describe('illegal packets (error 6, not fatal, buffer dropped)', () => {
  // One row per malformed packet: each is answered with 10 06 00 and leaves the decoder idle.
  const table: readonly (readonly [string, string, number])[] = [
    ['a first byte that is not S', 'Q', 0],
    ['a size with a non-digit', 'S5x', 2],
    ['a size with no digits', 'S\n', 1],
    ['a negative size', 'S-1\n', 1],
    ['a size of 21 digits', 'S000000000000000000001\n', 21],
    ['a packet too short for a query length', 'S0\n', 3],
    ['a query length with no LF inside the packet', 'S2\n12', 5],
    ['a query length with a non-digit', 'S3\n1x\n', 4],
    ['a query longer than the packet', 'S4\n5\nab', 3],
  ]
  for (const [name, bytes, offset] of table) {
    it(`answers ${name} with error 6`, () => {
      const decoder = queryDecoder()
      const error = onlyError(decoder.feed(latin1(bytes)))
      expect(error.code).toBe('PROTOCOL_ILLEGAL_PACKET')
      expect(error.skytableCode).toBe(QueryErrorCode.SysNetworkSystemIllegalClientPacket)
      expect(error.fatal).toBe(false)
      expect(error.offset).toBe(offset)
      expect(hex(encodeProtocolErrorReply(error))).toBe('10 06 00')
      expect(decoder.status).toBe('idle')
      expect(onlyQuery(decoder.feed(SPEC_QUERY)).queryText).toBe(SPEC_QUERY_TEXT)
    })
  }

  it('drops the rest of the chunk that held the bad packet, then decodes the next chunk', () => {
    // skyhash.md §2: "the server drops what it had buffered and waits for a new packet".
    const good = encodeQuery('a')
    const decoder = queryDecoder()
    const messages = decoder.feed(concat(good, latin1('X'), good, good))
    expect(messages.map((message) => message.kind)).toEqual(['query', 'error'])
    expect(decoder.bufferedBytes).toBe(0)
    expect(onlyQuery(decoder.feed(good)).queryText).toBe('a')
  })

  it('drops a bad packet whose error is found in its body, with what followed it', () => {
    const decoder = queryDecoder()
    const messages = decoder.feed(concat(latin1('S4\n5\nab'), encodeQuery('a')))
    expect(messages.map((message) => message.kind)).toEqual(['error'])
    expect(decoder.status).toBe('idle')
  })

  it('reads the chunk after a bad one as the start of a new packet, so a split garbage write '
    + 'can be answered twice', () => {
    const decoder = queryDecoder()
    const [first, second] = splitAt(latin1('XYZXYZ'), [3])
    expect(onlyError(decoder.feed(first as Uint8Array)).offset).toBe(0)
    expect(onlyError(decoder.feed(second as Uint8Array)).offset).toBe(3)
  })

  it('keeps a packet that begins in a later chunk even if an earlier chunk was bad', () => {
    const decoder = queryDecoder()
    onlyError(decoder.feed(latin1('S9x')))
    const chunks = splitAt(SPEC_QUERY, [1, 10, 30])
    const messages = chunks.flatMap((chunk) => decoder.feed(chunk))
    expect(onlyQuery(messages).queryText).toBe(SPEC_QUERY_TEXT)
  })
})

describe('query limits (error 6, fatal)', () => {
  it('refuses an oversized packet as soon as its size line ends, without its body', () => {
    const decoder = queryDecoder({ packetBytesMax: 100 })
    const error = onlyError(decoder.feed(latin1('S101\n')))
    expect(error.code).toBe('PROTOCOL_LIMIT_EXCEEDED')
    expect(error.limit).toBe('packetBytesMax')
    expect(error.skytableCode).toBe(6)
    expect(error.reply).toBe('query')
    expect(error.fatal).toBe(true)
    expect(hex(encodeProtocolErrorReply(error))).toBe('10 06 00')
    expect(decoder.status).toBe('failed')
    expect(decoder.feed(SPEC_QUERY)).toEqual([])
  })

  it('accepts a packet exactly at packetBytesMax', () => {
    const packet = encodeQuery('abc')
    const size = packet.length - 2 // 'S' and the one-digit size line
    expect(onlyQuery(queryDecoder({ packetBytesMax: size }).feed(packet)).queryText).toBe('abc')
  })

  it('decodes a 1 MiB binary parameter in a packet exactly at packetBytesMax, not one byte more',
    () => {
      const value = new Uint8Array(1024 * 1024).map((_, index) => index % 253)
      const packet = encodeQuery('?', [{ type: 'binary', value }])
      const sizeLine = packet.indexOf(0x0a) + 1
      const packetBytesMax = packet.length - sizeLine
      const [decoded] = onlyQuery(queryDecoder({ packetBytesMax }).feed(packet)).parameters
      expect(decoded?.type === 'binary' && Buffer.from(decoded.value).equals(value)).toBe(true)
      const error = onlyError(queryDecoder({ packetBytesMax: packetBytesMax - 1 }).feed(packet))
      expect(error.limit).toBe('packetBytesMax')
    })

  it('refuses a claimed 2^64-1 byte packet without allocating it', () => {
    const error = onlyError(queryDecoder().feed(latin1('S18446744073709551615\n')))
    expect(error.limit).toBe('packetBytesMax')
  })

  it('refuses a query longer than queryBytesMax', () => {
    const decoder = queryDecoder({ queryBytesMax: 3 })
    expect(onlyQuery(decoder.feed(encodeQuery('abc'))).queryText).toBe('abc')
    expect(onlyError(decoder.feed(encodeQuery('abcd'))).limit).toBe('queryBytesMax')
  })

  it('refuses more parameters than parameterCountMax', () => {
    const decoder = queryDecoder({ parameterCountMax: 2 })
    const two: Parameter[] = [{ type: 'null' }, { type: 'null' }]
    expect(onlyQuery(decoder.feed(encodeQuery('??', two))).parameters).toHaveLength(2)
    const error = onlyError(decoder.feed(encodeQuery('???', [...two, { type: 'null' }])))
    expect(error.limit).toBe('parameterCountMax')
    expect(error.fatal).toBe(true)
  })

  it('lets decodeParameters stop at parameterCountMax and say so', () => {
    const block = encodeParameters([{ type: 'null' }, { type: 'null' }, { type: 'null' }])
    const decoded = decodeParameters(block, { parameterCountMax: 2 })
    expect(decoded.parameters).toHaveLength(2)
    expect(decoded.countExceeded).toBe(true)
    expect(decodeParameters(block, { parameterCountMax: 3 }).countExceeded).toBe(false)
  })

  it('checks limits at construction', () => {
    expect(() => new ServerDecoder({ limits: { packetBytesMax: -1 } })).toThrow(RangeError)
    expect(() => new ServerDecoder({ limits: { packetBytesMax: 1.5 } })).toThrow(RangeError)
    const unknown = { limits: { framesMax: 1 } } as unknown as ConstructorParameters<
      typeof ServerDecoder
    >[0]
    expect(() => new ServerDecoder(unknown)).toThrow(RangeError)
  })

  it('refuses a chunk that is not bytes', () => {
    expect(() => queryDecoder().feed('S2\n0\n' as unknown as Uint8Array)).toThrow(TypeError)
  })
})
