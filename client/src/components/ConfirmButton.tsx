/**
 * A button for a deliberate action: the first press says what will happen (and any warning) and
 * asks; only "confirm" acts. Circulating, publishing, sharing, signing off, closing a vote and
 * consenting to reopen cannot be taken back by the person who does them, so none happens on one
 * click.
 */
import { type CSSProperties, type ReactNode, useState } from 'react'

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
  if (!asking) {
    return (
      <button
        type="button"
        className={primary ? 'primary' : undefined}
        style={style}
        disabled={disabled}
        onClick={() => setAsking(true)}
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
      <div className="confirm-question">{typeof what === 'function' ? what() : what}</div>
      <button
        type="button"
        className="primary"
        disabled={disabled}
        onClick={() => {
          setAsking(false)
          onConfirm()
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </div>
  )
}
