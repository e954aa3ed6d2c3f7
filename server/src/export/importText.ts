/**
 * Import of a starting single text: Markdown as it is, or a .docx converted to Markdown with
 * mammoth, which `markdownToDoc` then nests into the clause tree: Word's Title becomes the title,
 * Heading 1 an article (`##`), Heading 2 its section (`###`), Heading 3 a sub-section (`####`),
 * Heading 4 and 5 the levels below (`#####`, `######`), and Heading 6 to 9 the deepest Markdown
 * level (`######`). Bold and italic runs stay bold and italic. Leading clause numbers are dropped
 * since OneText numbers clauses itself; the DOCX export's files import back to the same tree.
 */
import mammoth from 'mammoth'

/** Word's heading styles to Markdown heading levels, one deeper than Word's (h1 is the title). */
const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map(
    (level) => `p[style-name='Heading ${level}'] => h${Math.min(6, level + 1)}:fresh`,
  ),
]

/**
 * Wraps `inner` in `marker` with its leading and trailing white space outside: Word runs often
 * start or end with a space inside the italic or bold, which Markdown does not read as emphasis.
 */
function emphasis(marker: string, inner: string): string {
  const [, before = '', words = '', after = ''] = /^(\s*)(.*?)(\s*)$/s.exec(inner) ?? []
  return words === '' ? inner : `${before}${marker}${words}${marker}${after}`
}

/**
 * mammoth's Markdown as `markdownToDoc` reads it: its `*italic*` and `__bold__` (markers that are
 * not escaped) with the white space moved outside and bold written `**bold**`, then its escaping
 * undone.
 */
function unescapeMarkdown(markdown: string): string {
  return markdown
    .replace(/(?<![\\*])\*(?!\*)(.+?)(?<![\\*])\*(?!\*)/g, (_, inner: string) =>
      emphasis('*', inner),
    )
    .replace(/(?<!\\)__(.+?)(?<!\\)__/g, (_, inner: string) => emphasis('**', inner))
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
