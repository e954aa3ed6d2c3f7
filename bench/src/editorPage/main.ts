/**
 * The page of `pnpm bench grouping --editor`: the editor stack OneText's editor is built on (Tiptap
 * 3 with StarterKit, y-tiptap's binding to a Y.XmlFragment, Yjs), without the application around it
 * (no React page, no provider, no server), holding `blocks` blocks either flat or grouped into
 * `sections` container nodes. Query: `layout=flat|grouped&blocks=N&sections=N`. Sets
 * `window.editorReady` once the editor is mounted.
 */
import { Editor, Node } from '@tiptap/core'
import { Collaboration } from '@tiptap/extension-collaboration'
import { StarterKit } from '@tiptap/starter-kit'
import * as Y from 'yjs'
import { benchSections } from '../benchText'

const params = new URLSearchParams(location.search)
const grouped = params.get('layout') === 'grouped'
const blocks = Number(params.get('blocks') ?? 1980)
const sections = Number(params.get('sections') ?? 30)

/** A container of blocks (what an article node of the schema would be). */
const Section = Node.create({
  name: 'section',
  group: 'block',
  content: 'block+',
  parseHTML: () => [{ tag: 'section' }],
  renderHTML: () => ['section', 0],
})

const doc = new Y.Doc()
const fragment = doc.getXmlFragment('default')
doc.transact(() => {
  const top: Y.XmlElement[] = []
  for (const section of benchSections(blocks, sections)) {
    const inner = section.map((block) => {
      const element = new Y.XmlElement(block.kind)
      if (block.kind === 'heading') element.setAttribute('level', 2 as unknown as string)
      element.insert(0, [new Y.XmlText(block.text)])
      return element
    })
    if (grouped) {
      const container = new Y.XmlElement('section')
      container.insert(0, inner)
      top.push(container)
    } else top.push(...inner)
  }
  fragment.insert(0, top)
})
// Every local change is encoded, as a provider would before sending it.
let encodedBytes = 0
doc.on('update', (update: Uint8Array) => {
  encodedBytes += update.length
})

document.body.className = grouped ? 'grouped' : 'flat'
new Editor({
  element: document.querySelector('#editor') as HTMLElement,
  extensions: [
    StarterKit.configure({ undoRedo: false }),
    Section,
    Collaboration.configure({ fragment }),
  ],
})
const state = window as unknown as { editorReady: boolean; encodedBytes: () => number }
state.encodedBytes = () => encodedBytes
state.editorReady = true
