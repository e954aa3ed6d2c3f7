/**
 * A button for a deliberate action: the first press says what will happen (and any warning) and
 * asks; only "confirm" acts. Circulating, publishing, sharing, signing off, closing a vote and
 * consenting to reopen cannot be taken back by the person who does them, so none happens on one
 * click.
 *
 * The focus follows: the first press puts it on the confirming button (which the question
 * describes); Cancel and confirm put it back on the button (while it is still there: an action
 * that removes it leaves the focus to the page's rescue, `useFocusRescue`).
 */
import { type CSSProperties, type ReactNode, useId, useLayoutEffect, useRef, useState } from 'react'

export function ConfirmButton({
  label,
  confirmLabel,
  what,
  warning,
  disabled,
  primary,
  style,
  onConfirm,
}: {
  /** The button's words. */
  label: string
  /** The confirming button's words (the action, said again). */
  confirmLabel: string
  /** What will happen, in a sentence or a short list (a function: worked out only when asked). */
  what: ReactNode | (() => ReactNode)
  /** Something the person should weigh first, shown above the question. */
  warning?: string | null
  disabled?: boolean
  primary?: boolean
  style?: CSSProperties
  onConfirm: () => void
}) {
  const [asking, setAsking] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  const confirm = useRef<HTMLButtonElement>(null)
  const moved = useRef(false)
  const questionId = useId()
  // In the commit, before the page's focus rescue would look for a place for the removed button.
  useLayoutEffect(() => {
    // Not on the first render: the focus moves only after a press here.
    if (!moved.current) return
    ;(asking ? confirm : button).current?.focus()
  }, [asking])
  const ask = (next: boolean) => {
    moved.current = true
    setAsking(next)
  }
  if (!asking) {
    return (
      <button
        ref={button}
        type="button"
        className={primary ? 'primary' : undefined}
        style={style}
        disabled={disabled}
        onClick={() => ask(true)}
      >
        {label}
      </button>
    )
  }
  return (
    <div className="confirm-box">
      {warning && (
        <p className="confirm-question confirm-warning" role="alert">
          {warning}
        </p>
      )}
      <div className="confirm-question" id={questionId}>
        {typeof what === 'function' ? what() : what}
      </div>
      <button
        ref={confirm}
        type="button"
        className="primary"
        disabled={disabled}
        aria-describedby={questionId}
        onClick={() => {
          ask(false)
          onConfirm()
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => ask(false)}>
        Cancel
      </button>
    </div>
  )
}
