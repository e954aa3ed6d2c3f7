/**
 * `POST /api/negotiations`: starts a negotiation whose starting single text is imported from
 * Markdown or a .docx file. The caller becomes its mediator.
 */
import { randomBytes } from 'node:crypto'
import { ensureClauseIds, randomClauseId } from '@onetext/shared/clauses'
import { formatDocumentName } from '@onetext/shared/documentNames'
import { MAX_IMPORT_BODY_BYTES, MAX_PARTIES } from '@onetext/shared/limits'
import { markdownToDoc } from '@onetext/shared/markdown'
import { docxToMarkdown } from '../export/importText'
import { documentStateFromJson } from '../negotiation/draftState'
import type { DocumentStore } from '../storage/DocumentStore'
import type { AppContext } from './AppContext'
import { HttpError, readJsonBody, requireString, sendJson } from './json'
import type { Router } from './Router'
import { clientAddress, requireUser } from './requestAuth'

const PALETTE = [
  '#b42318',
  '#1d4ed8',
  '#047857',
  '#7c3aed',
  '#b45309',
  '#0e7490',
  '#be185d',
  '#4d7c0f',
  '#1e40af',
  '#9f1239',
  '#065f46',
  '#6d28d9',
]

function slug(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
}

/** Adds the route to `router`. */
export function addCreateNegotiationRoute(
  router: Router,
  app: AppContext,
  store: DocumentStore,
): void {
  router.add('POST', '/api/negotiations', async (context) => {
    const user = await requireUser(app, context)
    const body = await readJsonBody(context.request, MAX_IMPORT_BODY_BYTES)
    const title = requireString(body, 'title', 300).trim()
    const partyNames = Array.isArray(body.parties) ? body.parties : []
    if (
      partyNames.length < 2 ||
      partyNames.length > MAX_PARTIES ||
      !partyNames.every(
        (name) => typeof name === 'string' && name.trim() !== '' && name.length <= 100,
      )
    ) {
      throw new HttpError(400, 'invalid-body', `"parties" must name 2 to ${MAX_PARTIES} parties.`)
    }
    const format = body.format
    const content = requireString(body, 'content', MAX_IMPORT_BODY_BYTES)
    let markdown: string
    if (format === 'md') markdown = content
    else if (format === 'docx') {
      try {
        markdown = await docxToMarkdown(Buffer.from(content, 'base64'))
      } catch (error) {
        throw new HttpError(
          400,
          'unreadable-file',
          error instanceof Error ? error.message : String(error),
        )
      }
    } else throw new HttpError(400, 'invalid-body', '"format" must be "md" or "docx".')

    const json = markdownToDoc(markdown)
    ensureClauseIds(json, randomClauseId)
    const id = `${slug(title) || 'negotiation'}-${randomBytes(3).toString('hex')}`
    const used = new Set<string>()
    const parties = (partyNames as string[]).map((name, index) => {
      let partyId = slug(name) || `party-${index + 1}`
      while (used.has(partyId)) partyId = `${partyId}-${index + 1}`
      used.add(partyId)
      return { id: partyId, name: name.trim(), color: PALETTE[index % PALETTE.length] as string }
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
      address: clientAddress(context.request),
      detail: { created: true, role: 'mediator', format },
    })
    sendJson(context.response, 201, { id, title, parties })
  })
}
