/**
 * Circulating the working draft as numbered, immutable iterations ("Single Text 3"), publishing
 * them to observers, and reading them back.
 */

import { extractClauses } from '@onetext/shared/clauses'
import { docToHtml, docToMarkdown } from '@onetext/shared/render'
import { getDocumentSchema } from '@onetext/shared/schema'
import {
  type ClauseState,
  type IterationMeta,
  type NegotiationStatus,
  type SharedSuggestion,
  STATUS_ROOTS,
} from '@onetext/shared/statusDoc'
import type { Node as PMNode } from '@tiptap/pm/model'
import * as Y from 'yjs'
import type { IterationRecord, IterationStore } from '../storage/IterationStore'
import { recordActivity } from './activity'
import { type CarryPlan, carryAtCommit, planCarry } from './carryForward'
import { assignClauseIds, draftJson } from './draftOps'
import type { NegotiationDocs } from './NegotiationDocs'
import { NegotiationError } from './NegotiationError'
import { updateAgreement } from './statusRules'
import type { SliceStats } from './timeSlices'

/** Longest iteration note. */
export const MAX_NOTE_LENGTH = 2000

export class IterationService {
  /**
   * `log` gets one line per circulation that carried suggestions forward: how many carried, how
   * many became outdated, and how long it took (for operators and the `circulate` benchmark).
   */
  constructor(
    private readonly docs: NegotiationDocs,
    private readonly iterations: IterationStore,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /**
   * Circulates the working draft as the next iteration: assigns missing clause ids, stores a full
   * snapshot with its rendered clauses, and tells the whole table through the status document.
   * Sign-offs of a clause whose text changed since they were given are cleared. Open shared
   * suggestions on the previous iteration are carried onto the new one where their words are
   * unchanged, and marked outdated elsewhere, in the same status commit (carryForward.ts): worked
   * out beforehand in slices, with the event loop let through between them, and written as worked
   * out unless a suggestion changed meanwhile (then worked out again inside the commit).
   */
  async circulate(
    negotiationId: string,
    userId: string,
    note: string,
    publishedNote = '',
  ): Promise<IterationMeta> {
    if (note.length > MAX_NOTE_LENGTH || publishedNote.length > MAX_NOTE_LENGTH) {
      throw new NegotiationError(
        'invalid',
        'invalid-body',
        `The note must be at most ${MAX_NOTE_LENGTH} characters.`,
      )
    }
    const draftName = this.docs.draftName(negotiationId)
    await this.docs.change(draftName, (doc) => assignClauseIds(doc))
    const { doc, snapshot } = await this.docs.registry.withDocument(draftName, (document) => ({
      doc: draftJson(document.doc),
      snapshot: Y.encodeStateAsUpdate(document.doc),
    }))
    const clauses = extractClauses(doc)
    const previous = await this.iterations.lastNumber(negotiationId)
    const previousRecord = previous > 0 ? await this.iterations.get(negotiationId, previous) : null
    const previousClauses = previousRecord?.clauses ?? []
    const record: IterationRecord = {
      negotiationId,
      number: previous + 1,
      createdAt: Date.now(),
      createdBy: userId,
      note,
      publishedNote,
      published: false,
      snapshot,
      doc,
      clauses,
      html: docToHtml(doc),
      markdown: docToMarkdown(doc),
    }
    const meta: IterationMeta = {
      number: record.number,
      createdAt: record.createdAt,
      note,
      published: false,
      createdBy: userId,
    }
    const previousText = new Map(
      previousClauses.map((clause) => [clause.id, `${clause.heading}\n${clause.text}`]),
    )
    let texts: { from: { number: number; doc: PMNode }; onto: { number: number; doc: PMNode } }
    const carryTexts = (from: IterationRecord) => {
      const schema = getDocumentSchema()
      texts ??= {
        from: { number: from.number, doc: schema.nodeFromJSON(from.doc) },
        onto: { number: record.number, doc: schema.nodeFromJSON(doc) },
      }
      return texts
    }
    const started = performance.now()
    const work: SliceStats = { busyMs: 0, slices: 0 }
    let plan: CarryPlan | null = null
    const planFrom = previousRecord ? openOn(await this.docs.status(negotiationId), previous) : []
    if (previousRecord && planFrom.length > 0) {
      const { from, onto } = carryTexts(previousRecord)
      plan = await planCarry(planFrom, from, onto, record.createdAt, work)
    }
    await this.docs
      .changeStatus(negotiationId, (statusDoc, status, records) => {
        records.push({ kind: 'iteration-insert', record })
        statusDoc.getArray<IterationMeta>(STATUS_ROOTS.iterations).push([meta])
        recordActivity(statusDoc, {
          kind: 'iteration',
          iteration: record.number,
          text: `Single Text ${record.number} was circulated.`,
        })
        const states = statusDoc.getMap<ClauseState>(STATUS_ROOTS.clauses)
        for (const clause of clauses) {
          const existing = status.clauses[clause.id]
          if (!existing) {
            states.set(clause.id, {
              clauseId: clause.id,
              status: 'open',
              statusSince: record.createdAt,
              signoffs: {},
              reopen: null,
              provenance: [],
              votes: [],
            })
            continue
          }
          const changed = previousText.get(clause.id) !== `${clause.heading}\n${clause.text}`
          if (
            changed &&
            existing.status !== 'tentatively-agreed' &&
            Object.keys(existing.signoffs).length > 0
          ) {
            // The words changed since they were initialled: the initials no longer apply.
            records.push({ kind: 'signoffs-clear', negotiationId, clauseIds: [clause.id] })
            states.set(clause.id, {
              ...existing,
              signoffs: {},
              status: 'in-discussion',
              statusSince: record.createdAt,
            })
          }
        }
        updateAgreement(
          statusDoc,
          clauses.map((clause) => clause.id),
        )
        const open = openOn(status, previous)
        if (previousRecord && open.length > 0) {
          // In the same commit: no reader ever sees Single Text N+1 with suggestions not carried.
          const again = performance.now()
          const { from, onto } = carryTexts(previousRecord)
          const { outcome: carry, planned } = carryAtCommit(
            plan,
            open,
            from,
            onto,
            record.createdAt,
          )
          work.busyMs += performance.now() - again
          if (!planned) work.slices++
          const map = statusDoc.getMap<SharedSuggestion>(STATUS_ROOTS.suggestions)
          for (const suggestion of carry.put) map.set(suggestion.id, suggestion)
          this.log(
            `carried shared suggestions of ${negotiationId} onto Single Text ${record.number}: ${carry.carried} changes carried, ${carry.outdated} outdated; ${work.busyMs.toFixed(1)} ms of work in ${work.slices} slices${planned ? '' : ' (the last in the commit)'}, ${(performance.now() - started).toFixed(1)} ms in all`,
          )
        }
      })
      .catch((error: unknown) => {
        // The records refused the number: another iteration was stored meanwhile.
        if (error instanceof RangeError)
          throw new NegotiationError(
            'conflict',
            'busy',
            'Another iteration was circulated meanwhile. Look at it, then circulate again.',
          )
        throw error
      })
    return meta
  }

  /** Publishes (or withdraws) an iteration to observers. */
  async setPublished(negotiationId: string, number: number, published: boolean): Promise<void> {
    await this.get(negotiationId, number)
    await this.docs.changeStatus(negotiationId, (statusDoc, _status, records) => {
      const list = statusDoc.getArray<IterationMeta>(STATUS_ROOTS.iterations)
      const index = list.toArray().findIndex((meta) => meta.number === number)
      const meta = list.get(index)
      if (index < 0 || !meta)
        throw new NegotiationError('not-found', 'not-found', `There is no iteration ${number}.`)
      // Already so: nothing to write, and no one is told again.
      if (meta.published === published) return
      records.push({ kind: 'iteration-publish', negotiationId, number, published })
      list.delete(index, 1)
      list.insert(index, [{ ...meta, published }])
      if (published)
        recordActivity(statusDoc, {
          kind: 'published',
          iteration: number,
          text: `Single Text ${number} was published to the local tables.`,
        })
    })
  }

  /** Every iteration's metadata, oldest first. */
  list(negotiationId: string) {
    return this.iterations.list(negotiationId)
  }

  /** One iteration, or a not-found error. */
  async get(negotiationId: string, number: number): Promise<IterationRecord> {
    const record = Number.isInteger(number)
      ? await this.iterations.get(negotiationId, number)
      : null
    if (!record)
      throw new NegotiationError('not-found', 'not-found', `There is no iteration ${number}.`)
    return record
  }

  /** The newest iteration, or null before the first circulation. */
  async latest(negotiationId: string): Promise<IterationRecord | null> {
    const last = await this.iterations.lastNumber(negotiationId)
    return last > 0 ? this.iterations.get(negotiationId, last) : null
  }
}

/** The shared suggestions written against iteration `iteration` that have an open change. */
function openOn(status: NegotiationStatus, iteration: number): SharedSuggestion[] {
  return Object.values(status.suggestions).filter(
    (suggestion) =>
      suggestion.iteration === iteration &&
      suggestion.changes.some((change) => change.status === 'open'),
  )
}
