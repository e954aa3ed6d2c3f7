/**
 * The clause locks against a check by content, on random clause trees with random clauses locked
 * and random edits (typing, deleting, bold, new clauses and paragraphs, deleted, moved and renamed
 * clauses), a few to an update. Each update is judged three ways: by the gate, by what the edits
 * aimed at (the generator knows whether it touched a locked clause's subtree), and by comparing the
 * locked clauses' content before and after. The gate must agree with the generator, and an update
 * that changed a locked clause's content must be refused. The seed is printed (set LOCK_SEED to
 * replay one).
 */

import { RefusalReason } from '@onetext/shared/protocol'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { JSONContent } from '@tiptap/core'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { FuzzRandom } from '../../bench/src/fuzz/random'
import type { SharedType } from '../../server/src/gate/GateRule'
import { clause, doc, paragraph, title } from '../helpers/docJson'
import { clauseElements, lockedContent, lockedDraft, writer } from '../helpers/lockedDraft'

const ROUNDS = 150

/** A random clause tree of `count` clauses at most, ids c-1, c-2, ... */
function randomTree(random: FuzzRandom): { json: JSONContent; ids: string[] } {
  const ids: string[] = []
  const build = (depth: number): JSONContent => {
    const id = `c-${ids.length + 1}`
    ids.push(id)
    const body = Array.from({ length: random.int(0, 2) }, () =>
      paragraph(`${random.word()} ${random.word()} ${random.word()}`),
    )
    const children =
      depth < 3 && ids.length < 14
        ? Array.from({ length: random.int(0, depth === 1 ? 3 : 2) }, () => build(depth + 1))
        : []
    return clause(`${random.word()} ${random.word()}`, id, ...body, ...children)
  }
  const top = Array.from({ length: random.int(2, 5) }, () => build(1))
  return { json: doc(...(random.chance(0.5) ? [title(random.word())] : []), ...top), ids }
}

/** The edits of one update on a client's copy, and whether they touched a locked clause. */
class Editor {
  touched = false
  /** Elements this update created (with what is inside them): never deleted again by it. */
  private readonly created = new Set<SharedType>()
  /** Texts one edit of this update changed: no second edit (a deletion could undo the first). */
  private readonly editedTexts = new Set<Y.XmlText>()
  /** Clauses whose id this update set. */
  private readonly renamed = new Set<Y.XmlElement>()
  private fresh = 0

  constructor(
    private readonly doc: Y.Doc,
    private readonly random: FuzzRandom,
    private readonly locked: ReadonlySet<string>,
  ) {}

  private isLockedClause(type: SharedType): boolean {
    if (!(type instanceof Y.XmlElement) || type.nodeName !== 'clause') return false
    const id = type.getAttribute('clauseId')
    return typeof id === 'string' && this.locked.has(id)
  }

  private insideLocked(type: SharedType | null): boolean {
    for (let t = type; t !== null; t = t.parent) if (this.isLockedClause(t)) return true
    return false
  }

  private isNew(type: SharedType | null): boolean {
    for (let t = type; t !== null; t = t.parent) if (this.created.has(t)) return true
    return false
  }

  private holdsLocked(element: Y.XmlElement): boolean {
    if (this.isLockedClause(element)) return true
    return element.toArray().some((c) => c instanceof Y.XmlElement && this.holdsLocked(c))
  }

  private clauses(): Y.XmlElement[] {
    return clauseElements(this.doc).map(({ element }) => element)
  }

  private texts(): Y.XmlText[] {
    const found: Y.XmlText[] = []
    const visit = (container: Y.XmlElement | Y.XmlFragment) => {
      for (const child of container.toArray()) {
        if (child instanceof Y.XmlText) found.push(child)
        else if (child instanceof Y.XmlElement) visit(child)
      }
    }
    visit(this.doc.getXmlFragment(RICH_TEXT_FIELD))
    return found.filter((text) => !this.editedTexts.has(text))
  }

  private touch(touched: boolean): void {
    this.touched ||= touched
  }

  /** Where a clause may go: the document after its title, or a clause after its body. */
  private clausePlace(): { container: Y.XmlFragment | Y.XmlElement; index: number } {
    const fragment = this.doc.getXmlFragment(RICH_TEXT_FIELD)
    const clauses = this.clauses()
    if (clauses.length === 0 || this.random.chance(0.4)) {
      const first = fragment.get(0)
      const start = first instanceof Y.XmlElement && first.nodeName === 'title' ? 1 : 0
      return { container: fragment, index: this.random.int(start, fragment.length) }
    }
    const container = this.random.pick(clauses)
    const children = container.toArray()
    let start = 1
    while (start < children.length && (children[start] as Y.XmlElement).nodeName !== 'clause')
      start++
    return { container, index: this.random.int(start, children.length) }
  }

  private newClause(id: string): Y.XmlElement {
    const element = new Y.XmlElement('clause')
    element.setAttribute('clauseId', id)
    const head = new Y.XmlElement('clauseHeading')
    head.insert(0, [new Y.XmlText(this.random.word())])
    const body = new Y.XmlElement('paragraph')
    body.insert(0, [new Y.XmlText(this.random.word())])
    element.insert(0, [head, body])
    return element
  }

  private someId(): string {
    if (this.locked.size > 0 && this.random.chance(0.25)) return this.random.pick([...this.locked])
    this.fresh++
    return `n-${this.fresh}`
  }

  private oldClause(): Y.XmlElement | null {
    const old = this.clauses().filter((c) => !this.isNew(c))
    return old.length > 0 ? this.random.pick(old) : null
  }

  private removeFromParent(element: Y.XmlElement): void {
    const parent = element.parent as Y.XmlElement | Y.XmlFragment
    parent.delete(parent.toArray().indexOf(element), 1)
  }

  /** Makes one random edit; returns its name. */
  edit(): string {
    const random = this.random
    const kind = random.pick([
      'type',
      'type',
      'delete',
      'bold',
      'clause',
      'paragraph',
      'removeClause',
      'move',
      'rename',
      'removeParagraph',
    ])
    switch (kind) {
      case 'type': {
        const texts = this.texts()
        if (texts.length === 0) return 'none'
        const text = random.pick(texts)
        this.editedTexts.add(text)
        text.insert(random.int(0, text.length), `${random.word()} `)
        this.touch(this.insideLocked(text))
        return kind
      }
      case 'delete':
      case 'bold': {
        const texts = this.texts().filter((t) => t.length > 2 && !this.isNew(t))
        if (texts.length === 0) return 'none'
        const text = random.pick(texts)
        this.editedTexts.add(text)
        const at = random.int(0, text.length - 2)
        const length = random.int(1, text.length - at)
        if (kind === 'delete') text.delete(at, length)
        else text.format(at, length, { bold: {} })
        this.touch(this.insideLocked(text))
        return kind
      }
      case 'clause': {
        const { container, index } = this.clausePlace()
        const id = this.someId()
        const element = this.newClause(id)
        container.insert(index, [element])
        this.created.add(element)
        this.touch(this.insideLocked(container) || this.locked.has(id))
        return kind
      }
      case 'paragraph': {
        const clauses = this.clauses()
        if (clauses.length === 0) return 'none'
        const target = random.pick(clauses)
        const children = target.toArray()
        let end = 1
        while (end < children.length && (children[end] as Y.XmlElement).nodeName !== 'clause') end++
        const element = new Y.XmlElement('paragraph')
        element.insert(0, [new Y.XmlText(random.word())])
        target.insert(random.int(1, end), [element])
        this.created.add(element)
        this.touch(this.insideLocked(target))
        return kind
      }
      case 'removeClause':
      case 'move': {
        const target = this.oldClause()
        if (!target) return 'none'
        this.touch(this.insideLocked(target) || this.holdsLocked(target))
        const copy = target.clone()
        this.removeFromParent(target)
        if (kind === 'move') {
          const { container, index } = this.clausePlace()
          container.insert(index, [copy])
          this.created.add(copy)
          this.touch(this.insideLocked(container))
        }
        return kind
      }
      case 'rename': {
        const target = this.oldClause()
        if (!target || this.renamed.has(target)) return 'none'
        this.renamed.add(target)
        const id = this.someId()
        this.touch(this.insideLocked(target) || this.locked.has(id))
        target.setAttribute('clauseId', id)
        return kind
      }
      default: {
        const withBody = this.clauses().filter(
          (c) => !this.isNew(c) && (c.get(1) as Y.XmlElement | null)?.nodeName === 'paragraph',
        )
        if (withBody.length === 0) return 'none'
        const target = random.pick(withBody)
        const body = target.get(1) as Y.XmlElement
        if (this.isNew(body)) return 'none'
        target.delete(1, 1)
        this.touch(this.insideLocked(target))
        return kind
      }
    }
  }
}

describe('clause locks by touch, against a check by content', () => {
  it('agree on random edits of random clause trees', async () => {
    const seed = Number(process.env.LOCK_SEED ?? Math.floor(Math.random() * 2 ** 31))
    console.log(`clause locks random test: seed ${seed} (LOCK_SEED=${seed} replays it)`)
    const random = new FuzzRandom(seed)
    const verdicts = { refused: 0, accepted: 0 }
    for (let round = 0; round < ROUNDS; round++) {
      const { json, ids } = randomTree(random)
      const locked = new Set(ids.filter(() => random.chance(0.3)))
      const { server, offer } = await lockedDraft(json, locked)
      const client = new Y.Doc()
      Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
      const state = Y.encodeStateVector(client)
      const editor = new Editor(client, random, locked)
      const made: string[] = []
      client.transact(() => {
        for (let i = random.int(1, 3); i > 0; i--) made.push(editor.edit())
      })
      const update = Y.encodeStateAsUpdate(client, state)
      const probe = new Y.Doc()
      Y.applyUpdate(probe, Y.encodeStateAsUpdate(server))
      Y.applyUpdate(probe, update)
      const before = lockedContent(server, locked)
      const changed =
        JSON.stringify([...lockedContent(probe, locked)]) !== JSON.stringify([...before])
      const text = server.getXmlFragment(RICH_TEXT_FIELD).toString()
      const refusal = offer(writer, update)
      const what = `seed ${seed}, round ${round}: ${made.join(', ')}, locked ${[...locked].join(' ')}`
      expect(refusal === null ? null : refusal.reason, what).toBe(
        editor.touched ? RefusalReason.locked : null,
      )
      if (changed) expect(refusal, what).not.toBeNull()
      if (refusal) expect(server.getXmlFragment(RICH_TEXT_FIELD).toString(), what).toBe(text)
      else expect(lockedContent(server, locked), what).toEqual(before)
      verdicts[refusal ? 'refused' : 'accepted']++
    }
    // Both verdicts are exercised.
    expect(verdicts.refused).toBeGreaterThan(ROUNDS / 10)
    expect(verdicts.accepted).toBeGreaterThan(ROUNDS / 10)
  })
})
