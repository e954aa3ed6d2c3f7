/**
 * The answer to the latest of a series of API requests. `request` runs again whenever one of `keys`
 * changes (compared by value); an answer that arrives after a newer request has started is dropped, so a slow earlier
 * response (Single Text 2 while the reader has already picked 1) never overwrites a later one.
 * Until the first answer `value` is null; afterwards it keeps the last answer while a newer request
 * is in flight. A failed request sets `error` and clears `value`; `request` returning null means
 * "nothing to ask" and clears both.
 */
import { useEffect, useRef, useState } from 'react'

/** What {@link useLatestResponse} returns. */
export interface LatestResponse<T> {
  value: T | null
  error: unknown
}

export function useLatestResponse<T>(
  request: () => Promise<T> | null,
  keys: readonly (string | number | boolean | null)[],
): LatestResponse<T> {
  const [state, setState] = useState<LatestResponse<T>>({ value: null, error: null })
  const latestRequest = useRef(request)
  latestRequest.current = request
  const signature = JSON.stringify(keys)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the request runs again exactly when one of the caller's keys changes.
  useEffect(() => {
    const pending = latestRequest.current()
    if (!pending) {
      setState({ value: null, error: null })
      return
    }
    let latest = true
    pending.then(
      (value) => {
        if (latest) setState({ value, error: null })
      },
      (error: unknown) => {
        if (latest) setState({ value: null, error })
      },
    )
    return () => {
      latest = false
    }
  }, [signature])
  return state
}
