/**
 * The server's structured log: pino, one JSON object a line on stdout, at LOG_LEVEL (default
 * `info`). Every HTTP request's lines carry its `reqId`, every websocket connection's its `connId`.
 * The audit log (storage/AuditLog.ts) stays the record of who did what; this log is for operators.
 */
import pino, { type DestinationStream, type LevelWithSilent, type Logger } from 'pino'

/** The log levels LOG_LEVEL accepts. */
export const LOG_LEVELS: readonly LevelWithSilent[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
]

/** Reads LOG_LEVEL (default `info`); a RangeError for a level pino does not know. */
export function readLogLevel(value: string | undefined): LevelWithSilent {
  if (value === undefined || value === '') return 'info'
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new RangeError(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(value)}`,
    )
  }
  return value as LevelWithSilent
}

/** A logger at `level` writing to `destination` (default stdout). */
export function createLogger(level: LevelWithSilent, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'onetext' },
      // Never log credentials, should a request or its headers be logged whole.
      redact: [
        'req.headers.authorization',
        'req.headers.cookie',
        'headers.authorization',
        'headers.cookie',
      ],
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  )
}

export type { Logger }
