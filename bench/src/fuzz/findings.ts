/**
 * What a fuzz run reports: its figures, every finding with the frames that were in flight (in hex,
 * so that a finding can be replayed by hand as well as by seed), and the batches those frames came
 * in.
 */
import { hexOf } from './rawEncoder'

/** One batch of frames sent on one attacker's socket. */
export interface Batch {
  /** The attacker (user and document). */
  attacker: string
  /** The number of frames sent before this batch, in the whole run. */
  after: number
  corked: boolean
  labels: string[]
  frames: Array<Uint8Array | string>
  /** How the batch ended: read by the server, its socket closed, or no answer. */
  end?: 'read' | 'closed' | 'timeout'
  /** When it was sent and when its answer came (Date.now()). */
  sentAt: number
  answeredAt?: number
}

/** How `batch` ended, for a report line ('' when the server read it). */
function endNote(batch: Batch): string {
  return batch.end === 'read' ? '' : ` (${batch.end ?? 'in flight'})`
}

/** Something the fuzzer found. */
export interface FuzzFinding {
  kind:
    | 'crash'
    | 'hang'
    | 'stall'
    | 'anomaly'
    | 'divergence'
    | 'honest-refused'
    | 'reload'
    | 'health'
    | 'gate'
  detail: string
  /** The frames in flight (hex; text frames quoted), newest batch last. */
  frames?: string[]
  /** The end of the server's output (a crash's stack trace). */
  output?: string
}

/** The figures of a run; `ok` when every check held. */
export interface FuzzResult {
  frames: number
  seed: number
  crashes: number
  /** The longest stretch the server's event loop was busy with its own work (the stall check). */
  maxStallMs: number
  /** The longest wall-clock event-loop delay (also counts waiting for a CPU on a busy machine). */
  maxDelayMs: number
  converged: boolean
  reloadEqual: boolean
  /** No document breaks a promise of the update gate (invariants.ts). */
  gateHeld: boolean
  ok: boolean
  healthy: boolean
  /** Frames by generator (the label's first part). */
  labels: Record<string, number>
  /** Refusals the attackers received, by reason number. */
  refusals: Record<string, number>
  /** Close codes the attackers' sockets saw. */
  closes: Record<string, number>
  durationMs: number
  findings: FuzzFinding[]
}

/** The frames of `batches` as report lines: `<attacker> #<n> <label> <hex>`, at most `maxBytes` each. */
export function describeBatches(batches: readonly Batch[], maxBytes = 4096): string[] {
  const lines: string[] = []
  for (const batch of batches) {
    batch.frames.forEach((frame, index) => {
      const label = batch.labels[index] ?? '?'
      const body =
        typeof frame === 'string' ? JSON.stringify(frame.slice(0, 200)) : hexOf(frame, maxBytes)
      lines.push(
        `${batch.attacker} #${batch.after + index + 1} ${label}${batch.corked ? ' (corked)' : ''}${endNote(batch)} ${body}`,
      )
    })
  }
  return lines
}

/** A finding as report text (several lines). */
export function formatFinding(finding: FuzzFinding, seed: number): string {
  const lines = [`[${finding.kind}] seed ${seed}: ${finding.detail}`]
  for (const frame of finding.frames ?? []) lines.push(`  frame ${frame}`)
  if (finding.output)
    lines.push('  server output:', ...finding.output.split('\n').map((l) => `    ${l}`))
  return lines.join('\n')
}

/** Adds one to `key` of a tally. */
export function tally(counts: Record<string, number>, key: string | number, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by
}

/**
 * Findings as report text: the first `perKind` of each kind in full (frames, server output), then
 * how many more of that kind there were.
 */
export function formatFindings(
  findings: readonly FuzzFinding[],
  seed: number,
  perKind = 5,
): string {
  const shown = new Map<string, number>()
  const lines: string[] = []
  for (const finding of findings) {
    const count = (shown.get(finding.kind) ?? 0) + 1
    shown.set(finding.kind, count)
    if (count <= perKind) lines.push(formatFinding(finding, seed))
  }
  for (const [kind, count] of shown)
    if (count > perKind) lines.push(`[${kind}] ${count - perKind} more like these`)
  return lines.join('\n')
}
