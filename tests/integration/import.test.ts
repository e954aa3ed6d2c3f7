/**
 * Importing a starting single text: Markdown and .docx become a new negotiation whose clauses keep
 * their text and numbering; import -> export -> import of the fixture is stable.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from '../helpers/api'
import { login, startTestServer } from '../helpers/testServer'

const FIXTURE = path.resolve(import.meta.dirname, '../../server/src/seed/lmp-agreement-1997.md')

interface Iteration {
  clauses: Array<{ number: string; heading: string; text: string }>
}

describe('import', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>
  let token: string

  beforeAll(async () => {
    server = await startTestServer()
    token = await login(server.url, 'mediator@demo.test')
  })

  afterAll(async () => {
    await server.close()
  })

  async function importText(format: 'md' | 'docx', content: string): Promise<string> {
    const created = await callApi<{ id: string }>(server.url, 'POST', '/api/negotiations', token, {
      title: `Imported ${format}`,
      parties: ['Union Coalition', 'Management', 'Medical Group'],
      format,
      content,
    })
    expect(created.status).toBe(201)
    const circulated = await callApi(
      server.url,
      'POST',
      `/api/negotiations/${created.body.id}/iterations`,
      token,
      { note: 'imported' },
    )
    expect(circulated.status).toBe(201)
    return created.body.id
  }

  async function clausesOf(id: string, number = 1) {
    const iteration = await callApi<Iteration>(
      server.url,
      'GET',
      `/api/negotiations/${id}/iterations/${number}`,
      token,
    )
    return iteration.body.clauses.map(({ number: n, heading, text }) => ({
      number: n,
      heading,
      text,
    }))
  }

  it('imports Markdown, the creator becomes mediator, and export -> import keeps text and numbering', async () => {
    const id = await importText('md', fs.readFileSync(FIXTURE, 'utf8'))
    const detail = await callApi<{ me: { role: string }; parties: unknown[] }>(
      server.url,
      'GET',
      `/api/negotiations/${id}`,
      token,
    )
    expect(detail.body.me.role).toBe('mediator')
    expect(detail.body.parties).toHaveLength(3)
    const first = await clausesOf(id)
    expect(first.map((clause) => `${clause.number} ${clause.heading}`)).toEqual([
      '1 Purpose',
      '2 Process and Structure',
      '3 Decision-Making',
      '4 Scope',
      '5 Employment Security',
      '6 Union Security',
      '7 Marketing Cooperation',
      '8 Term of Agreement',
      '9 Savings Clause',
    ])
    const markdown = await fetch(
      `${server.url}/api/negotiations/${id}/iterations/1/export?format=md`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    )
    const again = await importText('md', await markdown.text())
    expect(await clausesOf(again)).toEqual(first)
  })

  it('imports a .docx (here: the DOCX export of the fixture) with the same clauses', async () => {
    const id = await importText('md', fs.readFileSync(FIXTURE, 'utf8'))
    const docx = await fetch(
      `${server.url}/api/negotiations/${id}/iterations/1/export?format=docx`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    )
    const imported = await importText(
      'docx',
      Buffer.from(await docx.arrayBuffer()).toString('base64'),
    )
    const original = await clausesOf(id)
    const fromDocx = await clausesOf(imported)
    expect(fromDocx.map((clause) => `${clause.number} ${clause.heading}`)).toEqual(
      original.map((clause) => `${clause.number} ${clause.heading}`),
    )
    for (const [index, clause] of fromDocx.entries()) {
      // Word has no list markers in text: compare the words.
      const words = (text: string) =>
        text
          .replace(/^(-|•|\d+\.)\s+/gm, '')
          .replace(/\s+/g, ' ')
          .trim()
      expect(words(clause.text)).toBe(words(original[index]?.text ?? ''))
    }
  })

  it('refuses an unreadable file and too few parties with clear errors', async () => {
    const bad = await callApi<{ error: string }>(server.url, 'POST', '/api/negotiations', token, {
      title: 'x',
      parties: ['A', 'B'],
      format: 'docx',
      content: Buffer.from('not a zip').toString('base64'),
    })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toBe('unreadable-file')
    const one = await callApi(server.url, 'POST', '/api/negotiations', token, {
      title: 'x',
      parties: ['A'],
      format: 'md',
      content: '# T',
    })
    expect(one.status).toBe(400)
  })
})
