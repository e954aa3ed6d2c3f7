/**
 * What the tests of several processes behind nginx do as clients and as the operator: start a
 * negotiation through the API, invite a demo account into it, make random edits with a seeded
 * random source, and read a document exactly as PostgreSQL holds it.
 */
import * as Y from 'yjs'
import { openPostgresStores } from '../../server/src/storage/postgres/openPostgresStores'
import { callApi } from './api'

/**
 * Starts a negotiation titled `title` as the holder of `token` (an organizer) through the server
 * or balancer at `baseUrl`; resolves with its id and its parties' ids. Throws unless it is created.
 */
export async function startNegotiation(
  baseUrl: string,
  token: string,
  title: string,
): Promise<{ id: string; parties: string[] }> {
  const created = await callApi<{ id: string; parties: Array<{ id: string }> }>(
    baseUrl,
    'POST',
    '/api/negotiations',
    token,
    {
      title,
      parties: ['Union coalition', 'Management'],
      format: 'md',
      content: `# ${title}\n\nThe parties agree that every acknowledged edit stays.\n`,
    },
  )
  if (created.status !== 201) throw new Error(`starting ${title}: ${created.status}`)
  return { id: created.body.id, parties: created.body.parties.map((party) => party.id) }
}

/**
 * Invites the demo account `email` (whose password is `password`) into `negotiationId` as a member of
 * `partyId` and accepts for it; throws unless both succeed.
 */
export async function addDemoMember(
  baseUrl: string,
  mediatorToken: string,
  negotiationId: string,
  email: string,
  partyId: string,
  password: string,
): Promise<void> {
  const invite = await callApi<{ token: string }>(
    baseUrl,
    'POST',
    `/api/negotiations/${negotiationId}/invites`,
    mediatorToken,
    { email, role: 'party-member', partyId },
  )
  if (invite.status !== 201 && invite.status !== 200)
    throw new Error(`inviting ${email}: ${invite.status}`)
  const accepted = await callApi(
    baseUrl,
    'POST',
    `/api/invites/${invite.body.token}/accept`,
    null,
    {
      password,
    },
  )
  if (accepted.status !== 200) throw new Error(`accepting for ${email}: ${accepted.status}`)
}

/** Every text node of a document's rich text, in document order. */
function textNodes(doc: Y.Doc): Y.XmlText[] {
  const found: Y.XmlText[] = []
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) found.push(child)
      else if (child instanceof Y.XmlElement) walk(child)
    }
  }
  walk(doc.getXmlFragment('default'))
  return found
}

const WORDS = ['wage', 'hours', 'leave', 'notice', 'grievance', 'shift', 'overtime', 'seniority']

/**
 * One random edit of `doc`'s rich text drawn from `random`: inserts a word into a text node (most
 * often), deletes up to 3 characters, or appends a paragraph holding `tag`.
 */
export function randomEdit(doc: Y.Doc, random: () => number, tag: string): void {
  const nodes = textNodes(doc)
  const node = nodes[Math.floor(random() * nodes.length)]
  const roll = random()
  if (!node || roll < 0.1) {
    doc.transact(() => {
      const paragraph = new Y.XmlElement('paragraph')
      paragraph.insert(0, [new Y.XmlText(tag)])
      const fragment = doc.getXmlFragment('default')
      fragment.insert(fragment.length, [paragraph])
    })
    return
  }
  if (roll < 0.3 && node.length > 3) {
    const at = Math.floor(random() * (node.length - 3))
    node.delete(at, 1 + Math.floor(random() * 3))
    return
  }
  const word = WORDS[Math.floor(random() * WORDS.length)] as string
  node.insert(Math.floor(random() * (node.length + 1)), ` ${word}`)
}

/**
 * The documents `names` exactly as the PostgreSQL database at `url` holds them (snapshot plus log),
 * each loaded into a fresh Y.Doc; read without taking any lease.
 */
export async function loadFromPostgres(url: string, names: readonly string[]): Promise<Y.Doc[]> {
  const stores = await openPostgresStores(url)
  try {
    const docs: Y.Doc[] = []
    for (const name of names) {
      const stored = await stores.documents.load(name)
      const doc = new Y.Doc()
      for (const update of [stored.snapshot, ...stored.updates])
        if (update) Y.applyUpdate(doc, update)
      docs.push(doc)
    }
    return docs
  } finally {
    await stores.close()
  }
}
