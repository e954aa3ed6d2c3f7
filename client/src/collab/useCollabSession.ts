/**
 * React hooks over a CollabSession: create one per document name in an effect, and read its save
 * state and presence as external stores.
 */

import type { PresenceUser } from '@onetext/shared/apiTypes'
import { NEUTRAL_PARTY_COLOR } from '@onetext/shared/partyPalette'
import type { SaveState } from '@onetext/shared/persistenceTracker'
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react'
import { CollabSession, type RefusalNotice, type TerminalReason } from './CollabSession'

/**
 * Keeps following `session` through its replacements (a session rebuilt after a refusal hands over
 * to a new one): calls `replace(old, next)` for each, and returns a function that stops following
 * and destroys whichever session is current.
 */
function follow(
  session: CollabSession,
  replace: (old: CollabSession, next: CollabSession) => void,
): () => void {
  let current = session
  let stop = () => {}
  const watch = (target: CollabSession) => {
    stop = target.onReplaced((next) => {
      const old = current
      current = next
      replace(old, next)
      watch(next)
    })
  }
  watch(session)
  return () => {
    stop()
    current.destroy()
  }
}

/**
 * Opens `docName` for the lifetime of the component (or until the name changes), following the
 * session through rebuilds after refusals.
 */
export function useCollabSession(docName: string | null): CollabSession | null {
  const [session, setSession] = useState<CollabSession | null>(null)
  useEffect(() => {
    if (!docName) return
    const created = new CollabSession(docName)
    setSession(created)
    const stop = follow(created, (_old, next) => setSession(next))
    return () => {
      setSession(null)
      stop()
    }
  }, [docName])
  return session
}

/**
 * Opens every document in `names` for the lifetime of the component; keyed by name. A session
 * rebuilt after a refusal is replaced in the map by its successor.
 */
export function useCollabSessions(names: readonly string[]): ReadonlyMap<string, CollabSession> {
  const key = names.join('|')
  const [sessions, setSessions] = useState<ReadonlyMap<string, CollabSession>>(new Map())
  useEffect(() => {
    const created = new Map<string, CollabSession>()
    for (const name of key ? key.split('|') : []) created.set(name, new CollabSession(name))
    setSessions(created)
    const stops = Array.from(created.values(), (session) =>
      follow(session, (_old, next) =>
        setSessions((current) => new Map(current).set(next.docName, next)),
      ),
    )
    return () => {
      setSessions(new Map())
      for (const stop of stops) stop()
    }
  }, [key])
  return sessions
}

/** Why the server refused the session for good, if it did. */
export function useTerminalReason(session: CollabSession | null): TerminalReason {
  const subscribe = useCallback(
    (listener: () => void) => (session ? session.subscribe(listener) : () => {}),
    [session],
  )
  return useSyncExternalStore(subscribe, () => session?.terminalReason ?? null)
}

/**
 * Why `session` stopped taking edits for good after refusals (they kept coming back, or rebuilding
 * failed: only a reload goes on), else null. A single refusal does not stop it: the session is
 * rebuilt and replaced (see {@link useRefusalNotice}).
 */
export function useRefusal(session: CollabSession | null): string | null {
  const subscribe = useCallback(
    (listener: () => void) => (session ? session.subscribe(listener) : () => {}),
    [session],
  )
  return useSyncExternalStore(subscribe, () => session?.refusal ?? null)
}

/** What to tell the user about the refusal that `session` was rebuilt after, if it was. */
export function useRefusalNotice(session: CollabSession | null): RefusalNotice | null {
  return session?.notice ?? null
}

/** One person present in a document, as the server stamped them. */
export interface Presence extends PresenceUser {
  clientId: number
  isMe: boolean
}

function readPresence(session: CollabSession): Presence[] {
  const awareness = session.provider.awareness
  const people: Presence[] = []
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: Partial<PresenceUser> }).user
    if (!user?.name) continue
    people.push({
      clientId,
      id: user.id ?? String(clientId),
      name: user.name,
      color: user.color ?? NEUTRAL_PARTY_COLOR,
      role: user.role ?? null,
      partyId: user.partyId ?? null,
      isMe: clientId === awareness.clientID,
    })
  }
  // One entry per person even when they have the document open twice.
  const byPerson = new Map<string, Presence>()
  for (const person of people)
    if (!byPerson.has(person.id) || person.isMe) byPerson.set(person.id, person)
  return Array.from(byPerson.values()).sort(
    (a, b) => Number(b.isMe) - Number(a.isMe) || a.name.localeCompare(b.name),
  )
}

/** Everyone present in the session's document, me first. */
export function usePresence(session: CollabSession | null): Presence[] {
  const cache = useRef<{ key: string; value: Presence[] }>({ key: '', value: [] })
  const subscribe = useCallback(
    (listener: () => void) => {
      if (!session) return () => {}
      session.provider.awareness.on('change', listener)
      return () => session.provider.awareness.off('change', listener)
    },
    [session],
  )
  return useSyncExternalStore(subscribe, () => {
    const value = session ? readPresence(session) : []
    const key = JSON.stringify(value)
    if (key !== cache.current.key) cache.current = { key, value }
    return cache.current.value
  })
}

const SEVERITY: Record<SaveState, number> = {
  saved: 0,
  connecting: 1,
  offline: 1,
  saving: 2,
  'storage-retrying': 3,
  'offline-unsaved': 4,
  'read-only': 5,
  refused: 6,
}

/**
 * The least reassuring save state among `sessions` ("saved" only when every one is; "offline" when
 * there are none).
 */
export function combinedSaveState(sessions: readonly CollabSession[]): SaveState {
  let worst: SaveState = 'offline'
  sessions.forEach((session, index) => {
    const state = session.saveState()
    if (index === 0 || SEVERITY[state] > SEVERITY[worst]) worst = state
  })
  return worst
}
