/**
 * E-mails each new activity entry to the members of its negotiation who chose its kind and may
 * read it under the access matrix (a local table is told of publications only), with a link to
 * the negotiation when PUBLIC_URL is set. Nobody else is mailed: not a member who chose nothing,
 * not a former member whose choice outlived their membership.
 */
import type { ActivityEntry } from '@onetext/shared/statusDoc'
import { commandAllowed } from '../access/commands'
import type { ActivityReaderStore } from '../storage/ActivityReaderStore'
import type { Directory } from '../storage/Directory'
import type { Mailer } from './Mailer'

export class ActivityMail {
  private readonly inFlight = new Set<Promise<void>>()

  constructor(
    private readonly directory: Directory,
    private readonly readers: ActivityReaderStore,
    private readonly mailer: Mailer,
    private readonly publicUrl: string | null,
  ) {}

  /**
   * Queues the messages for `entries`, new in negotiation `negotiationId` (in the background: a
   * failure to read the recipients is passed to `onError`).
   */
  notify(
    negotiationId: string,
    entries: readonly ActivityEntry[],
    onError: (error: unknown) => void,
  ): void {
    const work = this.queue(negotiationId, entries).catch(onError)
    this.inFlight.add(work)
    void work.finally(() => this.inFlight.delete(work))
  }

  /** Resolves once every entry notified so far has been mailed (or given up on). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight)
    await this.mailer.idle()
  }

  private async queue(negotiationId: string, entries: readonly ActivityEntry[]): Promise<void> {
    if (entries.length === 0) return
    const negotiation = await this.directory.findNegotiation(negotiationId)
    if (!negotiation) return
    const members = new Map(
      (await this.directory.listMembers(negotiationId)).map((member) => [member.userId, member]),
    )
    const link = this.publicUrl
      ? `\n\nOpen the negotiation: ${this.publicUrl}/negotiations/${encodeURIComponent(negotiationId)}`
      : ''
    for (const entry of entries) {
      for (const userId of await this.readers.mailedAbout(negotiationId, entry.kind)) {
        const member = members.get(userId)
        if (!member) continue
        if (entry.kind !== 'published' && !commandAllowed(member, 'read-unpublished')) continue
        this.mailer.send(
          {
            to: member.email,
            subject: `${negotiation.title}: ${entry.text}`,
            text: `${entry.text}\n\n${negotiation.title}, ${new Date(entry.at).toUTCString()}.${link}\n\nYou chose to be e-mailed about this in the negotiation's Activity panel; change it there.`,
          },
          negotiationId,
        )
      }
    }
  }
}
