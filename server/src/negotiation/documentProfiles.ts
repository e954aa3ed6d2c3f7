/**
 * What each kind of negotiation document accepts from clients (see server/src/gate/UpdateGate.ts):
 * its roots (shared/src/documentRoots.ts) and its rules, in order: the rich-text schema everywhere
 * there is rich text, the clause locks on the working draft and on suggestion copies, authorship
 * of annotations where they live, and a copy's own rules (CopyGuard.ts).
 */
import { parseDocumentName } from '@onetext/shared/documentNames'
import { DOCUMENT_ROOTS } from '@onetext/shared/documentRoots'
import type { GateRule } from '../gate/GateRule'
import { richTextRule } from '../gate/richTextRule'
import type { DocumentProfile } from '../gate/UpdateGate'
import { ANNOTATION_RULES } from './annotationRules'
import { type CopyFacts, copyRule, RATIONALE_RULES } from './CopyGuard'
import { lockRule } from './DraftGuard'
import { entryRule } from './EntryGuard'

const annotationsRule = entryRule([ANNOTATION_RULES])
const rationalesRule = entryRule([RATIONALE_RULES])

/**
 * The profile of document `name`; `lockedClauses(negotiationId)` gives a negotiation's locked
 * clauses at the moment, `copyFacts` what a suggestion copy's rules need (without it, suggestion
 * copies take no client updates). Null for names that are not a negotiation document.
 */
export function documentProfile(
  name: string,
  lockedClauses: (negotiationId: string) => ReadonlySet<string>,
  copyFacts?: (negotiationId: string, iteration: number) => CopyFacts,
): DocumentProfile | null {
  const ref = parseDocumentName(name)
  if (!ref) return null
  const roots = DOCUMENT_ROOTS[ref.kind]
  let rules: GateRule[]
  switch (ref.kind) {
    case 'draft':
      rules = [richTextRule, lockRule(() => lockedClauses(ref.negotiationId))]
      break
    case 'supplement':
      rules = [richTextRule]
      break
    case 'caucus':
    case 'table':
      rules = [richTextRule, annotationsRule]
      break
    case 'layer':
      rules = [annotationsRule]
      break
    case 'status':
      rules = []
      break
    case 'suggest':
      if (!copyFacts || ref.iteration === undefined) return null
      rules = [
        richTextRule,
        lockRule(() => lockedClauses(ref.negotiationId)),
        copyRule(copyFacts(ref.negotiationId, ref.iteration)),
        rationalesRule,
      ]
      break
  }
  return { roots, rules }
}
