/**
 * Tracked changes put into words for the lists that show them (the mediator's review, the changes
 * since an iteration, a clause's history): the space that keeps a change's words apart from the
 * words around it, what a format change did to which words, and a suggestion named by its party,
 * author and iteration rather than by its id.
 */

/** A word, or punctuation that closes a phrase: a word right after it is a new word. */
const ENDS_WORD = /[\p{L}\p{N}\p{M}.,;:!?)\]}”’%]$/u
/** A word, or punctuation that opens a phrase. */
const STARTS_WORD = /^[\p{L}\p{N}\p{M}([{“‘]/u

/**
 * The space to put between `left` and `right` when they are shown one after the other: ' ' when
 * `left` ends a word (or a phrase) and `right` starts one, so that the two do not run together
 * ("obligation" and "binding" read "obligation binding"); '' when either side already has the
 * space or a punctuation mark joins them ("obligation" and ",").
 */
export function wordGap(left: string, right: string): string {
  return ENDS_WORD.test(left) && STARTS_WORD.test(right) ? ' ' : ''
}

/** A mark's type from its canonical JSON (`{"type":"bold"}` is "bold"), or the key as it is. */
function markType(key: string): string {
  try {
    const mark = JSON.parse(key) as { type?: unknown }
    return typeof mark?.type === 'string' ? mark.type : key
  } catch {
    return key
  }
}

/** How a mark is named when it is added or removed. */
const MARK_NAMES: Record<string, string> = {
  bold: 'bold',
  italic: 'italic',
  underline: 'underline',
  strike: 'strikethrough',
  code: 'code',
  link: 'link',
  highlight: 'highlight',
}

function names(keys: readonly string[]): string {
  const list = keys.map((key) => MARK_NAMES[markType(key)] ?? markType(key))
  if (list.length <= 1) return list.join('')
  return `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`
}

/**
 * What a format change did and to which words: "bold added to ‘no loss of employment’",
 * "italic removed from ‘x’", "bold added and italic removed on ‘x’"; "formatting changed on ‘x’"
 * when it names no mark. `marks` are canonical mark JSON strings (or mark names); `text` is
 * trimmed.
 */
export function formatChangeWords(
  marks: { add: readonly string[]; remove: readonly string[] } | undefined,
  text: string,
): string {
  const words = `‘${text.trim()}’`
  const add = marks?.add ?? []
  const remove = marks?.remove ?? []
  if (add.length > 0 && remove.length === 0) return `${names(add)} added to ${words}`
  if (remove.length > 0 && add.length === 0) return `${names(remove)} removed from ${words}`
  if (add.length > 0) return `${names(add)} added and ${names(remove)} removed on ${words}`
  return `formatting changed on ${words}`
}

/**
 * A suggestion as a reader refers to it: "the Coalition of Unions suggestion by Priya Shah on
 * Single Text 1" (`author` left out when empty). Its id is for a tooltip, not for the line.
 */
export function suggestionReference(party: string, author: string, iteration: number): string {
  return `the ${party} suggestion${author ? ` by ${author}` : ''} on Single Text ${iteration}`
}
