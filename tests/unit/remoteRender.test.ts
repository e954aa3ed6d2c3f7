/**
 * The clear that client/src/editor/remoteRender.ts gives y-tiptap's binding: entries of the Yjs
 * types still in the bound fragment stay as they are; those of deleted types, of types under a
 * deleted ancestor and of another root go. (That the editor then keeps every untouched node is
 * checked in the browser, tests/e2e/coEditing.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { keepEntriesInDocument } from '../../client/src/editor/remoteRender'

describe('the entries kept across a remote change', () => {
  it('keeps the entries of types in the fragment and drops the others', () => {
    const doc = new Y.Doc()
    const fragment = doc.getXmlFragment('default')
    const kept = new Y.XmlElement('clause')
    const child = new Y.XmlElement('paragraph')
    const text = new Y.XmlText('words')
    const gone = new Y.XmlElement('clause')
    const underGone = new Y.XmlElement('paragraph')
    const elsewhere = new Y.XmlElement('clause')
    fragment.insert(0, [kept, gone])
    kept.insert(0, [child])
    child.insert(0, [text])
    gone.insert(0, [underGone])
    doc.getXmlFragment('other').insert(0, [elsewhere])
    fragment.delete(1, 1)

    const nodes = new Map<object, unknown>([
      [kept, 'kept'],
      [child, 'child'],
      [text, ['text']],
      [gone, 'gone'],
      [underGone, 'under gone'],
      [elsewhere, 'elsewhere'],
    ])
    const keptNode = nodes.get(kept)
    keepEntriesInDocument(nodes, fragment)
    expect([...nodes.values()]).toEqual(['kept', 'child', ['text']])
    expect(nodes.get(kept)).toBe(keptNode)
  })
})
