/**
 * A clause's status as a small labelled chip: open, in discussion, tentatively agreed.
 */
import type { ClauseStatus } from '@onetext/shared/statusDoc'

const LABELS: Record<ClauseStatus, string> = {
  open: 'Open',
  'in-discussion': 'In discussion',
  'tentatively-agreed': 'Tentatively agreed',
}

/** `id` lets a control name the chip as its description (aria-describedby). */
export function StatusChip({ status, id }: { status: ClauseStatus; id?: string }) {
  return (
    <span className={`status-chip status-${status}`} id={id}>
      {LABELS[status]}
    </span>
  )
}

/** "3 h", "2 d": how long ago `since` was. */
export function waitedFor(since: number | null | undefined, now = Date.now()): string {
  if (!since) return ''
  const minutes = Math.max(0, Math.round((now - since) / 60_000))
  if (minutes < 60) return `${minutes} min`
  const hours = Math.round(minutes / 60)
  if (hours < 48) return `${hours} h`
  return `${Math.round(hours / 24)} d`
}
