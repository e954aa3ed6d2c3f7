/**
 * Pasting into the clause tree: flat headings from Word or a web page become nested clauses, a
 * pasted clause whose id is already in the text gets a fresh one (copy and paste duplicates a
 * clause; cut and paste moves it and keeps its id), and whole clauses pasted go in as clauses after
 * the clause holding the caret.
 */
import { CLAUSE_ID_ATTRIBUTE, CLAUSE_NODE, randomClauseId } from '@onetext/shared/clauses'
import { Fragment, type Node as ProseMirrorNode, Slice } from '@tiptap/pm/model'
import { type EditorState, Selection, type Transaction } from '@tiptap/pm/state'
import { keepsLockedClauses } from './clauseLocks'
import { buildChildren, flattenChildren, type OutlineItem } from './restructure'

const VOID_ELEMENTS = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
])

const TOKEN = /<!--[\s\S]*?-->|<(\/?)([A-Za-z][A-Za-z0-9:-]*)((?:"[^"]*"|'[^']*'|[^'">])*)>/g

/**
 * Pasted HTML with flat headings (`<h1>`-`<h6>` among the blocks, as Word and web pages give them)
 * turned into the editor's nested clauses: each heading opens a `<section class="clause">` under
 * the nearest open one of a lower level, holding the blocks up to the next heading of its level or
 * above, and is written `<h2>` (an `<h1>` is a clause like an `<h2>`: a paste has no title).
 * Headings already inside a section, and HTML copied from a OneText editor (it carries the
 * editor's own slice), are left as they are; HTML without headings is returned unchanged.
 */
export function nestFlatHeadings(html: string): string {
  if (html.includes('data-pm-slice') || !/<h[1-6][\s>]/i.test(html)) return html
  /** Elements open in the input, by name. */
  const stack: string[] = []
  /** Sections opened here: the heading level and how many input elements were open then. */
  const sections: Array<{ level: number; open: number }> = []
  const closeWhile = (keep: (section: { level: number; open: number }) => boolean) => {
    let out = ''
    while (sections.length > 0 && !keep(sections.at(-1) as { level: number; open: number })) {
      sections.pop()
      out += '</section>'
    }
    return out
  }
  const result = html.replace(
    TOKEN,
    (token, slash: string, rawName: string | undefined, rest: string) => {
      if (rawName === undefined) return token
      const name = rawName.toLowerCase()
      const heading = /^h[1-6]$/.test(name) && !stack.includes('section')
      if (slash) {
        const at = stack.lastIndexOf(name)
        if (at < 0) return heading ? '</h2>' : token
        const before = closeWhile((section) => section.open <= at)
        stack.length = at
        return `${before}${heading ? '</h2>' : token}`
      }
      const selfClosing = rest.trimEnd().endsWith('/') || VOID_ELEMENTS.has(name)
      if (!heading) {
        if (!selfClosing) stack.push(name)
        return token
      }
      const level = Math.max(2, Number(name.slice(1)))
      const before = closeWhile((section) => section.level < level && section.open <= stack.length)
      sections.push({ level, open: stack.length })
      stack.push(name)
      return `${before}<section class="clause"><h2${rest}>`
    },
  )
  return result + '</section>'.repeat(sections.length)
}

/** The clause ids of `doc`. */
function clauseIds(doc: ProseMirrorNode): Set<string> {
  const ids = new Set<string>()
  doc.descendants((node) => {
    if (node.type.name !== CLAUSE_NODE) return node.type.name === 'doc'
    const id = node.attrs[CLAUSE_ID_ATTRIBUTE]
    if (typeof id === 'string') ids.add(id)
    return true
  })
  return ids
}

/**
 * `slice` with a fresh clause id on every clause whose id is missing, already in `doc` or repeated
 * in the slice; the slice itself when none is.
 */
export function freshClauseIds(slice: Slice, doc: ProseMirrorNode): Slice {
  let taken: Set<string> | null = null
  let changed = false
  const renumber = (fragment: Fragment): Fragment => {
    const nodes: ProseMirrorNode[] = []
    fragment.forEach((node) => {
      if (node.type.name !== CLAUSE_NODE) {
        nodes.push(node)
        return
      }
      taken ??= clauseIds(doc)
      const id = node.attrs[CLAUSE_ID_ATTRIBUTE]
      const content = renumber(node.content)
      if (typeof id === 'string' && id !== '' && !taken.has(id)) {
        taken.add(id)
        nodes.push(content === node.content ? node : node.copy(content))
        return
      }
      let fresh = randomClauseId()
      while (taken.has(fresh)) fresh = randomClauseId()
      taken.add(fresh)
      changed = true
      nodes.push(
        node.type.create({ ...node.attrs, [CLAUSE_ID_ATTRIBUTE]: fresh }, content, node.marks),
      )
    })
    return nodes.every((node, index) => node === fragment.maybeChild(index))
      ? fragment
      : Fragment.from(nodes)
  }
  const content = renumber(slice.content)
  return changed ? new Slice(content, slice.openStart, slice.openEnd) : slice
}

/** True when the top level of `slice` holds a clause. */
function holdsClauses(slice: Slice): boolean {
  let found = false
  slice.content.forEach((node) => {
    if (node.type.name === CLAUSE_NODE) found = true
  })
  return found
}

/**
 * The transaction that pastes a `slice` holding clauses (in a body paragraph, a heading or the
 * preamble): the blocks before its first clause heading go in at the caret, and its clauses (nested as they
 * were, the outermost at the depth of the clause holding the caret) go in after that clause, or at
 * the end of the preamble outside any clause. Null when the paste is not of that kind or would
 * change a locked clause.
 */
export function pasteClauses(
  state: EditorState,
  slice: Slice,
  locked: ReadonlySet<string>,
): Transaction | null {
  const clauseType = state.schema.nodes[CLAUSE_NODE]
  if (!clauseType || !holdsClauses(slice)) return null
  const items = flattenChildren(slice.content, 0, 0, slice.content.childCount, 1)
  const first = items.findIndex((item) => item.kind === 'heading')
  if (first < 0) return null
  const leading = items.slice(0, first).map((item) => (item as { node: ProseMirrorNode }).node)
  const tr = state.tr
  if (leading.length > 0) {
    const firstIsClause = slice.content.firstChild?.type.name === CLAUSE_NODE
    const open = Math.max(0, slice.openStart - (firstIsClause ? 1 : 0))
    tr.replaceSelection(new Slice(Fragment.from(leading), Math.min(open, depthOf(leading[0])), 0))
  } else if (!tr.selection.empty) {
    tr.deleteSelection()
  }
  const $pos = tr.selection.$from
  let level = 0
  for (let index = $pos.depth; index >= 1; index--)
    if ($pos.node(index).type === clauseType) {
      level = index
      break
    }
  const depth = level === 0 ? 1 : countClauses($pos, level)
  const clauses = items.slice(first) as OutlineItem[]
  const shallowest = Math.min(
    ...clauses.map((item) => (item.kind === 'heading' ? item.depth : Number.POSITIVE_INFINITY)),
  )
  const shifted = clauses.map((item) => {
    if (item.kind === 'heading')
      return { ...item, depth: item.depth - shallowest + depth, source: null }
    return item.depth === undefined ? item : { ...item, depth: item.depth - shallowest + depth }
  })
  const nodes = buildChildren(shifted, depth, clauseType)
  const at = level === 0 ? preambleEnd(tr.doc) : $pos.after(level)
  try {
    tr.insert(at, nodes)
    tr.doc.check()
  } catch {
    return null
  }
  if (!keepsLockedClauses(state.doc, tr.doc, locked)) return null
  const end = at + Fragment.from(nodes).size
  tr.setSelection(Selection.near(tr.doc.resolve(end), -1))
  return tr
}

function depthOf(node: ProseMirrorNode | undefined): number {
  let depth = 0
  for (
    let current = node;
    current && !current.isTextblock;
    current = current.firstChild ?? undefined
  )
    depth++
  return depth + 1
}

function countClauses($pos: Selection['$from'], level: number): number {
  let count = 0
  for (let index = 1; index <= level; index++)
    if ($pos.node(index).type.name === CLAUSE_NODE) count++
  return count
}

/** The position after the document's last top-level block before its first clause. */
function preambleEnd(doc: ProseMirrorNode): number {
  let pos = 0
  for (let index = 0; index < doc.childCount; index++) {
    const child = doc.child(index)
    if (child.type.name === CLAUSE_NODE) break
    pos += child.nodeSize
  }
  return pos
}
