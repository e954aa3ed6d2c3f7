/**
 * The activity entries a person may see: live from the status document for the table, fetched from
 * the API for a local table (which does not open the status document, and is told of publications
 * only).
 */
import type { ActivityEntry, NegotiationStatus } from '@onetext/shared/statusDoc'
import { useEffect, useState } from 'react'
import { fetchActivity } from '../../api'

export function useActivity(
  negotiationId: string,
  observer: boolean,
  status: NegotiationStatus,
): readonly ActivityEntry[] {
  const [fetched, setFetched] = useState<readonly ActivityEntry[]>([])
  useEffect(() => {
    if (!observer) return
    let current = true
    fetchActivity(negotiationId).then(
      (entries) => {
        if (current) setFetched(entries)
      },
      () => {},
    )
    return () => {
      current = false
    }
  }, [negotiationId, observer])
  return observer ? fetched : status.activity
}
