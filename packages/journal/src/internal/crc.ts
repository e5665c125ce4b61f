/** CRC-32 (IEEE) through the `crc-32` package, as an unsigned number. */
import CRC32 from 'crc-32'

export function crc32(bytes: Uint8Array): number {
  return CRC32.buf(bytes) >>> 0
}
