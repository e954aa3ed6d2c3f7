/**
 * The update gate's own steps on plain documents: structure within limits, roots, client-ID
 * ownership, references to what the document has, depth and the rich-text schema. Each refused
 * update leaves the document as it was; each accepted one is applied.
 */
import type { PresenceUser } from '@onetext/shared/apiTypes'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import { MAX_CLOCK, MAX_TREE_DEPTH, MAX_UPDATE_STRUCTS } from '@onetext/shared/limits'
import { RefusalReason } from '@onetext/shared/protocol'
import { getDocumentSchema } from '@onetext/shared/schema'
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap'
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { richTextRule } from '../../server/src/gate/richTextRule'
import { readUpdateStructure } from '../../server/src/gate/updateStructure'
import { clause, doc, paragraph } from '../helpers/docJson'
import { changeFrom, gateOn } from '../helpers/gateHarness'

const ana: PresenceUser = {
  id: 'u-ana',
  name: 'Ana',
  color: '#000',
  role: 'mediator',
  partyId: null,
}
const ben: PresenceUser = {
  id: 'u-ben',
  name: 'Ben',
  color: '#000',
  role: 'drafting-team',
  partyId: 'labor',
}

/** A working draft of one clause with one paragraph, held by the server, behind a gate with the draft's rules. */
async function draft() {
  const server = new Y.Doc()
  prosemirrorJSONToYXmlFragment(
    getDocumentSchema(),
    doc(clause('Scope', 'c-1', paragraph('The parties agree.'))),
    server.getXmlFragment('default'),
  )
  const gated = await gateOn(server, {
    roots: DOCUMENT_ROOTS.draft,
    rules: [richTextRule],
  })
  return { server, ...gated }
}

/** The draft's one clause. */
function firstClause(doc: Y.Doc): Y.XmlElement {
  return doc.getXmlFragment('default').get(0) as Y.XmlElement
}

/** The clause's paragraph element. */
function paragraphElement(doc: Y.Doc): Y.XmlElement {
  return firstClause(doc).get(1) as Y.XmlElement
}

/** The text of the clause's paragraph. */
function paragraphText(doc: Y.Doc): Y.XmlText {
  return paragraphElement(doc).get(0) as Y.XmlText
}

/** A hand-encoded update v1 of one client section with raw struct bytes, and an empty delete set. */
function handmade(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

describe('the update gate', () => {
  it('applies an honest edit and refuses nothing an editor writes', async () => {
    const { server, offer } = await draft()
    const update = changeFrom(server, (doc) => {
      paragraphText(doc).insert(0, 'Both ')
      paragraphText(doc).format(0, 4, { bold: {} })
      const list = new Y.XmlElement('bulletList')
      const item = new Y.XmlElement('listItem')
      const inner = new Y.XmlElement('paragraph')
      inner.insert(0, [new Y.XmlText('first')])
      item.insert(0, [inner])
      list.insert(0, [item])
      firstClause(doc).push([list])
    })
    expect(offer(ana, update)).toBeNull()
    expect(paragraphText(server).toString()).toBe('<bold>Both</bold> The parties agree.')
  })

  it('takes an element with fewer children than the schema wants, which every editor renders', async () => {
    // Honest editing leaves such elements: a converge run of editor-made edits with undo and redo
    // had a party lead's change creating an <orderedList> with no item. Refusing it threw the
    // writer's own edit away; the editors render the element as it is.
    const { server, offer } = await draft()
    const update = changeFrom(server, (doc) =>
      firstClause(doc).push([new Y.XmlElement('bulletList')]),
    )
    expect(offer(ana, update)).toBeNull()
    expect(firstClause(server).toString()).toContain('<bulletlist></bulletlist>')
  })

  it('drops the deletions the document already has and applies the new ones', async () => {
    const { server, gate, owners } = await draft()
    // A writer deletes a word, the server has it; then its sync step 2 repeats the whole delete set
    // with one new deletion in it.
    const writer = new Y.Doc()
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(server))
    const origin = {}
    const old = Y.encodeStateVector(writer)
    paragraphText(writer).delete(0, 4)
    const first = gate.check(Y.encodeStateAsUpdate(writer, old), ana, origin)
    expect(first.refused).toBeUndefined()
    Y.applyUpdate(server, first.accepted as Uint8Array, origin)
    gate.applied(ana)
    const repeated = Y.encodeStateAsUpdate(writer, Y.encodeStateVector(server))
    expect(readUpdateStructure(repeated).deletions.length).toBeGreaterThan(0)
    const again = gate.check(repeated, ana, origin)
    expect(again.accepted && readUpdateStructure(again.accepted).deletions).toEqual([])
    Y.applyUpdate(server, again.accepted as Uint8Array, origin)
    // A deletion the server lacks, sent with the ones it has: only the new one is kept.
    const shadow = new Y.Doc()
    Y.applyUpdate(shadow, Y.encodeStateAsUpdate(writer))
    paragraphText(shadow).delete(0, 3)
    const mixed = Y.encodeStateAsUpdate(shadow, Y.encodeStateVector(server))
    const verdict = gate.check(mixed, ana, origin)
    expect(verdict.refused).toBeUndefined()
    const kept = readUpdateStructure(verdict.accepted as Uint8Array).deletions
    expect(kept.map((section) => section.ranges.length / 2)).toEqual([1])
    Y.applyUpdate(server, verdict.accepted as Uint8Array, origin)
    expect(paragraphText(server).toString()).toBe(paragraphText(shadow).toString())
    expect(paragraphText(server).toString()).toBe('ties agree.')
    expect(owners.ownerOf(writer.clientID)).toBeUndefined()
  })

  it('takes from a struct that starts inside what the document has only the part it lacks', async () => {
    const { server, gate } = await draft()
    // An honest writer's first edit reaches the server; its acknowledgement is lost, and it sends
    // that edit again merged with the next one, as one struct.
    const writer = new Y.Doc()
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(server))
    const origin = {}
    const start = Y.encodeStateVector(writer)
    paragraphText(writer).insert(0, 'Both ')
    const first = gate.check(Y.encodeStateAsUpdate(writer, start), ana, origin)
    Y.applyUpdate(server, first.accepted as Uint8Array, origin)
    gate.applied(ana)
    paragraphText(writer).insert(5, 'of the ')
    const merged = Y.encodeStateAsUpdate(writer, start)
    const { items } = readUpdateStructure(merged)
    expect(items.client.length).toBe(1)
    const again = gate.check(merged, ana, origin)
    expect(again.refused).toBeUndefined()
    Y.applyUpdate(server, again.accepted as Uint8Array, origin)
    expect(paragraphText(server).toString()).toBe('Both of the The parties agree.')
    expect(Y.encodeStateVector(server)).toEqual(Y.encodeStateVector(writer))
  })

  it('judges what a forged straddling struct adds where Yjs would put it', async () => {
    const { server, offer } = await draft()
    const writer = 0x5eed
    expect(
      offer(
        ana,
        changeFrom(server, (doc) => paragraphText(doc).insert(0, 'a'), writer),
      ),
    ).toBeNull()
    const before = Y.encodeStateAsUpdate(server)
    expect(
      offer(
        ana,
        changeFrom(server, (doc) => paragraphText(doc).insert(1, 'b'), writer),
      ),
    ).toBeNull()
    // A copy that lacks the writer's second character writes two more under the same clocks,
    // elsewhere (in the clause heading): only the second is new.
    const copy = new Y.Doc()
    Y.applyUpdate(copy, before)
    copy.clientID = writer
    const state = Y.encodeStateVector(copy)
    const heading = (firstClause(copy).get(0) as Y.XmlElement).get(0) as Y.XmlText
    heading.insert(0, 'ZZ')
    const straddling = Y.encodeStateAsUpdate(copy, state)
    const headingBefore = (firstClause(server).get(0) as Y.XmlElement).toString()
    const paragraphBefore = paragraphText(server).toString()
    // Under another person's client the part is refused like any other write.
    expect(offer(ben, straddling)?.reason).toBe(RefusalReason.foreignClient)
    // Under the writer's own, the part would sit after 'b' with its right neighbour in the
    // heading: no place at all (originOrder.ts).
    expect(offer(ana, straddling)?.reason).toBe(RefusalReason.malformed)
    expect(paragraphText(server).toString()).toBe(paragraphBefore)
    expect((firstClause(server).get(0) as Y.XmlElement).toString()).toBe(headingBefore)
  })

  it("refuses a right origin in another element or another client's item on the left, and takes one of the origin's item without it", async () => {
    const { server, offer } = await draft()
    const text = paragraphText(server).toString()
    /** An insertion of 'x' at `at` whose right origin is forged to `rightOrigin`. */
    const forged = (at: number, rightOrigin: Y.ID | null) =>
      changeFrom(server, (doc) => {
        paragraphText(doc).insert(at, 'x')
        const item = doc.store.clients.get(doc.clientID)?.[0] as Y.Item
        item.rightOrigin = rightOrigin
      })
    // Right origin in another element (the clause heading): no place in either list.
    const heading = ((firstClause(server).get(0) as Y.XmlElement).get(0) as Y.XmlText)
      ._start as Y.Item
    expect(offer(ana, forged(12, heading.id))?.reason).toBe(RefusalReason.malformed)
    // Origin "agree", right origin an earlier writer's 'w' at the start: each peer would place the
    // 'x' where its own list ends.
    expect(
      offer(
        ana,
        changeFrom(server, (doc) => paragraphText(doc).insert(0, 'w')),
      ),
    ).toBeNull()
    const written = paragraphText(server)._start as Y.Item
    expect(offer(ana, forged(13, written.id))?.reason).toBe(RefusalReason.malformed)
    expect(paragraphText(server).toString()).toBe(`w${text}`)
    // Right origin "The", of the same item as the origin: the item is taken without its right
    // origin, after "agree" on the server, on a reload and on a peer that applies what the server
    // relays.
    const peer = new Y.Doc()
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(server))
    server.on('update', (relayed: Uint8Array) => Y.applyUpdate(peer, relayed))
    const paragraph = written.right as Y.Item
    expect(offer(ana, forged(13, paragraph.id))).toBeNull()
    // Yjs settles it against "agree." (the rest of the item its origin ends) as against a
    // concurrent insertion after the same origin: by client ID.
    expect(paragraphText(server).toString()).toMatch(/^wThe parties (xagree\.|agree\.x)$/)
    const reloaded = new Y.Doc()
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(server))
    expect(paragraphText(reloaded).toString()).toBe(paragraphText(server).toString())
    expect(paragraphText(peer).toString()).toBe(paragraphText(server).toString())
    // Two honest writers at one place: the second one's right neighbour is past the first's 'x'.
    const first = changeFrom(server, (doc) => paragraphText(doc).insert(5, 'x'))
    const second = changeFrom(server, (doc) => paragraphText(doc).insert(5, 'y'))
    expect(offer(ana, first)).toBeNull()
    expect(offer(ana, second)).toBeNull()
    expect(paragraphText(server).toString()).toMatch(/^wThe (xy|yx)parties (xagree\.|agree\.x)$/)
  })

  it("places an item whose right origin lies in its origin's own run after the origin, on every copy", async () => {
    const { server, offer } = await draft()
    // Yjs's UndoManager redoes an item beside another it redid with the same item as left and right
    // neighbour: origin its last character, right origin its first. Here the run "abcdefgh" was cut
    // at "e" for that moment and joined again: the update holds the run as one struct.
    const author = new Y.Doc()
    Y.applyUpdate(author, Y.encodeStateAsUpdate(server))
    const before = Y.encodeStateVector(author)
    const text = paragraphText(author)
    text.insert(text.length, 'abcdefgh')
    const run = (author.store.clients.get(author.clientID) as Y.Item[])[0] as Y.Item
    Y.transact(author, (transaction) => {
      const tail = Y.getItemCleanStart(transaction, Y.createID(run.id.client, run.id.clock + 4))
      const redone = new Y.Item(
        Y.createID(author.clientID, Y.getState(author.store, author.clientID)),
        tail,
        tail.lastId,
        tail,
        tail.id,
        text,
        null,
        new Y.ContentString('X'),
      )
      redone.integrate(transaction, 0)
    })
    expect(text.toString()).toBe('The parties agree.abcdefghX')
    const update = Y.encodeStateAsUpdate(author, before)
    expect(readUpdateStructure(update).items.client.length).toBe(2)
    // As offered, Yjs would put the 'X' before "efgh" here and after it on a reload of the same
    // document: the gate drops its right origin, and every copy has it after "h".
    const peer = new Y.Doc()
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(server))
    server.on('update', (relayed: Uint8Array) => Y.applyUpdate(peer, relayed))
    expect(offer(ana, update)).toBeNull()
    expect(paragraphText(server).toString()).toBe(text.toString())
    const reloaded = new Y.Doc()
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(server))
    expect(paragraphText(reloaded).toString()).toBe(text.toString())
    expect(paragraphText(peer).toString()).toBe(text.toString())
  })

  it('refuses a live map entry holding more than one value, and takes deleted runs of entries', async () => {
    const annotations = async (server = new Y.Doc()) =>
      gateOn(server, { roots: DOCUMENT_ROOTS.layer, rules: [] }, 'test.layer.labor')
    /** One struct of `client` at clock 0, under key `k` of the root: `content`. */
    const entry = (client: number, content: Y.ContentString | Y.ContentAny) => {
      const encoder = new Y.UpdateEncoderV1()
      encoding.writeVarUint(encoder.restEncoder, 1)
      encoding.writeVarUint(encoder.restEncoder, 1)
      encoder.writeClient(client)
      encoding.writeVarUint(encoder.restEncoder, 0)
      // Item.write names a root by its name when the parent is one (as Yjs reads it back).
      const root = 'annotations' as unknown as Y.AbstractType<unknown>
      new Y.Item(Y.createID(client, 0), null, null, null, null, root, 'k', content).write(
        encoder,
        0,
      )
      encoding.writeVarUint(encoder.restEncoder, 0)
      return encoder.toUint8Array()
    }
    // Yjs keeps one live value per key, the last; a struct of six values would be cut by the next
    // entry written after its third into live values that are not the last, which a peer that
    // applied it as it came keeps and a reload of the same document deletes.
    const { offer } = await annotations()
    const writer = 0x7a11
    expect(offer(ana, entry(writer, new Y.ContentString('abcdef')))?.reason).toBe(
      RefusalReason.malformed,
    )
    expect(offer(ana, entry(writer, new Y.ContentAny([1, 2])))?.reason).toBe(
      RefusalReason.malformed,
    )
    // An honest copy that keeps deleted entries (no garbage collection) sends a key's old values as
    // one deleted run: taken, and the server, a reload and the writer agree.
    const honest = new Y.Doc({ gc: false })
    for (let value = 0; value < 5; value++) honest.getMap('annotations').set('k', value)
    const server = new Y.Doc()
    const target = await annotations(server)
    expect(target.offer(ana, Y.encodeStateAsUpdate(honest))).toBeNull()
    const reloaded = new Y.Doc()
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(server))
    for (const copy of [server, reloaded])
      expect(copy.getMap('annotations').toJSON()).toEqual({ k: 4 })
    expect(Y.equalSnapshots(Y.snapshot(server), Y.snapshot(reloaded))).toBe(true)
  })

  it('refuses deleted ranges out of order or overlapping, and takes them sorted and apart', () => {
    const deleteSet = (ranges: Array<[number, number]>) =>
      handmade((e) => {
        encoding.writeVarUint(e, 0) // no structs
        encoding.writeVarUint(e, 1) // one deleting client
        encoding.writeVarUint(e, 7)
        encoding.writeVarUint(e, ranges.length)
        for (const [clock, length] of ranges) {
          encoding.writeVarUint(e, clock)
          encoding.writeVarUint(e, length)
        }
      })
    expect(() =>
      readUpdateStructure(
        deleteSet([
          [5, 1],
          [2, 1],
        ]),
      ),
    ).toThrow(/out of order/)
    expect(() =>
      readUpdateStructure(
        deleteSet([
          [2, 3],
          [4, 1],
        ]),
      ),
    ).toThrow(/overlapping/)
    expect(
      readUpdateStructure(
        deleteSet([
          [2, 2],
          [4, 1],
          [9, 1],
        ]),
      ).deletions,
    ).toHaveLength(1)
  })

  it('reads updates without trusting their integers, lengths or tags', () => {
    const huge = handmade((e) => {
      encoding.writeVarUint(e, 1) // one client section
      encoding.writeVarUint(e, 1) // one struct
      encoding.writeVarUint(e, 7) // client
      encoding.writeVarUint(e, 2 ** 53) // clock
    })
    expect(() => readUpdateStructure(huge)).toThrow(/above/)
    const pastEnd = handmade((e) => {
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, 7)
      encoding.writeVarUint(e, 0)
      encoding.writeUint8(e, 4) // a string item with parent info
      encoding.writeVarUint(e, 1)
      encoding.writeVarString(e, 'default')
      encoding.writeVarUint(e, 1000) // a string of 1000 bytes that are not there
    })
    expect(() => readUpdateStructure(pastEnd)).toThrow(
      /unexpected end of the update \(a string: 1000 bytes/,
    )
    const binary = handmade((e) => {
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, 7)
      encoding.writeVarUint(e, 0)
      encoding.writeUint8(e, 3) // binary content
      encoding.writeVarUint(e, 1)
      encoding.writeVarString(e, 'default')
      encoding.writeVarUint8Array(e, new Uint8Array([1, 2]))
      encoding.writeVarUint(e, 0)
    })
    expect(() => readUpdateStructure(binary)).toThrow(/content kind 3/)
    const pastClock = handmade((e) => {
      encoding.writeVarUint(e, 0)
      encoding.writeVarUint(e, 1) // one deleting client
      encoding.writeVarUint(e, 7)
      encoding.writeVarUint(e, 1)
      encoding.writeVarUint(e, MAX_CLOCK)
      encoding.writeVarUint(e, 5)
    })
    expect(() => readUpdateStructure(pastClock)).toThrow(/passes clock/)
    expect(() => readUpdateStructure(new Uint8Array([0, 0, 0]))).toThrow(/bytes after/)
  })

  it('refuses a malformed update and leaves the document as it was', async () => {
    const { server, offer } = await draft()
    const before = Y.encodeStateAsUpdate(server)
    const refusal = offer(ana, new Uint8Array([1, 1, 7, 0, 4, 1, 7, 100, 101]))
    expect(refusal?.reason).toBe(RefusalReason.malformed)
    expect(Y.encodeStateAsUpdate(server)).toEqual(before)
  })

  it('lets only the user who introduced a client ID write under it', async () => {
    const { server, offer, owners } = await draft()
    expect(
      offer(
        ana,
        changeFrom(server, (doc) => paragraphText(doc).insert(0, 'A'), 1234),
      ),
    ).toBeNull()
    expect(owners.ownerOf(1234)).toBe(ana.id)
    const forged = changeFrom(server, (doc) => paragraphText(doc).insert(0, 'B'), 1234)
    expect(offer(ben, forged)?.reason).toBe(RefusalReason.foreignClient)
    expect(paragraphText(server).toString()).toBe('AThe parties agree.')
    expect(
      offer(
        ana,
        changeFrom(server, (doc) => paragraphText(doc).insert(0, 'C'), 1234),
      ),
    ).toBeNull()
    // Deleting another's text under one's own ID is editing, not forging.
    expect(
      offer(
        ben,
        changeFrom(server, (doc) => paragraphText(doc).delete(0, 2), 99),
      ),
    ).toBeNull()
  })

  it('refuses what builds on something the document does not have', async () => {
    const { server, offer } = await draft()
    const client = new Y.Doc()
    client.clientID = 555
    Y.applyUpdate(client, Y.encodeStateAsUpdate(server))
    const updates: Uint8Array[] = []
    client.on('update', (update: Uint8Array) => updates.push(update))
    paragraphText(client).insert(0, 'one ')
    paragraphText(client).insert(0, 'two ')
    // The second builds on the first, which the server never got.
    expect(offer(ana, updates[1] as Uint8Array)?.reason).toBe(RefusalReason.buildsOnRefused)
    expect(offer(ana, updates[0] as Uint8Array)).toBeNull()
    expect(offer(ana, updates[1] as Uint8Array)).toBeNull()
  })

  it('refuses writes to roots the document kind does not have', async () => {
    const { server, offer } = await draft()
    const update = changeFrom(server, (doc) => doc.getMap('elsewhere').set('k', 'v'))
    expect(offer(ana, update)?.reason).toBe(RefusalReason.serverOnly)
    expect(server.share.has('elsewhere')).toBe(false)
  })

  it('refuses content the schema does not have, with the reason', async () => {
    const { server, offer } = await draft()
    const cases: Array<[string, (doc: Y.Doc) => void]> = [
      [
        'an unknown element',
        (doc) => doc.getXmlFragment('default').push([new Y.XmlElement('script')]),
      ],
      ['an unknown attribute', (doc) => paragraphElement(doc).setAttribute('onclick', 'x')],
      [
        'a level on a clause (computed from its depth, never stored)',
        (doc) => firstClause(doc).setAttribute('level', 2 as unknown as string),
      ],
      ['an unknown mark', (doc) => paragraphText(doc).format(0, 3, { blink: {} })],
      [
        'a javascript: link',
        (doc) => paragraphText(doc).format(0, 3, { link: { href: 'java\tscript:alert(1)' } }),
      ],
      [
        'text directly in the document',
        (doc) => doc.getXmlFragment('default').push([new Y.XmlText('loose')]),
      ],
      [
        'a clause inside a paragraph',
        (doc) => paragraphElement(doc).push([new Y.XmlElement('clause')]),
      ],
      [
        'an attribute holding a shared type',
        (doc) => paragraphElement(doc).setAttribute('x', new Y.Map() as unknown as string),
      ],
    ]
    const before = Y.encodeStateAsUpdate(server)
    for (const [what, change] of cases) {
      const refusal = offer(ana, changeFrom(server, change))
      expect(refusal?.reason, what).toBe(RefusalReason.schema)
    }
    expect(Y.encodeStateAsUpdate(server)).toEqual(before)
  })

  it(`refuses a tree deeper than ${MAX_TREE_DEPTH} levels without overflowing the stack`, async () => {
    const { server, offer } = await draft()
    const update = changeFrom(server, (doc) => {
      doc.transact(() => {
        // Built from the outside in, each level inserted into an integrated one (a nested
        // preliminary tree would overflow the stack of the client building it).
        let inner = new Y.XmlElement('blockquote')
        doc.getXmlFragment('default').push([inner])
        for (let depth = 0; depth < MAX_UPDATE_STRUCTS - 1; depth++) {
          const next = new Y.XmlElement('blockquote')
          inner.insert(0, [next])
          inner = next
        }
      })
    })
    expect(offer(ana, update)?.reason).toBe(RefusalReason.schema)
    expect(server.getXmlFragment('default').length).toBe(1)
  })
})
