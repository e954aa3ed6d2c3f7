/**
 * Reads a value derived from a Y.Doc and re-renders when the document changes.
 */
import { useCallback, useRef, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'

/**
 * `read(doc)` after every update of `doc`. The result is cached per update, so `read` may build new
 * objects; it is recomputed only when the document changed.
 */
export function useYValue<T>(doc: Y.Doc | null, read: (doc: Y.Doc) => T, fallback: T): T {
  const version = useRef(0)
  const cache = useRef<{ doc: Y.Doc | null; version: number; value: T } | null>(null)
  const subscribe = useCallback(
    (listener: () => void) => {
      if (!doc) return () => {}
      const onUpdate = () => {
        version.current++
        listener()
      }
      doc.on('update', onUpdate)
      return () => doc.off('update', onUpdate)
    },
    [doc],
  )
  return useSyncExternalStore(subscribe, () => {
    if (!doc) return fallback
    const cached = cache.current
    if (cached && cached.doc === doc && cached.version === version.current) return cached.value
    const value = read(doc)
    cache.current = { doc, version: version.current, value }
    return value
  })
}
