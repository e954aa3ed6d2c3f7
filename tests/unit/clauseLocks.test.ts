/**
 * The clause locks of the working draft (server/src/negotiation/DraftGuard.ts): a tentatively
 * agreed clause is locked as a subtree, and a client update that touches it (its id, heading, body,
 * formatting or child clauses, or moves or deletes it) is refused and leaves the draft as it was;
 * edits next to a locked clause go through.
 */
import { RefusalReason } from '@onetext/shared/protocol'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { clause, doc, paragraph, title } from '../helpers/docJson'
import { changeFrom } from '../helpers/gateHarness'
import { bodyText, clauseElement, headingText, lockedDraft, writer } from '../helpers/lockedDraft'

const AGREEMENT = doc(
  title('Collective agreement'),
  clause(
    'Scope',
    'c-1',
    paragraph('This agreement covers all staff.'),
    clause('Exclusions', 'c-1-1', paragraph('Managers are excluded.')),
  ),
  clause('Wages', 'c-2', paragraph('Wages rise by three percent.')),
  clause('Hours', 'c-3', paragraph('The week has forty hours.')),
  clause(
    'Leave',
    'c-4',
    paragraph('Leave is earned monthly.'),
    clause('Sick leave', 'c-4-1', paragraph('Ten days a year.')),
    clause('Parental leave', 'c-4-2', paragraph('Six months.')),
  ),
)

/** c-1 (with its unlocked child c-1-1), the neighbours c-2 and c-3, and c-4-1 inside unlocked c-4. */
const LOCKED = ['c-1', 'c-2', 'c-3', 'c-4-1']

async function draft() {
  const locked = new Set(LOCKED)
  return { locked, ...(await lockedDraft(AGREEMENT, locked)) }
}

/** A new clause with a heading and one paragraph. */
function newClause(id: string, heading: string, text: string): Y.XmlElement {
  const element = new Y.XmlElement('clause')
  element.setAttribute('clauseId', id)
  const head = new Y.XmlElement('clauseHeading')
  head.insert(0, [new Y.XmlText(heading)])
  const body = new Y.XmlElement('paragraph')
  body.insert(0, [new Y.XmlText(text)])
  element.insert(0, [head, body])
  return element
}

/** The index of `child` among its parent's children. */
function indexOf(child: Y.XmlElement): number {
  const parent = child.parent as Y.XmlElement | Y.XmlFragment
  return parent.toArray().indexOf(child)
}

function removeClause(doc: Y.Doc, id: string): void {
  const element = clauseElement(doc, id)
  ;(element.parent as Y.XmlElement | Y.XmlFragment).delete(indexOf(element), 1)
}

describe('clause locks', () => {
  const refused: Array<[string, (doc: Y.Doc) => void]> = [
    ['typing in a locked body', (d) => bodyText(clauseElement(d, 'c-2')).insert(5, 'also ')],
    ['typing in a locked heading', (d) => headingText(clauseElement(d, 'c-2')).insert(0, 'Basic ')],
    [
      'replacing a locked heading',
      (d) => {
        const text = headingText(clauseElement(d, 'c-3'))
        text.delete(0, text.length)
        text.insert(0, 'Working time')
      },
    ],
    [
      'typing in a child clause of a locked clause',
      (d) => bodyText(clauseElement(d, 'c-1-1')).insert(0, 'Senior '),
    ],
    ['deleting text of a locked clause', (d) => bodyText(clauseElement(d, 'c-4-1')).delete(0, 4)],
    ['bold on locked text', (d) => bodyText(clauseElement(d, 'c-2')).format(0, 5, { bold: {} })],
    [
      'bold in the heading of a locked clause’s child',
      (d) => headingText(clauseElement(d, 'c-1-1')).format(0, 4, { italic: {} }),
    ],
    [
      'a new paragraph in a locked clause',
      (d) => {
        const p = new Y.XmlElement('paragraph')
        p.insert(0, [new Y.XmlText('More.')])
        clauseElement(d, 'c-2').insert(2, [p])
      },
    ],
    [
      'a new child clause in a locked clause',
      (d) => clauseElement(d, 'c-2').push([newClause('c-2-1', 'Overtime', 'Paid double.')]),
    ],
    ['deleting a locked clause', (d) => removeClause(d, 'c-2')],
    ['deleting an unlocked clause holding a locked one', (d) => removeClause(d, 'c-4')],
    ['deleting a locked clause’s paragraph', (d) => clauseElement(d, 'c-3').delete(1, 1)],
    [
      'moving a locked clause',
      (d) => {
        const element = clauseElement(d, 'c-2')
        const moved = element.clone()
        removeClause(d, 'c-2')
        const fragment = d.getXmlFragment(RICH_TEXT_FIELD)
        fragment.insert(fragment.length, [moved])
      },
    ],
    [
      'changing a locked clause’s id',
      (d) => clauseElement(d, 'c-2').setAttribute('clauseId', 'c-9'),
    ],
    ['removing a locked clause’s id', (d) => clauseElement(d, 'c-2').removeAttribute('clauseId')],
    [
      'setting a locked id onto another clause',
      (d) => clauseElement(d, 'c-4-2').setAttribute('clauseId', 'c-2'),
    ],
    [
      'a new clause with a locked id',
      (d) => d.getXmlFragment(RICH_TEXT_FIELD).push([newClause('c-3', 'Hours', 'Copied.')]),
    ],
    [
      'deleting everything',
      (d) => {
        const fragment = d.getXmlFragment(RICH_TEXT_FIELD)
        fragment.delete(0, fragment.length)
      },
    ],
  ]

  for (const [what, change] of refused) {
    it(`refuses ${what} and leaves the draft as it was`, async () => {
      const { server, offer } = await draft()
      const before = server.getXmlFragment(RICH_TEXT_FIELD).toString()
      expect(
        offer(
          writer,
          changeFrom(server, (d) => d.transact(() => change(d))),
        )?.reason,
      ).toBe(RefusalReason.locked)
      expect(server.getXmlFragment(RICH_TEXT_FIELD).toString()).toBe(before)
    })
  }

  const allowed: Array<[string, (doc: Y.Doc) => void, string]> = [
    [
      'typing in the clause after a locked one',
      (d) => bodyText(clauseElement(d, 'c-4')).insert(0, 'Paid '),
      'Paid Leave is earned',
    ],
    [
      'a new clause between two locked ones',
      (d) =>
        d.getXmlFragment(RICH_TEXT_FIELD).insert(3, [newClause('c-5', 'Overtime', 'Paid double.')]),
      '<clause clauseId="c-2">',
    ],
    [
      'a new sibling after a locked child clause',
      (d) => clauseElement(d, 'c-4').insert(3, [newClause('c-4-3', 'Holidays', 'Twelve days.')]),
      'Twelve days.',
    ],
    [
      'typing in an unlocked child of an unlocked clause',
      (d) => bodyText(clauseElement(d, 'c-4-2')).insert(0, 'Up to '),
      'Up to Six months.',
    ],
    [
      'moving an unlocked clause past a locked sibling',
      (d) => {
        const element = clauseElement(d, 'c-4-2')
        const moved = element.clone()
        removeClause(d, 'c-4-2')
        clauseElement(d, 'c-4').insert(2, [moved])
      },
      'Parental leave',
    ],
    [
      'a new id on an unlocked clause',
      (d) => clauseElement(d, 'c-4-2').setAttribute('clauseId', 'c-4-9'),
      'c-4-9',
    ],
    [
      'editing the document title',
      (d) =>
        ((d.getXmlFragment(RICH_TEXT_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(
          0,
          'The ',
        ),
      'The Collective',
    ],
    [
      'deleting an unlocked paragraph',
      (d) => clauseElement(d, 'c-4').delete(1, 1),
      '<clauseheading>Leave</clauseheading><clause',
    ],
  ]

  for (const [what, change, expected] of allowed) {
    it(`lets through ${what}`, async () => {
      const { server, offer } = await draft()
      expect(
        offer(
          writer,
          changeFrom(server, (d) => d.transact(() => change(d))),
        ),
      ).toBeNull()
      expect(server.getXmlFragment(RICH_TEXT_FIELD).toString()).toContain(expected)
    })
  }

  it('places a new clause between locked ones where it was written', async () => {
    const { server, offer } = await draft()
    const update = changeFrom(server, (d) =>
      d.getXmlFragment(RICH_TEXT_FIELD).insert(3, [newClause('c-5', 'Overtime', 'Paid double.')]),
    )
    expect(offer(writer, update)).toBeNull()
    const ids = server
      .getXmlFragment(RICH_TEXT_FIELD)
      .toArray()
      .slice(1)
      .map((child) => (child as Y.XmlElement).getAttribute('clauseId'))
    expect(ids).toEqual(['c-1', 'c-2', 'c-5', 'c-3', 'c-4'])
  })

  it('sees a locked clause deleted with its unlocked parent in the update’s deletions', async () => {
    const { server, offer, lastChange } = await draft()
    const child = clauseElement(server, 'c-4-1')
    const text = bodyText(child)
    expect(
      offer(
        writer,
        changeFrom(server, (d) => removeClause(d, 'c-4')),
      )?.reason,
    ).toBe(RefusalReason.locked)
    const deleted = lastChange()?.transaction.deleteSet as Y.Transaction['deleteSet']
    expect(Y.isDeleted(deleted, (child._item as Y.Item).id)).toBe(true)
    expect(Y.isDeleted(deleted, (text._item as Y.Item).id)).toBe(true)
  })

  it('judges an update built on an older state by what it touches', async () => {
    const { server, offer, locked } = await draft()
    locked.delete('c-2')
    // Two writers sync the draft while c-2 is still open.
    const early = new Y.Doc()
    Y.applyUpdate(early, Y.encodeStateAsUpdate(server))
    const late = new Y.Doc()
    Y.applyUpdate(late, Y.encodeStateAsUpdate(server))
    const stale = Y.encodeStateVector(early)
    // Meanwhile others edit around it and c-2 is agreed.
    expect(
      offer(
        writer,
        changeFrom(server, (d) => bodyText(clauseElement(d, 'c-4')).insert(0, 'Paid ')),
      ),
    ).toBeNull()
    expect(
      offer(
        writer,
        changeFrom(server, (d) =>
          d.getXmlFragment(RICH_TEXT_FIELD).insert(3, [newClause('c-6', 'Bonus', 'Yearly.')]),
        ),
      ),
    ).toBeNull()
    locked.add('c-2')
    // The first writer, on its old state, adds a clause right after c-2: it goes through.
    early.getXmlFragment(RICH_TEXT_FIELD).insert(3, [newClause('c-5', 'Overtime', 'Paid double.')])
    expect(offer(writer, Y.encodeStateAsUpdate(early, stale))).toBeNull()
    const after = server.getXmlFragment(RICH_TEXT_FIELD).toString()
    expect(after).toContain('Paid double.')
    expect(after).toContain('Paid Leave')
    // The second, on the same old state, typed into c-2: refused.
    const lateState = Y.encodeStateVector(late)
    bodyText(clauseElement(late, 'c-2')).insert(0, 'All ')
    expect(offer(writer, Y.encodeStateAsUpdate(late, lateState))?.reason).toBe(RefusalReason.locked)
    expect(server.getXmlFragment(RICH_TEXT_FIELD).toString()).toBe(after)
  })

  it('lets everything through once the clauses are unlocked', async () => {
    const { server, offer, locked } = await draft()
    locked.clear()
    expect(
      offer(
        writer,
        changeFrom(server, (d) => bodyText(clauseElement(d, 'c-2')).insert(0, 'All ')),
      ),
    ).toBeNull()
    expect(
      offer(
        writer,
        changeFrom(server, (d) => removeClause(d, 'c-4')),
      ),
    ).toBeNull()
  })
})
