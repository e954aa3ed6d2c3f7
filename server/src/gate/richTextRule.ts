/**
 * Rich text stays valid for the schema (shared/src/schema.ts, the one the editor uses). Every
 * editor deletes from the shared document what its schema cannot render, so content the schema does
 * not know would vanish for everyone the moment an editor opened it; and exports trust what they
 * read. Checked on what the update touched, not the whole document:
 *
 * - every element it inserts names a node type of the schema, with only that type's attributes,
 *   each holding a value the attribute policy allows (shared/src/attributePolicy.ts), and children
 *   that match the type's content expression in order (an element and its children come from one
 *   editor, which only writes valid ones), though perhaps too few (an undo recreates an element
 *   without the children others deleted meanwhile);
 * - every element whose children it changed holds only children the content expression allows
 *   somewhere (concurrent edits of honest editors can leave an order the expression would not
 *   produce, which every editor renders);
 * - text sits only in elements with inline content, and every format it adds is a mark the schema
 *   has, allowed in that element, with allowed attributes;
 * - no other kind of content (maps, arrays, embeds, values) inside the rich text.
 */
import { isAllowedAttributeValue } from '@onetext/shared/attributePolicy'
import { CLAUSE_HEADING_NODE, CLAUSE_NODE, TITLE_NODE } from '@onetext/shared/clauses'
import { RefusalReason } from '@onetext/shared/protocol'
import { getDocumentSchema, RICH_TEXT_FIELD } from '@onetext/shared/schema'
import type { ContentMatch, MarkType, NodeType, Schema } from '@tiptap/pm/model'
import * as Y from 'yjs'
import type { GateChange, GateRefusal, GateRule, SharedType } from './GateRule'
import { rootOf } from './GateRule'

/** y-prosemirror stores overlapping marks of one type as `<mark>--<8-character hash>`. */
const HASHED_MARK = /^(.+)--[A-Za-z0-9+/=]{8}$/

/** Thrown inside the check to stop at the first problem. */
class Invalid extends Error {}

function invalid(message: string): never {
  throw new Invalid(message)
}

/** Node types `type`'s content expression allows anywhere (every edge of its content match). */
function allowedChildren(type: NodeType): ReadonlySet<NodeType> {
  const allowed = new Set<NodeType>()
  const seen = new Set<ContentMatch>()
  const stack: ContentMatch[] = [type.contentMatch]
  while (stack.length > 0) {
    const match = stack.pop() as ContentMatch
    if (seen.has(match)) continue
    seen.add(match)
    for (let i = 0; i < match.edgeCount; i++) {
      const edge = match.edge(i)
      allowed.add(edge.type)
      stack.push(edge.next)
    }
  }
  return allowed
}

const allowedCache = new WeakMap<NodeType, ReadonlySet<NodeType>>()

function allowedChildrenOf(type: NodeType): ReadonlySet<NodeType> {
  let allowed = allowedCache.get(type)
  if (!allowed) {
    allowed = allowedChildren(type)
    allowedCache.set(type, allowed)
  }
  return allowed
}

/** The schema node type of an element (refused when the schema has none of that name). */
function elementType(schema: Schema, element: Y.XmlElement): NodeType {
  const type = schema.nodes[element.nodeName]
  if (!type || type.isText || type === schema.topNodeType)
    invalid(`unknown element <${element.nodeName.slice(0, 40)}>`)
  return type
}

function checkAttributes(type: NodeType, element: Y.XmlElement): void {
  const attributes = element.getAttributes() as Record<string, unknown>
  for (const [name, value] of Object.entries(attributes)) {
    if (!(name in (type.spec.attrs ?? {})))
      invalid(`<${type.name}> has no attribute ${name.slice(0, 40)}`)
    if (!isAllowedAttributeValue(type.name, name, value))
      invalid(`<${type.name}> ${name} may not hold that value`)
  }
}

function markType(schema: Schema, key: string): MarkType {
  const name = HASHED_MARK.exec(key)?.[1] ?? key
  const type = schema.marks[name]
  if (!type) invalid(`unknown mark ${name.slice(0, 40)}`)
  return type
}

function checkMarkValue(type: MarkType, value: unknown): void {
  if (value === null) return
  if (typeof value !== 'object' || Array.isArray(value))
    invalid(`mark ${type.name} with a non-object`)
  for (const [name, attribute] of Object.entries(value as Record<string, unknown>)) {
    if (!(name in (type.spec.attrs ?? {}))) invalid(`mark ${type.name} has no attribute ${name}`)
    if (!isAllowedAttributeValue(type.name, name, attribute))
      invalid(`mark ${type.name} ${name} may not hold that value`)
  }
}

/** The node type an element is, or the document's top node for the rich-text root. */
function containerType(schema: Schema, container: SharedType): NodeType {
  if (container instanceof Y.XmlElement) return elementType(schema, container)
  return schema.topNodeType
}

/**
 * Checks the children of `container` (an element or the root fragment): each an element of a
 * known type or non-empty text where text is allowed; in content-expression order when `strict`,
 * else each allowed somewhere; a clause's heading first and only there, always.
 */
function checkChildren(schema: Schema, container: SharedType, strict: boolean): void {
  const type = containerType(schema, container)
  const allowed = allowedChildrenOf(type)
  let match: ContentMatch | null = type.contentMatch
  let index = 0
  for (let item = container._start; item !== null; item = item.right) {
    if (item.deleted || !item.countable) continue
    const content = item.content
    if (!(content instanceof Y.ContentType)) invalid(`<${type.name}> holds a value`)
    let childType: NodeType
    if (content.type instanceof Y.XmlElement) {
      childType = elementType(schema, content.type)
    } else if (content.type instanceof Y.XmlText) {
      if (!type.inlineContent) invalid(`<${type.name}> holds text`)
      if (content.type.length === 0) continue
      childType = schema.nodes.text as NodeType
    } else {
      invalid(`<${type.name}> holds a shared type that is not rich text`)
    }
    if (!allowed.has(childType)) invalid(`<${type.name}> may not hold <${childType.name}>`)
    if (type.name === CLAUSE_NODE && (childType.name === CLAUSE_HEADING_NODE) !== (index === 0))
      invalid('a clause must begin with its heading and hold no other')
    if (childType.name === TITLE_NODE && index !== 0) invalid('the title must come first')
    index++
    if (strict && match) match = match.matchType(childType)
    if (strict && !match) invalid(`<${type.name}>'s children are out of order`)
  }
  if (type.name === CLAUSE_NODE && index === 0) invalid('a clause must begin with its heading')
  // Otherwise too few children is not refused: an undo (Y.UndoManager recreates an element without
  // the children someone else deleted meanwhile) and concurrent deletions leave them honestly, and
  // every editor renders the element as it is or removes it. A clause is the exception: no honest
  // editor removes or adds a clause's heading alone (its content expression leaves the order of
  // everything else free, shared/src/clauses.ts), and every editor would delete a clause without
  // exactly one heading first, with its whole subtree.
}

/** Checks one inserted item of the rich text; records the containers whose children to check. */
function checkInserted(
  schema: Schema,
  item: Y.Item,
  parent: SharedType,
  containers: Set<SharedType>,
): void {
  const content = item.content
  if (item.parentSub !== null) {
    if (!(parent instanceof Y.XmlElement)) invalid('an attribute on rich text that has none')
    if (!(content instanceof Y.ContentAny)) invalid('an attribute holding a shared type')
    containers.add(parent)
    return
  }
  if (parent instanceof Y.XmlText) {
    if (content instanceof Y.ContentFormat) {
      const element = parent.parent
      const mark = markType(schema, content.key)
      checkMarkValue(mark, content.value)
      if (element instanceof Y.XmlElement && !elementType(schema, element).allowsMarkType(mark))
        invalid(`<${element.nodeName}> may not hold mark ${mark.name}`)
      return
    }
    if (content instanceof Y.ContentString || content instanceof Y.ContentDeleted) return
    invalid('text holding something that is not text')
  }
  if (content instanceof Y.ContentDeleted) return
  if (!(content instanceof Y.ContentType)) invalid('rich text holding a value')
  const child = content.type
  if (!(child instanceof Y.XmlElement) && !(child instanceof Y.XmlText))
    invalid('rich text holding a shared type that is not rich text')
  containers.add(parent)
  if (child instanceof Y.XmlElement) containers.add(child)
}

/** True when `type`'s own item was inserted by the update being checked. */
function isNew(change: GateChange, type: SharedType): boolean {
  const item = type._item
  if (item === null) return false
  return item.id.clock >= (change.transaction.beforeState.get(item.id.client) ?? 0)
}

/** The rule for documents whose rich text lives in the `default` fragment. */
export const richTextRule: GateRule = {
  check(change: GateChange): GateRefusal | null {
    const schema = getDocumentSchema()
    const fragment: SharedType = change.after.getXmlFragment(RICH_TEXT_FIELD)
    const containers = new Set<SharedType>()
    try {
      for (const item of change.inserted) {
        if (item.deleted) continue
        const parent = item.parent
        if (!(parent instanceof Y.AbstractType) || rootOf(parent) !== fragment) continue
        checkInserted(schema, item, parent, containers)
      }
      for (const type of change.transaction.changed.keys()) {
        if (type === fragment || (type instanceof Y.XmlElement && rootOf(type) === fragment))
          containers.add(type)
      }
      for (const container of containers) {
        if (container._item?.deleted) continue
        if (container instanceof Y.XmlElement)
          checkAttributes(elementType(schema, container), container)
        checkChildren(schema, container, isNew(change, container))
      }
    } catch (error) {
      if (!(error instanceof Invalid)) throw error
      return {
        reason: RefusalReason.schema,
        text: `Your change put content the document cannot hold (${error.message}) and was refused.`,
      }
    }
    return null
  },
}
