/**
 * Concurrent edits of honest editors must leave a clause tree every editor accepts: an editor
 * (y-prosemirror) deletes from the shared document any element whose children its schema refuses,
 * so a schema stricter than what concurrent edits can produce would lose whole clauses.
 */
import { extractClauses } from '@onetext/shared/clauses'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import { prosemirrorJSONToYDoc, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { clause, doc, paragraph, title } from '../helpers/docJson'

function replica(state: Uint8Array, clientID: number): Y.Doc {
  const copy = new Y.Doc()
  copy.clientID = clientID
  Y.applyUpdate(copy, state)
  return copy
}

function clauseElement(copy: Y.Doc, index: number): Y.XmlElement {
  const element = copy.getXmlFragment(RICH_TEXT_FIELD).get(index)
  if (!(element instanceof Y.XmlElement)) throw new Error('no clause there')
  return element
}

describe('concurrent edits of a clause tree', () => {
  const start = doc(
    title('Agreement'),
    clause('Wages', 'w', paragraph('Wages rise.'), clause('Base rates', 'b')),
  )

  it.each([
    [1, 2],
    [2, 1],
  ])(
    'a paragraph added at the end of a body while another adds a first child clause (clients %i, %i)',
    (first, second) => {
      const origin = prosemirrorJSONToYDoc(getDocumentSchema(), start, RICH_TEXT_FIELD)
      const state = Y.encodeStateAsUpdate(origin)
      const writer = replica(state, first)
      const structurer = replica(state, second)
      // Both insert at index 2 of "Wages": after its paragraph, before "Base rates".
      const added = new Y.XmlElement('paragraph')
      added.insert(0, [new Y.XmlText('Overtime is paid.')])
      clauseElement(writer, 1).insert(2, [added])
      const child = new Y.XmlElement('clause')
      child.setAttribute('clauseId', 'n')
      const heading = new Y.XmlElement('clauseHeading')
      heading.insert(0, [new Y.XmlText('Night work')])
      child.insert(0, [heading])
      clauseElement(structurer, 1).insert(2, [child])
      Y.applyUpdate(writer, Y.encodeStateAsUpdate(structurer))
      Y.applyUpdate(structurer, Y.encodeStateAsUpdate(writer))

      const merged = yXmlFragmentToProsemirrorJSON(
        writer.getXmlFragment(RICH_TEXT_FIELD),
      ) as JSONContent
      // Every clause passes the schema's check, as every editor requires of it.
      expect(() => getDocumentSchema().nodeFromJSON(merged).check()).not.toThrow()
      const clauses = extractClauses(merged)
      expect(clauses.map((c) => `${c.number} ${c.heading}`)).toEqual([
        '1 Wages',
        '1.1 Night work',
        '1.2 Base rates',
      ])
      expect(clauses[0]?.text).toBe('Wages rise.\nOvertime is paid.')
    },
  )
})
