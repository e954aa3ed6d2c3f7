/**
 * The save indicator. It says "All changes saved" only when the server has acknowledged every
 * local edit as written to disk (docs/PROTOCOL.md, messagePersisted).
 */
import type { SaveState } from '@onetext/shared/persistenceTracker'
import type { TerminalReason } from '../collab/CollabSession'

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
