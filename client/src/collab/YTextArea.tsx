/**
 * A textarea bound to a Y.Text: typing edits the shared text (so the whole party sees a rationale
 * being written), and remote edits show up as they arrive, without moving the writer's caret or
 * selection: it stays by the same words (`mapIndex` through the remote change).
 */
import { type TextareaHTMLAttributes, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { mapIndex, type TextDeltaOp } from './textCaret'

/** Applies the change from `before` to `after` to `text` as one splice (common prefix and suffix kept). */
function applyDiff(text: Y.Text, before: string, after: string): void {
  let start = 0
  while (start < before.length && start < after.length && before[start] === after[start]) start++
  let endBefore = before.length
  let endAfter = after.length
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--
    endAfter--
  }
  text.doc?.transact(() => {
    if (endBefore > start) text.delete(start, endBefore - start)
    if (endAfter > start) text.insert(start, after.slice(start, endAfter))
  })
}

export function YTextArea({
  text,
  ...props
}: { text: Y.Text } & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'>) {
  const [value, setValue] = useState(() => text.toString())
  const area = useRef<HTMLTextAreaElement>(null)
  /** The writer's selection to put back once a remote change is shown. */
  const keep = useRef<[number, number, 'forward' | 'backward' | 'none'] | null>(null)
  useEffect(() => {
    setValue(text.toString())
    const observer = (event: Y.YTextEvent) => {
      const element = area.current
      if (!event.transaction.local && element && document.activeElement === element) {
        const delta = event.delta as TextDeltaOp[]
        keep.current = [
          mapIndex(element.selectionStart, delta),
          mapIndex(element.selectionEnd, delta),
          element.selectionDirection ?? 'none',
        ]
      }
      setValue(text.toString())
    }
    text.observe(observer)
    return () => text.unobserve(observer)
  }, [text])
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the shown value changes
  useLayoutEffect(() => {
    const selection = keep.current
    const element = area.current
    keep.current = null
    if (selection && element) element.setSelectionRange(...selection)
  }, [value])
  return (
    <textarea
      {...props}
      ref={area}
      value={value}
      onChange={(event) => {
        applyDiff(text, text.toString(), event.target.value)
      }}
    />
  )
}
