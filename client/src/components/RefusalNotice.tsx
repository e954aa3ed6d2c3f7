/**
 * Tells the user that a change of theirs was refused by the server and taken out, while their other
 * edits were kept (a session rebuilt after a refusal carries the notice, see CollabSession). Shown
 * until dismissed; a later refusal shows again.
 */
import { useState } from 'react'
import type { CollabSession } from '../collab/CollabSession'

export function RefusalNotice({ sessions }: { sessions: readonly CollabSession[] }) {
  const [dismissedAt, setDismissedAt] = useState(0)
  let latest: CollabSession['notice'] = null
  for (const session of sessions) {
    const notice = session.notice
    if (notice && notice.at > dismissedAt && (!latest || notice.at > latest.at)) latest = notice
  }
  if (!latest) return null
  const shown = latest
  return (
    <div className="refusal-notice" role="status">
      <p>
        <strong>A change was not saved.</strong> {shown.text} It was taken out of your copy; your
        other edits were kept and saved.
      </p>
      <button type="button" onClick={() => setDismissedAt(shown.at)}>
        Dismiss
      </button>
    </div>
  )
}
