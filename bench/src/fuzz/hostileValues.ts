/**
 * The hostile pieces hand-written updates are made of: element names, attribute names and values,
 * mark keys and values, content kinds and integers that the gate must refuse (or, for some, accept).
 */
import type { FuzzRandom } from './random'
import { EXTREME_INTEGERS, type WideInt } from './rawEncoder'
import { type StructContent, TypeRef } from './updateWriter'

/**
 * Element names: the schema's, and names it does not have (among them `heading` and `segment`, the
 * flat document's nodes, which the clause tree replaced).
 */
export const NODE_NAMES = [
  'paragraph',
  'clause',
  'clauseHeading',
  'title',
  'heading',
  'blockquote',
  'bulletList',
  'listItem',
  'codeBlock',
  'segment',
  'horizontalRule',
  'hardBreak',
  'script',
  'iframe',
  'img',
  'doc',
  'text',
  'PARAGRAPH',
  '',
  'paragraph ',
  '\u0000',
  '\u{1f4a5}',
  'x'.repeat(256),
  'x'.repeat(257),
  '__proto__',
]

/** Attribute names: some a node has, most it does not. */
export const ATTRIBUTE_KEYS = [
  'onclick',
  'style',
  'level',
  'clauseId',
  'start',
  'language',
  'href',
  'type',
  '__proto__',
  'constructor',
  'x'.repeat(300),
]

/** Format (mark) keys: the schema's marks, hashed marks and names it does not have. */
export const MARK_KEYS = [
  'bold',
  'italic',
  'link',
  'code',
  'strike',
  'underline',
  'evil',
  'bold--AAAAAAAA',
  'link--12345678',
  '',
  'x'.repeat(257),
  'comment',
]

/** A value to put where an attribute or entry value goes. */
export function hostileValue(random: FuzzRandom): unknown {
  return random.pick<() => unknown>([
    () => random.word(),
    () => 'javascript:alert(1)',
    () => ' JaVaScRiPt:alert(1)',
    () => 'https://example.org/',
    () => random.pick([0, 1, 4, 5, 99, -1, 2 ** 31, 2 ** 53, 1e308, -0, 0.5]),
    () => null,
    () => true,
    () => ({}),
    () => [random.word()],
    () => 'x'.repeat(random.pick([2048, 2049, 70_000])),
    () => random.pick(['c-1', 'c 1', '<b>c</b>', '', 'x'.repeat(64), 'x'.repeat(65)]),
    () => nested(random.int(15, 40)),
    () => 2n ** 63n,
  ])()
}

/** A value nested `depth` levels deep (objects and arrays in turn). */
export function nested(depth: number): unknown {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { a: value }
  return value
}

/** The JSON of a format value: marks' attributes, and what is not attributes or not JSON. */
export function markJson(random: FuzzRandom): string {
  return random.pick([
    '{}',
    'null',
    '{"href":"javascript:alert(1)"}',
    '{"href":"https://example.org/","target":"_blank"}',
    '{"evil":1}',
    '[1]',
    '"text"',
    '1',
    'not json',
    JSON.stringify(nested(20)),
    '{"__proto__":{"polluted":1}}',
  ])
}

/** Content of a kind OneText never writes (or of no kind at all). */
export function strangeContent(random: FuzzRandom): StructContent {
  return random.pick<() => StructContent>([
    () => ({ kind: 'raw', ref: 2, bytes: [1, 5, ...Buffer.from('"json')], length: 1 }),
    () => ({ kind: 'raw', ref: 3, bytes: [3, 1, 2, 3], length: 1 }),
    () => ({ kind: 'raw', ref: 5, bytes: [2, ...Buffer.from('{}')], length: 1 }),
    () => ({ kind: 'raw', ref: 9, bytes: [3, ...Buffer.from('sub'), 118, 0], length: 1 }),
    () => ({ kind: 'raw', ref: random.int(11, 31), bytes: random.bytes(4), length: 1 }),
    () => ({ kind: 'gc', length: random.int(1, 50), ref: 10 }),
    () => ({
      kind: 'type',
      typeRef: random.pick([TypeRef.xmlFragment, TypeRef.xmlHook, 7, 255]),
      name: 'hook',
    }),
    () => ({ kind: 'type', typeRef: random.pick([TypeRef.array, TypeRef.map, TypeRef.text]) }),
    () => ({ kind: 'string', text: '' }),
    () => ({ kind: 'deleted', length: 0 }),
    () => ({ kind: 'any', values: [] }),
    () => ({ kind: 'any', values: [hostileValue(random)] }),
    () => ({ kind: 'raw', ref: 8, bytes: [1, random.pick([122, 123, 124, 115, 0])], length: 1 }),
    () => ({ kind: 'raw', ref: 4, bytes: [4, 0xff, 0xfe, 0xc0, 0x80], length: 4 }),
  ])()
}

/** One extreme integer (as a number when it is safe, else a bigint). */
export function extreme(random: FuzzRandom): WideInt {
  const value = random.pick(EXTREME_INTEGERS)
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value
}
