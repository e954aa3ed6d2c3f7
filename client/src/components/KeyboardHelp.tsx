/**
 * The keyboard map in the page: a "Keyboard" button in the header (and the "?" key anywhere but a
 * text field) opens it as a modal dialog; Escape or Close shuts it and the focus goes back where it
 * was. A one-character shortcut can be set off by speech input (WCAG 2.1.4): the map has a switch
 * for it, kept in this browser.
 */
import { useEffect, useRef, useState } from 'react'
import { KEYBOARD_MAP } from './keyboardMap'

/** The key that opens the keyboard map. */
export const HELP_KEY = '?'

/** Where this browser keeps "the ? key is off". */
const HELP_KEY_OFF = 'onetext.helpKeyOff'

function helpKeyOn(): boolean {
  try {
    return window.localStorage.getItem(HELP_KEY_OFF) !== '1'
  } catch {
    return true
  }
}

function setHelpKeyOn(on: boolean): void {
  try {
    if (on) window.localStorage.removeItem(HELP_KEY_OFF)
    else window.localStorage.setItem(HELP_KEY_OFF, '1')
  } catch {
    // Storage refused (private mode): the switch holds for this page only.
  }
}

/** True when a key pressed in `target` types there (a text field, a select, the editor). */
export function typesText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  )
}

export function KeyboardHelp() {
  const dialog = useRef<HTMLDialogElement>(null)
  const opener = useRef<HTMLElement | null>(null)
  const title = useRef<HTMLHeadingElement>(null)
  const [keyOn, setKeyOn] = useState(helpKeyOn)
  const keyOnRef = useRef(keyOn)
  keyOnRef.current = keyOn
  const open = () => {
    const element = dialog.current
    if (!element || element.open) return
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
    element.showModal()
    // The map is read from its top (the browser would focus Close, at the bottom).
    title.current?.focus()
  }
  // biome-ignore lint/correctness/useExhaustiveDependencies: `open` reads refs only
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== HELP_KEY || event.ctrlKey || event.altKey || event.metaKey) return
      if (!keyOnRef.current) return
      if (typesText(event.target)) return
      event.preventDefault()
      open()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])
  return (
    <>
      <button type="button" aria-keyshortcuts={keyOn ? HELP_KEY : undefined} onClick={open}>
        Keyboard
      </button>
      <dialog
        ref={dialog}
        className="keyboard-help"
        aria-labelledby="keyboard-help-title"
        onClose={() => {
          const back = opener.current?.isConnected
            ? opener.current
            : document.getElementById('content')
          back?.focus()
        }}
      >
        <h2 id="keyboard-help-title" ref={title} tabIndex={-1}>
          Keyboard
        </h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">Where</th>
              <th scope="col">Does</th>
            </tr>
          </thead>
          <tbody>
            {KEYBOARD_MAP.map((entry) => (
              <tr key={`${entry.keys} ${entry.where}`}>
                <td>
                  <kbd>{entry.keys}</kbd>
                </td>
                <td>{entry.where}</td>
                <td>{entry.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <label className="help-key-switch">
          <input
            type="checkbox"
            checked={keyOn}
            onChange={(event) => {
              setKeyOn(event.target.checked)
              setHelpKeyOn(event.target.checked)
            }}
          />{' '}
          The {HELP_KEY} key opens this map (turn off if it gets in the way, as with speech input)
        </label>
        <form method="dialog">
          <button type="submit" className="primary">
            Close
          </button>
        </form>
      </dialog>
    </>
  )
}
