/**
 * Logger: structured logs, one JSON object per line, with a level threshold.
 *
 * Every record has `time` (ISO 8601), `level` and `msg`, then the fields given. Values that JSON
 * cannot hold are written readably: a bigint as a decimal string, an Error as `{ name, code,
 * message }`. A record below the threshold costs one comparison. The sink is injected so tests
 * and the shell can capture records; the server writes them to standard output.
 */

/** Levels, least severe first. */
export const logLevels = ['debug', 'info', 'warn', 'error'] as const

/** A log level. */
export type LogLevel = (typeof logLevels)[number]

const rank: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 }

/** Fields of a record: anything JSON can carry, plus bigints and errors. */
export type LogFields = Readonly<Record<string, unknown>>

/** Options of {@link Logger}. */
export interface LoggerOptions {
  /** Records below this level are dropped. Default `info`. */
  readonly level?: LogLevel
  /** Where each line goes (without the newline). Default: standard output. */
  readonly sink?: (line: string) => void
  /** The clock. Default `Date.now`. */
  readonly now?: () => number
  /** Fields added to every record. */
  readonly fields?: LogFields
}

/**
 * Writes JSON log lines.
 *
 * @example
 * ```ts
 * const log = new Logger({ level: 'info' })
 * log.info('listening', { endpoint: 'tcp', host: '127.0.0.1', port: 2003 })
 * // {"time":"…","level":"info","msg":"listening","endpoint":"tcp",
 * //  "host":"127.0.0.1","port":2003}
 * ```
 */
export class Logger {
  readonly level: LogLevel
  readonly #sink: (line: string) => void
  readonly #now: () => number
  readonly #fields: LogFields

  /** @throws RangeError for an unknown level. */
  constructor(options: LoggerOptions = {}) {
    const level = options.level ?? 'info'
    if (!(level in rank)) throw new RangeError(`unknown log level ${String(level)}`)
    this.level = level
    this.#sink = options.sink ?? ((line) => process.stdout.write(`${line}\n`))
    this.#now = options.now ?? Date.now
    this.#fields = options.fields ?? {}
  }

  /** True when records of `level` are written. */
  enabled(level: LogLevel): boolean {
    return rank[level] >= rank[this.level]
  }

  /** A logger writing to the same sink with `fields` added to every record. */
  child(fields: LogFields): Logger {
    return new Logger({
      level: this.level,
      sink: this.#sink,
      now: this.#now,
      fields: { ...this.#fields, ...fields },
    })
  }

  debug(msg: string, fields?: LogFields): void {
    this.write('debug', msg, fields)
  }

  info(msg: string, fields?: LogFields): void {
    this.write('info', msg, fields)
  }

  warn(msg: string, fields?: LogFields): void {
    this.write('warn', msg, fields)
  }

  error(msg: string, fields?: LogFields): void {
    this.write('error', msg, fields)
  }

  /** Writes one record if `level` passes the threshold. */
  write(level: LogLevel, msg: string, fields: LogFields = {}): void {
    if (rank[level] < rank[this.level]) return
    const record = {
      time: new Date(this.#now()).toISOString(),
      level,
      msg,
      ...this.#fields,
      ...fields,
    }
    this.#sink(JSON.stringify(record, replacer))
  }
}

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code
    return { name: value.name, ...(code === undefined ? {} : { code }), message: value.message }
  }
  return value
}

/** A logger that drops everything (tests, library use). */
export const silentLogger = new Logger({ level: 'error', sink: () => {} })
