/**
 * The update gate's schema rule (server/src/gate/richTextRule.ts) on the clause tree: what the model
 * of shared/src/clauses.ts says a draft may hold. Legacy `heading` and `segment` elements, a clause
 * that does not start with its heading or holds a second one (new or existing), a clause heading
 * outside a clause and clause ids that break
 * CLAUSE_ID_PATTERN are refused; well-formed clauses go through.
 */
import { RefusalReason } from '@onetext/shared/protocol'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { clause, doc, paragraph, title } from '../helpers/docJson'
import { changeFrom } from '../helpers/gateHarness'
import { bodyText, clauseElement, lockedDraft, writer } from '../helpers/lockedDraft'

async function draft() {
  return lockedDraft(
    doc(
      title('Agreement'),
      clause('Scope', 'c-1', paragraph('The parties agree.')),
      clause('Wages', 'c-2', paragraph('Wages rise.')),
    ),
    new Set(),
  )
}

/** An element named `name` holding `children`. */
function element(name: string, ...children: Array<Y.XmlElement | Y.XmlText>): Y.XmlElement {
  const made = new Y.XmlElement(name)
  made.insert(0, children)
  return made
}

function heading(text: string): Y.XmlElement {
  return element('clauseHeading', new Y.XmlText(text))
}

function para(text: string): Y.XmlElement {
  return element('paragraph', new Y.XmlText(text))
}

/** A clause element with `clauseId` set to `id` (any value), holding `children`. */
function clauseWith(id: unknown, ...children: Y.XmlElement[]): Y.XmlElement {
  const made = element('clause', ...children)
  made.setAttribute('clauseId', id as string)
  return made
}

function appendToDocument(d: Y.Doc, child: Y.XmlElement): void {
  const fragment = d.getXmlFragment(RICH_TEXT_FIELD)
  fragment.insert(fragment.length, [child])
}

describe('the schema rule on the clause tree', () => {
  const refused: Array<[string, (d: Y.Doc) => void]> = [
    [
      'a legacy heading element',
      (d) => {
        const legacy = element('heading', new Y.XmlText('Hours'))
        legacy.setAttribute('level', 2 as unknown as string)
        appendToDocument(d, legacy)
      },
    ],
    ['a legacy segment element', (d) => appendToDocument(d, element('segment', para('Loose.')))],
    [
      'a clause that starts with a paragraph',
      (d) => appendToDocument(d, clauseWith('c-3', para('Body first.'), heading('Hours'))),
    ],
    [
      'a clause with two headings',
      (d) => appendToDocument(d, clauseWith('c-3', heading('Hours'), heading('Time'))),
    ],
    [
      'a second heading added to an existing clause',
      (d) => clauseElement(d, 'c-1').push([heading('Again')]),
    ],
    [
      'a paragraph put before an existing clause heading',
      (d) => clauseElement(d, 'c-1').insert(0, [para('Before the heading.')]),
    ],
    [
      'an existing clause heading deleted alone (every editor would then drop the clause)',
      (d) => clauseElement(d, 'c-2').delete(0, 1),
    ],
    ['a new clause without children', (d) => appendToDocument(d, clauseWith('c-3'))],
    [
      'a second title, after the clauses',
      (d) => appendToDocument(d, element('title', new Y.XmlText('Another'))),
    ],
    ['a clause heading directly in the document', (d) => appendToDocument(d, heading('Stray'))],
    [
      'a clause heading inside a paragraph',
      (d) => (clauseElement(d, 'c-1').get(1) as Y.XmlElement).push([heading('Stray')]),
    ],
    [
      'a title inside a clause',
      (d) => clauseElement(d, 'c-1').push([element('title', new Y.XmlText('Inner'))]),
    ],
    ['a clause id with spaces', (d) => clauseElement(d, 'c-1').setAttribute('clauseId', 'c 1')],
    ['a clause id of markup', (d) => appendToDocument(d, clauseWith('<b>x</b>', heading('Hours')))],
    [
      'a clause id longer than 64 characters',
      (d) => appendToDocument(d, clauseWith('c'.repeat(65), heading('Hours'))),
    ],
    ['an empty clause id', (d) => clauseElement(d, 'c-2').setAttribute('clauseId', '')],
    ['a number as a clause id', (d) => appendToDocument(d, clauseWith(7, heading('Hours')))],
    [
      'a clause id on a paragraph',
      (d) => (clauseElement(d, 'c-1').get(1) as Y.XmlElement).setAttribute('clauseId', 'c-9'),
    ],
    [
      'a level on a clause heading',
      (d) =>
        (clauseElement(d, 'c-1').get(0) as Y.XmlElement).setAttribute(
          'level',
          3 as unknown as string,
        ),
    ],
  ]

  for (const [what, change] of refused) {
    it(`refuses ${what}`, async () => {
      const { server, offer } = await draft()
      const before = server.getXmlFragment(RICH_TEXT_FIELD).toString()
      expect(offer(writer, changeFrom(server, change))?.reason).toBe(RefusalReason.schema)
      expect(server.getXmlFragment(RICH_TEXT_FIELD).toString()).toBe(before)
    })
  }

  const accepted: Array<[string, (d: Y.Doc) => void]> = [
    [
      'a new clause with heading, body and a child clause',
      (d) =>
        appendToDocument(
          d,
          clauseWith(
            'c-3',
            heading('Hours'),
            para('Forty a week.'),
            clauseWith('c-3_a', heading('Overtime'), para('Paid double.')),
          ),
        ),
    ],
    [
      'a child clause after a clause body',
      (d) => clauseElement(d, 'c-1').push([clauseWith('c-1-1', heading('Exclusions'))]),
    ],
    [
      'a new clause id of the pattern',
      (d) => clauseElement(d, 'c-2').setAttribute('clauseId', 'W_2-b'),
    ],
    ['a clause without an id yet', (d) => appendToDocument(d, clauseWith(null, heading('Hours')))],
    ['typing in a clause', (d) => bodyText(clauseElement(d, 'c-1')).insert(0, 'Both ')],
    [
      'a paragraph after a child clause (concurrent edits leave such an order)',
      (d) =>
        clauseElement(d, 'c-1').push([clauseWith('c-1-1', heading('Exclusions')), para('After.')]),
    ],
    ['deleting a whole clause', (d) => d.getXmlFragment(RICH_TEXT_FIELD).delete(1, 1)],
  ]

  for (const [what, change] of accepted) {
    it(`takes ${what}`, async () => {
      const { server, offer } = await draft()
      expect(offer(writer, changeFrom(server, change))).toBeNull()
    })
  }
})
