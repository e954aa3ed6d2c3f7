/**
 * A real SMTP server (the smtp-server package) on a port of its own, for tests of the e-mail the
 * server sends: it takes every message and keeps it readable (headers unfolded, quoted-printable
 * soft line breaks joined), and can turn a recipient away once (a temporary failure).
 */
import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/** A message as received. */
export interface ReceivedMail {
  to: string[]
  data: string
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`. */
  readonly url: string
  /** Messages received so far, oldest first (tests may take them out). */
  readonly received: ReceivedMail[]
  /** Turns the next message to `address` away with a temporary failure (451). */
  refuseOnce(address: string): void
  /** How many turn-aways are still to come. */
  readonly refusalsLeft: number
  close(): Promise<void>
}

/** Starts a sink on 127.0.0.1, port 0. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = []
  const refusals = new Set<string>()
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refusals.delete(address.address)) {
        callback(Object.assign(new Error('mailbox busy, try again'), { responseCode: 451 }))
        return
      }
      callback()
    },
    onData(stream, session, callback) {
      let data = ''
      stream.setEncoding('utf8')
      stream.on('data', (chunk: string) => {
        data += chunk
      })
      stream.on('end', () => {
        const readable = data.replace(/\r\n[ \t]+/g, ' ').replace(/=\r\n/g, '')
        received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), data: readable })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve))
  const { port } = smtp.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    refuseOnce: (address) => refusals.add(address),
    get refusalsLeft() {
      return refusals.size
    },
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  }
}
