/**
 * A rich-text editor bound to a live document: Tiptap with the shared schema (the clause tree),
 * the structural editing commands of clauses, Yjs collaboration, and remote carets labelled with
 * each person's name in their party colour. The editor is created for one session and recreated
 * only when the session changes.
 */
import { createSchemaExtensions } from '@onetext/shared/schema'
import type { AnyExtension, Editor } from '@tiptap/core'
import { Collaboration } from '@tiptap/extension-collaboration'
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret'
import { EditorContent, useEditor } from '@tiptap/react'
import { useEffect } from 'react'
import type { CollabSession } from '../collab/CollabSession'
import { CaretClauseShown } from './CaretClauseShown'
import { CaretInView } from './CaretInView'
import { ClauseCommands } from './ClauseCommands'
import { ClauseNavigation } from './ClauseNavigation'
import { caretAwareness } from './caretAwareness'
import { installIncrementalRemoteRender } from './remoteRender'

installIncrementalRemoteRender()

/** Who I am in carets (the server stamps the authoritative copy for everyone else). */
export interface CaretUser {
  id: string
  name: string
  color: string
}

/**
 * The editor of `session`'s document, labelled `label` for assistive technology, editable while
 * `editable`, with `extra` extensions (clause numbering and locks for a numbered text).
 */
export function useCollabEditor(
  session: CollabSession,
  me: CaretUser,
  label: string,
  editable: boolean,
  extra: AnyExtension[] = [],
): Editor | null {
  const editor = useEditor(
    {
      extensions: [
        ...createSchemaExtensions(),
        ClauseCommands,
        CaretInView,
        CaretClauseShown,
        ClauseNavigation,
        Collaboration.configure({ fragment: session.fragment }),
        CollaborationCaret.configure({
          provider: { awareness: caretAwareness(session.provider.awareness) },
          user: me,
        }),
        ...extra,
      ],
      editable,
      editorProps: {
        attributes: {
          'aria-label': label,
          'aria-multiline': 'true',
          role: 'textbox',
          'aria-keyshortcuts': 'Alt+F10 Alt+ArrowDown Alt+ArrowUp',
          class: 'document-text',
          spellcheck: 'true',
        },
      },
    },
    [session],
  )
  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable)
  }, [editor, editable])
  useEditorHandoff(session, editor)
  return editor
}

/**
 * Keeps the user where they were when a session is rebuilt after a refusal and the editor is made
 * anew for its successor: the old editor records its selection, focus and the scroll position on
 * the new session; the new editor restores them.
 */
function useEditorHandoff(session: CollabSession, editor: Editor | null): void {
  useEffect(() => {
    if (!editor) return
    const handoff = session.handoff
    const restore = () => {
      if (!handoff || editor.isDestroyed) return
      session.handoff = null
      const size = editor.state.doc.content.size
      const clamp = (position: number) => Math.max(0, Math.min(position, size))
      editor.commands.setTextSelection({ from: clamp(handoff.anchor), to: clamp(handoff.head) })
      if (handoff.focused) editor.view.focus()
      window.scrollTo({ top: handoff.scrollY })
    }
    if (editor.isInitialized) restore()
    else editor.once('create', restore)
    const stop = session.onReplaced((next) => {
      if (editor.isDestroyed || !editor.isInitialized) return
      next.handoff = {
        anchor: editor.state.selection.anchor,
        head: editor.state.selection.head,
        focused: editor.view.hasFocus(),
        scrollY: window.scrollY,
      }
    })
    return () => {
      editor.off('create', restore)
      stop()
    }
  }, [session, editor])
}

/** The editor's text, to be placed in the page. */
export function CollabEditorContent({ editor }: { editor: Editor }) {
  return <EditorContent editor={editor} className="editor-content" />
}
