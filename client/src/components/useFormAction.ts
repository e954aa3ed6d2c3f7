/**
 * The busy flag and error message of a form that calls the API: `run` clears the error, marks the
 * form busy, and turns a failure into the server's message in words.
 */
import { useCallback, useState } from 'react'
import { ApiRequestError } from '../api'

export function useFormAction(): {
  busy: boolean
  error: string | null
  run: (action: () => Promise<void>) => Promise<void>
} {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await action()
    } catch (reason) {
      setError(
        reason instanceof ApiRequestError ? reason.message : 'The server could not be reached.',
      )
    } finally {
      setBusy(false)
    }
  }, [])
  return { busy, error, run }
}
