/**
 * Test helpers: build byte strings from readable text and split streams into chunks.
 */

/** Bytes of a string whose chars are all below 0x100 (one byte per char, like the spec's text). */
export function latin1(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length)
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index)
    if (code > 0xff) throw new Error('latin1 takes chars below 0x100')
    bytes[index] = code
  }
  return bytes
}

/** Concatenates byte arrays and bytes. */
export function concat(...parts: readonly (Uint8Array | number)[]): Uint8Array {
  const arrays = parts.map((part) => (typeof part === 'number' ? Uint8Array.of(part) : part))
  const total = arrays.reduce((sum, part) => sum + part.length, 0)
  const result = new Uint8Array(total)
  let at = 0
  for (const part of arrays) {
    result.set(part, at)
    at += part.length
  }
  return result
}

/** Lowercase hex, spaced by byte, for readable failures. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join(' ')
}

/** Splits `bytes` at the given cut points (any order, duplicates and out-of-range are ignored). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.filter((cut) => cut > 0 && cut < bytes.length))].sort(
    (a, b) => a - b,
  )
  const chunks: Uint8Array[] = []
  let from = 0
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.slice(from, point))
    from = point
  }
  return chunks
}

/** Feeds every chunk and collects all messages. */
export function feedAll<M>(decoder: { feed(chunk: Uint8Array): M[] }, chunks: Uint8Array[]): M[] {
  return chunks.flatMap((chunk) => decoder.feed(chunk))
}
