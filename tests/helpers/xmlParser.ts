/**
 * A strict XML parser for the tests of XML exports: @xmldom/xmldom (the version mammoth reads DOCX
 * with), with every warning and error turned into a thrown Error. xmldom checks structure
 * (tags that do not match or close, duplicate attributes, unknown entities, one root) but accepts
 * a bare `&`, a `<` in an attribute value, `]]>` in text and characters XML 1.0 forbids; a
 * lexical scan refuses those first, so that a document that is not well-formed fails the test.
 */
import * as xmldomModule from '@xmldom/xmldom'

/** The part of the DOM the tests read. */
export interface XmlElement {
  nodeType: number
  tagName: string
  localName: string
  namespaceURI: string | null
  textContent: string | null
  childNodes: ArrayLike<XmlElement>
  getAttribute(name: string): string | null
  hasAttribute(name: string): boolean
}

interface XmlDom {
  DOMParser: new (options: {
    errorHandler: (level: string, message: string) => void
  }) => { parseFromString(text: string, type: string): { documentElement: XmlElement | null } }
}

const xmldom = xmldomModule as unknown as XmlDom

const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u
const BARE_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/

/** Throws for what xmldom lets through (see the file's comment); comments and PIs are skipped. */
function scanLexically(xml: string): void {
  const forbidden = NOT_XML.exec(xml)
  if (forbidden) throw new Error(`XML: forbidden character at ${forbidden.index}`)
  const ampersand = BARE_AMPERSAND.exec(xml)
  if (ampersand) throw new Error(`XML: bare & at ${ampersand.index}`)
  let at = 0
  while (at < xml.length) {
    const open = xml.indexOf('<', at)
    const text = xml.slice(at, open === -1 ? xml.length : open)
    if (text.includes(']]>')) throw new Error(`XML: ]]> in text near ${at}`)
    if (open === -1) return
    const closer = xml.startsWith('<!--', open) ? '-->' : xml.startsWith('<?', open) ? '?>' : null
    if (closer) {
      const end = xml.indexOf(closer, open)
      if (end === -1) throw new Error(`XML: unclosed comment or PI at ${open}`)
      at = end + closer.length
      continue
    }
    // A tag: quoted attribute values may hold > but never <.
    let index = open + 1
    let quote: string | null = null
    for (; index < xml.length; index++) {
      const char = xml[index]
      if (quote) {
        if (char === quote) quote = null
        else if (char === '<') throw new Error(`XML: < in an attribute value at ${index}`)
      } else if (char === '"' || char === "'") quote = char
      else if (char === '<') throw new Error(`XML: < inside a tag at ${index}`)
      else if (char === '>') break
    }
    if (index >= xml.length) throw new Error(`XML: unclosed tag at ${open}`)
    at = index + 1
  }
}

/** The root element of `xml`; throws for anything but a well-formed document. */
export function parseXml(xml: string): XmlElement {
  scanLexically(xml)
  const parser = new xmldom.DOMParser({
    errorHandler: (level, message) => {
      throw new Error(`XML ${level}: ${message}`)
    },
  })
  const root = parser.parseFromString(xml, 'text/xml').documentElement
  if (!root) throw new Error('XML: no root element')
  return root
}

/** The element children of `node`. */
export function childElements(node: XmlElement): XmlElement[] {
  return Array.from(node.childNodes).filter((child) => child.nodeType === 1)
}

/** The first element child of `node` named `name` (local name), or undefined. */
export function childNamed(node: XmlElement, name: string): XmlElement | undefined {
  return childElements(node).find((child) => child.localName === name)
}

/** Every element under `node` (and `node` itself), in document order. */
export function allElements(node: XmlElement): XmlElement[] {
  return [node, ...childElements(node).flatMap(allElements)]
}
