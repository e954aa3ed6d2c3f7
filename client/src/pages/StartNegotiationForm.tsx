/**
 * Start a negotiation: a title, the parties (two or more), and the starting single text imported
 * from a Markdown or Word (.docx) file. Headings become articles and sections; numbering is kept.
 */
import { type FormEvent, useState } from 'react'
import { createNegotiation } from '../api'
import { FormError } from '../components/FormError'
import { useFormAction } from '../components/useFormAction'
import { navigate } from '../routing'

function toBase64(bytes: ArrayBuffer): string {
  let binary = ''
  const view = new Uint8Array(bytes)
  for (let index = 0; index < view.length; index += 0x8000) {
    binary += String.fromCharCode(...view.subarray(index, index + 0x8000))
  }
  return btoa(binary)
}

export function StartNegotiationForm() {
  const [title, setTitle] = useState('')
  const [parties, setParties] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const { busy, error, run } = useFormAction()

  function onSubmit(event: FormEvent) {
    event.preventDefault()
    if (!file) return
    void run(async () => {
      const docx = file.name.toLowerCase().endsWith('.docx')
      const content = docx ? toBase64(await file.arrayBuffer()) : await file.text()
      const created = await createNegotiation({
        title,
        parties: parties
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
        format: docx ? 'docx' : 'md',
        content,
      })
      navigate(`/negotiations/${encodeURIComponent(created.id)}`)
    })
  }

  return (
    <section className="card" aria-labelledby="start-heading">
      <h2 id="start-heading">Start a negotiation</h2>
      <form className="start-form" onSubmit={onSubmit}>
        <label htmlFor="start-title">Title</label>
        <input
          id="start-title"
          required
          value={title}
          onChange={(event) => setTitle(event.target.value)}
        />
        <label htmlFor="start-parties">Parties, separated by commas</label>
        <input
          id="start-parties"
          required
          placeholder="e.g. Coalition of Unions, Management"
          value={parties}
          onChange={(event) => setParties(event.target.value)}
        />
        <label htmlFor="start-file">Starting text (.md or .docx)</label>
        <input
          id="start-file"
          type="file"
          required
          accept=".md,.markdown,.txt,.docx"
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
        />
        <FormError error={error} />
        <button type="submit" className="primary start-submit" disabled={busy}>
          {busy ? 'Importing…' : 'Import and start as mediator'}
        </button>
      </form>
    </section>
  )
}
