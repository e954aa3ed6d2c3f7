/**
 * Exports and blacklines: DOCX (read back with a DOCX library; the blackline carries real w:ins and
 * w:del revisions; clause headings carry Word's outline level of their depth), PDF (text extracted
 * with poppler's pdftotext), HTML (clauses nested as sections with their ids), Markdown (imported
 * back with the same text and numbering) and Akoma Ntoso (well-formed, nested as the clause tree);
 * observers export published iterations only. An iteration's clause tree, and the working draft's
 * for those who may open the draft.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type ClauseTreeEntry, extractClauses } from '@onetext/shared/clauses'
import { markdownToDoc } from '@onetext/shared/markdown'
import JSZip from 'jszip'
import mammoth from 'mammoth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { login, startTestServer } from '../helpers/testServer'
import { childElements, childNamed, parseXml, type XmlElement } from '../helpers/xmlParser'
import { appendToClause, connectClient, whenSynced } from '../helpers/yClient'

const N = 'lmp-1997'

/** A text four clauses deep, with words that are markup. */
const DEEP_TEXT = [
  '# Deep & <Nested> "Agreement"',
  'Preamble words.',
  '## Scope <script>alert(1)</script>',
  'Scope body & more.',
  '### Coverage',
  '#### Employees',
  '##### Full time',
  'Full-time words.',
  '##### Part time',
  '### Exclusions',
  '## Term',
  'Term words.',
].join('\n\n')

/** The tree's entries in document order, a parent before its children. */
function flatten(tree: readonly ClauseTreeEntry[]): ClauseTreeEntry[] {
  return tree.flatMap((entry) => [entry, ...flatten(entry.children)])
}

/** The depth of each entry of a tree, in document order. */
function depths(tree: readonly ClauseTreeEntry[], depth = 1): number[] {
  return tree.flatMap((entry) => [depth, ...depths(entry.children, depth + 1)])
}

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

  it('answers an iteration with its clauses flat and as a tree, the same clauses', async () => {
    const body = JSON.parse((await get('/iterations/2', mediator)).body.toString()) as {
      clauses: typeof clauses
      tree: ClauseTreeEntry[]
    }
    expect(body.tree.length).toBeGreaterThan(0)
    expect(flatten(body.tree).map(({ id, number, heading }) => ({ id, number, heading }))).toEqual(
      body.clauses.map(({ id, number, heading }) => ({ id, number, heading })),
    )
  })

  it('lets observers export published iterations only, and rejects unknown formats', async () => {
    expect((await get('/iterations/1/export?format=pdf', observer)).status).toBe(200)
    expect((await get('/iterations/2/export?format=pdf', observer)).status).toBe(404)
    expect((await get('/blackline?from=1&to=2&format=html', observer)).status).toBe(404)
    expect((await get('/iterations/1/export?format=exe', mediator)).status).toBe(400)
  })

  describe('a text four clauses deep', () => {
    let deepId: string
    let tree: ClauseTreeEntry[]

    async function getDeep(path: string, token: string) {
      const response = await fetch(`${server.url}/api/negotiations/${deepId}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      })
      return {
        status: response.status,
        type: response.headers.get('content-type') ?? '',
        disposition: response.headers.get('content-disposition') ?? '',
        body: Buffer.from(await response.arrayBuffer()),
      }
    }

    beforeAll(async () => {
      const created = await fetch(`${server.url}/api/negotiations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mediator}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: 'Deep <b>"talks"</b> & co',
          parties: ['One', 'Two'],
          format: 'md',
          content: DEEP_TEXT,
        }),
      })
      expect(created.status).toBe(201)
      deepId = ((await created.json()) as { id: string }).id
      const circulated = await fetch(`${server.url}/api/negotiations/${deepId}/iterations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mediator}`, 'content-type': 'application/json' },
        body: JSON.stringify({ note: 'deep' }),
      })
      expect(circulated.status).toBe(201)
      tree = JSON.parse((await getDeep('/iterations/1', mediator)).body.toString()).tree
    })

    it('gives the iteration its tree: numbers by depth, every clause with an id', () => {
      expect(flatten(tree).map((entry) => entry.number)).toEqual([
        '1',
        '1.1',
        '1.1(a)',
        '1.1(a)(i)',
        '1.1(a)(ii)',
        '1.2',
        '2',
      ])
      expect(depths(tree)).toEqual([1, 2, 3, 4, 4, 2, 1])
      expect(flatten(tree).every((entry) => /^[A-Za-z0-9_-]+$/.test(entry.id))).toBe(true)
      expect(tree[0]?.heading).toBe('Scope <script>alert(1)</script>')
    })

    it('exports DOCX whose clause headings carry the outline level of their depth', async () => {
      const docx = await getDeep('/iterations/1/export?format=docx', mediator)
      expect(docx.status).toBe(200)
      const zip = await JSZip.loadAsync(docx.body)
      const xml = (await zip.file('word/document.xml')?.async('string')) ?? ''
      const levels = [...xml.matchAll(/<w:pPr>(?:(?!<\/w:pPr>).)*<\/w:pPr>/gs)]
        .map((match) => ({
          style: /<w:pStyle w:val="(Heading\d)"\/>/.exec(match[0])?.[1],
          outline: /<w:outlineLvl w:val="(\d)"\/>/.exec(match[0])?.[1],
        }))
        .filter((paragraph) => paragraph.style !== undefined)
      expect(levels).toEqual(
        depths(tree).map((depth) => ({ style: `Heading${depth}`, outline: String(depth - 1) })),
      )
      const styles = (await zip.file('word/styles.xml')?.async('string')) ?? ''
      expect(styles).toMatch(/w:styleId="Heading4"(?:(?!<\/w:style>).)*<w:outlineLvl w:val="3"\/>/s)
      const { value } = await mammoth.extractRawText({ buffer: docx.body })
      expect(value).toContain('1.1(a)(ii). Part time')
    })

    it('exports Akoma Ntoso XML, well-formed and nested as the clause tree', async () => {
      const akn = await getDeep('/iterations/1/export?format=akn', mediator)
      expect(akn.status).toBe(200)
      expect(akn.type).toMatch(/^application\/akn\+xml/)
      expect(akn.disposition).toMatch(/attachment; filename="[^"]+-single-text-1\.akn\.xml"/)
      const root = parseXml(akn.body.toString('utf8'))
      expect(root.localName).toBe('akomaNtoso')
      expect(root.namespaceURI).toBe('http://docs.oasis-open.org/legaldocml/ns/akn/3.0')
      const act = childNamed(root, 'act') as XmlElement
      const nested = (node: XmlElement): unknown[] =>
        childElements(node)
          .filter((child) => ['article', 'paragraph', 'point'].includes(child.localName))
          .map((child) => ({
            id: child.getAttribute('GUID'),
            number: childNamed(child, 'num')?.textContent,
            heading: childNamed(child, 'heading')?.textContent,
            children: nested(child),
          }))
      const expected = (entries: readonly ClauseTreeEntry[]): unknown[] =>
        entries.map(({ id, number, heading, children }) => ({
          id,
          number,
          heading,
          children: expected(children),
        }))
      expect(nested(childNamed(act, 'body') as XmlElement)).toEqual(expected(tree))
      const eIds = [...akn.body.toString('utf8').matchAll(/ eId="([^"]+)"/g)].map((m) => m[1])
      expect(new Set(eIds).size).toBe(eIds.length)
      expect(childNamed(act, 'preamble')?.textContent?.trim()).toBe('Preamble words.')
    })

    it('exports HTML whose clauses are nested sections with their ids', async () => {
      const html = (await getDeep('/iterations/1/export?format=html', mediator)).body.toString()
      // Each clause's section holds its children's: read the sections' nesting back.
      const opened: string[] = []
      const parents = new Map<string, string | null>()
      for (const match of html.matchAll(
        /<section class="clause" data-clause-id="([^"]+)">|<\/section>/g,
      )) {
        if (match[1]) {
          parents.set(match[1], opened.at(-1) ?? null)
          opened.push(match[1])
        } else opened.pop()
      }
      const treeParents = new Map<string, string | null>()
      const walk = (entries: readonly ClauseTreeEntry[], parent: string | null) => {
        for (const entry of entries) {
          treeParents.set(entry.id, parent)
          walk(entry.children, entry.id)
        }
      }
      walk(tree, null)
      expect(parents).toEqual(treeParents)
      expect(html).toContain('<h5><span class="clause-number">1.1(a)(i).</span> Full time</h5>')
      expect(html).not.toContain('<script>')
    })
  })

  describe('the working draft’s clause tree', () => {
    it('answers the mediator and the drafting team with the tree and its ids', async () => {
      const drafter = await login(server.url, 'drafter@demo.test')
      for (const token of [mediator, drafter]) {
        const answer = await get('/draft/clauses', token)
        expect(answer.status).toBe(200)
        const { tree } = JSON.parse(answer.body.toString()) as { tree: ClauseTreeEntry[] }
        expect(flatten(tree).map(({ id, number }) => ({ id, number }))).toEqual(
          clauses.map(({ id, number }) => ({ id, number })),
        )
        expect(flatten(tree).find((entry) => entry.number === '3')?.heading).toBe('Decision-Making')
      }
    })

    it('refuses parties and local tables as the draft refuses them, and non-members with 404', async () => {
      const member = await login(server.url, 'labor.member@demo.test')
      const lead = await login(server.url, 'labor.lead@demo.test')
      for (const token of [member, lead, observer]) {
        expect((await get('/draft/clauses', token)).status).toBe(403)
      }
      const missing = await fetch(`${server.url}/api/negotiations/no-such-talks/draft/clauses`, {
        headers: { authorization: `Bearer ${mediator}` },
      })
      expect(missing.status).toBe(404)
      const anonymous = await fetch(`${server.url}/api/negotiations/${N}/draft/clauses`)
      expect(anonymous.status).toBe(401)
    })

    it('answers the parties while open drafting lets them read the draft', async () => {
      const member = await login(server.url, 'labor.member@demo.test')
      const setOpenDrafting = async (openDrafting: boolean) => {
        const response = await fetch(`${server.url}/api/negotiations/${N}/settings`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${mediator}`, 'content-type': 'application/json' },
          body: JSON.stringify({ openDrafting }),
        })
        expect(response.status).toBe(200)
      }
      await setOpenDrafting(true)
      try {
        expect((await get('/draft/clauses', member)).status).toBe(200)
        expect((await get('/draft/clauses', observer)).status).toBe(403)
      } finally {
        await setOpenDrafting(false)
      }
      expect((await get('/draft/clauses', member)).status).toBe(403)
    })
  })
})
