/**
 * A shared change put into words and looks: its verb as announced ("inserted", "made bold"), and
 * how a format change's words look once it is applied (bold, italic), as CSS.
 */
import type { SharedChange } from '@onetext/shared/statusDoc'

/** The verb of a change, as announced: "inserted", "deleted", "made bold". */
export function changeVerb(change: Pick<SharedChange, 'kind' | 'marks'>): string {
  if (change.kind === 'insert') return 'inserted'
  if (change.kind === 'delete') return 'deleted'
  const names = (list: readonly string[]) => list.map(markName).join(' and ')
  const add = change.marks?.add ?? []
  const remove = change.marks?.remove ?? []
  if (add.length > 0 && remove.length === 0) return `made ${names(add)}`
  if (remove.length > 0 && add.length === 0) return `removed ${names(remove)} from`
  if (add.length > 0) return `made ${names(add)} (no longer ${names(remove)})`
  return 'reformatted'
}

/** The mark type of a mark key (canonical JSON of a mark, or its name). */
function markType(key: string): string {
  try {
    const parsed = JSON.parse(key) as unknown
    if (parsed && typeof parsed === 'object' && 'type' in parsed)
      return String((parsed as { type: unknown }).type)
  } catch {
    // A plain mark name.
  }
  return key
}

/** How bold and italic look when a format change adds them, and when it removes them. */
const MARK_LOOKS: Record<string, { add: [string, string]; remove: [string, string] }> = {
  bold: { add: ['font-weight', '700'], remove: ['font-weight', '400'] },
  italic: { add: ['font-style', 'italic'], remove: ['font-style', 'normal'] },
}

/**
 * The CSS properties that show a format change's words as the change would leave them: bold or
 * italic added or removed (other marks are left to the words that describe the change); an empty
 * list for inserts and deletes.
 */
export function formatLook(change: Pick<SharedChange, 'kind' | 'marks'>): Array<[string, string]> {
  if (change.kind !== 'format') return []
  const looks: Array<[string, string]> = []
  for (const key of change.marks?.remove ?? []) {
    const look = MARK_LOOKS[markType(key)]
    if (look) looks.push(look.remove)
  }
  for (const key of change.marks?.add ?? []) {
    const look = MARK_LOOKS[markType(key)]
    if (look) looks.push(look.add)
  }
  return looks
}

/**
 * {@link formatLook} as a React style object (`fontWeight`, `fontStyle`): a format change's words
 * shown as the change would leave them; empty for inserts and deletes.
 */
export function formatLookStyle(
  change: Pick<SharedChange, 'kind' | 'marks'>,
): Record<string, string> {
  return Object.fromEntries(
    formatLook(change).map(([property, value]) => [
      property.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase()),
      value,
    ]),
  )
}

/** A mark key (canonical JSON of a mark, or its name) as words: "bold", "italic", "a link". */
function markName(key: string): string {
  const type = markType(key)
  const names: Record<string, string> = {
    bold: 'bold',
    italic: 'italic',
    underline: 'underlined',
    strike: 'struck',
    code: 'code',
    link: 'a link',
  }
  return names[type] ?? type
}
