/**
 * Exports: an iteration as DOCX, PDF, HTML or Markdown, and a blackline of iteration M against N as
 * DOCX (real tracked changes), PDF or HTML. The access matrix holds: observers may export published
 * iterations only. Answers carry Content-Length, so a client can show download progress.
 */
import type { ServerResponse } from 'node:http'
import { diffClauses } from '@onetext/shared/clauseDiff'
import { documentBlocks } from '../export/documentBlocks'
import { blacklineDocx, blocksToDocx } from '../export/docxExport'
import { blacklineHtml, htmlPage } from '../export/htmlExport'
import { blacklinePdf, blocksToPdf } from '../export/pdfExport'
import type { NegotiationServices } from '../negotiation/NegotiationServices'
import type { AppContext } from './AppContext'
import { HttpError } from './json'
import type { RouteContext, Router } from './Router'
import { requireMember } from './requestAuth'

const TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
} as const
type Format = keyof typeof TYPES

function format(context: RouteContext, allowed: readonly Format[]): Format {
  const value = context.url.searchParams.get('format') ?? ''
  if (!(allowed as readonly string[]).includes(value)) {
    throw new HttpError(400, 'invalid-format', `"format" must be one of ${allowed.join(', ')}.`)
  }
  return value as Format
}

function send(
  response: ServerResponse,
  kind: Format,
  fileName: string,
  body: Buffer | string,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  response.writeHead(200, {
    'content-type': TYPES[kind],
    'content-length': bytes.byteLength,
    'content-disposition': `attachment; filename="${fileName}.${kind}"`,
    'cache-control': 'no-store',
  })
  response.end(bytes)
}

function iterationNumber(raw: string | null | undefined): number {
  const number = Number(raw)
  if (!Number.isInteger(number) || number < 1)
    throw new HttpError(404, 'not-found', 'There is no such iteration.')
  return number
}

/** Adds the export routes to `router`. */
export function addExportRoutes(
  router: Router,
  app: AppContext,
  services: NegotiationServices,
): void {
  async function visibleIteration(
    context: RouteContext,
    negotiationId: string,
    raw: string | null | undefined,
  ) {
    const { member } = await requireMember(app, context, negotiationId)
    const record = await services.iterations.get(negotiationId, iterationNumber(raw))
    if (member.role === 'observer' && !record.published)
      throw new HttpError(404, 'not-found', 'There is no such iteration.')
    return record
  }

  router.add('GET', '/api/negotiations/:id/iterations/:n/export', async (context) => {
    const negotiationId = context.params.id ?? ''
    const kind = format(context, ['docx', 'pdf', 'html', 'md'])
    const record = await visibleIteration(context, negotiationId, context.params.n)
    const negotiation = await app.directory.findNegotiation(negotiationId)
    const title = `${negotiation?.title ?? negotiationId} - Single Text ${record.number}`
    const fileName = `${negotiationId}-single-text-${record.number}`
    if (kind === 'md') return send(context.response, kind, fileName, record.markdown)
    if (kind === 'html') return send(context.response, kind, fileName, htmlPage(title, record.html))
    const blocks = documentBlocks(record.doc)
    const bytes =
      kind === 'docx' ? await blocksToDocx(title, blocks) : await blocksToPdf(title, blocks)
    send(context.response, kind, fileName, bytes)
  })

  router.add('GET', '/api/negotiations/:id/blackline', async (context) => {
    const negotiationId = context.params.id ?? ''
    const kind = format(context, ['docx', 'pdf', 'html'])
    const from = await visibleIteration(
      context,
      negotiationId,
      context.url.searchParams.get('from'),
    )
    const to = await visibleIteration(context, negotiationId, context.url.searchParams.get('to'))
    const negotiation = await app.directory.findNegotiation(negotiationId)
    const title = `${negotiation?.title ?? negotiationId} - Single Text ${to.number} against ${from.number}`
    const clauses = diffClauses(from.clauses, to.clauses)
    const fileName = `${negotiationId}-blackline-${from.number}-${to.number}`
    if (kind === 'html')
      return send(context.response, kind, fileName, blacklineHtml(title, clauses))
    const bytes =
      kind === 'docx'
        ? await blacklineDocx(title, clauses, 'OneText')
        : await blacklinePdf(title, clauses)
    send(context.response, kind, fileName, bytes)
  })
}
