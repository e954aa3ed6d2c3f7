/**
 * Import of a starting single text: Markdown as it is, or a .docx converted to Markdown with
 * mammoth (Title -> title, Heading 1 -> article, Heading 2 -> section, Heading 3 -> sub-section;
 * leading clause numbers are dropped since OneText numbers clauses itself).
 */
import mammoth from 'mammoth'

const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Heading 1'] => h2:fresh",
  "p[style-name='Heading 2'] => h3:fresh",
  "p[style-name='Heading 3'] => h4:fresh",
]

/** Undoes mammoth's Markdown escaping, and turns its `__bold__` into `**bold**`. */
function unescapeMarkdown(markdown: string): string {
  return markdown
    .replace(/__(.+?)__/g, '**$1**')
    .replace(/\\([\\`*_{}[\]()#+\-.!])/g, '$1')
    .replace(/<a id="[^"]*"><\/a>/g, '')
}

/** The Markdown of a .docx file. Throws RangeError when it cannot be read. */
export async function docxToMarkdown(bytes: Buffer): Promise<string> {
  try {
    const converted = await (
      mammoth as unknown as {
        convertToMarkdown: (
          input: { buffer: Buffer },
          options: { styleMap: string[] },
        ) => Promise<{ value: string }>
      }
    ).convertToMarkdown({ buffer: bytes }, { styleMap: STYLE_MAP })
    return unescapeMarkdown(converted.value)
  } catch (error) {
    throw new RangeError(
      `The file is not a readable .docx document (${error instanceof Error ? error.message : String(error)}).`,
    )
  }
}
