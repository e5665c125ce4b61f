/** CRC-32 (IEEE) through the `crc-32` package, as an unsigned number: the journal's checksum. */
import CRC32 from 'crc-32'

/** CRC-32 of `bytes`, unsigned. */
export function crc32(bytes: Uint8Array): number {
  return CRC32.buf(bytes) >>> 0
}
