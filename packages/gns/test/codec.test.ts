/**
 * The bytes: events and catalog images encode and decode, and every reader classifies a short
 * read, a bad checksum and an unknown version. The worked examples of FORMAT.md are checked here.
 */
import { describe, expect, it } from 'vitest'
import { classifyTypeChange, describeFieldType, isValidName, readEcho } from '../src/index.js'
import type { Change } from '../src/internal/change.js'
import { crc32 } from '../src/internal/crc.js'
import { decodeEvent, encodeEvent } from '../src/internal/event-codec.js'
import { decodeImage, encodeImage, recordKinds } from '../src/internal/image-codec.js'
import { stateToRecords } from '../src/internal/image-state.js'
import { Draft, applyChange, genesis } from '../src/internal/state.js'
import { baseOfImage } from '../src/internal/sources.js'
import { uint } from './helpers.js'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')
const credential = {
  algorithm: 'scrypt',
  cost: 16,
  blockSize: 1,
  parallelization: 1,
  salt: new Uint8Array(16).fill(7),
  hash: new Uint8Array(16).fill(9),
} as const
const model = {
  id: 4,
  spaceId: 1,
  name: 'orders',
  fields: [
    { name: 'id', type: { kind: 'uint64' }, nullable: false },
    { name: 'tags', type: { kind: 'list', element: { kind: 'string' } }, nullable: true },
  ],
  primaryKey: 'id',
} as const

const everyChange: Change[] = [
  { type: 'createSpace', space: { id: 1, name: 'shop', env: new Map([['tier', uint(3)]]) } },
  { type: 'alterSpace', space: { id: 1, name: 'shop', env: new Map() } },
  { type: 'createModel', model },
  { type: 'alterModel', model },
  { type: 'dropModel', spaceId: 1, modelId: 4, name: 'orders' },
  { type: 'dropSpace', spaceId: 1, name: 'shop' },
  { type: 'createUser', user: { id: 5, name: 'alice', root: false, credential } },
  { type: 'alterUser', user: { id: 5, name: 'alice', root: false, credential } },
  { type: 'dropUser', userId: 5, name: 'alice' },
  {
    type: 'prepare',
    prepareId: 'p-1',
    change: { type: 'dropModel', spaceId: 1, modelId: 4, name: 'orders' },
  },
  {
    type: 'commit',
    prepareId: 'p-1',
    change: { type: 'dropModel', spaceId: 1, modelId: 4, name: 'orders' },
  },
  { type: 'abort', prepareId: 'p-1' },
]

describe('event codec', () => {
  it.each(everyChange.map((change) => [change.type, change] as const))(
    'round-trips %s',
    (_, change) => {
      const bytes = encodeEvent(42, change)
      const read = decodeEvent(bytes)
      expect(read).toEqual({ status: 'ok', seq: 42, change })
    },
  )

  it('encodes the worked example of FORMAT.md', () => {
    const bytes = encodeEvent(1, {
      type: 'createSpace',
      space: { id: 1, name: 'shop', env: new Map() },
    })
    expect(hex(bytes.subarray(0, 24))).toBe('474e534501010000010000000000000029000000' + '5eb9e087')
    expect(new TextDecoder().decode(bytes.subarray(24))).toBe(
      '{"space":{"id":1,"name":"shop","env":{}}}',
    )
    expect(readEcho(bytes)).toEqual({ seq: 1, type: 'createSpace', prepareId: undefined })
  })

  it('classifies short, bad and unknown-version events', () => {
    const bytes = encodeEvent(7, everyChange[0]!)
    expect(decodeEvent(bytes.subarray(0, 10))).toEqual({ status: 'short' })
    expect(decodeEvent(bytes.subarray(0, bytes.length - 1))).toEqual({ status: 'short' })
    for (let offset = 0; offset < bytes.length; offset++) {
      const flipped = bytes.slice()
      flipped[offset]! ^= 0x10
      expect(decodeEvent(flipped).status, `byte ${offset}`).not.toBe('ok')
    }
    const newer = bytes.slice()
    newer[4] = 2
    new DataView(newer.buffer).setUint32(
      20,
      crc32(newer.subarray(24), crc32(newer.subarray(0, 20))),
      true,
    )
    expect(decodeEvent(newer)).toEqual({ status: 'version', version: 2 })
    const junk = new Uint8Array([
      ...bytes.subarray(0, 24),
      ...new TextEncoder().encode('{"space":1}'),
    ])
    new DataView(junk.buffer).setUint32(16, junk.length - 24, true)
    new DataView(junk.buffer).setUint32(
      20,
      crc32(junk.subarray(24), crc32(junk.subarray(0, 20))),
      true,
    )
    expect(decodeEvent(junk)).toEqual({ status: 'bad', reason: 'body is not a valid change' })
  })
})

describe('image codec', () => {
  const state = (() => {
    const draft = new Draft(genesis)
    everyChange.slice(0, 3).forEach((change, at) => applyChange(draft, change, at + 1))
    applyChange(draft, everyChange[6]!, 4)
    applyChange(
      draft,
      {
        type: 'prepare',
        prepareId: 'p-9',
        change: { type: 'dropModel', spaceId: 1, modelId: 4, name: 'orders' },
      },
      5,
    )
    return draft.finish()
  })()

  it('round-trips a state through its image', () => {
    const image = decodeImage(encodeImage(3, state.seq, stateToRecords(state)))
    if (image.status !== 'read') throw new Error(image.status)
    expect(image).toMatchObject({
      generation: 3,
      seq: 5,
      fileCrcOk: true,
      countOk: true,
      damaged: [],
      unidentified: [],
    })
    const built = baseOfImage(image, 'test', 'checkpoint')
    if (!('base' in built)) throw new Error(built.problem)
    const rebuilt = built.base.load()!
    expect(rebuilt.nextId).toBe(state.nextId)
    expect([...rebuilt.pending.keys()]).toEqual(['p-9'])
    expect(rebuilt.spaces.get('shop')?.models.get('orders')?.fields).toEqual(
      state.spaces.get('shop')?.models.get('orders')?.fields,
    )
    expect(rebuilt.users.get('alice')?.credential?.hash).toEqual(credential.hash)
  })

  it('encodes the worked example of FORMAT.md', () => {
    const draft = new Draft(genesis)
    applyChange(draft, { type: 'createSpace', space: { id: 1, name: 'shop', env: new Map() } }, 1)
    const bytes = encodeImage(1, 1, stateToRecords(draft.finish()))
    expect(bytes.length).toBe(181)
    expect(hex(bytes.subarray(0, 48))).toBe(
      '534b59474e53434b0100000030000000' +
        '01000000000000000100000000000000' +
        '8500000002000000879d13f07d94fab1',
    )
    const meta = '{"nextId":2,"pending":[],"outcomes":[]}'
    expect(hex(bytes.subarray(48, 88))).toBe(
      '2700000001000000' + '0'.repeat(32) + '0100000000000000' + '696732566d05a997',
    )
    expect(new TextDecoder().decode(bytes.subarray(88, 127))).toBe(meta)
    expect(hex(bytes.subarray(127, 181))).toBe(
      '0a00000002040000' +
        '0100000000000000' +
        '0000000000000000' +
        '0100000000000000' +
        '73686f70' +
        '0d20e2ff' +
        'ad22cb17' +
        hex(new TextEncoder().encode('{"env":{}}')),
    )
  })

  it('names each damaged record and keeps the others', () => {
    const bytes = encodeImage(1, state.seq, stateToRecords(state))
    const clean = decodeImage(bytes)
    if (clean.status !== 'read') throw new Error(clean.status)
    const orders = clean.records.find((record) => record.kind === recordKinds.model)!
    const payloadFlip = bytes.slice()
    payloadFlip[orders.offset + 40 + 'orders'.length + 3]! ^= 1
    const read = decodeImage(payloadFlip)
    if (read.status !== 'read') throw new Error(read.status)
    expect(read.fileCrcOk).toBe(false)
    expect(read.damaged).toEqual([
      expect.objectContaining({
        kind: recordKinds.model,
        key: 4,
        name: 'orders',
        reason: 'payload crc',
      }),
    ])
    expect(read.records).toHaveLength(clean.records.length - 1)
    expect(read.countOk).toBe(true)
    const headerFlip = bytes.slice()
    headerFlip[orders.offset + 9]! ^= 1
    const unknown = decodeImage(headerFlip)
    if (unknown.status !== 'read') throw new Error(unknown.status)
    expect(unknown.unidentified).toEqual([{ offset: orders.offset, length: expect.any(Number) }])
    expect(unknown.countOk).toBe(false)
  })

  it('classifies short, bad-header and unknown-version images', () => {
    const bytes = encodeImage(1, state.seq, stateToRecords(state))
    expect(decodeImage(bytes.subarray(0, 20)).status).toBe('short')
    expect(decodeImage(bytes.subarray(0, bytes.length - 5)).status).toBe('short')
    const header = bytes.slice()
    header[20]! ^= 4
    expect(decodeImage(header).status).toBe('bad-header')
    const newer = bytes.slice()
    new DataView(newer.buffer).setUint32(8, 9, true)
    new DataView(newer.buffer).setUint32(40, crc32(newer.subarray(0, 40)), true)
    expect(decodeImage(newer)).toEqual({ status: 'version', version: 9 })
  })
})

describe('names and types', () => {
  it.each([
    ['users', true],
    ['_x1', true],
    ['Model', false],
    ['FALSE', false],
    ['user', true],
    ['9lives', false],
    ['a b', false],
    ['', false],
  ] as const)('isValidName(%j) is %s', (name, valid) => {
    expect(isValidName(name)).toBe(valid)
  })

  it('classifies type changes as alter update does', () => {
    expect(classifyTypeChange({ kind: 'uint8' }, { kind: 'uint64' })).toBe('widen')
    expect(classifyTypeChange({ kind: 'sint64' }, { kind: 'sint8' })).toBe('narrow')
    expect(classifyTypeChange({ kind: 'uint8' }, { kind: 'sint8' })).toBe('class-change')
    expect(classifyTypeChange({ kind: 'string' }, { kind: 'string' })).toBe('same')
    expect(
      classifyTypeChange({ kind: 'string' }, { kind: 'list', element: { kind: 'string' } }),
    ).toBe('deeper')
    expect(
      classifyTypeChange(
        { kind: 'list', element: { kind: 'uint8' } },
        { kind: 'list', element: { kind: 'uint16' } },
      ),
    ).toBe('widen')
    expect(
      describeFieldType({ kind: 'list', element: { kind: 'list', element: { kind: 'uint8' } } }),
    ).toBe('[[UInt8]]')
  })
})
