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
