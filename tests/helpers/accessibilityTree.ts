/**
 * Chromium's accessibility tree of a page (the DevTools protocol's `Accessibility.getFullAXTree`,
 * what a screen reader is given), with the nodes Chromium ignores taken out, and a screen reader's
 * linear reading of it: landmarks, headings, controls and text in document order.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { ARTIFACTS_DIR } from './browser'

/** One node of the tree a screen reader reads. */
export interface AxNode {
  role: string
  name: string
  /** Chromium's properties of the node (level, pressed, disabled, ...). */
  properties: Record<string, unknown>
  children: AxNode[]
}

interface CdpAxNode {
  nodeId: string
  ignored: boolean
  role?: { value?: unknown }
  name?: { value?: unknown }
  properties?: Array<{ name: string; value: { value?: unknown } }>
  childIds?: string[]
  parentId?: string
}

/** Landmark roles, as Chromium names them. */
export const LANDMARK_ROLES: ReadonlySet<string> = new Set([
  'banner',
  'navigation',
  'main',
  'complementary',
  'contentinfo',
  'region',
  'search',
  'form',
])

/** Roles of controls a person operates (each must have a name). */
export const CONTROL_ROLES: ReadonlySet<string> = new Set([
  'button',
  'link',
  'checkbox',
  'radio',
  'textbox',
  'combobox',
  'listbox',
  'menuitem',
  'tab',
  'switch',
  'slider',
  'spinbutton',
])

/** Reads the page's accessibility tree; ignored nodes are replaced by their children. */
export async function readAccessibilityTree(page: Page): Promise<AxNode> {
  const session = await page.context().newCDPSession(page)
  try {
    const { nodes } = (await session.send('Accessibility.getFullAXTree')) as {
      nodes: CdpAxNode[]
    }
    const byId = new Map(nodes.map((node) => [node.nodeId, node]))
    const build = (node: CdpAxNode): AxNode[] => {
      const children = (node.childIds ?? []).flatMap((id) => {
        const child = byId.get(id)
        return child ? build(child) : []
      })
      if (node.ignored) return children
      return [
        {
          role: String(node.role?.value ?? ''),
          name: String(node.name?.value ?? ''),
          properties: Object.fromEntries(
            (node.properties ?? []).map((property) => [property.name, property.value.value]),
          ),
          children,
        },
      ]
    }
    const root = nodes.find((node) => node.parentId === undefined)
    if (!root) throw new Error('the accessibility tree has no root')
    const [tree] = build(root)
    if (!tree) throw new Error('the accessibility tree root is ignored')
    return tree
  } finally {
    await session.detach()
  }
}

/** Every node under `node` (itself first) in document order. */
export function walk(node: AxNode): AxNode[] {
  return [node, ...node.children.flatMap(walk)]
}

/** The nodes under `node` that `test` accepts, in document order. */
export function findAll(node: AxNode, test: (candidate: AxNode) => boolean): AxNode[] {
  return walk(node).filter(test)
}

/** The first node under `node` of `role` (and `name`, when given); throws when there is none. */
export function findOne(node: AxNode, role: string, name?: string | RegExp): AxNode {
  const found = walk(node).find(
    (candidate) =>
      candidate.role === role &&
      (name === undefined ||
        (typeof name === 'string' ? candidate.name === name : name.test(candidate.name))),
  )
  if (!found) throw new Error(`no ${role}${name === undefined ? '' : ` named ${name}`} in the tree`)
  return found
}

/** The landmarks in reading order, as `role "name"` (`role` alone when unnamed). */
export function landmarks(node: AxNode): string[] {
  return findAll(node, (candidate) => LANDMARK_ROLES.has(candidate.role)).map((landmark) =>
    landmark.name ? `${landmark.role} "${landmark.name}"` : landmark.role,
  )
}

/** Roles whose text is read apart from the text around it (a pause between them). */
const BLOCK_ROLES: ReadonlySet<string> = new Set([
  'paragraph',
  'heading',
  'listitem',
  'list',
  'LineBreak',
])

/**
 * The words a screen reader reads in `node`: its text in order (inline pieces joined as they
 * stand, blocks apart), spaces collapsed.
 */
export function spokenText(node: AxNode): string {
  const pieces: string[] = []
  const visit = (current: AxNode) => {
    if (current.role === 'StaticText') {
      pieces.push(current.name)
      return
    }
    const block = BLOCK_ROLES.has(current.role)
    if (block) pieces.push(' ')
    for (const child of current.children) visit(child)
    if (block) pieces.push(' ')
  }
  visit(node)
  return pieces.join('').replace(/\s+/g, ' ').trim()
}

/**
 * A screen reader's reading of `node`, one line each: a landmark as `[role "name"]`, a heading as
 * `heading N: words`, a control as `role: name`, and the text between them.
 */
export function reading(node: AxNode): string[] {
  const lines: string[] = []
  let text = ''
  const flush = () => {
    const words = text.replace(/\s+/g, ' ').trim()
    if (words) lines.push(words)
    text = ''
  }
  const visit = (current: AxNode, depth: number) => {
    if (LANDMARK_ROLES.has(current.role)) {
      flush()
      lines.push(
        `${'  '.repeat(depth)}[${current.role}${current.name ? ` "${current.name}"` : ''}]`,
      )
      for (const child of current.children) visit(child, depth + 1)
      flush()
      return
    }
    if (current.role === 'heading') {
      flush()
      lines.push(`heading ${current.properties.level ?? ''}: ${spokenText(current)}`)
      return
    }
    if (CONTROL_ROLES.has(current.role)) {
      flush()
      const pressed = current.properties.pressed === 'true' ? ' (pressed)' : ''
      const checked =
        current.properties.checked === 'true'
          ? ' (checked)'
          : current.role === 'checkbox'
            ? ' (not checked)'
            : ''
      lines.push(`${current.role}: ${current.name.replace(/\s+/g, ' ').trim()}${pressed}${checked}`)
      if (current.role !== 'textbox') return
    }
    if (current.role === 'StaticText') {
      text += current.name
      return
    }
    const block = BLOCK_ROLES.has(current.role)
    if (block) flush()
    for (const child of current.children) visit(child, depth)
    if (block) flush()
  }
  visit(node, 0)
  flush()
  return lines
}

/** Writes `lines` to test-artifacts/<name>.txt (for a person to read; kept as a CI artifact). */
export function saveReading(name: string, lines: readonly string[]): string {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true })
  const file = path.join(ARTIFACTS_DIR, `${name}.txt`)
  fs.writeFileSync(file, `${lines.join('\n')}\n`)
  return file
}
