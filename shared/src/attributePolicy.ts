/**
 * What values each attribute of the rich-text schema may hold. The server refuses a client update
 * that writes any other value (docs/SECURITY.md); exports and the editor can therefore rely on them
 * (a link's `href` is never a `javascript:` URL, a clause id has the syntax the clause model gives it).
 * Attributes of the schema that are not listed here may hold `null`, a boolean, a finite number or
 * a string of at most {@link MAX_ATTRIBUTE_LENGTH} characters.
 */
import { CLAUSE_ID_PATTERN } from './clauses'

/** Longest string value of an attribute without a policy of its own. */
export const MAX_ATTRIBUTE_LENGTH = 2048

/** Link protocols an `href` may use; anything without a scheme (relative, `#anchor`) is allowed too. */
export const LINK_PROTOCOLS = ['http', 'https', 'mailto', 'tel'] as const

/** True for a value that may be stored in an attribute at all (no objects, arrays or bigints). */
export function isPlainAttributeValue(value: unknown): boolean {
  if (value === null || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  return typeof value === 'string' && value.length <= MAX_ATTRIBUTE_LENGTH
}

/** True for a link target the exports and editor may write as is. */
export function isSafeHref(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > MAX_ATTRIBUTE_LENGTH) return false
  // Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
  let compact = ''
  for (const char of value) {
    const code = char.charCodeAt(0)
    if (code > 0x20 && (code < 0x7f || code > 0x9f)) compact += char
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact)
  if (!scheme) return true
  return (LINK_PROTOCOLS as readonly string[]).includes((scheme[1] as string).toLowerCase())
}

const oneOf =
  (...allowed: unknown[]) =>
  (value: unknown): boolean =>
    allowed.includes(value)

/** Checks by `<node or mark name>.<attribute>`. */
const POLICY: Readonly<Record<string, (value: unknown) => boolean>> = {
  'clause.clauseId': (value) =>
    value === null || (typeof value === 'string' && CLAUSE_ID_PATTERN.test(value)),
  'link.href': isSafeHref,
  'link.target': oneOf(null, '_blank', '_self'),
  'link.rel': (value) =>
    value === null || (typeof value === 'string' && /^[a-z ]{0,64}$/.test(value)),
  'link.class': oneOf(null),
  'orderedList.start': (value) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1_000_000,
  'orderedList.type': oneOf(null, '1', 'a', 'A', 'i', 'I'),
  'codeBlock.language': (value) =>
    value === null || (typeof value === 'string' && /^[A-Za-z0-9_+-]{0,32}$/.test(value)),
}

/**
 * True when `value` may be stored in attribute `attribute` of the node or mark type `typeName`
 * (the caller has checked that the type has that attribute).
 */
export function isAllowedAttributeValue(
  typeName: string,
  attribute: string,
  value: unknown,
): boolean {
  const check = POLICY[`${typeName}.${attribute}`]
  return check ? check(value) : isPlainAttributeValue(value)
}
