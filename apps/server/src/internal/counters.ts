/**
 * ServerCounters: what the network layer counts. Plain numbers that only grow (but `open`), read
 * by `sysctl report metrics` and the periodic metrics log.
 */
export class ServerCounters {
  readonly startedAt = Date.now()
  connectionsAccepted = 0
  /** Closed at accept because `connectionsMax` connections were open. */
  connectionsRefused = 0
  connectionsOpen = 0
  /** Hellos refused: wrong user or password (code 5). */
  authFailures = 0
  /** Hellos refused as malformed (codes 0-4) or not sent in time. */
  handshakeFailures = 0
  /** Connections closed by the idle timeout (or because the client stopped reading). */
  idleTimeouts = 0
  /** Query-phase protocol errors (error 6), fatal or not. */
  protocolErrors = 0
  queries = 0
  /** Queries answered with an error code. */
  queryErrors = 0
  /** Counted from statement outcomes (see README "Metrics"). */
  commits = 0
  aborts = 0
  bytesIn = 0
  bytesOut = 0
}
