/**
 * `POST /api/negotiations`: an organizer (ORGANIZERS, or the demo's mediator) starts a negotiation
 * whose starting single text is imported from Markdown or a .docx file (each read straight into
 * the clause tree), and becomes its mediator.
 */
import { randomBytes } from 'node:crypto'
import { ensureClauseIds, randomClauseId } from '@onetext/shared/clauses'
import { formatDocumentName } from '@onetext/shared/documentNames'
import { markdownToDoc } from '@onetext/shared/markdown'
import { partyPaletteColor } from '@onetext/shared/partyPalette'
import type { JSONContent } from '@tiptap/core'
import type { FastifyInstance } from 'fastify'
import { docxToDoc } from '../export/docxImport'
import { documentStateFromJson } from '../negotiation/draftState'
import type { DocumentStore } from '../storage/DocumentStore'
import type { AppContext } from './AppContext'
import { addRoute } from './addRoute'
import { HttpError } from './HttpError'

function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
}

/** Adds the route. */
export function addCreateNegotiationRoute(
  server: FastifyInstance,
  app: AppContext,
  store: DocumentStore,
): void {
  addRoute(server, 'POST /api/negotiations', async ({ body, asker }) => {
    const user = await app.policy.organizer(asker)
    const title = body.title.trim()
    if (title === '') throw new HttpError(400, 'invalid-body', '"title" must not be blank.')
    let json: JSONContent
    if (body.format === 'md') json = markdownToDoc(body.content)
    else {
      try {
        json = await docxToDoc(Buffer.from(body.content, 'base64'))
      } catch (error) {
        if (!(error instanceof RangeError)) throw error
        throw new HttpError(400, 'unreadable-file', error.message)
      }
    }

    ensureClauseIds(json, randomClauseId)
    const id = `${slug(title) || 'negotiation'}-${randomBytes(3).toString('hex')}`
    const used = new Set<string>()
    const parties = body.parties.map((name, index) => {
      let partyId = slug(name) || `party-${index + 1}`
      while (used.has(partyId)) partyId = `${partyId}-${index + 1}`
      used.add(partyId)
      return { id: partyId, name: name.trim(), color: partyPaletteColor(index) }
    })
    await app.directory.createNegotiation({ id, title }, parties)
    await app.directory.putMember({
      negotiationId: id,
      userId: user.id,
      role: 'mediator',
      partyId: null,
    })
    await store.compact(
      formatDocumentName({ negotiationId: id, kind: 'draft' }),
      documentStateFromJson(json),
      0,
    )
    app.audit.record({
      action: 'member-joined',
      negotiationId: id,
      userId: user.id,
      email: user.email,
      address: asker.address,
      detail: { created: true, role: 'mediator', format: body.format },
    })
    return { id, title, parties }
  })
}
