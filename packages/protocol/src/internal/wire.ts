/**
 * The constants of Skyhash 2, defined once. Spec: /work/shared/spec/skyhash.md (Skytable 0.8
 * wire protocol) and the error table of /work/shared/spec/blueql.md §6. FORMAT.md repeats them
 * in tables.
 *
 * Invariants: every byte value below is what Skytable 0.8 sends or accepts; nothing here is skydb's
 * invention except `DECIMAL_DIGITS_MAX`, which bounds how long a decimal field may be.
 */

/** First byte of the client hello and of the server's handshake answer: ASCII `H`. */
export const HANDSHAKE_MARKER = 0x48
/** First byte of a query packet: ASCII `S`. */
export const QUERY_MARKER = 0x53
/** Terminates every decimal field: ASCII LF. */
export const LF = 0x0a
/** ASCII `-`, allowed once before the digits of a signed integer. */
export const MINUS = 0x2d
/** ASCII `0` and `9`. */
export const DIGIT_0 = 0x30
export const DIGIT_9 = 0x39

/** The only handshake version, protocol version, exchange mode, query mode and auth mode of 0.8. */
export const HANDSHAKE_VERSION = 0
export const PROTOCOL_VERSION = 0
export const EXCHANGE_MODE_QUERY_TIME = 0
export const QUERY_MODE_BQL1 = 0
export const AUTH_MODE_PASSWORD = 0

/**
 * Bytes 1 and 2 of the server's handshake answer (byte 3 is the code, 0 when accepted):
 * `H 00 00 00` accepts, `H 00 01 <code>` refuses.
 */
export const HANDSHAKE_ANSWER_RESERVED = 0
export const HANDSHAKE_ANSWER_ACCEPTED = 0
export const HANDSHAKE_ANSWER_REJECTED = 1
/** Length of either handshake answer. */
export const HANDSHAKE_ANSWER_BYTES = 4
/** Marker plus the five version and mode bytes of the client hello. */
export const HELLO_FIXED_BYTES = 6

/** Type byte of each query parameter (skyhash.md §2). */
export const ParameterTypeByte = {
  null: 0x00,
  bool: 0x01,
  uint: 0x02,
  sint: 0x03,
  float: 0x04,
  binary: 0x05,
  string: 0x06,
} as const

/** Type byte of each response (skyhash.md §3). 0x0F (Dict) is reserved and never sent in 0.8. */
export const ResponseTypeByte = {
  null: 0x00,
  bool: 0x01,
  uint8: 0x02,
  uint16: 0x03,
  uint32: 0x04,
  uint64: 0x05,
  sint8: 0x06,
  sint16: 0x07,
  sint32: 0x08,
  sint64: 0x09,
  float32: 0x0a,
  float64: 0x0b,
  binary: 0x0c,
  string: 0x0d,
  list: 0x0e,
  dict: 0x0f,
  error: 0x10,
  row: 0x11,
  empty: 0x12,
  multirow: 0x13,
} as const

/** Bytes after the type byte of an error response: the code as u16 little endian. */
export const ERROR_CODE_BYTES = 2

/**
 * Most digits a decimal field may carry. u64::MAX has 20 digits; a longer run can only be leading
 * zeros, which no client sends, so it is treated as malformed. This bounds how long a decoder scans
 * a header that has not ended yet. A signed value may add one `-` before the digits.
 */
export const DECIMAL_DIGITS_MAX = 20

/** Largest u64 and the i64 range, for overflow checks. */
export const U64_MAX = (1n << 64n) - 1n
export const I64_MIN = -(1n << 63n)
export const I64_MAX = (1n << 63n) - 1n
