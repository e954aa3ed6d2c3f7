/**
 * Akoma Ntoso 3.0 (OASIS LegalDocML) export of an iteration, for legislative-drafting tools: an
 * `<act name="agreement">` whose `<meta><identification>` names the negotiation as the FRBR Work,
 * the iteration as an Expression and this file as a Manifestation; `<preface>` holds the title,
 * `<preamble>` the blocks before the first clause, `<body>` the clause tree, and `<conclusions>`
 * the blocks after the last clause (signatures).
 *
 * The clause tree maps onto AKN's hierarchy as an AKN user expects of an agreement's articles:
 * depth 1 is `<article>` (eId `art_3`), depth 2 `<paragraph>` (`art_3__para_1`), depth 3 and below
 * `<point>` (`art_3__para_1__point_a`, `..__point_a__point_ii`). Each carries `<num>` (the clause's
 * number as OneText prints it, "3.1(a)"), `<heading>` when it has one, and its stable clause id as
 * `GUID`. A clause's body is its `<content>`; before child clauses it is its `<intro>`, after them
 * its `<wrapUp>`, and blocks that stand between two child clauses (concurrent edits can leave them
 * there) are an `<hcontainer name="text">` in their place. Paragraphs are
 * `<p>`, lists `<blockList>` with `<item>`s, bold/italic/underline `<b>`/`<i>`/`<u>`, line breaks
 * `<eol/>`. Every text and attribute is escaped, and characters XML 1.0 forbids are dropped.
 */
import {
  CLAUSE_HEADING_NODE,
  CLAUSE_ID_PATTERN,
  clauseHeadingOf,
  clauseIdOf,
  clauseNumber,
  isClause,
  nodeText,
  TITLE_NODE,
} from '@onetext/shared/clauses'
import type { JSONContent } from '@tiptap/core'
import { exportableText } from './documentBlocks'

/** The Akoma Ntoso 3.0 namespace. */
export const AKN_NAMESPACE = 'http://docs.oasis-open.org/legaldocml/ns/akn/3.0'

/** The FRBR country of every export: ISO 3166's user-assigned "zz", a negotiation has none. */
export const AKN_COUNTRY = 'zz'

/** What the export says of the iteration besides its text. */
export interface AknIdentity {
  negotiationId: string
  /** The negotiation's title: the document title when the text has no title of its own. */
  negotiationTitle: string
  /** The iteration's number. */
  iteration: number
  /** When the iteration was circulated (ms since the epoch): the Expression's date. */
  circulatedAt: number
  /** When the negotiation's first iteration was circulated (ms): the Work's date. */
  firstCirculatedAt: number
  /** When the file is written (ms): the Manifestation's date. */
  exportedAt: number
}

/** `text` as XML character data: forbidden characters dropped, markup characters escaped. */
export function xmlText(text: string): string {
  return exportableText(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;')
}

/** `value` as the inside of a double-quoted XML attribute (white space kept as references). */
export function xmlAttribute(value: string): string {
  return xmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
}

function attributes(values: Record<string, string | null | undefined>): string {
  return Object.entries(values)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, value]) => ` ${name}="${xmlAttribute(value)}"`)
    .join('')
}

function isoDate(ms: number): string {
  return new Date(Number.isFinite(ms) ? ms : 0).toISOString().slice(0, 10)
}

function inlineXml(nodes: readonly JSONContent[] | undefined): string {
  return (nodes ?? [])
    .map((node) => {
      if (node.type === 'hardBreak') return '<eol/>'
      let xml = xmlText(node.text ?? '')
      for (const mark of node.marks ?? []) {
        if (mark.type === 'bold') xml = `<b>${xml}</b>`
        else if (mark.type === 'italic') xml = `<i>${xml}</i>`
        else if (mark.type === 'underline') xml = `<u>${xml}</u>`
      }
      return xml
    })
    .join('')
}

/** Writes the XML of body blocks, numbering lists for eIds under `parentEid`. */
class BlockWriter {
  private lists = 0

  constructor(private readonly parentEid: string) {}

  blocks(nodes: readonly JSONContent[], indent: string): string[] {
    return nodes.flatMap((node) => this.block(node, indent))
  }

  private block(node: JSONContent, indent: string): string[] {
    if (node.type === 'bulletList' || node.type === 'orderedList') return this.list(node, indent)
    if (node.type === 'blockquote') return this.blocks(node.content ?? [], indent)
    if (node.type === 'horizontalRule') return []
    return [`${indent}<p>${inlineXml(node.content)}</p>`]
  }

  private list(node: JSONContent, indent: string): string[] {
    const items = node.content ?? []
    if (items.length === 0) return []
    const eId = `${this.parentEid}__list_${++this.lists}`
    const first = Number(node.attrs?.start ?? 1)
    const start = Number.isSafeInteger(first) ? first : 1
    const lines = [`${indent}<blockList${attributes({ eId })}>`]
    items.forEach((item, index) => {
      const itemEid = `${eId}__item_${index + 1}`
      const num = node.type === 'orderedList' ? `<num>${start + index}.</num>` : ''
      const inner = new BlockWriter(itemEid).blocks(item.content ?? [], `${indent}    `)
      lines.push(`${indent}  <item${attributes({ eId: itemEid })}>${num}`)
      lines.push(...(inner.length > 0 ? inner : [`${indent}    <p/>`]))
      lines.push(`${indent}  </item>`)
    })
    lines.push(`${indent}</blockList>`)
    return lines
  }
}

/** The AKN element and eId prefix of a clause at `depth`. */
function hierarchyOf(depth: number): { element: string; prefix: string } {
  if (depth <= 1) return { element: 'article', prefix: 'art' }
  if (depth === 2) return { element: 'paragraph', prefix: 'para' }
  return { element: 'point', prefix: 'point' }
}

/** "1" of "3.1", "a" of "3.1(a)", "ii" of "3.1(a)(ii)": the clause's own part of its number. */
function ownNumber(number: string, parent: string | null): string {
  const own = parent === null ? number : number.slice(parent.length)
  return own.replace(/[^A-Za-z0-9]/g, '') || '0'
}

/** Where the clauses among `nodes` start and end: indices of the first and the last, or null. */
function clauseSpan(nodes: readonly JSONContent[]): { first: number; last: number } | null {
  const first = nodes.findIndex(isClause)
  if (first === -1) return null
  return { first, last: nodes.length - 1 - [...nodes].reverse().findIndex(isClause) }
}

/**
 * The hierarchy of `nodes` (the clauses, and the blocks between them as `<hcontainer
 * name="text">`s, so nothing moves), the children of the clause numbered `parent.number` (null at
 * the top) whose eId is `parent.eId`.
 */
function hierarchyXml(
  nodes: readonly JSONContent[],
  parent: { number: string | null; eId: string | null },
  depth: number,
  indent: string,
): string[] {
  const lines: string[] = []
  let clauses = 0
  let containers = 0
  let between: JSONContent[] = []
  const flush = () => {
    if (between.length === 0) return
    const own = `hcontainer_${++containers}`
    const eId = parent.eId ? `${parent.eId}__${own}` : own
    const blocks = new BlockWriter(eId).blocks(between, `${indent}    `)
    between = []
    if (blocks.length === 0) return
    lines.push(`${indent}<hcontainer${attributes({ eId, name: 'text' })}>`)
    lines.push(`${indent}  <content>`, ...blocks, `${indent}  </content>`)
    lines.push(`${indent}</hcontainer>`)
  }
  for (const node of nodes) {
    if (!isClause(node)) {
      between.push(node)
      continue
    }
    flush()
    const number = clauseNumber(parent.number, depth, clauses++)
    lines.push(...clauseXml(node, number, parent, depth, indent))
  }
  flush()
  return lines
}

function clauseXml(
  node: JSONContent,
  number: string,
  parent: { number: string | null; eId: string | null },
  depth: number,
  indent: string,
): string[] {
  const { element, prefix } = hierarchyOf(depth)
  const own = `${prefix}_${ownNumber(number, parent.number)}`
  const eId = parent.eId ? `${parent.eId}__${own}` : own
  const id = clauseIdOf(node)
  const guid = id !== null && CLAUSE_ID_PATTERN.test(id) ? id : null
  const lines = [`${indent}<${element}${attributes({ eId, GUID: guid })}>`]
  lines.push(`${indent}  <num>${xmlText(number)}</num>`)
  const heading = clauseHeadingOf(node)
  if (heading && nodeText(heading).trim() !== '')
    lines.push(`${indent}  <heading>${inlineXml(heading.content)}</heading>`)
  const children = (node.content ?? []).filter((child) => child.type !== CLAUSE_HEADING_NODE)
  const writer = new BlockWriter(eId)
  const span = clauseSpan(children)
  if (!span) {
    const body = writer.blocks(children, `${indent}    `)
    lines.push(`${indent}  <content>`)
    lines.push(...(body.length > 0 ? body : [`${indent}    <p/>`]))
    lines.push(`${indent}  </content>`)
  } else {
    // Blocks before the first child clause are its intro, blocks after the last its wrap-up.
    const intro = writer.blocks(children.slice(0, span.first), `${indent}    `)
    if (intro.length > 0) lines.push(`${indent}  <intro>`, ...intro, `${indent}  </intro>`)
    const inner = children.slice(span.first, span.last + 1)
    lines.push(...hierarchyXml(inner, { number, eId }, depth + 1, `${indent}  `))
    const wrapUp = writer.blocks(children.slice(span.last + 1), `${indent}    `)
    if (wrapUp.length > 0) lines.push(`${indent}  <wrapUp>`, ...wrapUp, `${indent}  </wrapUp>`)
  }
  lines.push(`${indent}</${element}>`)
  return lines
}

function identification(identity: AknIdentity, title: string): string[] {
  const work = `/akn/${AKN_COUNTRY}/act/agreement/${isoDate(identity.firstCirculatedAt)}/${encodeURIComponent(identity.negotiationId)}`
  const expression = `${work}/eng@iteration-${identity.iteration}`
  const author = '<FRBRauthor href="#onetext"/>'
  const frbr = (element: string, uri: string, date: number, dateName: string, extra: string[]) => [
    `        <${element}>`,
    `          <FRBRthis${attributes({ value: `${uri}/!main` })}/>`,
    `          <FRBRuri${attributes({ value: uri })}/>`,
    `          <FRBRdate${attributes({ date: isoDate(date), name: dateName })}/>`,
    `          ${author}`,
    ...extra.map((line) => `          ${line}`),
    `        </${element}>`,
  ]
  return [
    '      <identification source="#onetext">',
    ...frbr('FRBRWork', work, identity.firstCirculatedAt, 'firstCirculation', [
      `<FRBRcountry${attributes({ value: AKN_COUNTRY })}/>`,
      '<FRBRsubtype value="agreement"/>',
      `<FRBRnumber${attributes({ value: identity.negotiationId })}/>`,
      `<FRBRname${attributes({ value: title })}/>`,
    ]),
    ...frbr('FRBRExpression', expression, identity.circulatedAt, 'circulation', [
      `<FRBRversionNumber${attributes({ value: String(identity.iteration) })}/>`,
      '<FRBRlanguage language="eng"/>',
    ]),
    `        <FRBRManifestation>`,
    `          <FRBRthis${attributes({ value: `${expression}/!main.xml` })}/>`,
    `          <FRBRuri${attributes({ value: `${expression}.akn` })}/>`,
    `          <FRBRdate${attributes({ date: isoDate(identity.exportedAt), name: 'export' })}/>`,
    `          ${author}`,
    `        </FRBRManifestation>`,
    '      </identification>',
  ]
}

/** An iteration's document (ProseMirror JSON of the clause schema) as Akoma Ntoso 3.0 XML. */
export function docToAkomaNtoso(doc: JSONContent, identity: AknIdentity): string {
  const nodes = doc.content ?? []
  const titleNode = nodes.find((node) => node.type === TITLE_NODE)
  const titleText = titleNode ? nodeText(titleNode).trim() : ''
  const title = titleText !== '' ? titleText : identity.negotiationTitle
  const titleXml =
    titleNode && titleText !== ''
      ? inlineXml(titleNode.content)
      : xmlText(identity.negotiationTitle)
  const content = nodes.filter((node) => node.type !== TITLE_NODE)
  const span = clauseSpan(content)
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<akomaNtoso xmlns="${AKN_NAMESPACE}">`,
    '  <act name="agreement">',
    '    <meta>',
    ...identification(identity, title),
    '      <references source="#onetext">',
    '        <TLCOrganization eId="onetext" href="/ontology/organization/onetext" showAs="OneText"/>',
    '      </references>',
    '    </meta>',
    '    <preface>',
    `      <p class="title"><docTitle>${titleXml}</docTitle></p>`,
    `      <p class="iteration">Single Text <docNumber>${identity.iteration}</docNumber></p>`,
    '    </preface>',
  ]
  if (!span) {
    // A text without clauses is one unnamed container, as the body needs one.
    const only = hierarchyXml(content, { number: null, eId: null }, 1, '      ')
    lines.push('    <body>')
    lines.push(
      ...(only.length > 0
        ? only
        : [
            '      <hcontainer eId="hcontainer_1" name="text"><content><p/></content></hcontainer>',
          ]),
    )
    lines.push('    </body>', '  </act>', '</akomaNtoso>', '')
    return lines.join('\n')
  }
  // Blocks before the first clause are the preamble, blocks after the last the conclusions.
  const preamble = new BlockWriter('preamble').blocks(content.slice(0, span.first), '      ')
  if (preamble.length > 0) lines.push('    <preamble>', ...preamble, '    </preamble>')
  const inner = content.slice(span.first, span.last + 1)
  lines.push('    <body>', ...hierarchyXml(inner, { number: null, eId: null }, 1, '      '))
  lines.push('    </body>')
  const conclusions = new BlockWriter('conclusions').blocks(content.slice(span.last + 1), '      ')
  if (conclusions.length > 0) lines.push('    <conclusions>', ...conclusions, '    </conclusions>')
  lines.push('  </act>', '</akomaNtoso>', '')
  return lines.join('\n')
}
