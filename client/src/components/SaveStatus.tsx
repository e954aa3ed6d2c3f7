/**
 * The save indicator. It says "All changes saved" only when the server has acknowledged every
 * local edit as written to disk (docs/PROTOCOL.md, messagePersisted).
 */
import type { SaveState } from '@onetext/shared/persistenceTracker'
import { useLayoutEffect, useRef } from 'react'
import type { CollabSession, TerminalReason } from '../collab/CollabSession'
import { combinedSaveState } from '../collab/useCollabSession'

const TEXT: Record<SaveState, string> = {
  saved: 'All changes saved',
  connecting: 'Connecting...',
  saving: 'Saving...',
  offline: 'Connection lost. Reconnecting...',
  'offline-unsaved': 'Offline: your edits are kept here and will be saved on reconnect',
  'storage-retrying': 'The server cannot save yet. Retrying...',
  'read-only': 'Read-only: your changes were not saved',
  refused: 'Refused: not saved',
}

/** The indicator's colour for each state (a session ended by the server is always `error`). */
const TONE: Record<SaveState, string> = {
  saved: 'ok',
  connecting: 'busy',
  saving: 'busy',
  offline: 'warn',
  'offline-unsaved': 'warn',
  'storage-retrying': 'warn',
  'read-only': 'warn',
  refused: 'error',
}

const TERMINAL_TEXT: Record<Exclude<TerminalReason, null>, string> = {
  unauthorized: 'Not connected: your session has ended. Sign in again.',
  forbidden: 'Not connected: you do not have access to this document.',
  'access-changed': 'Not connected: your access to this document changed.',
  'protocol-violation': 'Not connected: the connection was closed after invalid messages.',
  'client-outdated': 'Not connected: OneText was updated. Reload the page to go on.',
  'refused-unknown': 'Not connected: the server closed the connection. Reload the page to go on.',
}

interface Shown {
  text: string
  tone: string
  dataState: string
}

/**
 * The states in which leaving the page would lose an edit that could still be saved (asked before
 * leaving). A read-only or refused copy can never be saved, so leaving it loses nothing more.
 */
const UNSAVED: ReadonlySet<SaveState> = new Set(['saving', 'offline-unsaved', 'storage-retrying'])

/** How long the state must stay saved after saving before "All changes saved" replaces "Saving...". */
export const SAVED_SETTLE_MS = 600

function shown(state: SaveState, terminal: TerminalReason): Shown {
  return {
    text: terminal ? TERMINAL_TEXT[terminal] : TEXT[state],
    tone: terminal ? 'error' : TONE[state],
    dataState: terminal ?? state,
  }
}

export function SaveStatus({ state, terminal }: { state: SaveState; terminal: TerminalReason }) {
  const { text, tone, dataState } = shown(state, terminal)
  return (
    <output className={`save-status save-status-${tone}`} aria-live="polite" data-state={dataState}>
      {text}
    </output>
  )
}

/**
 * The save indicator for the live documents a person writes: their combined state, and a warning
 * before leaving the page while an edit is not yet on disk.
 *
 * While someone types, the state changes twice per keystroke ("Saving...", then "All changes
 * saved"). "Saving..." is shown at once; "All changes saved" is shown once the state has stayed
 * saved for {@link SAVED_SETTLE_MS} (and is true when written), so a run of typing reads "Saving..."
 * throughout instead of flickering: no repaint of the header and no screen-reader announcement per
 * keystroke. The leave-page warning reads the state itself, never what is shown.
 *
 * It writes its element's text and classes itself instead of re-rendering: every React commit while an editor has
 * focus walks the editor's whole DOM to save and restore the selection (React's input-selection
 * handling for contenteditable), which on a 150-page text cost about 1 ms a commit
 * (docs/BENCHMARKS.md). React renders the element once and never touches its contents again.
 */
export function LiveSaveStatus({
  sessions,
  terminal,
}: {
  sessions: readonly CollabSession[]
  terminal: TerminalReason
}) {
  const element = useRef<HTMLOutputElement>(null)
  useLayoutEffect(() => {
    const output = element.current
    if (!output) return
    let last: Shown | null = null
    // One timer at a time while typing (not one per keystroke): it checks, when it fires, how long
    // the state has been saved, and waits the rest when it was saved again meanwhile.
    let settle: ReturnType<typeof setTimeout> | undefined
    let savedSince = 0
    const write = (next: Shown) => {
      if (last && last.text === next.text && last.tone === next.tone) return
      last = next
      output.textContent = next.text
      output.className = `save-status save-status-${next.tone}`
      output.dataset.state = next.dataState
    }
    const settled = () => {
      settle = undefined
      const now = shown(combinedSaveState(sessions), terminal)
      if (now.dataState !== 'saved') return
      const waited = performance.now() - savedSince
      if (waited >= SAVED_SETTLE_MS) write(now)
      else settle = setTimeout(settled, SAVED_SETTLE_MS - waited)
    }
    const show = () => {
      const next = shown(combinedSaveState(sessions), terminal)
      if (next.dataState === 'saved' && last?.dataState === 'saving') {
        savedSince = performance.now()
        settle ??= setTimeout(settled, SAVED_SETTLE_MS)
        return
      }
      write(next)
    }
    show()
    const unsubscribers = sessions.flatMap((session) => [
      session.tracker.subscribe(show),
      session.subscribe(show),
    ])
    const warn = (event: BeforeUnloadEvent) => {
      if (sessions.some((session) => UNSAVED.has(session.saveState()))) {
        event.preventDefault()
      }
    }
    window.addEventListener('beforeunload', warn)
    return () => {
      clearTimeout(settle)
      for (const unsubscribe of unsubscribers) unsubscribe()
      window.removeEventListener('beforeunload', warn)
    }
  }, [sessions, terminal])
  return <output ref={element} aria-live="polite" />
}
