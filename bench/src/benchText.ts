/**
 * The text the browser benchmarks type into: one paragraph of the agreement's style, repeated, under
 * article headings. Shared by the editor benchmark (`browser`) and both pages of `grouping`, so that
 * they measure the same text.
 */

/** One paragraph (238 characters); 13 of them make about a page. */
export const BENCH_PARAGRAPH =
  'The parties will jointly select a third-party consultant to assist the Partnership formation and implementation process and to continue with such assistance until such time as the partners agree that these services are no longer required. '

/** One block of the text: an article heading or a paragraph. */
export interface BenchBlock {
  kind: 'heading' | 'paragraph'
  text: string
}

/**
 * `blocks` blocks in `sections` equal sections (the last may be shorter), each a heading
 * ("Article N") followed by paragraphs.
 */
export function benchSections(blocks: number, sections: number): BenchBlock[][] {
  const perSection = Math.ceil(blocks / sections)
  const result: BenchBlock[][] = []
  let made = 0
  for (let section = 0; section < sections && made < blocks; section++) {
    const inner: BenchBlock[] = []
    for (let index = 0; index < perSection && made < blocks; index++, made++)
      inner.push(
        index === 0
          ? { kind: 'heading', text: `Article ${section + 1}` }
          : { kind: 'paragraph', text: BENCH_PARAGRAPH },
      )
    result.push(inner)
  }
  return result
}
