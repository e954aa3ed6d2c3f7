/**
 * The save indicator. It says "All changes saved" only when the server has acknowledged every
 * local edit as written to disk (docs/PROTOCOL.md, messagePersisted).
 */
import type { SaveState } from '@onetext/shared/persistenceTracker'
import { useEffect } from 'react'
import type { CollabSession, TerminalReason } from '../collab/CollabSession'
import { useCombinedSaveState } from '../collab/useCollabSession'

const TEXT: Record<SaveState, string> = {
  saved: 'All changes saved',
  saving: 'Saving...',
  offline: 'Connection lost. Reconnecting...',
  'offline-unsaved': 'Offline: your edits are kept here and will be saved on reconnect',
  'storage-retrying': 'The server cannot save yet. Retrying...',
  'read-only': 'Read-only: your changes were not saved',
}

const TERMINAL_TEXT: Record<Exclude<TerminalReason, null>, string> = {
  unauthorized: 'Not connected: your session has ended. Sign in again.',
  forbidden: 'Not connected: you do not have access to this document.',
  'access-changed': 'Not connected: your access to this document changed.',
  'protocol-violation': 'Not connected: the connection was closed after invalid messages.',
}

export function SaveStatus({ state, terminal }: { state: SaveState; terminal: TerminalReason }) {
  const text = terminal ? TERMINAL_TEXT[terminal] : TEXT[state]
  const tone = terminal ? 'error' : state === 'saved' ? 'ok' : state === 'saving' ? 'busy' : 'warn'
  return (
    <output
      className={`save-status save-status-${tone}`}
      aria-live="polite"
      data-state={terminal ?? state}
    >
      {text}
    </output>
  )
}

/**
 * The save indicator for the live documents a person writes: their combined state, and a warning
 * before leaving the page while an edit is not yet on disk. It subscribes on its own, so that a
 * change of save state re-renders this indicator and not the page (and its editors) around it.
 */
export function LiveSaveStatus({
  sessions,
  terminal,
}: {
  sessions: readonly CollabSession[]
  terminal: TerminalReason
}) {
  const state = useCombinedSaveState(sessions)
  useEffect(() => {
    if (state === 'saved' || state === 'offline') return
    const warn = (event: BeforeUnloadEvent) => event.preventDefault()
    window.addEventListener('beforeunload', warn)
    return () => window.removeEventListener('beforeunload', warn)
  }, [state])
  return <SaveStatus state={state} terminal={terminal} />
}
