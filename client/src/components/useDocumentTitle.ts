/**
 * The page's title (what a tab, a bookmark and the browser's history show): the parts given, most
 * specific first, then "OneText", e.g. "Clause 3. Decision-Making · Single Text 2 · National
 * Agreement · OneText". Empty parts are left out.
 */
import { useEffect } from 'react'

/** Sets `document.title` from `parts` while the calling component is shown. */
export function useDocumentTitle(...parts: ReadonlyArray<string | null | undefined>): void {
  const title = [...parts.filter((part): part is string => !!part), 'OneText'].join(' · ')
  useEffect(() => {
    document.title = title
  }, [title])
}
