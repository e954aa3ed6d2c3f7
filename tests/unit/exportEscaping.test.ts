/**
 * Every export escapes every text and attribute it writes: a document whose texts and attributes
 * hold markup (as a hostile client could write them) renders to HTML with no element or attribute
 * but the renderer's own.
 */
import { docToHtml } from '@onetext/shared/render'
import { describe, expect, it } from 'vitest'
import { blacklineHtml, htmlPage } from '../../server/src/export/htmlExport'

const ATTACK = `"'><script>alert(1)</script><img src=x onerror=alert(1)>`

const HOSTILE_DOC = {
  type: 'doc',
  content: [
    { type: 'title', content: [{ type: 'text', text: ATTACK }] },
    {
      type: 'clause',
      attrs: { clauseId: ATTACK },
      content: [
        {
          type: 'clauseHeading',
          content: [{ type: 'text', text: ATTACK, marks: [{ type: 'bold' }] }],
        },
        {
          type: 'orderedList',
          attrs: { start: `2" onmouseover="alert(1)` },
          content: [
            {
              type: 'listItem',
              content: [{ type: 'paragraph', content: [{ type: 'text', text: ATTACK }] }],
            },
          ],
        },
        { type: 'orderedList', attrs: { start: 7 }, content: [] },
        {
          type: 'clause',
          attrs: { clauseId: `x" onclick="alert(1)` },
          content: [
            { type: 'clauseHeading', content: [{ type: 'text', text: ATTACK }] },
            {
              type: 'paragraph',
              content: [{ type: 'text', text: ATTACK, marks: [{ type: 'code' }] }],
            },
          ],
        },
      ],
    },
  ],
}

/** The tags and attributes in `html` (outside text). */
function markup(html: string): { tags: Set<string>; attributes: Set<string> } {
  const tags = new Set<string>()
  const attributes = new Set<string>()
  for (const match of html.matchAll(/<\/?([a-zA-Z0-9!-]+)([^>]*)>/g)) {
    tags.add((match[1] ?? '').toLowerCase())
    // Quoted values are the attributes' own (escaped) text.
    const inside = (match[2] ?? '').replace(/"[^"]*"/g, '""')
    for (const attribute of inside.matchAll(/\s([a-zA-Z-]+)=/g)) {
      attributes.add((attribute[1] ?? '').toLowerCase())
    }
  }
  return { tags, attributes }
}

describe('HTML exports', () => {
  it('escape every text and attribute of the document', () => {
    const html = htmlPage(ATTACK, docToHtml(HOSTILE_DOC))
    const { tags, attributes } = markup(html)
    expect(
      [...tags].filter(
        (tag) =>
          !/^(!doctype|html|head|meta|title|style|body|h[1-6]|section|span|ol|ul|li|p|strong|code)$/.test(
            tag,
          ),
      ),
    ).toEqual([])
    expect(
      [...attributes].filter((name) => !/^(lang|charset|class|data-clause-id|start)$/.test(name)),
    ).toEqual([])
    expect(html).not.toContain('<script')
    expect(html).toContain('<ol start="7">')
    expect(html).toContain('&lt;script&gt;')
    // The clause tree stays a tree: a section inside a section, each with its (escaped) id.
    expect(html).toMatch(
      /<section class="clause" data-clause-id="[^"]*">\n<h2>(?:(?!<\/section>).)*<section class="clause" data-clause-id="x&quot; onclick=&quot;alert\(1\)">\n<h3>/s,
    )
  })

  it('escape the blackline’s headings, numbers and words', () => {
    const html = blacklineHtml(ATTACK, [
      {
        id: ATTACK,
        number: ATTACK,
        fromNumber: null,
        heading: ATTACK,
        change: 'changed',
        ops: [
          ['=', `${ATTACK}\n`],
          ['+', ATTACK],
          ['-', ATTACK],
        ],
      },
    ])
    const { tags, attributes } = markup(html)
    expect(
      [...tags].filter(
        (tag) => !/^(!doctype|html|head|meta|title|style|body|h1|h2|span|p|ins|del)$/.test(tag),
      ),
    ).toEqual([])
    expect([...attributes].filter((name) => !/^(lang|charset|class)$/.test(name))).toEqual([])
  })
})
