/**
 * Cold first sync of a large single text from disk: a 1 MB text written in 10,000 edits (into one
 * paragraph the mediator appends to the demo's working draft), the server restarted (nothing in
 * memory), then the time from a client connecting to it being synced.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { appendParagraph, paragraphTextBy, plainText } from './richText'
import { spawnServer } from './serverProcess'
import { median, round } from './stats'
import { connect, DEMO_DRAFT, login, PASSWORD } from './targets/onetextTarget'

/** What the run measured; the JSON object the command prints last. */
export interface ColdSyncResult {
  textBytes: number
  edits: number
  runs: number
  medianMs: number
  samplesMs: number[]
}

/** Runs `runs` cold syncs of a text of `textBytes` written in `edits` edits. */
export async function coldSync(
  options: { textBytes?: number; edits?: number; runs?: number; log?: (line: string) => void } = {},
): Promise<ColdSyncResult> {
  const log = options.log ?? (() => {})
  const textBytes = options.textBytes ?? 1_000_000
  const edits = options.edits ?? 10_000
  const runs = options.runs ?? 5
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onetext-bench-cold-'))
  try {
    let server = await spawnServer(dataDir, PASSWORD)
    const writer = connect(server.url, await login(server.url, 'mediator@demo.test'), DEMO_DRAFT)
    await writer.synced()
    const text = appendParagraph(writer.doc)
    const writerClient = writer.doc.clientID
    const chunk = 'The parties agree that every clause carries its provenance. '.repeat(
      Math.ceil(textBytes / edits / 60),
    )
    const piece = chunk.slice(0, Math.ceil(textBytes / edits))
    for (let edit = 0; edit < edits; edit++) {
      text.insert(Math.floor(text.length / 2), piece)
      if (edit % 500 === 499) await writer.saved()
    }
    await writer.saved()
    const written = plainText(text)
    writer.destroy()
    log(`${written.length} characters written in ${edits} edits`)
    const samples: number[] = []
    for (let run = 0; run < runs; run++) {
      server.child.kill('SIGTERM')
      await server.exited
      server = await spawnServer(dataDir, PASSWORD)
      const token = await login(server.url, 'mediator@demo.test')
      const started = performance.now()
      const reader = connect(server.url, token, DEMO_DRAFT)
      await reader.synced()
      const elapsed = performance.now() - started
      const synced = paragraphTextBy(reader.doc, writerClient)
      if (!synced || plainText(synced) !== written) throw new Error('the synced text differs')
      reader.destroy()
      samples.push(round(elapsed, 1))
      log(`run ${run + 1}: ${elapsed.toFixed(1)} ms`)
    }
    server.child.kill('SIGTERM')
    await server.exited
    return {
      textBytes: written.length,
      edits,
      runs,
      medianMs: round(median(samples), 1),
      samplesMs: samples,
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
