/**
 * Exports and blacklines: DOCX (read back with a DOCX library; the blackline carries real w:ins and
 * w:del revisions), PDF (text extracted with poppler's pdftotext), HTML and Markdown (imported back
 * with the same text and numbering); observers export published iterations only.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { extractClauses } from '@onetext/shared/clauses'
import { markdownToDoc } from '@onetext/shared/markdown'
import JSZip from 'jszip'
import mammoth from 'mammoth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, startTestServer } from '../helpers/testServer'
import { appendToClause, connectClient, whenSynced } from '../helpers/yClient'

const N = 'lmp-1997'

describe('exports', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let mediator: string
  let observer: string
  let clauses: Array<{ id: string; number: string; heading: string; text: string }>

  async function get(
    path: string,
    token: string,
  ): Promise<{ status: number; type: string; body: Buffer }> {
    const response = await fetch(`${server.url}/api/negotiations/${N}${path}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      body: Buffer.from(await response.arrayBuffer()),
    }
  }

  beforeAll(async () => {
    server = await startTestServer()
    mediator = await login(server.url, 'mediator@demo.test')
    observer = await login(server.url, 'observer@demo.test')
    const post = (path: string, body: unknown) =>
      fetch(`${server.url}/api/negotiations/${N}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mediator}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    await post('/iterations', { note: 'one' })
    clauses = JSON.parse((await get('/iterations/1', mediator)).body.toString()).clauses
    const draft = connectClient(server.url, `${N}.draft`, mediator)
    await whenSynced(draft)
    appendToClause(draft.doc, clauses[2]?.id ?? '', ' Deadlocks go to the mediator.')
    await draft.tracker.whenSaved()
    draft.destroy()
    await post('/iterations', { note: 'two' })
    await post('/iterations/1/publish', { published: true })
  })

  afterAll(async () => {
    await server.close()
  })

  it('exports an iteration as DOCX that a DOCX library reads back', async () => {
    const docx = await get('/iterations/2/export?format=docx', mediator)
    expect(docx.status).toBe(200)
    expect(docx.type).toContain('wordprocessingml')
    const { value } = await mammoth.extractRawText({ buffer: docx.body })
    expect(value).toContain('3. Decision-Making')
    expect(value).toContain('Deadlocks go to the mediator.')
    expect(value).toContain('Health care services and the institutions that provide them')
  })

  it('exports Markdown that imports back with the same clauses, numbers and words', async () => {
    const md = await get('/iterations/2/export?format=md', mediator)
    const again = extractClauses(markdownToDoc(md.body.toString()))
    const original = JSON.parse((await get('/iterations/2', mediator)).body.toString())
      .clauses as typeof clauses
    expect(again.map(({ number, heading, text }) => ({ number, heading, text }))).toEqual(
      original.map(({ number, heading, text }) => ({ number, heading, text })),
    )
  })

  it('exports a PDF whose text a PDF tool extracts, and a standalone HTML page', async () => {
    const pdf = await get('/iterations/2/export?format=pdf', mediator)
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-')
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-pdf-')), 'text.pdf')
    fs.writeFileSync(file, pdf.body)
    const text = execFileSync('pdftotext', ['-layout', file, '-']).toString().replace(/\s+/g, ' ')
    expect(text).toContain('3. Decision-Making')
    expect(text).toContain('Deadlocks go to the mediator.')
    const html = (await get('/iterations/2/export?format=html', mediator)).body.toString()
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).toContain('<span class="clause-number">3.</span> Decision-Making')
  })

  it('writes a DOCX blackline with real tracked changes, and PDF and HTML blacklines', async () => {
    const docx = await get('/blackline?from=1&to=2&format=docx', mediator)
    expect(docx.status).toBe(200)
    const xml = await (await JSZip.loadAsync(docx.body)).file('word/document.xml')?.async('string')
    expect(xml).toMatch(/<w:ins [^>]*w:author="OneText"/)
    expect(xml).toContain('Deadlocks go to the mediator.')
    const html = (await get('/blackline?from=1&to=2&format=html', mediator)).body.toString()
    expect(html).toMatch(/<ins>[^<]*Deadlocks go to the mediator\.[^<]*<\/ins>/)
    const pdf = await get('/blackline?from=1&to=2&format=pdf', mediator)
    expect(pdf.body.subarray(0, 5).toString()).toBe('%PDF-')
  })

  it('keeps deletions as w:del', async () => {
    const docx = await get('/blackline?from=2&to=1&format=docx', mediator)
    const xml = await (await JSZip.loadAsync(docx.body)).file('word/document.xml')?.async('string')
    expect(xml).toMatch(
      /<w:del [^>]*>.*<w:delText[^>]*> Deadlocks go to the mediator\.<\/w:delText>/s,
    )
  })

  it('lets observers export published iterations only, and rejects unknown formats', async () => {
    expect((await get('/iterations/1/export?format=pdf', observer)).status).toBe(200)
    expect((await get('/iterations/2/export?format=pdf', observer)).status).toBe(404)
    expect((await get('/blackline?from=1&to=2&format=html', observer)).status).toBe(404)
    expect((await get('/iterations/1/export?format=exe', mediator)).status).toBe(400)
  })
})
