/** The locked clause's note (padlock and words, `lockNote.ts`) in a React view. */
import { LOCK_ICON, LOCK_NOTE_TEXT } from './lockNote'

const path = LOCK_ICON.shapes[0].attributes

export function LockNote() {
  return (
    <p className="clause-lock-note">
      <svg
        viewBox={LOCK_ICON.viewBox}
        width="14"
        height="14"
        aria-hidden="true"
        className="clause-lock-icon"
      >
        <path d={path.d} fill={path.fill} stroke={path.stroke} strokeWidth={path['stroke-width']} />
        <rect {...LOCK_ICON.shapes[1].attributes} />
      </svg>{' '}
      {LOCK_NOTE_TEXT}
    </p>
  )
}
