/**
 * attributeChanges on a copy built as the server builds one (the deterministic seed of a clause
 * tree with a heading, marks, a hard break, a list and a sub-clause), edited by two users: one
 * deletes words of the text (recorded in the journal as the server records them), the other inserts
 * and bolds. Each change is attributed to its author, at every depth of the clause's content. The
 * editor's `authorsReader` answers the same, and reads the copy again once it changed.
 */
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { attributeChanges } from '@onetext/shared/suggestions/attribution'
import {
  ATTRIBUTION_ROOT,
  JOURNAL_ROOT,
  type JournalEntry,
  SEED_ROOT,
} from '@onetext/shared/suggestions/copyDoc'
import { buildSeedDoc } from '@onetext/shared/suggestions/copySeed'
import { type ClauseDiff, diffDocument } from '@onetext/shared/suggestions/diff'
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { authorsReader } from '../../client/src/editor/suggestionMarks'
import { findClauseElement } from '../../server/src/negotiation/draftOps'
import { bold, br, clause, doc, p, ul } from '../helpers/clauseNodes'

const SEED_CLIENT = 1000
const ANN = { client: 2000, userId: 'u-ann', name: 'Ann' }
const BOB = { client: 3000, userId: 'u-bob', name: 'Bob' }

const BASE = doc(
  clause(
    'c1',
    'Pay',
    p('Rates rise by ', bold('three'), ' percent.'),
    p('Second paragraph', br, 'after the break.'),
    ul('alpha beta', 'gamma delta'),
    clause('c1a', 'Sub', p('sub words here')),
  ),
)

/** The XmlText holding `word` under clause `clauseId` (depth first), and the word's index in it. */
function textWith(copy: Y.Doc, clauseId: string, word: string): [Y.XmlText, number] {
  const visit = (node: Y.XmlElement | Y.XmlText): [Y.XmlText, number] | null => {
    if (node instanceof Y.XmlText) {
      const at = node
        .toString()
        .replace(/<[^>]+>/g, '')
        .indexOf(word)
      return at >= 0 ? [node, plain(node).indexOf(word)] : null
    }
    for (const child of node.toArray()) {
      const found = visit(child as Y.XmlElement | Y.XmlText)
      if (found) return found
    }
    return null
  }
  const found = visit(findClauseElement(copy, clauseId) as Y.XmlElement)
  if (!found) throw new Error(`no ${word}`)
  return found
}

function plain(text: Y.XmlText): string {
  return text
    .toDelta()
    .map((op: { insert?: unknown }) => (typeof op.insert === 'string' ? op.insert : ''))
    .join('')
}

/**
 * A user's edit of `copy`, made in one transaction of a synced doc under the user's client and
 * applied back; returns the ranges of seed items it deleted.
 */
function edit(copy: Y.Doc, client: number, change: (doc: Y.Doc) => void): Array<[number, number]> {
  const user = new Y.Doc()
  Y.applyUpdate(user, Y.encodeStateAsUpdate(copy))
  user.clientID = client
  const before = Y.encodeStateVector(copy)
  const deleted: Array<[number, number]> = []
  user.on('afterTransaction', (tr: Y.Transaction) => {
    for (const { clock, len } of tr.deleteSet.clients.get(SEED_CLIENT) ?? [])
      deleted.push([clock, len])
  })
  user.transact(() => change(user))
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(user, before))
  return deleted
}

describe('attributeChanges', () => {
  it('attributes deletions by the journal and insertions and formats by the client owner', () => {
    const copy = buildSeedDoc(BASE, SEED_CLIENT)
    copy.getMap(SEED_ROOT).set('client', SEED_CLIENT)
    copy.getMap(SEED_ROOT).set('iteration', 1)
    // Bob deletes words of the text: the server journals the seed ranges his transaction deleted.
    const deleted = edit(copy, BOB.client, (doc) => {
      const [second, at] = textWith(doc, 'c1', 'paragraph')
      second.delete(at - 1, ' paragraph'.length)
      const [item, delta] = textWith(doc, 'c1', 'delta')
      item.delete(delta - 1, ' delta'.length)
    })
    const entries: JournalEntry[] = []
    for (const [clock, len] of deleted)
      entries.push({ k: 'd', c: SEED_CLIENT, s: clock, l: len, u: BOB.userId, n: BOB.name, t: 50 })
    expect(entries.length).toBeGreaterThan(0)
    copy.getArray<JournalEntry>(JOURNAL_ROOT).push(entries)
    // Ann inserts and bolds; the server records her client and a checkpoint.
    const start = Y.getState(copy.store, ANN.client)
    edit(copy, ANN.client, (doc) => {
      const [alpha, at] = textWith(doc, 'c1', 'beta')
      alpha.insert(at, 'new ')
      const [sub, subAt] = textWith(doc, 'c1a', 'sub')
      sub.format(subAt, 'sub'.length, { bold: {} })
    })
    copy.getMap(ATTRIBUTION_ROOT).set(String(ANN.client), { userId: ANN.userId, name: ANN.name })
    copy
      .getArray<JournalEntry>(JOURNAL_ROOT)
      .push([{ k: 'i', c: ANN.client, s: start, u: ANN.userId, t: 70 }])

    const schema = getDocumentSchema()
    const current = yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(RICH_TEXT_FIELD), schema)
    const diffs = diffDocument(schema.nodeFromJSON(BASE), current)
    const found: string[] = []
    for (const diff of diffs.values()) {
      const authors = attributeChanges(copy, diff, BASE)
      diff.changes.forEach((change, index) => {
        const author = authors[index]
        found.push(
          `${diff.clauseId} ${change.kind} "${change.text.trim()}" ${author?.name ?? '?'} ${author?.at ?? '-'}`,
        )
      })
    }
    expect(found.sort()).toEqual(
      [
        'c1 delete "paragraph" Bob 50',
        'c1 delete "delta" Bob 50',
        'c1 insert "new" Ann 70',
        'c1a format "sub" Ann 70',
      ].sort(),
    )
  })

  it('gives null for what nobody recorded', () => {
    const copy = buildSeedDoc(BASE, SEED_CLIENT)
    copy.getMap(SEED_ROOT).set('client', SEED_CLIENT)
    copy.getMap(SEED_ROOT).set('iteration', 1)
    edit(copy, ANN.client, (doc) => {
      const [rates, at] = textWith(doc, 'c1', 'Rates')
      rates.delete(at, 'Rates '.length)
      rates.insert(0, 'Wages ')
    })
    const schema = getDocumentSchema()
    const current = yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(RICH_TEXT_FIELD), schema)
    const diff = diffDocument(schema.nodeFromJSON(BASE), current).get('c1')
    if (!diff) throw new Error('no diff')
    expect(diff.changes.length).toBeGreaterThan(0)
    expect(attributeChanges(copy, diff, BASE)).toEqual(diff.changes.map(() => null))
  })

  it('reads authors through authorsReader as attributeChanges does, and again once the copy changed', () => {
    const copy = buildSeedDoc(BASE, SEED_CLIENT)
    copy.getMap(SEED_ROOT).set('client', SEED_CLIENT)
    copy.getMap(SEED_ROOT).set('iteration', 1)
    const schema = getDocumentSchema()
    const base = schema.nodeFromJSON(BASE)
    const diffsNow = () =>
      diffDocument(
        base,
        yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(RICH_TEXT_FIELD), schema),
      )
    const read = authorsReader(copy, BASE)
    const authorsOf = (attribute: typeof read) =>
      [...diffsNow().values()].flatMap((diff) =>
        attribute(diff).map(
          (author, index) => `${diff.changes[index]?.text.trim()} ${author?.name ?? '?'}`,
        ),
      )

    edit(copy, ANN.client, (doc) => {
      const [alpha, at] = textWith(doc, 'c1', 'beta')
      alpha.insert(at, 'new ')
      const [sub, subAt] = textWith(doc, 'c1a', 'sub')
      sub.insert(subAt, 'first ')
    })
    copy.getMap(ATTRIBUTION_ROOT).set(String(ANN.client), { userId: ANN.userId, name: ANN.name })
    const direct = (diff: ClauseDiff) => attributeChanges(copy, diff, BASE)
    expect(authorsOf(read)).toEqual(authorsOf(direct))
    expect(authorsOf(read).sort()).toEqual(['first Ann', 'new Ann'])

    // Bob's words and his record come after the reader answered: it reads the copy again.
    edit(copy, BOB.client, (doc) => {
      const [rates, at] = textWith(doc, 'c1', 'percent')
      rates.insert(at, 'more ')
    })
    copy.getMap(ATTRIBUTION_ROOT).set(String(BOB.client), { userId: BOB.userId, name: BOB.name })
    expect(authorsOf(read).sort()).toEqual(['first Ann', 'more Bob', 'new Ann'])
    expect(authorsOf(read)).toEqual(authorsOf(direct))
  })
})
