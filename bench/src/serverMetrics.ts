/**
 * Reads a server process's figures: CPU time from /proc and memory from its `/metrics` endpoint.
 */
import fs from 'node:fs'

/** CPU seconds (user + system) a process has used so far; NaN where /proc is unavailable. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat (12 and 13 after the name).
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return Number.NaN
  }
}

/**
 * CPU seconds (user + system) each thread of a process has used so far, keyed by thread id, with
 * the thread's name; empty where /proc is unavailable.
 */
export function threadCpuSeconds(pid: number): Map<number, { name: string; seconds: number }> {
  const threads = new Map<number, { name: string; seconds: number }>()
  let tids: string[] = []
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`)
  } catch {
    return threads
  }
  for (const tid of tids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ')
      threads.set(Number(tid), { name, seconds: (Number(fields[11]) + Number(fields[12])) / 100 })
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return threads
}

/**
 * Where a process's CPU went since `before` (a {@link threadCpuSeconds} reading), one line a thread
 * in milliseconds divided by `per` (e.g. per keystroke), threads under 0.05 left out.
 */
export function threadCpuLines(
  pid: number,
  before: Map<number, { name: string; seconds: number }>,
  per: number,
  unit: string,
): string[] {
  const lines: string[] = []
  for (const [tid, after] of threadCpuSeconds(pid)) {
    const ms = ((after.seconds - (before.get(tid)?.seconds ?? 0)) * 1000) / per
    if (ms >= 0.05)
      lines.push(`server thread ${tid} ${after.name}: ${Math.round(ms * 100) / 100} ms ${unit}`)
  }
  return lines
}

/** The server's `/metrics` (running a garbage collection first when `gc`). */
export async function serverMetrics(
  baseUrl: string,
  gc = false,
): Promise<{ rssBytes: number; heapUsedBytes: number; documents: number; connections: number }> {
  const response = await fetch(`${baseUrl}/metrics${gc ? '?gc=1' : ''}`)
  return (await response.json()) as {
    rssBytes: number
    heapUsedBytes: number
    documents: number
    connections: number
  }
}
