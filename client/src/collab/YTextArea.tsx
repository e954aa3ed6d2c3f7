/**
 * A textarea bound to a Y.Text: typing edits the shared text (so the whole party sees a proposal
 * being written), and remote edits show up as they arrive.
 */
import { type TextareaHTMLAttributes, useEffect, useState } from 'react'
import type * as Y from 'yjs'

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
  useEffect(() => {
    setValue(text.toString())
    const observer = () => setValue(text.toString())
    text.observe(observer)
    return () => text.unobserve(observer)
  }, [text])
  return (
    <textarea
      {...props}
      value={value}
      onChange={(event) => {
        applyDiff(text, text.toString(), event.target.value)
      }}
    />
  )
}
