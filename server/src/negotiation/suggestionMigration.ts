/**
 * The migration of whole-clause proposals (legacyProposals.ts) to suggestions (document format 3,
 * `DOCUMENT_FORMAT`). At start, after the clause-tree migration and before the server listens,
 * every negotiation's proposals are rewritten once:
 *
 * - Each proposal's words are written into its party's suggestion copy as the proposal's author:
 *   the clause keeps the copy's heading and child clauses, its body becomes the proposal's text
 *   (`textToBlocks`), written from a temporary Y.Doc whose fresh client ID the copy's ownership
 *   record gives to the author, with the copy's attribution and journal entries (AttributionJournal)
 *   naming them; so the changes read as that author's word-level suggestions.
 * - The copy is that of the proposal's iteration, or of the latest one when every change carries
 *   onto the latest text unchanged (rebaseSpan); a proposal whose words changed since stays written
 *   against its own iteration.
 * - A copy holds one text of a clause: of several proposals a party made on one clause, the latest
 *   draft is written into it, and the other drafts' words are kept in full in the clause's
 *   rationale (proposalsPerClause.ts).
 * - A shared proposal becomes a shared suggestion with the same id (votes name it), its rationale
 *   and who shared it when: open, accepted when it was adopted (the clause's provenance entry then
 *   names the suggestion), or outdated when the text it was written against changed.
 * - Votes' `proposalId` becomes `suggestionId`, activity kind `proposal-shared` becomes
 *   `suggestions-shared`, and the layers' and status document's `proposals` entries are deleted.
 *
 * A negotiation without proposals is left as it is, and one already migrated holds none, so running
 * the migration again changes nothing. A proposal that cannot be rewritten (its clause is gone from
 * its iteration) is named in the log and dropped.
 */
import { CLAUSE_HEADING_NODE, CLAUSE_NODE } from '@onetext/shared/clauses'
import { parseDocumentName } from '@onetext/shared/documentNames'
import { getDocumentSchema } from '@onetext/shared/schema'
import {
  type ActivityEntry,
  type ClauseState,
  type Provenance,
  type SharedChange,
  type SharedChangeStatus,
  type SharedSuggestion,
  STATUS_ROOTS,
} from '@onetext/shared/statusDoc'
import {
  ATTRIBUTION_ROOT,
  JOURNAL_ROOT,
  type JournalEntry,
  RATIONALES_ROOT,
  readSeed,
} from '@onetext/shared/suggestions/copyDoc'
import { type ClauseChange, diffClause } from '@onetext/shared/suggestions/diff'
import { clauseTokens } from '@onetext/shared/suggestions/tokens'
import { Fragment, type Node as PMNode, type Schema } from '@tiptap/pm/model'
import { updateYFragment, yXmlFragmentToProseMirrorFragment } from '@tiptap/y-tiptap'
import * as Y from 'yjs'
import type { ClientOwners } from '../gate/ClientOwners'
import type { DocumentStore } from '../storage/DocumentStore'
import { SERVER_ORIGIN } from '../sync/origins'
import { findClauseElement, textToBlocks } from './draftOps'
import {
  LEGACY_PROPOSALS_ROOT,
  type LegacyProposal,
  mergeProposals,
  readLayerProposals,
  readSharedProposals,
} from './legacyProposals'
import type { NegotiationDocs } from './NegotiationDocs'
import { displacedDraftNote, proposalsPerClause } from './proposalsPerClause'
import { applyPlaced, findClauseNode, placeChanges } from './suggestionChanges'
import { freezeChanges } from './suggestionRecords'

/** The stored-document format in which proposals are suggestions (see DocumentStore.ts). */
export const SUGGESTIONS_FORMAT = 3

/** Where a proposal goes: the copy's iteration, the clause's new body, its changes and status. */
interface Plan {
  proposal: LegacyProposal
  iteration: number
  body: PMNode[]
  changes: ClauseChange[]
  status: SharedChangeStatus
  carriedFrom: number[]
}

/** The body blocks of a clause: those between its heading and its first child clause. */
function bodyRange(clause: PMNode): { start: number; end: number } {
  let start = 0
  while (start < clause.childCount && clause.child(start).type.name === CLAUSE_HEADING_NODE) start++
  let end = start
  while (end < clause.childCount && clause.child(end).type.name !== CLAUSE_NODE) end++
  return { start, end }
}

function bodyOf(clause: PMNode): PMNode[] {
  const { start, end } = bodyRange(clause)
  const out: PMNode[] = []
  for (let index = start; index < end; index++) out.push(clause.child(index))
  return out
}

/** `clause` with its body replaced by `body` (heading and child clauses kept). */
function withBody(clause: PMNode, body: readonly PMNode[]): PMNode {
  const { start, end } = bodyRange(clause)
  const children: PMNode[] = []
  clause.forEach((child, _offset, index) => {
    if (index === start) children.push(...body)
    if (index < start || index >= end) children.push(child)
  })
  if (start >= clause.childCount) children.push(...body)
  const next = clause.type.create(clause.attrs, Fragment.from(children), clause.marks)
  next.check()
  return next
}

/** The blocks `textToBlocks` makes of a proposal's text, as ProseMirror nodes. */
function textBlocks(text: string, schema: Schema): PMNode[] {
  const doc = new Y.Doc()
  const fragment = doc.getXmlFragment('blocks')
  fragment.insert(0, textToBlocks(text))
  const blocks: PMNode[] = []
  yXmlFragmentToProseMirrorFragment(fragment, schema).forEach((node) => {
    blocks.push(node)
  })
  doc.destroy()
  return blocks
}

/** The clause element as a ProseMirror clause node. */
function clauseNodeOf(element: Y.XmlElement, schema: Schema): PMNode {
  const type = schema.nodes[CLAUSE_NODE]
  if (!type) throw new Error('the schema has no clause node')
  return type.create(element.getAttributes(), yXmlFragmentToProseMirrorFragment(element, schema))
}

/** A client ID that neither the copy nor its ownership record knows. */
function freshClient(doc: Y.Doc, owners: ClientOwners | null): number {
  const known = Y.encodeStateVector(doc)
  const clients = Y.decodeStateVector(known)
  for (;;) {
    const client = new Y.Doc().clientID
    if (client !== doc.clientID && !clients.has(client) && owners?.ownerOf(client) === undefined)
      return client
  }
}

/** What migrating the stored proposals needs of the server. */
export interface ProposalMigration {
  store: DocumentStore
  docs: NegotiationDocs
  log: (line: string) => void
}

/**
 * Migrates every negotiation's proposals to suggestions unless the store records
 * {@link SUGGESTIONS_FORMAT} (or has not reached the clause tree); records it when every
 * negotiation was migrated. A negotiation that fails is named in the log and tried again at the
 * next start.
 */
export async function migrateStoredProposals({
  store,
  docs,
  log,
}: ProposalMigration): Promise<void> {
  const format = await store.documentFormat()
  if (format >= SUGGESTIONS_FORMAT || format < SUGGESTIONS_FORMAT - 1) return
  const layers = new Map<string, string[]>()
  for (const name of await store.documentNames()) {
    const ref = parseDocumentName(name)
    if (ref?.kind === 'status' && !layers.has(ref.negotiationId)) layers.set(ref.negotiationId, [])
    if (ref?.kind === 'layer' && ref.partyId)
      layers.set(ref.negotiationId, [...(layers.get(ref.negotiationId) ?? []), ref.partyId])
  }
  let failed = 0
  for (const [negotiationId, parties] of [...layers].sort(([a], [b]) => a.localeCompare(b))) {
    try {
      const count = await migrateNegotiation(docs, negotiationId, parties, log)
      if (count > 0) log(`${negotiationId}: ${count} proposals became suggestions`)
    } catch (error) {
      failed++
      log(`${negotiationId}: its proposals were not migrated to suggestions: ${String(error)}`)
    }
  }
  await docs.durable()
  if (failed === 0) await store.setDocumentFormat(SUGGESTIONS_FORMAT)
}

/**
 * Migrates the proposals of one negotiation (whose layers are those of `parties`); returns how
 * many there were.
 */
export async function migrateNegotiation(
  docs: NegotiationDocs,
  negotiationId: string,
  parties: readonly string[],
  log: (line: string) => void = () => {},
): Promise<number> {
  const statusName = docs.statusName(negotiationId)
  const legacy = await docs.registry.withDocument(statusName, (document) => ({
    shared: readSharedProposals(document.doc),
    votes: [...document.doc.getMap<Record<string, unknown>>(STATUS_ROOTS.votes).values()].some(
      (vote) => 'proposalId' in vote,
    ),
  }))
  const drafted: LegacyProposal[] = []
  for (const partyId of parties) {
    const name = docs.layerName(negotiationId, partyId)
    drafted.push(
      ...(await docs.registry.withDocument(name, (document) =>
        readLayerProposals(document.doc, partyId),
      )),
    )
  }
  const proposals = mergeProposals(drafted, legacy.shared)
  if (proposals.length === 0 && !legacy.votes) return 0
  const latest = await docs.lastIterationNumber(negotiationId)
  const plans: Plan[] = []
  for (const proposal of proposals) {
    const plan = await planProposal(docs, negotiationId, proposal, latest)
    if (plan) plans.push(plan)
    else log(`${negotiationId}: proposal ${proposal.id} names a clause its iteration lacks`)
  }
  const { written, displaced } = proposalsPerClause(plans)
  for (const plan of written)
    await writeIntoCopy(docs, negotiationId, plan, displaced.get(plan) ?? [])
  await docs.changeStatus(negotiationId, (statusDoc, status) => {
    const suggestions = statusDoc.getMap<SharedSuggestion>(STATUS_ROOTS.suggestions)
    for (const plan of plans) {
      const suggestion = sharedSuggestion(plan, status.clauses[plan.proposal.clauseId])
      if (suggestion) suggestions.set(suggestion.id, suggestion)
    }
    const stored = statusDoc.getMap<unknown>(LEGACY_PROPOSALS_ROOT)
    for (const key of [...stored.keys()]) stored.delete(key)
    convertRecords(statusDoc)
  })
  for (const partyId of parties) {
    await docs.change(docs.layerName(negotiationId, partyId), (doc) => {
      const map = doc.getMap<unknown>(LEGACY_PROPOSALS_ROOT)
      for (const key of [...map.keys()]) map.delete(key)
    })
  }
  return proposals.length
}

/** Where `proposal` goes, or null when its clause is not in its iteration. */
async function planProposal(
  docs: NegotiationDocs,
  negotiationId: string,
  proposal: LegacyProposal,
  latest: number,
): Promise<Plan | null> {
  const schema = getDocumentSchema()
  const record = await docs.iteration(negotiationId, proposal.baseIteration)
  const base = record ? findClauseNode(schema.nodeFromJSON(record.doc), proposal.clauseId) : null
  if (!base) return null
  const body = textBlocks(proposal.text, schema)
  const proposed = withBody(base, body)
  const changes = diffClause(base, proposed).changes
  const own: Plan = {
    proposal,
    iteration: proposal.baseIteration,
    body,
    changes,
    status: proposal.adopted ? 'accepted' : 'open',
    carriedFrom: [],
  }
  if (proposal.adopted || proposal.baseIteration >= latest) return own
  const outdated: Plan = { ...own, status: proposal.shared ? 'outdated' : 'open' }
  const latestRecord = await docs.iteration(negotiationId, latest)
  const onto = latestRecord
    ? findClauseNode(schema.nodeFromJSON(latestRecord.doc), proposal.clauseId)
    : null
  if (!onto) return outdated
  const frozen = freezeChanges(changes.map((change, index) => ({ change, author: null, index })))
  const ontoTokens = clauseTokens(onto)
  const placed = placeChanges(frozen, clauseTokens(base), ontoTokens)
  if ('outdated' in placed) return outdated
  try {
    const carried = applyPlaced(proposal.clauseId, onto, ontoTokens, placed, schema)
    const carriedFrom: number[] = []
    for (let number = proposal.baseIteration; number < latest; number++) carriedFrom.push(number)
    return {
      proposal,
      iteration: latest,
      body: bodyOf(carried),
      changes: diffClause(onto, carried).changes,
      status: 'open',
      carriedFrom,
    }
  } catch (error) {
    if (error instanceof RangeError) return outdated
    throw error
  }
}

/** Who a proposal's words are attributed to: its author, else whoever shared it. */
function authorOf(proposal: LegacyProposal): { userId: string; name: string } {
  if (proposal.authorId !== '') return { userId: proposal.authorId, name: proposal.authorName }
  return {
    userId: proposal.shared?.by ?? '',
    name: proposal.authorName || (proposal.shared?.byName ?? ''),
  }
}

/**
 * Writes the proposal's body into its party's copy of the plan's iteration as its author, with
 * the attribution and journal entries the gate would have written, and its rationale when the copy
 * has none for the clause; the drafts it displaces (proposalsPerClause.ts) are added to that
 * rationale.
 */
async function writeIntoCopy(
  docs: NegotiationDocs,
  negotiationId: string,
  plan: Plan,
  displaced: readonly LegacyProposal[],
) {
  const { proposal } = plan
  const author = authorOf(proposal)
  const at = proposal.createdAt || Date.now()
  const name = docs.copyName(negotiationId, proposal.partyId, plan.iteration)
  const schema = getDocumentSchema()
  await docs.registry.withDocument(name, (document) => {
    const copy = document.doc
    if (!findClauseElement(copy, proposal.clauseId)) return
    const temp = new Y.Doc()
    Y.applyUpdate(temp, Y.encodeStateAsUpdate(copy))
    const client = freshClient(copy, document.owners)
    temp.clientID = client
    const element = findClauseElement(temp, proposal.clauseId)
    if (!element) return
    const current = clauseNodeOf(element, schema)
    const next = withBody(current, plan.body)
    if (!next.eq(current)) {
      temp.transact(() => {
        updateYFragment(temp, element as unknown as Y.XmlFragment, next, {
          mapping: new Map(),
          isOMark: new Map(),
        })
      })
    }
    const update = Y.encodeStateAsUpdate(temp, Y.encodeStateVector(copy))
    temp.destroy()
    const seed = readSeed(copy)
    const entries: JournalEntry[] = []
    if (seed !== null) {
      for (const { clock, len } of Y.decodeUpdate(update).ds.clients.get(seed.client) ?? [])
        entries.push({
          k: 'd',
          c: seed.client,
          s: clock,
          l: len,
          u: author.userId,
          n: author.name,
          t: at,
        })
    }
    entries.push({ k: 'i', c: client, s: 0, u: author.userId, t: at })
    if (author.userId !== '') document.owners?.claim([client], author.userId)
    copy.transact(() => {
      Y.applyUpdate(copy, update)
      if (author.userId !== '') {
        copy.getMap<unknown>(ATTRIBUTION_ROOT).set(String(client), author)
        copy.getArray<JournalEntry>(JOURNAL_ROOT).push(entries)
      }
      const rationales = copy.getMap<unknown>(RATIONALES_ROOT)
      if (proposal.rationale !== '' && !rationales.has(proposal.clauseId))
        rationales.set(proposal.clauseId, new Y.Text(proposal.rationale))
      if (displaced.length > 0) {
        let rationale = rationales.get(proposal.clauseId)
        if (!(rationale instanceof Y.Text)) {
          rationale = new Y.Text()
          rationales.set(proposal.clauseId, rationale)
        }
        const text = rationale as Y.Text
        for (const draft of displaced)
          text.insert(text.length, `${text.length > 0 ? '\n\n' : ''}${displacedDraftNote(draft)}`)
      }
    }, SERVER_ORIGIN)
  })
  await docs.durable()
}

/** The shared suggestion a shared proposal becomes (null for a draft). */
function sharedSuggestion(plan: Plan, state: ClauseState | undefined): SharedSuggestion | null {
  const { proposal } = plan
  if (!proposal.shared) return null
  const author = authorOf(proposal)
  const adoption = (state?.provenance as StoredProvenance[] | undefined)?.find(
    (entry) => entry.suggestionId === proposal.id || entry.proposalId === proposal.id,
  )
  const at = proposal.createdAt || proposal.shared.at
  const frozen = freezeChanges(
    plan.changes.map((change, index) => ({
      change,
      author: { userId: author.userId, name: author.name, at },
      index,
    })),
  )
  const changes: SharedChange[] = frozen.map((change) =>
    plan.status === 'accepted'
      ? {
          ...change,
          status: 'accepted',
          ...(adoption
            ? {
                decidedBy: adoption.adoptedBy,
                decidedByName: adoption.adoptedByName,
                decidedAt: adoption.at,
              }
            : {}),
        }
      : { ...change, status: plan.status },
  )
  return {
    id: proposal.id,
    partyId: proposal.partyId,
    clauseId: proposal.clauseId,
    iteration: plan.iteration,
    rationale: proposal.rationale,
    sharedBy: proposal.shared.by,
    sharedByName: proposal.shared.byName,
    sharedAt: proposal.shared.at,
    carriedFrom: plan.carriedFrom,
    changes,
  }
}

type StoredProvenance = Provenance & { proposalId?: string }

/**
 * Rewrites the status document's records that still name proposals: provenance entries get
 * `suggestionId` (and `changeId` null: the whole proposal was adopted), votes `suggestionId`, and
 * activity entries of kind `proposal-shared` become `suggestions-shared`.
 */
function convertRecords(statusDoc: Y.Doc): void {
  const clauses = statusDoc.getMap<ClauseState>(STATUS_ROOTS.clauses)
  for (const [id, state] of [...clauses.entries()]) {
    const entries = state.provenance as StoredProvenance[]
    if (!entries.some((entry) => 'proposalId' in entry)) continue
    const provenance: Provenance[] = entries.map(({ proposalId, ...entry }) => ({
      ...entry,
      suggestionId: entry.suggestionId ?? proposalId ?? '',
      changeId: entry.changeId ?? null,
    }))
    clauses.set(id, { ...state, provenance })
  }
  const votes = statusDoc.getMap<Record<string, unknown>>(STATUS_ROOTS.votes)
  for (const [id, vote] of [...votes.entries()]) {
    if (!('proposalId' in vote)) continue
    const { proposalId, ...kept } = vote
    votes.set(id, { ...kept, suggestionId: kept.suggestionId ?? proposalId ?? null })
  }
  const activity = statusDoc.getArray<ActivityEntry>(STATUS_ROOTS.activity)
  activity.toArray().forEach((entry, index) => {
    if ((entry.kind as string) !== 'proposal-shared') return
    activity.delete(index, 1)
    activity.insert(index, [{ ...entry, kind: 'suggestions-shared' }])
  })
}
