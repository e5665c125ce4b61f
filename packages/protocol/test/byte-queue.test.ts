// The buffering cost of the decoders. Goal: feeding n bytes costs O(n) copying in any chunking,
// never O(n²), and a claimed length is never allocated before its bytes arrive. Method: count the
// bytes ByteQueue copies (append, growth, compaction, copy-out) while feeding large frames one byte
// or a few bytes at a time, and bound the count by a small multiple of n.
import { describe, expect, it } from 'vitest'
import {
  ClientDecoder,
  ServerDecoder,
  encodeQuery,
  encodeResponse,
} from '../src/index.js'
import type { Response, Value } from '../src/index.js'
import { ByteQueue } from '../src/internal/byte-queue.js'
import { latin1 } from './helpers.js'

/** The decoder's private queue, reached only by this test. */
function queueOf(decoder: ServerDecoder | ClientDecoder): ByteQueue {
  return (decoder as unknown as { queue: ByteQueue }).queue
}

function feedInChunks(decoder: ServerDecoder | ClientDecoder, bytes: Uint8Array,
  chunkBytes: number): unknown[] {
  const messages: unknown[] = []
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    messages.push(...decoder.feed(bytes.subarray(at, at + chunkBytes)))
  }
  return messages
}

describe('ByteQueue', () => {
  it('keeps the unread bytes in order across growth, compaction and consumption', () => {
    const queue = new ByteQueue()
    const expected: number[] = []
    let next = 0
    for (let round = 0; round < 2000; round += 1) {
      const chunk = Uint8Array.from({ length: (round * 7) % 50 }, () => next++ % 256)
      queue.append(chunk)
      expected.push(...chunk)
      const take = Math.min(queue.length, (round * 13) % 60)
      queue.consume(take)
      expected.splice(0, take)
      expect(queue.length).toBe(expected.length)
      if (expected.length > 0) {
        expect(queue.byteAt(0)).toBe(expected[0])
        const same = Buffer.from(queue.view(0, queue.length)).equals(Buffer.from(expected))
        expect(same).toBe(true)
      }
    }
    expect(queue.streamOffset).toBe(next - expected.length)
  })

  it('finds a byte only inside the asked range', () => {
    const queue = new ByteQueue()
    queue.append(latin1('xxab\nc\n'))
    queue.consume(2)
    expect(queue.indexOf(0x0a, 0, queue.length)).toBe(2)
    expect(queue.indexOf(0x0a, 0, 2)).toBe(-1)
    expect(queue.indexOf(0x0a, 3, queue.length)).toBe(4)
  })
})

describe('decoder buffering cost', () => {
  it('copies a 256 KiB query fed one byte at a time a bounded number of times', () => {
    const packet = encodeQuery('insert into s.m(?)', [
      { type: 'binary', value: new Uint8Array(256 * 1024).fill(7) },
    ])
    const decoder = new ServerDecoder({ initialPhase: 'query' })
    expect(feedInChunks(decoder, packet, 1)).toHaveLength(1)
    const copied = queueOf(decoder).copiedBytes
    expect(copied).toBeLessThanOrEqual(3 * packet.length)
  })

  it('copies a 10 000-row multirow fed 7 bytes at a time a bounded number of times', () => {
    const row: Value[] = [
      { type: 'string', value: 'sayan' },
      { type: 'uint64', value: 100n },
      { type: 'bool', value: true },
    ]
    const response: Response = {
      type: 'multirow', columnCount: 3, rows: Array.from({ length: 10_000 }, () => row),
    }
    const bytes = encodeResponse(response)
    const decoder = new ClientDecoder({ initialPhase: 'response' })
    const messages = feedInChunks(decoder, bytes, 7)
    expect(messages).toHaveLength(1)
    expect(queueOf(decoder).copiedBytes).toBeLessThanOrEqual(4 * bytes.length)
  })

  it('copies a 256 KiB binary response fed one byte at a time a bounded number of times', () => {
    const bytes = encodeResponse({ type: 'binary', value: new Uint8Array(256 * 1024).fill(1) })
    const decoder = new ClientDecoder({ initialPhase: 'response' })
    expect(feedInChunks(decoder, bytes, 1)).toHaveLength(1)
    expect(queueOf(decoder).copiedBytes).toBeLessThanOrEqual(4 * bytes.length)
  })

  it('does not allocate a claimed length before its bytes arrive', () => {
    const server = new ServerDecoder({ initialPhase: 'query' })
    expect(server.feed(latin1(`S${16 * 1024 * 1024}\n2\n`))).toEqual([])
    expect(server.status).toBe('partial')
    const serverBuffer = (queueOf(server) as unknown as { buffer: Uint8Array }).buffer
    expect(serverBuffer.length).toBeLessThanOrEqual(1024)
    const client = new ClientDecoder({ initialPhase: 'response' })
    expect(client.feed(latin1(`\x0c${16 * 1024 * 1024}\nab`))).toEqual([])
    const clientBuffer = (queueOf(client) as unknown as { buffer: Uint8Array }).buffer
    expect(clientBuffer.length).toBeLessThanOrEqual(1024)
  })

  it('gives a large buffer back once it is empty', () => {
    const decoder = new ServerDecoder({ initialPhase: 'query' })
    decoder.feed(encodeQuery('x', [{ type: 'binary', value: new Uint8Array(200_000) }]))
    const buffer = (queueOf(decoder) as unknown as { buffer: Uint8Array }).buffer
    expect(buffer.length).toBe(0)
  })
})
