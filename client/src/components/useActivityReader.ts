/**
 * This person's place in a negotiation's activity feed and their e-mail choices, read from the
 * server (null until it answers; a failed read leaves it null, and the feed counts nothing new).
 */
import { useEffect, useState } from 'react'
import { fetchActivityReader, type Reply } from '../api'

/** The server's answer for `GET /activity/me`. */
export type ActivityReader = Reply<'GET /api/negotiations/:id/activity/me'>

export function useActivityReader(
  negotiationId: string,
): [ActivityReader | null, (reader: ActivityReader) => void] {
  const [reader, setReader] = useState<ActivityReader | null>(null)
  useEffect(() => {
    let current = true
    fetchActivityReader(negotiationId).then(
      (answer) => {
        if (current) setReader(answer)
      },
      () => {},
    )
    return () => {
      current = false
    }
  }, [negotiationId])
  return [reader, setReader]
}
