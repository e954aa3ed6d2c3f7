/**
 * "Propose alternative language" (or "Edit our proposal") on a clause, in its card and in its
 * panel. When the proposal it opened is closed, the button that opened it takes the focus back.
 */
import { useEffect, useRef } from 'react'

export function ProposeButton({
  clauseNumber,
  editing,
  focusOnMount,
  onFocused,
  onStart,
}: {
  clauseNumber: string
  /** My party already has a draft here: the button opens it. */
  editing: boolean
  /** Take the focus when shown (the proposal this button opened was just closed). */
  focusOnMount: boolean
  /** Called once the focus was taken. */
  onFocused: () => void
  onStart: () => void
}) {
  const button = useRef<HTMLButtonElement>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when shown
  useEffect(() => {
    if (!focusOnMount) return
    button.current?.focus()
    onFocused()
  }, [])
  return (
    <div className="button-row">
      <button type="button" ref={button} onClick={onStart}>
        {editing ? 'Edit our proposal' : 'Propose alternative language'}
        <span className="visually-hidden"> for clause {clauseNumber}</span>
      </button>
    </div>
  )
}
