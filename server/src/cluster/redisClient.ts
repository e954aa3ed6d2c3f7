/**
 * One connection to Redis (ioredis) as the cluster uses it: it never queues a command while the
 * connection is down (the command fails at once and the caller carries on locally), fails a
 * command Redis has not answered within REDIS_COMMAND_TIMEOUT_MS, reconnects for ever with
 * backoff (REDIS_FIRST_RETRY_MS doubling to REDIS_MAX_RETRY_MS), and logs each outage once (a
 * warning when it goes, a line when it is back), never the URL (it may hold a password).
 */
import { Redis } from 'ioredis'
import type { Logger } from '../logger'

/** How long a command may wait for Redis's answer before it fails (and the caller goes local). */
export const REDIS_COMMAND_TIMEOUT_MS = 1_000
/** How long opening a connection may take. */
export const REDIS_CONNECT_TIMEOUT_MS = 5_000
/** The first wait before reconnecting; it doubles up to REDIS_MAX_RETRY_MS. */
export const REDIS_FIRST_RETRY_MS = 50
/** The longest wait between two attempts to reconnect. */
export const REDIS_MAX_RETRY_MS = 2_000

/** The wait before reconnect attempt `attempt` (1 for the first): doubling, capped. */
export function reconnectDelay(attempt: number): number {
  return Math.min(REDIS_FIRST_RETRY_MS * 2 ** Math.min(attempt - 1, 20), REDIS_MAX_RETRY_MS)
}

/**
 * Opens a connection to `url`, named `role` in the log and in Redis's CLIENT LIST. It connects in
 * the background: the caller listens for 'ready' (emitted again after every reconnection).
 */
export function openRedis(url: string, role: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    connectionName: `onetext-${role}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResubscribe: false,
    autoResendUnfulfilledCommands: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
    keepAlive: 10_000,
    retryStrategy: reconnectDelay,
  })
  let down = false
  redis.on('error', (error: Error) => {
    if (down) return
    down = true
    logger.warn(`redis (${role}) unreachable, carrying on locally: ${error.message}`)
  })
  redis.on('close', () => {
    if (down) return
    down = true
    logger.warn(`redis (${role}) connection closed, carrying on locally; reconnecting`)
  })
  redis.on('ready', () => {
    if (down) logger.info(`redis (${role}) connected again`)
    down = false
  })
  return redis
}

/** Closes `redis` at once, without reconnecting and without logging it as an outage. */
export function closeRedis(redis: Redis): void {
  redis.removeAllListeners('close')
  redis.removeAllListeners('error')
  redis.on('error', () => {})
  redis.disconnect(false)
}
