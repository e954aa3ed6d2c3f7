/**
 * The rules of a party's suggestion copy (`<neg>.suggest.<party>.<N>`, docs/PROTOCOL.md "Suggestion
 * copies") beside the schema and the locks, as update-gate rules (server/src/gate/UpdateGate.ts):
 *
 * - {@link copyRule}: a copy takes no update once iteration N is not the latest (`outdatedCopy`);
 *   an existing clause keeps its `clauseId` (a clause without one may be given one), and a new
 *   clause's id is held by no other clause of the copy once the update is applied (`schema`).
 *   Suggestions are computed per clause id, so two clauses with one id would steer which words of
 *   Single Text N a change claims to change. A clause moved or brought back by undo is recreated
 *   with its id while the old element is deleted: that is taken, and its words are compared with
 *   the clause of that id in Single Text N, as they should be.
 * - {@link RATIONALE_RULES}: the `rationales` map holds Y.Text values under well-formed clause ids
 *   (`schema`): any member of the party may write the party's rationale.
 *
 * Cost in proportion to what the update touched, plus one walk of the copy's clause tree when it
 * adds a clause or gives one an id.
 */
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_ID_PATTERN, CLAUSE_NODE } from '@onetext/shared/clauses'
import { RefusalReason } from '@onetext/shared/protocol'
import { RICH_TEXT_FIELD } from '@onetext/shared/schema'
import { RATIONALES_ROOT } from '@onetext/shared/suggestions/copyDoc'
import * as Y from 'yjs'
import type { GateChange, GateRefusal, GateRule } from '../gate/GateRule'
import { forEachClauseElement } from './draftOps'
import type { EntryRules, EntryState } from './EntryGuard'

/** What the client is told when it writes to a copy of an iteration that is no longer the latest. */
export function outdatedRefusal(iteration: number): GateRefusal {
  return {
    reason: RefusalReason.outdatedCopy,
    text: `Single Text ${iteration + 1} was circulated; continue in it. Your change to Single Text ${iteration} was refused.`,
  }
}

const CLAUSE_ID_REFUSAL: GateRefusal = {
  reason: RefusalReason.schema,
  text: "Your change altered a clause's id, or gave a new clause the id of another, and was refused.",
}

/** What a copy's rules need to know about its iteration, read when an update arrives. */
export interface CopyFacts {
  /** The iteration the copy is of. */
  readonly iteration: number
  /** The latest circulated iteration's number now. */
  latest(): number
}

/** The value an attribute entry held at its end, or at clock `end` within it. */
function entryValue(item: Y.Item, end: number): unknown {
  const content = item.content
  if (!(content instanceof Y.ContentAny)) return undefined
  const values = content.getContent()
  return values[Math.min(item.length, end - item.id.clock) - 1]
}

/** True when `item` existed before the transaction (its clock is below the client's state then). */
function existedBefore(item: Y.Item, transaction: Y.Transaction): boolean {
  return item.id.clock < (transaction.beforeState.get(item.id.client) ?? 0)
}

/** The `clauseId` an existing clause element held before the transaction (undefined: none). */
function idBefore(element: Y.XmlElement, transaction: Y.Transaction): unknown {
  let entry: Y.Item | null = element._map.get(CLAUSE_ID_ATTRIBUTE) ?? null
  while (entry !== null && !existedBefore(entry, transaction)) entry = entry.left
  if (entry === null) return undefined
  if (entry.deleted && !Y.isDeleted(transaction.deleteSet, entry.id)) return undefined
  const before = transaction.beforeState.get(entry.id.client) ?? 0
  return entryValue(entry, before)
}

function isClauseElement(type: unknown): type is Y.XmlElement {
  return type instanceof Y.XmlElement && type.nodeName === CLAUSE_NODE
}

/** How many clause elements of the copy with the update applied hold each id. */
function idsAfter(change: GateChange): Map<string, number> {
  const ids = new Map<string, number>()
  forEachClauseElement(change.after.getXmlFragment(RICH_TEXT_FIELD), (clause) => {
    const id = clause.getAttribute(CLAUSE_ID_ATTRIBUTE)
    if (typeof id === 'string') ids.set(id, (ids.get(id) ?? 0) + 1)
  })
  return ids
}

/** The gate rule of a suggestion copy (see the file's header). */
export function copyRule(facts: CopyFacts): GateRule {
  return {
    check(change: GateChange): GateRefusal | null {
      if (facts.latest() > facts.iteration) return outdatedRefusal(facts.iteration)
      const { transaction } = change
      // Existing clauses whose id entry the update wrote or deleted, and clauses it created.
      const relabelled = new Set<Y.XmlElement>()
      const created: Y.XmlElement[] = []
      for (const item of change.inserted) {
        if (item.deleted) continue
        const content = item.content
        if (content instanceof Y.ContentType && isClauseElement(content.type))
          created.push(content.type)
        if (item.parentSub === CLAUSE_ID_ATTRIBUTE && isClauseElement(item.parent)) {
          const owner = item.parent._item
          if (owner !== null && existedBefore(owner, transaction)) relabelled.add(item.parent)
        }
      }
      for (const [client, ranges] of transaction.deleteSet.clients) {
        const structs = change.after.store.clients.get(client)
        if (!structs) continue
        const before = transaction.beforeState.get(client) ?? 0
        for (const { clock, len } of ranges) {
          const end = Math.min(clock + len, before)
          if (clock >= end) continue
          for (let index = Y.findIndexSS(structs, clock); index < structs.length; index++) {
            const struct = structs[index] as Y.Item | Y.GC
            if (struct.id.clock >= end) break
            if (!(struct instanceof Y.Item) || struct.parentSub !== CLAUSE_ID_ATTRIBUTE) continue
            const parent = struct.parent
            if (isClauseElement(parent) && parent._item !== null && !parent._item.deleted)
              relabelled.add(parent)
          }
        }
      }
      const fresh: string[] = []
      for (const element of relabelled) {
        const before = idBefore(element, transaction)
        const after = element.getAttribute(CLAUSE_ID_ATTRIBUTE)
        if (typeof before === 'string') {
          if (after !== before) return CLAUSE_ID_REFUSAL
        } else if (typeof after === 'string') fresh.push(after)
      }
      for (const element of created) {
        const id = element.getAttribute(CLAUSE_ID_ATTRIBUTE)
        if (typeof id === 'string') fresh.push(id)
      }
      if (fresh.length === 0) return null
      const counts = idsAfter(change)
      for (const id of fresh) if ((counts.get(id) ?? 0) > 1) return CLAUSE_ID_REFUSAL
      return null
    },
  }
}

/** The rationales of a copy: Y.Text values under clause ids; any member writes any of them. */
export const RATIONALE_RULES: EntryRules = {
  root: RATIONALES_ROOT,
  refusal: 'Your change put something other than a rationale in the rationales and was refused.',
  read(value: unknown): EntryState {
    return value instanceof Y.Text ? { text: value } : null
  },
  allowed(_before, after): boolean {
    for (const [key, state] of after)
      if (state === null || !CLAUSE_ID_PATTERN.test(key)) return false
    return true
  },
}
