/**
 * @packageDocumentation
 * `@sky/protocol` is the Skyhash 2 codec (the Skytable 0.8 wire protocol), in both directions:
 * encoders for the client hello, the handshake answers, query packets with typed parameters and
 * every response type; and two incremental decoders, {@link ServerDecoder} (client bytes → hello,
 * then queries) and {@link ClientDecoder} (server bytes → handshake answer, then responses), that
 * accept input split at any byte and pipelined frames. Every length a peer claims is bounded by
 * {@link ProtocolLimits}; every bad input is a {@link ProtocolError} carrying the Skytable code the
 * server must answer. No I/O: the caller owns the socket.
 */

// codes.ts: Skytable's numeric codes.
export { HandshakeErrorCode, QueryErrorCode } from './codes.js'

// errors.ts, error-reply.ts: the one error type and the reply it calls for.
export { ProtocolError } from './errors.js'
export type { ProtocolErrorCode, ProtocolErrorInit, ProtocolErrorReply } from './errors.js'
export { encodeProtocolErrorReply } from './error-reply.js'

// limits.ts
export { defaultProtocolLimits, resolveProtocolLimits } from './limits.js'
export type { ProtocolLimits } from './limits.js'

// handshake.ts, query.ts, parameter.ts: client → server encoders.
export { encodeClientHello, encodeHandshakeAccepted, encodeHandshakeRejected } from './handshake.js'
export type { ClientHello } from './handshake.js'
export { encodeQuery } from './query.js'
export { decodeParameters, encodeParameters } from './parameter.js'
export type { DecodedParameters, Parameter, ParameterType } from './parameter.js'

// response.ts: server → client encoders and the value types.
export { encodeErrorResponse, encodeResponse } from './response.js'
export type {
  EmptyResponse,
  ErrorResponse,
  MultiRowResponse,
  Response,
  ResponseType,
  RowResponse,
  SmallIntegerType,
  Value,
  ValueType,
} from './response.js'

// server-decoder.ts, client-decoder.ts: the incremental decoders.
export { ServerDecoder } from './server-decoder.js'
export type {
  DecoderStatus,
  ErrorMessage,
  HandshakeMessage,
  QueryMessage,
  ServerDecoderOptions,
  ServerMessage,
} from './server-decoder.js'
export { ClientDecoder, decodeResponse } from './client-decoder.js'
export type {
  ClientDecoderOptions,
  ClientMessage,
  HandshakeAcceptedMessage,
  HandshakeRejectedMessage,
  ResponseMessage,
} from './client-decoder.js'
