/**
 * Suggestions for the circulation benchmark (`circulate --suggestions K`): each party's member
 * writes K word-level changes spread over the party's suggestion copy of the current iteration,
 * as the editor would (a ProseMirror transform written back with `updateYFragment`, over a real
 * websocket with the member's token), and the party's lead shares the changes of every other
 * clause that has some (`POST /api/negotiations/:id/suggestions/share`). After a circulation the
 * members open their copies of the new iteration, as their suggesting view does, which seeds them
 * with the drafts that carry (server/src/negotiation/draftCarry.ts).
 */
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE } from '@onetext/shared/clauses'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { Node as PMNode } from '@tiptap/pm/model'
import { Transform } from '@tiptap/pm/transform'
import { updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap'
import type { ReplayClient } from './replayEngine'
import { connect, login } from './targets/onetextTarget'

/** The demo's parties and the accounts that suggest (member) and share (lead) for each. */
export const BENCH_PARTIES = ['labor', 'mgmt'] as const

/** Changes written into a copy in one transaction (a burst of editing). */
const CHANGES_PER_EDIT = 25

/** A party at the table: its id and its member's and lead's session tokens. */
export interface BenchParty {
  id: string
  memberToken: string
  leadToken: string
}

/** What {@link seedSuggestions} wrote: changes per party and the clauses shared. */
export interface SeededSuggestions {
  parties: BenchParty[]
  changesPerParty: number
  clausesWithChanges: number
  clausesShared: number
}

/** A paragraph of a bench clause: where its text starts, its words, and its clause. */
interface Paragraph {
  textStart: number
  text: string
  clauseId: string
}

/** The paragraphs of the clauses the benchmark added (ids `bench-…`), in document order. */
function benchParagraphs(doc: PMNode): Paragraph[] {
  const found: Paragraph[] = []
  const visit = (node: PMNode, pos: number, clauseId: string | null) => {
    node.forEach((child, offset) => {
      const at = pos + offset
      if (child.type.name === CLAUSE_NODE) {
        visit(child, at + 1, String(child.attrs[CLAUSE_ID_ATTRIBUTE]))
      } else if (child.type.name === 'paragraph' && clauseId?.startsWith('bench-')) {
        found.push({ textStart: at + 1, text: child.textContent, clauseId })
      }
    })
  }
  visit(doc, 0, null)
  return found
}

/** One word-level change: where, and what it does to the word there. */
interface PlannedChange {
  paragraph: number
  word: number
  kind: 'insert' | 'delete' | 'replace'
}

/**
 * `count` changes spread evenly over `paragraphs` paragraphs, starting `offset` (0..1) of a step
 * in, so that two parties' changes fall on different paragraphs; a paragraph that gets more than
 * one gets them on words four apart. Kinds in turn: a word inserted, deleted, replaced.
 */
function planChanges(count: number, paragraphs: number, offset: number): PlannedChange[] {
  const kinds = ['insert', 'delete', 'replace'] as const
  const perParagraph = new Map<number, number>()
  return Array.from({ length: count }, (_, index) => {
    const paragraph = Math.min(paragraphs - 1, Math.floor(((index + offset) * paragraphs) / count))
    const slot = perParagraph.get(paragraph) ?? 0
    perParagraph.set(paragraph, slot + 1)
    return { paragraph, word: 3 + 4 * slot, kind: kinds[index % 3] as PlannedChange['kind'] }
  })
}

/** The character offset of word `word` (counted from 0, split on spaces) of `text`. */
function wordAt(text: string, word: number): { at: number; length: number } | null {
  const words = text.split(' ')
  if (word >= words.length || !words[word]) return null
  const at = words.slice(0, word).join(' ').length + (word > 0 ? 1 : 0)
  return { at, length: (words[word] as string).length }
}

/** Writes `changes` into `client`'s copy in one transaction, as the editor would. */
function writeChanges(client: ReplayClient, changes: readonly PlannedChange[]): number {
  const schema = getDocumentSchema()
  const fragment = client.doc.getXmlFragment(RICH_TEXT_FIELD)
  const doc = yXmlFragmentToProseMirrorRootNode(fragment, schema)
  const paragraphs = benchParagraphs(doc)
  const placed = changes
    .map((change) => {
      const paragraph = paragraphs[change.paragraph]
      const word = paragraph ? wordAt(paragraph.text, change.word) : null
      return paragraph && word ? { change, from: paragraph.textStart + word.at, word } : null
    })
    .filter((entry) => entry !== null)
    // From the end, so that the positions of those still to come stay where they are.
    .sort((a, b) => b.from - a.from)
  const tr = new Transform(doc)
  for (const { change, from, word } of placed) {
    if (change.kind === 'insert') tr.insert(from, schema.text('promptly '))
    // The word and the space after it.
    else if (change.kind === 'delete') tr.delete(from, from + word.length + 1)
    else tr.replaceWith(from, from + word.length, schema.text('revised'))
  }
  client.doc.transact(() =>
    updateYFragment(client.doc, fragment, tr.doc, { mapping: new Map(), isOMark: new Map() }),
  )
  return placed.length
}

/** Sends a JSON request as the holder of `token`; throws on an error status. */
async function post<T>(url: string, token: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

/** Opens party `party`'s copy of `iteration` as its member; resolves once synced and seeded. */
export async function openCopy(
  url: string,
  negotiationId: string,
  party: BenchParty,
  iteration: number,
): Promise<ReplayClient> {
  const client = connect(
    url,
    party.memberToken,
    `${negotiationId}.suggest.${party.id}.${iteration}`,
  )
  await client.synced()
  if (client.doc.getXmlFragment(RICH_TEXT_FIELD).length === 0)
    throw new Error(`the copy of ${party.id} of Single Text ${iteration} is empty`)
  return client
}

/**
 * Each party's member writes `count` changes into the party's copy of `iteration` (in bursts of
 * {@link CHANGES_PER_EDIT}) and waits until they are on disk; the lead then shares the changes of
 * every other clause with changes. Leaves the copies closed.
 */
export async function seedSuggestions(
  url: string,
  negotiationId: string,
  iteration: number,
  count: number,
): Promise<SeededSuggestions> {
  const parties: BenchParty[] = []
  for (const id of BENCH_PARTIES)
    parties.push({
      id,
      memberToken: await login(url, `${id}.member@demo.test`),
      leadToken: await login(url, `${id}.lead@demo.test`),
    })
  let clausesWithChanges = 0
  let clausesShared = 0
  for (const [index, party] of parties.entries()) {
    const client = await openCopy(url, negotiationId, party, iteration)
    const schema = getDocumentSchema()
    const paragraphs = benchParagraphs(
      yXmlFragmentToProseMirrorRootNode(client.doc.getXmlFragment(RICH_TEXT_FIELD), schema),
    )
    const plan = planChanges(count, paragraphs.length, (index + 0.5) / parties.length)
    for (let first = 0; first < plan.length; first += CHANGES_PER_EDIT)
      writeChanges(client, plan.slice(first, first + CHANGES_PER_EDIT))
    await client.saved()
    client.destroy()
    const clauses = [
      ...new Set(plan.map((change) => (paragraphs[change.paragraph] as Paragraph).clauseId)),
    ]
    const shared = clauses.filter((_, position) => position % 2 === 0)
    await post(url, party.leadToken, `/api/negotiations/${negotiationId}/suggestions/share`, {
      iteration,
      clauseIds: shared,
    })
    clausesWithChanges += clauses.length
    clausesShared += shared.length
  }
  return { parties, changesPerParty: count, clausesWithChanges, clausesShared }
}
