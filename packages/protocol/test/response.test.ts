// Responses, byte for byte from skyhash.md §3 and blueql.md §3.3, and the client decoder's answer
// to bad and oversized responses.
import { describe, expect, it } from 'vitest'
import {
  ClientDecoder,
  ProtocolError,
  decodeResponse,
  encodeErrorResponse,
  encodeResponse,
} from '../src/index.js'
import type { ClientMessage, ProtocolLimits, Response, Value } from '../src/index.js'
import { concat, hex, latin1 } from './helpers.js'

function responseDecoder(limits: Partial<ProtocolLimits> = {}): ClientDecoder {
  return new ClientDecoder({ initialPhase: 'response', limits })
}

function onlyError(messages: ClientMessage[]): ProtocolError {
  const errors = messages.filter((message) => message.kind === 'error')
  expect(errors).toHaveLength(1)
  const [message] = errors
  if (message?.kind !== 'error') throw new Error('expected an error')
  return message.error
}

describe('encodeResponse: the spec examples', () => {
  it('writes Empty as 12', () => {
    expect(hex(encodeResponse({ type: 'empty' }))).toBe('12')
  })

  it('writes error 111 as 10 6F 00', () => {
    expect(hex(encodeResponse({ type: 'error', code: 111 }))).toBe('10 6f 00')
    expect(hex(encodeErrorResponse(111))).toBe('10 6f 00')
    expect(hex(encodeErrorResponse(0x1234))).toBe('10 34 12')
  })

  it('writes the row (string "sayan", uint64 100, bool true)', () => {
    const row: Response = {
      type: 'row',
      values: [
        { type: 'string', value: 'sayan' },
        { type: 'uint64', value: 100n },
        { type: 'bool', value: true },
      ],
    }
    const expected = concat(0x11, latin1('3\n'), 0x0d, latin1('5\nsayan'), 0x05, latin1('100\n'),
      0x01, 0x01)
    expect(hex(encodeResponse(row))).toBe(hex(expected))
  })

  it('writes the multirow of two rows of one uint8 column', () => {
    const multirow: Response = {
      type: 'multirow',
      columnCount: 1,
      rows: [[{ type: 'uint8', value: 1 }], [{ type: 'uint8', value: 2 }]],
    }
    const expected = concat(0x13, latin1('2\n1\n'), 0x02, latin1('1\n'), 0x02, latin1('2\n'))
    expect(hex(encodeResponse(multirow))).toBe(hex(expected))
  })

  it('writes a single value bare: Bool(true) of create if not exists, Null of use $current', () => {
    expect(hex(encodeResponse({ type: 'bool', value: true }))).toBe('01 01')
    expect(hex(encodeResponse({ type: 'null' }))).toBe('00')
  })
})

describe('encodeResponse: every type byte', () => {
  // One row per response type of skyhash.md §3: the value and its exact bytes.
  const table: readonly (readonly [Response, Uint8Array])[] = [
    [{ type: 'bool', value: false }, Uint8Array.of(0x01, 0x00)],
    [{ type: 'uint8', value: 255 }, concat(0x02, latin1('255\n'))],
    [{ type: 'uint16', value: 65535 }, concat(0x03, latin1('65535\n'))],
    [{ type: 'uint32', value: 4294967295 }, concat(0x04, latin1('4294967295\n'))],
    [{ type: 'uint64', value: 18446744073709551615n },
      concat(0x05, latin1('18446744073709551615\n'))],
    [{ type: 'sint8', value: -128 }, concat(0x06, latin1('-128\n'))],
    [{ type: 'sint16', value: -32768 }, concat(0x07, latin1('-32768\n'))],
    [{ type: 'sint32', value: -2147483648 }, concat(0x08, latin1('-2147483648\n'))],
    [{ type: 'sint64', value: -9223372036854775808n },
      concat(0x09, latin1('-9223372036854775808\n'))],
    [{ type: 'float32', value: 1.5 }, concat(0x0a, latin1('1.5\n'))],
    [{ type: 'float64', value: 1 }, concat(0x0b, latin1('1\n'))],
    [{ type: 'float64', value: 1e-7 }, concat(0x0b, latin1('0.0000001\n'))],
    [{ type: 'binary', value: Uint8Array.of(0, 0xff) }, concat(0x0c, latin1('2\n'), 0, 0xff)],
    [{ type: 'string', value: 'é' }, concat(0x0d, latin1('2\n'), 0xc3, 0xa9)],
    [{ type: 'list', value: [] }, concat(0x0e, latin1('0\n'))],
    [
      { type: 'list', value: [{ type: 'list', value: [{ type: 'uint8', value: 7 }] }] },
      concat(0x0e, latin1('1\n'), 0x0e, latin1('1\n'), 0x02, latin1('7\n')),
    ],
    [{ type: 'row', values: [] }, concat(0x11, latin1('0\n'))],
    [{ type: 'multirow', columnCount: 3, rows: [] }, concat(0x13, latin1('0\n3\n'))],
  ]
  for (const [response, bytes] of table) {
    it(`writes and reads back ${response.type} as ${hex(bytes)}`, () => {
      expect(hex(encodeResponse(response))).toBe(hex(bytes))
      expect(decodeResponse(bytes)).toEqual(response)
    })
  }

  it('writes floats as Rust Display does: no exponent, -0, NaN, inf', () => {
    const table: readonly (readonly [number, string])[] = [
      [1e21, '1000000000000000000000'],
      [1.5e300, '15' + '0'.repeat(299)],
      [5e-324, '0.' + '0'.repeat(323) + '5'],
      [-1.25e-10, '-0.000000000125'],
      [0.1, '0.1'],
      [-0, '-0'],
      [Number.NaN, 'NaN'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
    ]
    for (const [value, text] of table) {
      const bytes = encodeResponse({ type: 'float64', value })
      expect(new TextDecoder('latin1').decode(bytes.subarray(1))).toBe(`${text}\n`)
      expect(decodeResponse(bytes)).toEqual({ type: 'float64', value })
    }
  })

  it('refuses values that do not fit their type', () => {
    const bad: readonly (readonly [unknown, ErrorConstructor])[] = [
      [{ type: 'uint8', value: 256 }, RangeError],
      [{ type: 'uint8', value: -1 }, RangeError],
      [{ type: 'sint8', value: 128 }, RangeError],
      [{ type: 'uint32', value: 1.5 }, RangeError],
      [{ type: 'uint64', value: -1n }, RangeError],
      [{ type: 'sint64', value: 1n << 63n }, RangeError],
      [{ type: 'uint64', value: 5 }, TypeError],
      [{ type: 'uint8', value: 5n }, TypeError],
      [{ type: 'string', value: 'x\ud800' }, RangeError],
      [{ type: 'error', code: 65536 }, RangeError],
      [{ type: 'multirow', columnCount: 2, rows: [[{ type: 'null' }]] }, RangeError],
      [{ type: 'multirow', columnCount: -1, rows: [] }, RangeError],
      [{ type: 'dict', value: [] }, TypeError],
      [{ type: 'list', value: [{ type: 'empty' }] }, TypeError],
    ]
    for (const [response, kind] of bad) {
      expect(() => encodeResponse(response as Response), JSON.stringify(response, replacer))
        .toThrow(kind)
    }
  })
})

function replacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value
}

describe('ClientDecoder responses', () => {
  it('decodes pipelined responses in order, one byte at a time', () => {
    const responses: Response[] = [
      { type: 'empty' },
      { type: 'row', values: [{ type: 'null' }, { type: 'string', value: 'x' }] },
      { type: 'error', code: 28 },
      {
        type: 'multirow',
        columnCount: 2,
        rows: [[{ type: 'bool', value: true }, { type: 'null' }]],
      },
    ]
    const stream = concat(...responses.map(encodeResponse))
    const decoder = responseDecoder()
    const messages = Array.from(stream).flatMap((byte) => decoder.feed(Uint8Array.of(byte)))
    expect(messages).toEqual(responses.map((response) => ({ kind: 'response', response })))
    expect(decoder.status).toBe('idle')
  })

  it('is partial inside a response even when no byte is left unparsed', () => {
    const decoder = responseDecoder()
    expect(decoder.feed(concat(0x0e, latin1('2\n'), 0x00))).toEqual([])
    expect(decoder.bufferedBytes).toBe(0)
    expect(decoder.status).toBe('partial')
    expect(decoder.feed(Uint8Array.of(0x00))).toHaveLength(1)
    expect(decoder.status).toBe('idle')
  })

  it('makes the rows of a multirow with no columns without any cell bytes', () => {
    expect(decodeResponse(concat(0x13, latin1('3\n0\n')))).toEqual({
      type: 'multirow', columnCount: 0, rows: [[], [], []],
    })
  })

  it('decodes a binary exactly at valueBytesMax, refuses one byte more before it arrives', () => {
    const limits = { valueBytesMax: 1024 * 1024 }
    const value = new Uint8Array(limits.valueBytesMax).map((_, index) => index % 251)
    const bytes = encodeResponse({ type: 'binary', value })
    const decoded = decodeResponse(bytes, { limits })
    // Buffer.equals, not toEqual: deep equality walks a 1 MiB array element by element, slowly.
    expect(decoded.type === 'binary' && Buffer.from(decoded.value).equals(value)).toBe(true)
    const decoder = responseDecoder(limits)
    const error = onlyError(decoder.feed(concat(0x0c, latin1(`${limits.valueBytesMax + 1}\n`))))
    expect(error.code).toBe('PROTOCOL_LIMIT_EXCEEDED')
    expect(error.limit).toBe('valueBytesMax')
    expect(error.fatal).toBe(true)
  })

  // One row per malformed response: the decoder fails at once, at the given offset.
  const malformed: readonly (readonly [string, Uint8Array, number])[] = [
    ['dict (reserved)', Uint8Array.of(0x0f), 0],
    ['an unknown type byte', Uint8Array.of(0x14), 0],
    ['a bool of 2', Uint8Array.of(0x01, 0x02), 1],
    ['a uint8 of 256', concat(0x02, latin1('256\n')), 1],
    ['a uint8 with a sign', concat(0x02, latin1('-1\n')), 1],
    ['a sint8 of -129', concat(0x06, latin1('-129\n')), 1],
    ['a uint32 of 11 digits', concat(0x04, latin1('10000000000\n')), 1],
    ['a uint64 past u64 max', concat(0x05, latin1('18446744073709551616\n')), 1],
    ['a sint64 past i64 max', concat(0x09, latin1('9223372036854775808\n')), 1],
    ['an integer with no digits', concat(0x02, latin1('\n')), 1],
    ['an integer with a non-digit', concat(0x03, latin1('1 ')), 2],
    ['float text that is not a number', concat(0x0b, latin1('1.2.3\n')), 1],
    ['float text with a byte no float has', concat(0x0b, latin1('1,')), 1],
    ['float text longer than 512 bytes', concat(0x0b, latin1('1'.repeat(513))), 1],
    ['a string that is not UTF-8', concat(0x0d, latin1('1\n'), 0xff), 3],
    ['a row inside a list', concat(0x0e, latin1('1\n'), 0x11), 3],
    ['an error inside a row', concat(0x11, latin1('1\n'), 0x10), 3],
    ['empty inside a multirow', concat(0x13, latin1('1\n1\n'), 0x12), 5],
    ['a count with a non-digit', concat(0x0e, latin1('x')), 1],
  ]
  for (const [name, bytes, offset] of malformed) {
    it(`fails on ${name}`, () => {
      const decoder = responseDecoder()
      const error = onlyError(decoder.feed(bytes))
      expect(error.code).toBe('PROTOCOL_MALFORMED_RESPONSE')
      expect(error.offset).toBe(offset)
      expect(error.skytableCode).toBeNull()
      expect(decoder.status).toBe('failed')
      expect(decoder.feed(encodeResponse({ type: 'empty' }))).toEqual([])
    })
  }

  it('reports the responses before a bad one in the same chunk', () => {
    const messages = responseDecoder().feed(concat(0x12, 0x12, 0x0f))
    expect(messages.map((message) => message.kind)).toEqual(['response', 'response', 'error'])
  })

  // One row per client limit: the claim is refused as soon as its digits end.
  const limitTable: readonly (readonly [keyof ProtocolLimits, number, Uint8Array])[] = [
    ['elementCountMax', 2, concat(0x0e, latin1('3\n'))],
    ['elementCountMax', 2, concat(0x11, latin1('3\n'))],
    ['elementCountMax', 2, concat(0x13, latin1('3\n1\n'))],
    ['elementCountMax', 2, concat(0x13, latin1('1\n3\n'))],
    ['valueBytesMax', 4, concat(0x0d, latin1('5\n'))],
    ['listDepthMax', 2, concat(0x0e, latin1('1\n'), 0x0e, latin1('1\n'), 0x0e, latin1('1\n'))],
    ['responseBytesMax', 8, concat(0x0c, latin1('6\n'))],
    ['responseBytesMax', 8, concat(0x0e, latin1('9\n'), new Uint8Array(7))],
  ]
  for (const [limit, value, bytes] of limitTable) {
    it(`refuses a response over ${limit} = ${value} (${hex(bytes)})`, () => {
      const error = onlyError(responseDecoder({ [limit]: value }).feed(bytes))
      expect(error.code).toBe('PROTOCOL_LIMIT_EXCEEDED')
      expect(error.limit).toBe(limit)
    })
  }

  it('accepts a response of exactly responseBytesMax bytes', () => {
    const bytes = concat(0x0e, latin1('6\n'), new Uint8Array(6))
    expect(decodeResponse(bytes, { limits: { responseBytesMax: 9 } })).toEqual({
      type: 'list', value: Array.from({ length: 6 }, () => ({ type: 'null' })),
    })
  })

  it('lists nested exactly listDepthMax deep are accepted', () => {
    let value: Value = { type: 'null' }
    for (let depth = 0; depth < 5; depth += 1) value = { type: 'list', value: [value] }
    expect(decodeResponse(encodeResponse(value), { limits: { listDepthMax: 5 } })).toEqual(value)
    expect(() => decodeResponse(encodeResponse(value), { limits: { listDepthMax: 4 } })).toThrow(
      ProtocolError,
    )
  })

  it('decodeResponse refuses cut and extra bytes with a ProtocolError', () => {
    expect(() => decodeResponse(concat(0x11, latin1('1\n')))).toThrow(ProtocolError)
    expect(() => decodeResponse(new Uint8Array(0))).toThrow(ProtocolError)
    expect(() => decodeResponse(Uint8Array.of(0x12, 0x12))).toThrow(ProtocolError)
  })
})
