/**
 * What the number of top-level blocks costs: the same paragraphs either flat (every block a child
 * of the editable element, each with `content-visibility: auto`, as OneText's editor renders a text
 * today) or grouped into sections (the blocks inside `content-visibility: auto` sections), in a
 * plain contenteditable (the browser alone) or, with `editor`, in the editor stack OneText's editor
 * is built on (Tiptap, y-tiptap, Yjs; `bench/src/editorPage/`). Keystroke-to-paint is measured as in
 * the `browser` benchmark, typing in the middle of the text; rounds alternate. It answers whether
 * grouping the document's blocks (for example articles as nodes of the schema) would pay off,
 * before anyone changes the document model.
 */
import { benchSections } from './benchText'
import { launchChromium } from './browser'
import { type EditorPage, serveEditorPage } from './editorPageServer'
import { installKeystrokeProbe, typeAndMeasure } from './keystrokeProbe'
import { median, percentile, round } from './stats'

/** One layout's figures: medians over the rounds of each round's p50 and p95. */
export interface LayoutFigures {
  /** Children of the editable element, counted in the page. */
  topLevelBlocks: number
  p50Ms: number
  p95Ms: number
}

/** What the run measured; the JSON object the command prints last. */
export interface BlockGroupingResult {
  blocks: number
  sections: number
  keystrokes: number
  rounds: number
  /** True when measured in the editor stack, false in a plain contenteditable. */
  editor: boolean
  flat: LayoutFigures
  grouped: LayoutFigures
}

/** The test page: `blocks` blocks (a heading, then paragraphs, per section), flat or grouped. */
function pageHtml(blocks: number, sections: number, grouped: boolean): string {
  const parts = benchSections(blocks, sections).map((section) => {
    const inner = section
      .map((block) =>
        block.kind === 'heading' ? `<h2>${block.text}</h2>` : `<p>${block.text}</p>`,
      )
      .join('')
    return grouped ? `<section>${inner}</section>` : inner
  })
  const css = grouped
    ? '.text > section { content-visibility: auto; contain-intrinsic-size: auto 2000px; }'
    : '.text > * { content-visibility: auto; contain-intrinsic-size: auto 5em; }'
  return `<!doctype html><html lang="en"><title>grouping</title><style>body { font-family: Georgia, serif; max-width: 50rem; margin: auto; } ${css}</style><div class="text" contenteditable="true" spellcheck="true">${parts.join('')}</div></html>`
}

/** Runs the comparison: `rounds` rounds, each typing `keystrokes` characters flat, then grouped. */
export async function blockGrouping(
  options: {
    blocks?: number
    sections?: number
    keystrokes?: number
    rounds?: number
    /** Measures in the editor stack instead of a plain contenteditable. Default false. */
    editor?: boolean
    log?: (line: string) => void
  } = {},
): Promise<BlockGroupingResult> {
  const blocks = options.blocks ?? 1980
  const sections = options.sections ?? 30
  const keystrokes = options.keystrokes ?? 200
  const rounds = options.rounds ?? 2
  if (!(blocks >= sections && sections >= 1))
    throw new RangeError(`need blocks >= sections >= 1, got ${blocks} and ${sections}`)
  const log = options.log ?? (() => {})
  const editor = options.editor ?? false
  const editorPage: EditorPage | null = editor ? await serveEditorPage() : null
  const browser = await launchChromium()
  const runs = { flat: [] as LayoutFigures[], grouped: [] as LayoutFigures[] }
  try {
    for (let round = 0; round < rounds; round++) {
      for (const layout of ['flat', 'grouped'] as const) {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
        const page = await context.newPage()
        if (editorPage) {
          await page.goto(
            `${editorPage.url}?layout=${layout}&blocks=${blocks}&sections=${sections}`,
          )
          await page.waitForFunction(
            () => (window as unknown as { editorReady?: boolean }).editorReady === true,
          )
        } else await page.setContent(pageHtml(blocks, sections, layout === 'grouped'))
        const editable = editor ? '.ProseMirror' : '.text'
        await installKeystrokeProbe(page)
        const paragraphs = page.locator(`${editable} p`)
        await paragraphs.nth(Math.floor((await paragraphs.count()) / 2)).click()
        const samples = await typeAndMeasure(page, keystrokes)
        const topLevelBlocks = await page.evaluate(
          (selector) => document.querySelector(selector)?.children.length ?? 0,
          editable,
        )
        const figures = {
          topLevelBlocks,
          p50Ms: percentile(samples, 50),
          p95Ms: percentile(samples, 95),
        }
        runs[layout].push(figures)
        log(
          `round ${round + 1} ${layout}: ${topLevelBlocks} top-level blocks, p50 ${figures.p50Ms.toFixed(1)} ms, p95 ${figures.p95Ms.toFixed(1)} ms`,
        )
        await context.close()
      }
    }
  } finally {
    await browser.close()
    await editorPage?.close()
  }
  const summary = (list: LayoutFigures[]): LayoutFigures => ({
    topLevelBlocks: list[0]?.topLevelBlocks ?? 0,
    p50Ms: round(median(list.map((figures) => figures.p50Ms)), 2),
    p95Ms: round(median(list.map((figures) => figures.p95Ms)), 2),
  })
  return {
    blocks,
    sections,
    keystrokes,
    rounds,
    editor,
    flat: summary(runs.flat),
    grouped: summary(runs.grouped),
  }
}
