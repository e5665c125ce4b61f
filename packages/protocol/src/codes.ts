/**
 * The numeric codes Skytable 0.8 puts on the wire: handshake refusal codes (skyhash.md §1) and
 * query error codes (blueql.md §6). Numbers never change; they are what real clients match on.
 */

/**
 * Code in a handshake refusal `H 00 01 <code>`. The server closes the connection after sending it.
 *
 * `authenticationFailed` covers both an unknown user and a wrong password, so a client cannot probe
 * which user names exist.
 */
export const HandshakeErrorCode = {
  corruptedPacket: 0,
  handshakeVersionRejected: 1,
  protocolVersionRejected: 2,
  exchangeModeRejected: 3,
  queryModeRejected: 4,
  authenticationFailed: 5,
} as const

/** One of the {@link HandshakeErrorCode} values. */
export type HandshakeErrorCode = (typeof HandshakeErrorCode)[keyof typeof HandshakeErrorCode]

/**
 * Code of an error response `10 <u16 LE>`, named as in Skytable's `QueryError` (blueql.md §6):
 * 0–6 system, 25–33 language, 100–112 execution.
 */
export const QueryErrorCode = {
  SysServerError: 0,
  SysOutOfMemory: 1,
  SysUnknownError: 2,
  SysAuthError: 3,
  SysTransactionalError: 4,
  SysPermissionDenied: 5,
  SysNetworkSystemIllegalClientPacket: 6,
  LexInvalidInput: 25,
  LexUnexpectedByte: 26,
  QLUnexpectedEndOfStatement: 27,
  QLInvalidSyntax: 28,
  QLInvalidCollectionSyntax: 29,
  QLInvalidTypeDefinitionSyntax: 30,
  QLExpectedEntity: 31,
  QLExpectedStatement: 32,
  QLUnknownStatement: 33,
  QExecObjectNotFound: 100,
  QExecUnknownField: 101,
  QExecDdlInvalidProperties: 102,
  QExecDdlObjectAlreadyExists: 103,
  QExecDdlNotEmpty: 104,
  QExecDdlInvalidTypeDefinition: 105,
  QExecDdlModelBadDefinition: 106,
  QExecDdlModelAlterIllegal: 107,
  QExecDmlDuplicate: 108,
  QExecDmlValidationError: 109,
  QExecDmlWhereHasUnindexedColumn: 110,
  QExecDmlRowNotFound: 111,
  QExecNeedLock: 112,
} as const

/** One of the {@link QueryErrorCode} values. */
export type QueryErrorCode = (typeof QueryErrorCode)[keyof typeof QueryErrorCode]
