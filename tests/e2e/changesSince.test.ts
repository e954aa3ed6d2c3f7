/**
 * Before circulating, the mediator reviews the changes since Single Text 1 in the browser: an
 * accepted suggestion's change names its party, author, iteration and who accepted it (the
 * suggestion's id in its tooltip); the mediator's own edits say so, a format change says what
 * changed on which words, and no change's words run into the words around it or its provenance.
 */
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { screenshot, seriousAxeViolations } from '../helpers/browser'
import { useBrowserSuite } from '../helpers/browserSuite'
import { clauseAt, edit, textPosition, uniqueWords } from '../helpers/suggestionEdits'
import { signInDemo } from '../helpers/testServer'
import { connectClient, waitForDoc, whenSynced } from '../helpers/yClient'

const N = 'lmp-1997'
const schema = getDocumentSchema()

describe('changes since Single Text N', () => {
  const suite = useBrowserSuite()

  it('shows the mediator each change with its provenance before circulating', async () => {
    const server = suite.server
    const mediator = await signInDemo(server.url, 'mediator')
    const lead = await signInDemo(server.url, 'labor.lead')
    const member = await signInDemo(server.url, 'labor.member')
    const api = <T>(method: string, path: string, token: string, body?: unknown) =>
      callApi<T>(server.url, method, `/api/negotiations/${N}${path}`, token, body)
    expect((await api('POST', '/iterations', mediator.token, { note: 'One' })).status).toBe(201)

    const draft = connectClient(server.url, `${N}.draft`, mediator.token)
    await whenSynced(draft)
    const text = yXmlFragmentToProseMirrorRootNode(draft.fragment, schema)
    const clauses: Array<{ id: string; words: string[] }> = []
    text.descendants((node) => {
      if (node.type.name !== CLAUSE_NODE) return true
      const id = String(node.attrs[CLAUSE_ID_ATTRIBUTE])
      const words = uniqueWords(text, id)
      if (words.length >= 3) clauses.push({ id, words })
      return true
    })
    const [accepted, own] = clauses as [
      { id: string; words: string[] },
      { id: string; words: string[] },
    ]

    const copy = connectClient(server.url, `${N}.suggest.labor.1`, member.token)
    await whenSynced(copy)
    await waitForDoc(copy.doc, (doc) => doc.getXmlFragment(RICH_TEXT_FIELD).length > 0)
    edit(copy, (tr) => {
      tr.insert(
        textPosition(tr.doc, accepted.id, accepted.words[1] ?? ''),
        schema.text('promptly '),
      )
    })
    await copy.tracker.whenSaved()
    const shared = await api<Array<{ id: string }>>('POST', '/suggestions/share', lead.token, {
      iteration: 1,
      clauseIds: [accepted.id],
    })
    expect(shared.status).toBe(200)
    const sid = shared.body[0]?.id ?? ''
    expect((await api('POST', `/suggestions/${sid}/accept`, mediator.token, {})).status).toBe(200)
    await waitForDoc(draft.doc, (doc) =>
      JSON.stringify(doc.getXmlFragment(RICH_TEXT_FIELD).toJSON()).includes('promptly'),
    )
    edit(draft, (tr) => {
      const at = textPosition(tr.doc, own.id, own.words[1] ?? '')
      tr.replaceWith(at, at + (own.words[1] ?? '').length, schema.text('Mediated'))
    })
    // The mediator also bolds a word and adds a paragraph after the clause's first one.
    const bolded = own.words[2] ?? ''
    edit(draft, (tr) => {
      const at = textPosition(tr.doc, own.id, bolded)
      tr.addMark(at, at + bolded.length, schema.marks.bold?.create() ?? schema.mark('bold'))
      const { pos, node } = clauseAt(tr.doc, own.id)
      let end = -1
      node.forEach((child, offset) => {
        if (end < 0 && child.type.name === 'paragraph') end = pos + offset + child.nodeSize
      })
      tr.insert(end, schema.node('paragraph', null, schema.text('Management shall consult.')))
    })
    await draft.tracker.whenSaved()
    copy.destroy()
    draft.destroy()

    const page = await suite.openDraftAs('mediator@demo.test')
    await page.getByRole('button', { name: 'Circulate as Single Text 2' }).click()
    await page
      .getByRole('button', { name: 'Review the changes against Single Text 1 as a redline' })
      .click()
    const rows = page.locator('#draft-redline .draft-change')
    await expect.poll(async () => (await rows.allTextContents()).join('\n')).toMatch(/promptly/)
    await expect.poll(async () => (await rows.allTextContents()).join('\n')).toMatch(/consult/)
    const all = await rows.allTextContents()
    const fromSuggestion = all.find((row) => row.includes('promptly')) ?? ''
    expect(fromSuggestion).toContain(
      `From the Coalition of Unions suggestion by ${member.user.name} on Single Text 1`,
    )
    expect(fromSuggestion).toContain(`accepted by ${mediator.user.name}`)
    expect(fromSuggestion).toMatch(/\[inserted:\s+promptly/)
    // The suggestion's id is in the tooltip, not in the line.
    expect(fromSuggestion).not.toContain(sid)
    expect(
      await rows
        .filter({ hasText: 'promptly' })
        .locator('.draft-change-provenance')
        .getAttribute('title'),
    ).toBe(`Suggestion ${sid}`)
    const mediated = all.find((row) => row.includes('Mediated')) ?? ''
    expect(mediated).toContain('Mediator’s edit')
    // A format change names what changed and on which words.
    const format = all.find((row) => row.includes('Bold added')) ?? ''
    expect(format).toContain(`Bold added to ‘${bolded}’`)
    // No row's words run into the next words, nor into its provenance ("growthManagement").
    for (const row of all) expect(row).toMatch(/\s(From the |Mediator’s edit)/)
    const paragraph = rows.filter({ hasText: 'Management shall consult.' })
    expect(await paragraph.locator('.clause-text').textContent()).toMatch(
      /(^|\n)\[inserted:\s+Management shall consult\.\]/,
    )
    expect(await seriousAxeViolations(page)).toEqual([])
    await page.locator('#draft-redline').scrollIntoViewIfNeeded()
    await screenshot(page, 'changes-since-provenance')
    await paragraph.scrollIntoViewIfNeeded()
    await screenshot(page, 'changes-since-paragraph')
  })
})
