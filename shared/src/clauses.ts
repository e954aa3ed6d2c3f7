/**
 * The clause model. A single text is a tree of clauses: the document holds an optional title, an
 * optional preamble of blocks, then clauses (and perhaps closing blocks); a clause holds its
 * heading, its body blocks and its child clauses (article, section, sub-section, as deep as a text needs). Each clause carries a
 * stable `clauseId` that survives edits, moves and renumbering. Numbers (3, 3.1, 3.1(a), 3.1(a)(ii))
 * and levels are computed from the clause's place in the tree and never stored.
 *
 * The schema nodes are defined here ({@link ClauseNode}, {@link ClauseHeadingNode},
 * {@link TitleNode}, {@link ClauseDocumentNode}); `./schema` assembles them with the block nodes.
 * Everything that reads clauses (the editor, the server, exports, diff, history) reads them with
 * the functions of this file.
 */
import { type JSONContent, Node } from '@tiptap/core'

/** Node name of a clause. */
export const CLAUSE_NODE = 'clause'
/** Node name of a clause's heading (the first child of every clause). */
export const CLAUSE_HEADING_NODE = 'clauseHeading'
/** Node name of the document's title (at most one, first in the document, unnumbered). */
export const TITLE_NODE = 'title'
/** Attribute of a clause node that holds its stable clause id. */
export const CLAUSE_ID_ATTRIBUTE = 'clauseId'
/** The syntax of a clause id: letters, digits, `_` and `-`, at most 64 characters. */
export const CLAUSE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

/** The heading level a clause at `depth` (1 for a top-level clause) is shown and exported with. */
export function clauseLevel(depth: number): number {
  return depth + 1
}

/**
 * A clause: `clauseHeading (block | clause)*`, its heading first, then its body blocks and child
 * clauses. Blocks normally come before the children (the editor's commands keep them there), but
 * the order is not enforced: two people's concurrent edits (a paragraph added at the end of the
 * body while another adds a first child clause) can interleave them, and every editor drops a node
 * whose content its schema refuses, so a stricter expression would lose the whole clause. Isolating:
 * commands never join across its edges.
 */
export const ClauseNode = Node.create({
  name: CLAUSE_NODE,
  content: `${CLAUSE_HEADING_NODE} (block | ${CLAUSE_NODE})*`,
  isolating: true,
  defining: false,
  addAttributes() {
    return {
      [CLAUSE_ID_ATTRIBUTE]: {
        default: null,
        keepOnSplit: false,
        parseHTML: (element: { getAttribute(name: string): string | null }) =>
          element.getAttribute('data-clause-id'),
        renderHTML: (attributes: Record<string, unknown>) =>
          attributes[CLAUSE_ID_ATTRIBUTE]
            ? { 'data-clause-id': String(attributes[CLAUSE_ID_ATTRIBUTE]) }
            : {},
      },
    }
  },
  parseHTML: () => [{ tag: 'section[data-clause-id]' }, { tag: 'section.clause' }],
  renderHTML: ({ HTMLAttributes }) => ['section', { ...HTMLAttributes, class: 'clause' }, 0],
})

/** A clause's heading. Rendered as `<h2>`; the editor sets the level its depth gives. */
export const ClauseHeadingNode = Node.create({
  name: CLAUSE_HEADING_NODE,
  content: 'inline*',
  defining: true,
  parseHTML: () =>
    ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((tag) => ({ tag, context: `${CLAUSE_NODE}/` })),
  renderHTML: () => ['h2', { class: 'clause-heading' }, 0],
})

/** The document's title: unnumbered, rendered as `<h1>`. */
export const TitleNode = Node.create({
  name: TITLE_NODE,
  content: 'inline*',
  defining: true,
  parseHTML: () => [{ tag: 'h1' }],
  renderHTML: () => ['h1', { class: 'document-title' }, 0],
})

/**
 * The document: an optional title, then blocks and clauses: a preamble of blocks, the clauses, and
 * any closing blocks (signatures) after them. A document without clauses (a caucus's notes) is
 * blocks alone.
 */
export const ClauseDocumentNode = Node.create({
  name: 'doc',
  topNode: true,
  content: `${TITLE_NODE}? (block | ${CLAUSE_NODE})+`,
})

/** One clause as the API and the views show it, in document order. */
export interface Clause {
  id: string
  /** "3", "3.1", "3.1(a)" or "3.1(a)(ii)". */
  number: string
  /** 1 for a top-level clause (an article), 2 for its children (sections), and so on. */
  depth: number
  /** The heading level: 2 article, 3 section, 4 sub-section ({@link clauseLevel}). */
  level: number
  /** The id of the clause this one is a child of, or null at the top. */
  parentId: string | null
  heading: string
  /** The clause body as plain text, one line per block (list items start with "- " or "1. "). */
  text: string
  /** The heading and the body blocks (not the child clauses), as ProseMirror JSON. */
  blocks: JSONContent[]
}

/** A clause and its children, as `tree` in the API. */
export interface ClauseTreeEntry {
  id: string
  number: string
  heading: string
  children: ClauseTreeEntry[]
}

/** Plain text of a node and its descendants. */
export function nodeText(node: JSONContent): string {
  if (node.type === 'text') return node.text ?? ''
  if (node.type === 'hardBreak') return '\n'
  return (node.content ?? []).map(nodeText).join('')
}

/** Lines of plain text for one body block (lists give one line per item). */
export function blockLines(block: JSONContent): string[] {
  if (block.type === 'bulletList' || block.type === 'orderedList') {
    const start = Number(block.attrs?.start ?? 1)
    return (block.content ?? []).map((item, index) => {
      const marker = block.type === 'bulletList' ? '-' : `${start + index}.`
      return `${marker} ${(item.content ?? []).map(nodeText).join(' ')}`
    })
  }
  return [nodeText(block)]
}

function letter(index: number): string {
  // a..z, then aa, ab, … for very long sub-section lists.
  let value = index
  let out = ''
  do {
    out = String.fromCharCode(97 + (value % 26)) + out
    value = Math.floor(value / 26) - 1
  } while (value >= 0)
  return out
}

const ROMAN: ReadonlyArray<readonly [number, string]> = [
  [1000, 'm'],
  [900, 'cm'],
  [500, 'd'],
  [400, 'cd'],
  [100, 'c'],
  [90, 'xc'],
  [50, 'l'],
  [40, 'xl'],
  [10, 'x'],
  [9, 'ix'],
  [5, 'v'],
  [4, 'iv'],
  [1, 'i'],
]

function roman(value: number): string {
  let rest = value
  let out = ''
  for (const [amount, digits] of ROMAN) {
    while (rest >= amount) {
      out += digits
      rest -= amount
    }
  }
  return out
}

/**
 * The number of the `index`-th (0-based) child clause of a clause numbered `parent` (null at the
 * top): 3 at the top, 3.1 below it, then 3.1(a), 3.1(a)(i), and 3.1(a)(i)(1) from depth 5 on.
 */
export function clauseNumber(parent: string | null, depth: number, index: number): string {
  if (parent === null || depth <= 1) return String(index + 1)
  if (depth === 2) return `${parent}.${index + 1}`
  if (depth === 3) return `${parent}(${letter(index)})`
  if (depth === 4) return `${parent}(${roman(index + 1)})`
  return `${parent}(${index + 1})`
}

/** True for a clause node of ProseMirror JSON. */
export function isClause(node: JSONContent): boolean {
  return node.type === CLAUSE_NODE
}

/** The clause id a clause node of ProseMirror JSON holds, or null. */
export function clauseIdOf(node: JSONContent): string | null {
  const id = node.attrs?.[CLAUSE_ID_ATTRIBUTE]
  return typeof id === 'string' && id !== '' ? id : null
}

/** A clause node's heading node (its first child), or null for a malformed clause. */
export function clauseHeadingOf(node: JSONContent): JSONContent | null {
  const first = node.content?.[0]
  return first?.type === CLAUSE_HEADING_NODE ? first : null
}

/** A clause node's body blocks: its children other than the heading and the child clauses, in order. */
export function clauseBody(node: JSONContent): JSONContent[] {
  return (node.content ?? []).filter(
    (child) => child.type !== CLAUSE_HEADING_NODE && child.type !== CLAUSE_NODE,
  )
}

/** A clause node's child clauses. */
export function childClauses(node: JSONContent): JSONContent[] {
  return (node.content ?? []).filter(isClause)
}

/** What {@link forEachClause} tells of each clause. */
export interface ClauseVisit {
  node: JSONContent
  number: string
  depth: number
  parentId: string | null
}

/** Calls `visit` for every clause of `doc` in document order (a parent before its children). */
export function forEachClause(doc: JSONContent, visit: (clause: ClauseVisit) => void): void {
  const walk = (
    nodes: readonly JSONContent[],
    parent: string | null,
    parentId: string | null,
    depth: number,
  ) => {
    let index = 0
    for (const node of nodes) {
      if (!isClause(node)) continue
      const number = clauseNumber(parent, depth, index++)
      visit({ node, number, depth, parentId })
      walk(node.content ?? [], number, clauseIdOf(node), depth + 1)
    }
  }
  walk(doc.content ?? [], null, null, 1)
}

/** The plain text of body blocks, one line per block. */
export function bodyText(blocks: readonly JSONContent[]): string {
  return blocks.flatMap(blockLines).join('\n')
}

/** The document's clauses in document order, each with its number and plain text. */
export function extractClauses(doc: JSONContent): Clause[] {
  const clauses: Clause[] = []
  let unassigned = 0
  forEachClause(doc, ({ node, number, depth, parentId }) => {
    const heading = clauseHeadingOf(node)
    const body = clauseBody(node)
    clauses.push({
      id: clauseIdOf(node) ?? `unassigned-${++unassigned}`,
      number,
      depth,
      level: clauseLevel(depth),
      parentId,
      heading: heading ? nodeText(heading) : '',
      text: bodyText(body),
      blocks: heading ? [heading, ...body] : body,
    })
  })
  return clauses
}

/** The document's clause tree: ids, numbers and headings, children nested. */
export function clauseTree(doc: JSONContent): ClauseTreeEntry[] {
  const roots: ClauseTreeEntry[] = []
  const byNode = new Map<JSONContent, ClauseTreeEntry>()
  const parents: JSONContent[] = []
  forEachClause(doc, ({ node, number, depth }) => {
    const heading = clauseHeadingOf(node)
    const entry: ClauseTreeEntry = {
      id: clauseIdOf(node) ?? '',
      number,
      heading: heading ? nodeText(heading) : '',
      children: [],
    }
    byNode.set(node, entry)
    parents.length = depth - 1
    const parent = parents[depth - 2]
    if (parent) byNode.get(parent)?.children.push(entry)
    else roots.push(entry)
    parents[depth - 1] = node
  })
  return roots
}

/**
 * Gives every clause of a ProseMirror JSON document a unique clause id, keeping the ids it already
 * has (the first of any duplicates keeps its id). Returns the number of ids assigned.
 */
export function ensureClauseIds(doc: JSONContent, newId: () => string): number {
  const seen = new Set<string>()
  let assigned = 0
  forEachClause(doc, ({ node }) => {
    const id = clauseIdOf(node)
    if (id !== null && CLAUSE_ID_PATTERN.test(id) && !seen.has(id)) {
      seen.add(id)
      return
    }
    let fresh = newId()
    while (seen.has(fresh)) fresh = newId()
    seen.add(fresh)
    node.attrs = { ...node.attrs, [CLAUSE_ID_ATTRIBUTE]: fresh }
    assigned++
  })
  return assigned
}

/** A short random clause id ("c-" and 10 base-36 characters). */
export function randomClauseId(): string {
  const bytes = new Uint8Array(8)
  globalThis.crypto.getRandomValues(bytes)
  let out = ''
  for (const byte of bytes) out += byte.toString(36).padStart(2, '0')
  return `c-${out.slice(0, 10)}`
}

/**
 * A heading in an outline: the flat form in which Markdown, Word documents and pasted HTML arrive
 * (a heading of `level` 1 or more among the blocks, its section running to the next heading). It is never
 * stored; {@link outlineToDoc} nests it into clauses.
 */
export interface OutlineHeading {
  type: 'outlineHeading'
  level: number
  content?: JSONContent[]
  clauseId?: string | null
}

/** True for an {@link OutlineHeading}. */
export function isOutlineHeading(node: JSONContent | OutlineHeading): node is OutlineHeading {
  return node.type === 'outlineHeading'
}

function appendChild(parent: JSONContent, child: JSONContent): void {
  const children = parent.content ?? []
  children.push(child)
  parent.content = children
}

/**
 * Nests a flat outline into clauses: a first level-1 heading becomes the title; every other
 * heading opens a clause under the nearest open clause of a lower level (a level-1 heading later in
 * the text is a top-level clause, as level 2 is); blocks belong to the clause opened last, or to
 * the preamble before the first heading. Returns the content of a `doc` node (never empty).
 */
export function outlineToContent(
  items: ReadonlyArray<JSONContent | OutlineHeading>,
): JSONContent[] {
  const content: JSONContent[] = []
  /** Open clauses, outermost first, with the level of the heading that opened each. */
  const open: Array<{ node: JSONContent; level: number }> = []
  items.forEach((item, index) => {
    if (!isOutlineHeading(item)) {
      const target = open.at(-1)?.node
      if (target) appendChild(target, item)
      else content.push(item)
      return
    }
    const inline = item.content && item.content.length > 0 ? { content: item.content } : {}
    if (item.level <= 1 && index === 0) {
      content.push({ type: TITLE_NODE, ...inline })
      return
    }
    const level = Math.max(2, item.level)
    while (open.length > 0 && (open.at(-1)?.level ?? 0) >= level) open.pop()
    const clause: JSONContent = {
      type: CLAUSE_NODE,
      attrs: { [CLAUSE_ID_ATTRIBUTE]: item.clauseId ?? null },
      content: [{ type: CLAUSE_HEADING_NODE, ...inline }],
    }
    const parent = open.at(-1)?.node
    if (parent) appendChild(parent, clause)
    else content.push(clause)
    open.push({ node: clause, level })
  })
  // A clause's body blocks come before its child clauses: a block that followed a child clause's
  // heading belongs to that child, so the order is already right. A document of a title alone
  // needs a block after it.
  if (content.length === 0 || (content.length === 1 && content[0]?.type === TITLE_NODE))
    content.push({ type: 'paragraph' })
  return content
}

/** A `doc` node of the clause schema for a flat outline ({@link outlineToContent}). */
export function outlineToDoc(items: ReadonlyArray<JSONContent | OutlineHeading>): JSONContent {
  return { type: 'doc', content: outlineToContent(items) }
}
