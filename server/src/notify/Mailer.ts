/**
 * Outgoing e-mail through SMTP (`SMTP_URL`). Messages wait in a bounded line and go out at most
 * {@link MAIL_CONCURRENCY} at a time; a message the SMTP server does not take is tried again with
 * backoff, up to {@link MAIL_ATTEMPTS} times, then logged and dropped. E-mail is a courtesy: the
 * activity feed is the record, so a message lost when the server stops costs no one anything they
 * cannot read in the page.
 */

import nodemailer, { type Transporter } from 'nodemailer'
import type { Logger } from '../logger'

/** Tries per message before it is dropped. */
export const MAIL_ATTEMPTS = 4
/** Delay before the first retry of a message; doubles with each. */
export const FIRST_MAIL_RETRY_MS = 1_000
/** Messages sent at once. */
export const MAIL_CONCURRENCY = 2
/** Messages waiting at most; more are dropped (and logged) until the line shortens. */
export const MAX_QUEUED_MAILS = 10_000
/** Messages of one group (a negotiation) waiting at most, so that one cannot crowd out the rest. */
export const MAX_QUEUED_MAILS_PER_GROUP = 1_000
/** How long a stop waits for the messages being sent before dropping them. */
export const MAIL_STOP_WAIT_MS = 5_000
/** How long one SMTP connection may take to open, greet, and stay silent (each). */
export const SMTP_TIMEOUT_MS = 15_000

/** One plain-text message. */
export interface MailMessage {
  to: string
  subject: string
  text: string
}

interface Waiting {
  message: MailMessage
  group: string
  attempt: number
}

export class Mailer {
  private readonly transport: Transporter
  private readonly waiting: Waiting[] = []
  private readonly retries = new Set<NodeJS.Timeout>()
  private active = 0
  private closed = false
  private idleWaiters: Array<() => void> = []
  /** Messages waiting or due for a retry, per group. */
  private readonly perGroup = new Map<string, number>()

  /** `url` is an smtp:// or smtps:// URL (config.ts checks it); `from` the sender. */
  constructor(
    url: string,
    private readonly from: string,
    private readonly log: Logger,
  ) {
    this.transport = nodemailer.createTransport({
      url,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    })
  }

  /** Queues a message of `group` (a negotiation's id); never throws. */
  send(message: MailMessage, group: string): void {
    if (this.closed) return
    const queued = this.perGroup.get(group) ?? 0
    if (this.waiting.length >= MAX_QUEUED_MAILS || queued >= MAX_QUEUED_MAILS_PER_GROUP) {
      this.log.warn({ to: message.to, group }, 'mail: the line is full; message dropped')
      return
    }
    this.perGroup.set(group, queued + 1)
    this.waiting.push({ message, group, attempt: 1 })
    this.pump()
  }

  /** Resolves once no message is waiting, being sent or due for a retry. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /**
   * Stops: waiting messages and retries are dropped; messages being sent get up to
   * {@link MAIL_STOP_WAIT_MS} to finish.
   */
  async close(): Promise<void> {
    this.closed = true
    for (const timer of this.retries) clearTimeout(timer)
    this.retries.clear()
    const dropped = this.waiting.splice(0).length
    this.perGroup.clear()
    if (dropped > 0) this.log.warn({ dropped }, 'mail: stopping; waiting messages dropped')
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      this.idle(),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, MAIL_STOP_WAIT_MS)
      }),
    ])
    clearTimeout(timer)
    this.transport.close()
  }

  private isIdle(): boolean {
    return this.active === 0 && this.waiting.length === 0 && this.retries.size === 0
  }

  private pump(): void {
    while (this.active < MAIL_CONCURRENCY && this.waiting.length > 0) {
      const next = this.waiting.shift()
      if (next) void this.deliver(next)
    }
    if (this.isIdle()) {
      const waiters = this.idleWaiters
      this.idleWaiters = []
      for (const resolve of waiters) resolve()
    }
  }

  private done(group: string): void {
    const left = (this.perGroup.get(group) ?? 1) - 1
    if (left > 0) this.perGroup.set(group, left)
    else this.perGroup.delete(group)
  }

  private async deliver(item: Waiting): Promise<void> {
    this.active++
    try {
      await this.transport.sendMail({ from: this.from, ...item.message })
      this.done(item.group)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      if (item.attempt >= MAIL_ATTEMPTS || this.closed) {
        this.done(item.group)
        this.log.warn({ to: item.message.to, reason }, 'mail: not sent; message dropped')
      } else {
        this.log.info({ to: item.message.to, reason, attempt: item.attempt }, 'mail: retrying')
        const timer = setTimeout(
          () => {
            this.retries.delete(timer)
            this.waiting.push({ ...item, attempt: item.attempt + 1 })
            this.pump()
          },
          FIRST_MAIL_RETRY_MS * 2 ** (item.attempt - 1),
        )
        timer.unref()
        this.retries.add(timer)
      }
    } finally {
      this.active--
      this.pump()
    }
  }
}
