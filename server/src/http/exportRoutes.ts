/**
 * Exports: an iteration as DOCX, PDF, HTML, Markdown or Akoma Ntoso XML, and a blackline of
 * iteration M against N as DOCX (real tracked changes), PDF or HTML. Observers may export published
 * iterations only (as they may read them). Answers carry Content-Length, so a client can show
 * download progress. HTML and XML are rendered from the iteration's document at export time,
 * escaping every text and attribute.
 */
import { diffClauses } from '@onetext/shared/clauseDiff'
import { docToHtml } from '@onetext/shared/render'
import type { FastifyInstance } from 'fastify'
import { docToAkomaNtoso } from '../export/aknExport'
import { documentBlocks } from '../export/documentBlocks'
import { blacklineDocx, blocksToDocx } from '../export/docxExport'
import { blacklineHtml, htmlPage } from '../export/htmlExport'
import { blacklinePdf, blocksToPdf } from '../export/pdfExport'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { addRoute, FileAnswer } from './addRoute'
import { readableIteration } from './iterationRoutes'

/** Each format's content type and file name extension. */
const FORMATS = {
  docx: {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    extension: 'docx',
  },
  pdf: { type: 'application/pdf', extension: 'pdf' },
  html: { type: 'text/html; charset=utf-8', extension: 'html' },
  md: { type: 'text/markdown; charset=utf-8', extension: 'md' },
  akn: { type: 'application/akn+xml; charset=utf-8', extension: 'akn.xml' },
} as const
type Format = keyof typeof FORMATS

function file(kind: Format, name: string, body: Buffer | string): FileAnswer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  return new FileAnswer(FORMATS[kind].type, `${name}.${FORMATS[kind].extension}`, bytes)
}

/** Adds the export routes. */
export function addExportRoutes(
  server: FastifyInstance,
  app: AppContext,
  services: NegotiationServices,
): void {
  addRoute(
    server,
    'GET /api/negotiations/:id/iterations/:n/export',
    async ({ params, query, asker }) => {
      const kind = query.format as Format
      const record = await readableIteration(app, services, asker, params.id, params.n)
      const negotiation = await app.directory.findNegotiation(params.id)
      const title = `${negotiation?.title ?? params.id} - Single Text ${record.number}`
      const name = `${params.id}-single-text-${record.number}`
      if (kind === 'md') return file(kind, name, record.markdown)
      if (kind === 'html') return file(kind, name, htmlPage(title, docToHtml(record.doc)))
      if (kind === 'akn') {
        const first = (await services.iterations.list(params.id))[0]
        const xml = docToAkomaNtoso(record.doc, {
          negotiationId: params.id,
          negotiationTitle: negotiation?.title ?? params.id,
          iteration: record.number,
          circulatedAt: record.createdAt,
          firstCirculatedAt: first?.createdAt ?? record.createdAt,
          exportedAt: Date.now(),
        })
        return file(kind, name, xml)
      }
      const blocks = documentBlocks(record.doc)
      const bytes =
        kind === 'docx' ? await blocksToDocx(title, blocks) : await blocksToPdf(title, blocks)
      return file(kind, name, bytes)
    },
  )

  addRoute(server, 'GET /api/negotiations/:id/blackline', async ({ params, query, asker }) => {
    const kind = query.format as Format
    const from = await readableIteration(app, services, asker, params.id, query.from)
    const to = await readableIteration(app, services, asker, params.id, query.to)
    const negotiation = await app.directory.findNegotiation(params.id)
    const title = `${negotiation?.title ?? params.id} - Single Text ${to.number} against ${from.number}`
    const clauses = diffClauses(from.clauses, to.clauses)
    const name = `${params.id}-blackline-${from.number}-${to.number}`
    if (kind === 'html') return file(kind, name, blacklineHtml(title, clauses))
    const bytes =
      kind === 'docx'
        ? await blacklineDocx(title, clauses, 'OneText')
        : await blacklinePdf(title, clauses)
    return file(kind, name, bytes)
  })
}
