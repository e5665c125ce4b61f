/**
 * Decoder throughput by chunk size: the same streams fed whole, in socket-sized chunks and in tiny
 * chunks. The ratio between rows shows the per-chunk overhead; a quadratic buffer would show up as
 * the tiny-chunk rows collapsing as the stream grows. Run: `pnpm bench`.
 */
import { Bench } from 'tinybench'
import {
  ClientDecoder,
  ServerDecoder,
  encodeQuery,
  encodeResponse,
} from '../src/index.js'
import type { Parameter, Response } from '../src/index.js'

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    result.set(part, at)
    at += part.length
  }
  return result
}

function feedInChunks(decoder: { feed(chunk: Uint8Array): unknown[] }, bytes: Uint8Array,
  chunkBytes: number): number {
  let messages = 0
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    messages += decoder.feed(bytes.subarray(at, at + chunkBytes)).length
  }
  return messages
}

const parameters: Parameter[] = [
  { type: 'string', value: 'sayan' },
  { type: 'uint', value: 100n },
  { type: 'binary', value: new Uint8Array(64) },
]
const queries = concat(Array.from({ length: 1000 }, () =>
  encodeQuery('insert into s.users(?, ?, ?)', parameters)))
const largeQuery = encodeQuery('insert into s.blobs(?)', [
  { type: 'binary', value: new Uint8Array(4 * 1024 * 1024) },
])
const multirow: Response = {
  type: 'multirow',
  columnCount: 3,
  rows: Array.from({ length: 10_000 }, (_, index) => [
    { type: 'string', value: `user${index}` },
    { type: 'uint64', value: BigInt(index) },
    { type: 'bool', value: index % 2 === 0 },
  ]),
}
const responses = encodeResponse(multirow)

const bench = new Bench({ name: 'Skyhash decoders by chunk size', time: 1_000 })
for (const chunkBytes of [Number.MAX_SAFE_INTEGER, 64 * 1024, 64]) {
  const label = chunkBytes === Number.MAX_SAFE_INTEGER ? 'whole' : `${chunkBytes} B chunks`
  bench.add(`server: 1000 pipelined queries (${queries.length} B), ${label}`, () => {
    feedInChunks(new ServerDecoder({ initialPhase: 'query' }), queries, chunkBytes)
  })
  bench.add(`server: one 4 MiB query, ${label}`, () => {
    feedInChunks(new ServerDecoder({ initialPhase: 'query' }), largeQuery, chunkBytes)
  })
  bench.add(`client: 10 000-row multirow (${responses.length} B), ${label}`, () => {
    feedInChunks(new ClientDecoder({ initialPhase: 'response' }), responses, chunkBytes)
  })
}
await bench.run()
console.table(bench.table())
