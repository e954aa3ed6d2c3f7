/**
 * A rich-text editor bound to a live document: Tiptap with the shared schema, editing across
 * segment boundaries, Yjs collaboration, and remote carets labelled with each person's name in their party colour. The editor is created
 * for one session and recreated only when the session changes.
 */
import { createSchemaExtensions } from '@onetext/shared/schema'
import type { AnyExtension, Editor } from '@tiptap/core'
import { Collaboration } from '@tiptap/extension-collaboration'
import { CollaborationCaret } from '@tiptap/extension-collaboration-caret'
import { EditorContent, useEditor } from '@tiptap/react'
import { useEffect } from 'react'
import type { CollabSession } from '../collab/CollabSession'
import { CaretInView } from './CaretInView'
import { caretAwareness } from './caretAwareness'
import { SegmentBoundaries } from './SegmentBoundaries'
import { SegmentSizeEstimate } from './SegmentSizeEstimate'

/** Who I am in carets (the server stamps the authoritative copy for everyone else). */
export interface CaretUser {
  id: string
  name: string
  color: string
}

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
        SegmentBoundaries,
        SegmentSizeEstimate,
        CaretInView,
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
  return editor
}

export function CollabEditorContent({ editor }: { editor: Editor }) {
  return <EditorContent editor={editor} className="editor-content" />
}
