/**
 * What every server process must hear at once, carried by Redis pub/sub on one channel,
 * `<prefix>events`: each process publishes the events of clusterEvents.ts and hears every event
 * published, its own included. Two connections: one subscribed, one for commands (publishing, and
 * the shared counters of the sign-in limits). Redis going away never stops the process: a publish
 * fails at once (the caller has already done its own part locally), the connections reconnect with
 * backoff (redisClient.ts), and the channel is subscribed again.
 *
 * Pub/sub does not keep what was published while a process was not listening, so what the events
 * carry is re-derived from the store instead: every (re)subscription is announced to
 * `onSubscribed` listeners, which re-check what they hold; and a process whose publish failed
 * publishes a `recheck` event once it reaches Redis again, so that every process re-checks.
 */
import type { Redis } from 'ioredis'
import type { Logger } from '../logger'
import { type ClusterEvent, parseClusterEvent } from './clusterEvents'
import { closeRedis, openRedis } from './redisClient'

/** Shortest time between two log lines about failing counter commands. */
const FAILURE_LOG_INTERVAL_MS = 60_000

export class ClusterBus {
  /** The connection for commands (publishing, the shared counters); it never queues. */
  readonly commands: Redis
  private readonly subscriber: Redis
  private readonly channel: string
  private readonly eventListeners = new Set<(event: ClusterEvent) => void>()
  private readonly subscribedListeners = new Set<() => void>()
  private waiters: Array<() => void> = []
  private listening = false
  /** A publish failed since the last one that succeeded: the others may have missed an event. */
  private missed = false
  private closed = false
  private lastFailureLog = -Infinity

  /**
   * Connects to the Redis at `url` in the background (nothing waits for it) and subscribes to
   * `<prefix>events`; `prefix` also starts every key the counters use.
   */
  constructor(
    url: string,
    readonly prefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = `${prefix}events`
    this.commands = openRedis(url, 'commands', logger)
    this.subscriber = openRedis(url, 'events', logger)
    this.subscriber.on('ready', () => {
      void this.subscribe()
    })
    this.subscriber.on('close', () => {
      this.listening = false
    })
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message)
    })
    this.commands.on('ready', () => this.announceMissed())
  }

  /** True while the channel is subscribed: events published now reach this process. */
  get subscribed(): boolean {
    return this.listening
  }

  /** Resolves once the channel is subscribed (at once if it is). */
  whenSubscribed(): Promise<void> {
    if (this.listening) return Promise.resolve()
    return new Promise((resolve) => this.waiters.push(resolve))
  }

  /** Calls `listener` with every event heard, this process's own included. */
  onEvent(listener: (event: ClusterEvent) => void): void {
    this.eventListeners.add(listener)
  }

  /**
   * Calls `listener` each time the channel is subscribed: at the first connection and after every
   * reconnection, when events published meanwhile may have been missed.
   */
  onSubscribed(listener: () => void): void {
    this.subscribedListeners.add(listener)
  }

  /**
   * Publishes `event` to every process (this one included); false, logged, when Redis could not
   * take it: the others then re-check everything once this process reaches Redis again.
   */
  async publish(event: ClusterEvent): Promise<boolean> {
    if (this.closed) return false
    try {
      await this.commands.publish(this.channel, JSON.stringify(event))
    } catch (error) {
      if (!this.missed) {
        this.logger.warn(
          `redis: could not publish a ${event.kind} event (${(error as Error).message}); the other processes re-check once it is back`,
        )
      }
      this.missed = true
      return false
    }
    this.announceMissed()
    return true
  }

  /**
   * Logs that a shared counter's command failed (the caller counted locally instead), at most
   * once every FAILURE_LOG_INTERVAL_MS, so that an outage is one line, not one per request.
   */
  commandFailed(what: string, error: unknown): void {
    const now = Date.now()
    if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_MS) return
    this.lastFailureLog = now
    this.logger.warn(
      `redis: ${what} failed (${(error as Error).message}); counting on this process alone meanwhile`,
    )
  }

  /** Disconnects both connections at once; nothing is published or heard afterwards. */
  close(): void {
    if (this.closed) return
    this.closed = true
    this.listening = false
    closeRedis(this.subscriber)
    closeRedis(this.commands)
  }

  /** After a failed publish, asks every process to re-check (once Redis takes it). */
  private announceMissed(): void {
    if (!this.missed || this.closed) return
    this.missed = false
    void this.publish({ kind: 'recheck' })
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.channel)
    } catch (error) {
      if (this.closed) return
      // Connected but not subscribed: start the connection again rather than listen to nothing.
      this.logger.warn(`redis: subscribing failed (${(error as Error).message}); reconnecting`)
      this.subscriber.disconnect(true)
      return
    }
    if (this.closed) return
    this.listening = true
    for (const resolve of this.waiters.splice(0)) resolve()
    for (const listener of this.subscribedListeners) {
      try {
        listener()
      } catch (error) {
        this.logger.error({ err: error }, 'redis: a subscription listener failed')
      }
    }
  }

  private receive(message: string): void {
    const event = parseClusterEvent(message)
    if (!event) {
      this.logger.warn('redis: ignored a message on the events channel that is no event')
      return
    }
    for (const listener of this.eventListeners) {
      try {
        listener(event)
      } catch (error) {
        this.logger.error({ err: error }, `redis: handling a ${event.kind} event failed`)
      }
    }
  }
}
