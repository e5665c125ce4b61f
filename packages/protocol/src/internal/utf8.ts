/**
 * UTF-8 both ways, without silent repair: encoding refuses strings with lone surrogates (they have
 * no UTF-8 form and TextEncoder would replace them) and decoding refuses invalid bytes (TextDecoder
 * would replace them). A leading U+FEFF is kept, not stripped as a byte-order mark.
 */

const encoder = new TextEncoder()
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** True when `text` has a UTF-8 form (no lone surrogate). */
export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text)
}

/**
 * The UTF-8 bytes of `text`.
 * @throws RangeError if `text` holds a lone surrogate.
 */
export function encodeUtf8(text: string, what: string): Uint8Array {
  if (!isWellFormed(text)) throw new RangeError(`${what} holds a lone surrogate: no UTF-8 form`)
  return encoder.encode(text)
}

/** Below this length, all-ASCII bytes are decoded by hand: cheaper than a TextDecoder call. */
const ASCII_FAST_BYTES_MAX = 64

/** The text of `bytes`, or null when they are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  if (bytes.length <= ASCII_FAST_BYTES_MAX) {
    let ascii = true
    for (const byte of bytes) ascii &&= byte < 0x80
    if (ascii) return String.fromCharCode(...bytes)
  }
  try {
    return decoder.decode(bytes)
  } catch {
    return null
  }
}
