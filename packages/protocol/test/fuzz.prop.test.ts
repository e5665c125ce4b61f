// Arbitrary and damaged input, by property. Goal: no byte sequence, however chunked, makes a
// decoder throw, report anything but a ProtocolError, keep going after a fatal error, or depend
// on chunking where the protocol says it must not. Method: feed random bytes (uniform, or drawn
// from the protocol's own alphabet so that headers parse and deeper states are reached) and valid
// streams with bytes replaced, cut and inserted, under random small limits. Every run finishing is
// itself the "never loops forever" check: each feed consumes, drops or stops.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isSkyError } from '@sky/std'
import {
  ClientDecoder,
  ProtocolError,
  ServerDecoder,
  decodeParameters,
  encodeClientHello,
  encodeHandshakeAccepted,
  encodeQuery,
  encodeResponse,
} from '../src/index.js'
import type { ClientMessage, ProtocolLimits, ServerMessage } from '../src/index.js'
import { chunking, parameter, response, split } from './arbitraries.js'
import { concat, latin1 } from './helpers.js'

const RUNS = 400

/** Bytes that mean something in Skyhash: type bytes, markers, digits, LF, sign, float letters. */
const protocolByte = fc.oneof(
  fc.integer({ min: 0, max: 0x14 }),
  fc.constantFrom(...latin1('HS0123456789\n\n\n-+.eEinfa')),
  fc.integer({ min: 0, max: 0xff }),
)
const noise = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.array(protocolByte, { maxLength: 200 }).map((values) => Uint8Array.from(values)),
)

const limits: fc.Arbitrary<Partial<ProtocolLimits>> = fc.oneof(
  fc.constant({}),
  fc.record({
    usernameBytesMax: fc.integer({ min: 0, max: 20 }),
    passwordBytesMax: fc.integer({ min: 0, max: 20 }),
    packetBytesMax: fc.integer({ min: 0, max: 120 }),
    queryBytesMax: fc.integer({ min: 0, max: 60 }),
    parameterCountMax: fc.integer({ min: 0, max: 4 }),
    responseBytesMax: fc.integer({ min: 0, max: 120 }),
    valueBytesMax: fc.integer({ min: 0, max: 40 }),
    elementCountMax: fc.integer({ min: 0, max: 6 }),
    listDepthMax: fc.integer({ min: 0, max: 3 }),
  }, { requiredKeys: [] }),
)

/** A damage: replace, cut or insert bytes at positions taken modulo the stream length. */
const damage = fc.array(
  fc.record({
    kind: fc.constantFrom('replace', 'cut', 'insert'),
    at: fc.nat(),
    byte: protocolByte,
  }),
  { minLength: 1, maxLength: 4 },
)

function applyDamage(stream: Uint8Array, damages: readonly { kind: string; at: number;
  byte: number }[]): Uint8Array {
  let bytes = Array.from(stream)
  for (const { kind, at, byte } of damages) {
    const index = at % (bytes.length + 1)
    if (kind === 'replace' && index < bytes.length) bytes[index] = byte
    if (kind === 'cut') bytes = bytes.slice(0, index)
    if (kind === 'insert') bytes.splice(index, 0, byte)
  }
  return Uint8Array.from(bytes)
}

const clientStream = fc.tuple(
  fc.array(fc.record({ text: fc.string({ maxLength: 20 }), parameters: fc.array(parameter,
    { maxLength: 3 }) }), { maxLength: 3 }),
).map(([queries]) => concat(
  encodeClientHello({ username: 'root', password: 'pass123' }),
  ...queries.map((item) => encodeQuery(item.text, item.parameters)),
))
const serverStream = fc.array(response, { maxLength: 3 }).map((responses) =>
  concat(encodeHandshakeAccepted(), ...responses.map(encodeResponse)))

type Message = ServerMessage | ClientMessage

/** Feeds the chunks and checks what must hold after every single feed. */
function feedChecked(decoder: ServerDecoder | ClientDecoder, chunks: Uint8Array[]): Message[] {
  const all: Message[] = []
  let fed = 0
  for (const chunk of chunks) {
    const failedBefore = decoder.status === 'failed'
    const messages: Message[] = decoder.feed(chunk)
    fed += chunk.length
    if (failedBefore) expect(messages).toEqual([])
    for (const message of messages) {
      if (message.kind !== 'error') continue
      expect(message.error).toBeInstanceOf(ProtocolError)
      expect(isSkyError(message.error)).toBe(true)
      expect(message.error.code.startsWith('PROTOCOL_')).toBe(true)
    }
    const fatal = messages.findIndex((message) => message.kind === 'error' && message.error.fatal)
    if (fatal >= 0) expect(fatal).toBe(messages.length - 1)
    expect(decoder.status === 'failed').toBe(decoder.failure !== null)
    expect(decoder.bufferedBytes).toBeLessThanOrEqual(fed)
    all.push(...messages)
  }
  return all
}

/** The messages up to and including the first error. */
function upToFirstError(messages: Message[]): Message[] {
  const index = messages.findIndex((message) => message.kind === 'error')
  return index < 0 ? messages : messages.slice(0, index + 1)
}

function checkServer(input: Uint8Array, how: readonly number[] | 'bytes',
  options: ConstructorParameters<typeof ServerDecoder>[0]): void {
  const whole = feedChecked(new ServerDecoder(options), [input])
  const pieces = feedChecked(new ServerDecoder(options), split(input, how))
  // After an illegal packet the server drops its buffer, which depends on the chunking (as in
  // Skytable); everything before it, and the first error itself, must not.
  expect(upToFirstError(pieces)).toEqual(upToFirstError(whole))
  for (const message of pieces) {
    if (message.kind !== 'error') continue
    expect(message.error.reply === 'none').toBe(false)
    if (message.error.reply === 'handshake') expect(message.error.fatal).toBe(true)
  }
}

function checkClient(input: Uint8Array, how: readonly number[] | 'bytes',
  options: ConstructorParameters<typeof ClientDecoder>[0]): void {
  const whole = feedChecked(new ClientDecoder(options), [input])
  const pieces = feedChecked(new ClientDecoder(options), split(input, how))
  // Every client-side error is fatal and found at a fixed byte, so all of it must match.
  expect(pieces).toEqual(whole)
  for (const message of pieces) {
    if (message.kind === 'error') expect(message.error.fatal && message.error.reply).toBe('none')
  }
}

const phase = fc.constantFrom('handshake', 'query', 'response')

describe('ServerDecoder on arbitrary input', () => {
  it('reports only ProtocolErrors, stops after a fatal one, and agrees with itself up to the '
    + 'first error however the input is split', () => {
    fc.assert(fc.property(noise, chunking, limits, phase, (input, how, chosen, start) => {
      const initialPhase = start === 'handshake' ? 'handshake' : 'query'
      checkServer(input, how, { limits: chosen, initialPhase })
    }), { numRuns: RUNS })
  })

  it('does the same on damaged valid client streams', () => {
    fc.assert(fc.property(clientStream, damage, chunking, limits,
      (stream, damages, how, chosen) => {
        checkServer(applyDamage(stream, damages), how, { limits: chosen })
      }), { numRuns: RUNS })
  })
})

describe('ClientDecoder on arbitrary input', () => {
  it('reports only fatal ProtocolErrors and gives the same messages however the input is '
    + 'split', () => {
    fc.assert(fc.property(noise, chunking, limits, phase, (input, how, chosen, start) => {
      const initialPhase = start === 'handshake' ? 'handshake' : 'response'
      checkClient(input, how, { limits: chosen, initialPhase })
    }), { numRuns: RUNS })
  })

  it('does the same on damaged valid server streams', () => {
    fc.assert(fc.property(serverStream, damage, chunking, limits,
      (stream, damages, how, chosen) => {
        checkClient(applyDamage(stream, damages), how, { limits: chosen })
      }), { numRuns: RUNS })
  })
})

describe('decodeParameters on arbitrary input', () => {
  it('never throws and reports only error 25, at a parameter index it names', () => {
    fc.assert(fc.property(noise, (block) => {
      const { parameters, error } = decodeParameters(block)
      if (error === null) return
      expect(error.code).toBe('PROTOCOL_INVALID_PARAMETER')
      expect(error.skytableCode).toBe(25)
      expect(error.parameterIndex).toBe(parameters.length)
      expect(error.offset).toBeLessThanOrEqual(block.length)
    }), { numRuns: RUNS * 2 })
  })
})
