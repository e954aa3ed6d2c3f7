/**
 * The client's two tools for going on after a refused change: the ledger takes exactly one local
 * transaction out of a copy (later ones stay), and the content transfer writes what one copy holds
 * into another that started from the server's state, block by block and entry by entry.
 */
import { addAnnotation } from '@onetext/shared/annotations'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import { getDocumentSchema } from '@onetext/shared/schema'
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { transferContent } from '../../client/src/collab/contentTransfer'
import { RefusalLedger } from '../../client/src/collab/RefusalLedger'
import { refusedScope } from '../../client/src/collab/refusedScope'

function paragraphs(...texts: string[]) {
  return {
    type: 'doc',
    content: texts.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
  }
}

function textOf(doc: Y.Doc, index: number): Y.XmlText {
  return (doc.getXmlFragment('default').get(index) as Y.XmlElement).get(0) as Y.XmlText
}

/** A client's copy synced from `server`, with its updates recorded as a provider would send them. */
function clientOf(server: Y.Doc) {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server), 'server')
  const sent: Uint8Array[] = []
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== 'server') sent.push(update)
  })
  return { doc, sent }
}

function serverWith(...texts: string[]): Y.Doc {
  const server = new Y.Doc()
  prosemirrorJSONToYXmlFragment(
    getDocumentSchema(),
    paragraphs(...texts),
    server.getXmlFragment('default'),
  )
  return server
}

describe('the refusal ledger', () => {
  it('takes out one refused transaction and keeps the ones before and after it', () => {
    const { doc, sent } = clientOf(serverWith('One.', 'Two.', 'Three.'))
    const ledger = new RefusalLedger(doc)
    textOf(doc, 0).insert(4, ' kept before')
    textOf(doc, 1).insert(4, ' refused')
    textOf(doc, 2).insert(6, ' kept after')
    expect(ledger.revert(sent[1] as Uint8Array)).toBe(true)
    expect([0, 1, 2].map((index) => textOf(doc, index).toString())).toEqual([
      'One. kept before',
      'Two.',
      'Three. kept after',
    ])
    expect(ledger.revert(sent[1] as Uint8Array)).toBe(false)
  })

  it('restores the words a refused replacement deleted', () => {
    const { doc, sent } = clientOf(serverWith('The parties agree.'))
    const ledger = new RefusalLedger(doc)
    doc.transact(() => {
      textOf(doc, 0).delete(4, 7)
      textOf(doc, 0).insert(4, 'mediator')
    })
    textOf(doc, 0).insert(0, 'Now ')
    expect(textOf(doc, 0).toString()).toBe('Now The mediator agree.')
    ledger.revert(sent[0] as Uint8Array)
    expect(textOf(doc, 0).toString()).toBe('Now The parties agree.')
  })
})

describe('the content transfer', () => {
  it('writes each changed block in its own transaction and nothing else', () => {
    const server = serverWith('One.', 'Two.', 'Three.')
    const { doc } = clientOf(server)
    textOf(doc, 0).insert(4, ' changed')
    textOf(doc, 2).format(0, 5, { bold: {} })
    const target = new Y.Doc()
    Y.applyUpdate(target, Y.encodeStateAsUpdate(server))
    const transactions: Uint8Array[] = []
    target.on('update', (update: Uint8Array) => transactions.push(update))
    transferContent(doc, target, DOCUMENT_ROOTS.draft, getDocumentSchema())
    expect(target.getXmlFragment('default').toString()).toBe(
      doc.getXmlFragment('default').toString(),
    )
    expect(transactions).toHaveLength(2)
    // The unchanged block keeps the server's items: nothing about it was written again.
    expect(textOf(target, 1)).toBe(
      (target.getXmlFragment('default').get(1) as Y.XmlElement).get(0) as Y.XmlText,
    )
    expect(Y.encodeStateVector(server)).not.toEqual(Y.encodeStateVector(target))
  })

  it('rewrites the whole text when blocks were added or removed', () => {
    const server = serverWith('One.', 'Two.')
    const { doc } = clientOf(server)
    const extra = new Y.XmlElement('paragraph')
    extra.insert(0, [new Y.XmlText('New.')])
    doc.getXmlFragment('default').insert(1, [extra])
    const target = new Y.Doc()
    Y.applyUpdate(target, Y.encodeStateAsUpdate(server))
    transferContent(doc, target, DOCUMENT_ROOTS.draft, getDocumentSchema())
    expect(target.getXmlFragment('default').toString()).toBe(
      doc.getXmlFragment('default').toString(),
    )
  })

  it('carries over map entries one by one, and deletions', () => {
    const server = new Y.Doc()
    const base = {
      clauseId: 'c-1',
      iteration: 1,
      quote: 'agree',
      offset: 0,
      kind: 'question' as const,
      authorId: 'u-1',
      authorName: 'Ana',
      partyId: 'labor',
    }
    addAnnotation(server, { ...base, id: 'a1', body: 'Stays' })
    addAnnotation(server, { ...base, id: 'a2', body: 'Goes' })
    const { doc } = clientOf(server)
    addAnnotation(doc, { ...base, id: 'a3', body: 'New' })
    ;(doc.getMap('annotations').get('a1') as Y.Map<unknown>).set('resolved', true)
    doc.getMap('annotations').delete('a2')
    const target = new Y.Doc()
    Y.applyUpdate(target, Y.encodeStateAsUpdate(server))
    const transactions: Uint8Array[] = []
    target.on('update', (update: Uint8Array) => transactions.push(update))
    transferContent(doc, target, DOCUMENT_ROOTS.table, getDocumentSchema())
    expect(target.getMap('annotations').toJSON()).toEqual(doc.getMap('annotations').toJSON())
    expect(transactions).toHaveLength(3)
  })
})

describe('the scope of a refused change', () => {
  it('keeps the server version of the blocks the refused change touched, with what was typed there after it', () => {
    const server = serverWith('One.', 'Locked.', 'Three.')
    const { doc, sent } = clientOf(server)
    const ledger = new RefusalLedger(doc)
    textOf(doc, 0).insert(4, ' before')
    textOf(doc, 1).insert(7, ' refu')
    // Typed after the refused keystrokes, in their own messages: they build on them.
    textOf(doc, 1).insert(12, 'sed')
    textOf(doc, 1).delete(0, 1)
    textOf(doc, 2).insert(6, ' after')
    const scope = refusedScope(doc, sent[1] as Uint8Array)
    expect(scope.blocks.size).toBe(1)
    expect(scope.blocks.has(doc.getXmlFragment('default').get(1))).toBe(true)
    ledger.revert(sent[1] as Uint8Array)
    const target = new Y.Doc()
    Y.applyUpdate(target, Y.encodeStateAsUpdate(server))
    transferContent(doc, target, DOCUMENT_ROOTS.draft, getDocumentSchema(), scope)
    expect([0, 1, 2].map((index) => textOf(target, index).toString())).toEqual([
      'One. before',
      'Locked.',
      'Three. after',
    ])
  })

  it('keeps the server version of a touched block when blocks were added elsewhere too', () => {
    const server = serverWith('One.', 'Locked.')
    const { doc, sent } = clientOf(server)
    const ledger = new RefusalLedger(doc)
    textOf(doc, 1).insert(7, ' refu')
    textOf(doc, 1).insert(12, 'sed')
    const extra = new Y.XmlElement('paragraph')
    extra.insert(0, [new Y.XmlText('New.')])
    doc.getXmlFragment('default').insert(0, [extra])
    const scope = refusedScope(doc, sent[0] as Uint8Array)
    ledger.revert(sent[0] as Uint8Array)
    const target = new Y.Doc()
    Y.applyUpdate(target, Y.encodeStateAsUpdate(server))
    transferContent(doc, target, DOCUMENT_ROOTS.draft, getDocumentSchema(), scope)
    expect([0, 1, 2].map((index) => textOf(target, index).toString())).toEqual([
      'New.',
      'One.',
      'Locked.',
    ])
  })

  it('names the entries of keyed roots a refused change touched', () => {
    const server = new Y.Doc()
    server.getMap('annotations').set('theirs', new Y.Map([['body', 'Theirs']]))
    const { doc, sent } = clientOf(server)
    ;(doc.getMap('annotations').get('theirs') as Y.Map<unknown>).set('body', 'Mine now')
    doc.getMap('annotations').set('mine', 'kept')
    const scope = refusedScope(doc, sent[0] as Uint8Array)
    expect([...(scope.entries.get('annotations') ?? [])]).toEqual(['theirs'])
    const target = new Y.Doc()
    Y.applyUpdate(target, Y.encodeStateAsUpdate(server))
    transferContent(doc, target, DOCUMENT_ROOTS.table, getDocumentSchema(), scope)
    expect(target.getMap('annotations').toJSON()).toEqual({
      theirs: { body: 'Theirs' },
      mine: 'kept',
    })
  })
})

describe('rebuilding after the server lost what it relayed', () => {
  it("drops another person's change the server lost, keeping this copy's own", async () => {
    const { dropOthersUnsaved } = await import('../../client/src/collab/CollabSession')
    const server = serverWith('One.')
    const { doc } = clientOf(server)
    // Someone else's edit reached this copy, then the server stopped before writing it.
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.encodeStateAsUpdate(server))
    const before = Y.encodeStateVector(other)
    textOf(other, 0).insert(4, ' lost by the server')
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other, before), 'server')
    textOf(doc, 0).insert(0, 'Mine: ')
    dropOthersUnsaved(
      doc,
      Y.decodeStateVector(Y.encodeStateVector(server)),
      new Set([doc.clientID]),
    )
    expect(textOf(doc, 0).toString()).toBe('Mine: One.')
  })
})
