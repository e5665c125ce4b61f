// Round trips and chunking invariance, by property. Goal: whatever a skydb encoder writes, the
// matching decoder reads back identically, however the stream is cut into chunks. Method: generate
// values, responses, parameters and pipelined streams (with extremes), encode, split at random
// points (sometimes at every byte, sometimes with empty chunks), decode, and compare with the
// originals and with the unsplit decode. Deep equality distinguishes -0 from 0 and accepts NaN.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ClientDecoder,
  ServerDecoder,
  decodeParameters,
  decodeResponse,
  encodeClientHello,
  encodeHandshakeAccepted,
  encodeParameters,
  encodeQuery,
  encodeResponse,
} from '../src/index.js'
import type { ClientMessage, ServerMessage } from '../src/index.js'
import { chunking, parameter, response, split, text, value } from './arbitraries.js'
import { concat } from './helpers.js'

const RUNS = 300

describe('round trips', () => {
  it('decodes every encoded value to itself', () => {
    fc.assert(fc.property(value, (original) => {
      expect(decodeResponse(encodeResponse(original))).toEqual(original)
    }), { numRuns: RUNS * 2 })
  })

  it('decodes every encoded response to itself', () => {
    fc.assert(fc.property(response, (original) => {
      expect(decodeResponse(encodeResponse(original))).toEqual(original)
    }), { numRuns: RUNS * 2 })
  })

  it('decodes every encoded parameter block to its parameters', () => {
    fc.assert(fc.property(fc.array(parameter, { maxLength: 8 }), (parameters) => {
      const decoded = decodeParameters(encodeParameters(parameters))
      expect(decoded.error).toBeNull()
      expect(decoded.parameters).toEqual(parameters)
    }), { numRuns: RUNS * 2 })
  })

  it('decodes every encoded hello to its credentials', () => {
    fc.assert(fc.property(text, text, (username, password) => {
      const messages = new ServerDecoder().feed(encodeClientHello({ username, password }))
      expect(messages).toEqual([{ kind: 'handshake', username, password }])
    }), { numRuns: RUNS })
  })
})

const query = fc.record({
  text: fc.string({ unit: 'binary-ascii', maxLength: 60 }),
  parameters: fc.array(parameter, { maxLength: 5 }),
})

function expectedQuery(item: { text: string; parameters: readonly unknown[] }): unknown {
  const bytes = new TextEncoder().encode(item.text)
  return {
    kind: 'query',
    query: bytes,
    queryText: String.fromCharCode(...bytes),
    parameters: item.parameters,
    parameterError: null,
  }
}

describe('chunking invariance', () => {
  it('decodes a client stream (hello, then pipelined queries) the same however it is split', () => {
    fc.assert(fc.property(text, text, fc.array(query, { maxLength: 6 }), chunking,
      (username, password, queries, how) => {
        const stream = concat(
          encodeClientHello({ username, password }),
          ...queries.map((item) => encodeQuery(item.text, item.parameters)),
        )
        const whole = new ServerDecoder().feed(stream)
        const decoder = new ServerDecoder()
        const pieces: ServerMessage[] = split(stream, how).flatMap((chunk) => decoder.feed(chunk))
        expect(pieces).toEqual(whole)
        expect(whole).toEqual([
          { kind: 'handshake', username, password },
          ...queries.map(expectedQuery),
        ])
        expect(decoder.status).toBe('idle')
      }), { numRuns: RUNS })
  })

  it('decodes a server stream (acceptance, then responses) the same however it is split', () => {
    fc.assert(fc.property(fc.array(response, { maxLength: 6 }), chunking, (responses, how) => {
      const stream = concat(encodeHandshakeAccepted(), ...responses.map(encodeResponse))
      const whole = new ClientDecoder().feed(stream)
      const decoder = new ClientDecoder()
      const pieces: ClientMessage[] = split(stream, how).flatMap((chunk) => decoder.feed(chunk))
      expect(pieces).toEqual(whole)
      expect(whole).toEqual([
        { kind: 'handshake-accepted' },
        ...responses.map((item) => ({ kind: 'response', response: item })),
      ])
      expect(decoder.status).toBe('idle')
    }), { numRuns: RUNS })
  })
})
