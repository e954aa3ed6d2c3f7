/**
 * Downloads an export with visible progress: "Preparing…" while the server renders it, then the
 * share received (the server sends Content-Length), then the browser's save.
 */
import { useState } from 'react'

export function DownloadButton({ href, label }: { href: string; label: string }) {
  const [progress, setProgress] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function download() {
    setError(null)
    setProgress('Preparing…')
    try {
      const response = await fetch(href, { credentials: 'same-origin' })
      if (!response.ok || !response.body) throw new Error(`the server answered ${response.status}`)
      const total = Number(response.headers.get('content-length') ?? 0)
      const reader = response.body.getReader()
      const chunks: Uint8Array[] = []
      let received = 0
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        chunks.push(value)
        received += value.byteLength
        if (total > 0) setProgress(`Downloading ${Math.round((received / total) * 100)}%`)
      }
      const name =
        /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ??
        'export'
      const url = URL.createObjectURL(
        new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? '' }),
      )
      const anchor = document.createElement('a')
      anchor.href = url
      anchor.download = name
      anchor.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
      setProgress(null)
    } catch (reason) {
      setProgress(null)
      setError(`Export failed: ${reason instanceof Error ? reason.message : String(reason)}`)
    }
  }

  return (
    <span className="download">
      <button type="button" onClick={download} disabled={progress !== null}>
        {label}
      </button>
      {progress && (
        <span className="muted" role="status">
          {' '}
          {progress}
        </span>
      )}
      {error && (
        <span className="form-error" role="alert">
          {' '}
          {error}
        </span>
      )}
    </span>
  )
}
