/** CRC-32 (IEEE) through the `crc-32` package, as an unsigned number; optionally over two parts. */
import CRC32 from 'crc-32'

/** crc32 of `bytes`, continuing from `seed` (the unsigned crc of the bytes before them). */
export function crc32(bytes: Uint8Array, seed?: number): number {
  return (seed === undefined ? CRC32.buf(bytes) : CRC32.buf(bytes, seed | 0)) >>> 0
}
