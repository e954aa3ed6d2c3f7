/**
 * The client's style sheet read as plain rules, so that a unit test can measure the colours the
 * browser paints (backgrounds, text colours, opacity) without a browser. Only top-level rules are
 * read (`@media` and other at-rules are skipped); `var(--name)` is resolved from `:root`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseHexColor, type Rgb } from '@onetext/shared/partyPalette'

/** The client's style sheet. */
export const CLIENT_STYLE_SHEET = path.resolve(import.meta.dirname, '../../client/src/styles.css')

/** A colour with its opacity (1 for opaque). */
export interface CssColor {
  rgb: Rgb
  alpha: number
}

/** A style sheet's top-level rules. */
export interface StyleSheet {
  /** The value of `property` in the last rule whose selector list names exactly `selector`. */
  value(selector: string, property: string): string
  /** {@link StyleSheet.value} read as a colour (hex or `rgb()`, through `var()`). */
  color(selector: string, property: string): CssColor
  /** {@link StyleSheet.value} read as a number (such as `opacity`). */
  number(selector: string, property: string): number
}

interface Rule {
  selectors: string[]
  declarations: Map<string, string>
}

function topLevelRules(css: string): Rule[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '')
  const rules: Rule[] = []
  let at = 0
  while (at < text.length) {
    const open = text.indexOf('{', at)
    if (open < 0) break
    const prelude = text.slice(at, open).trim()
    // The matching close brace (at-rules hold nested blocks).
    let depth = 1
    let close = open + 1
    while (close < text.length && depth > 0) {
      if (text[close] === '{') depth++
      else if (text[close] === '}') depth--
      close++
    }
    if (!prelude.startsWith('@')) {
      const declarations = new Map<string, string>()
      for (const declaration of text.slice(open + 1, close - 1).split(';')) {
        const colon = declaration.indexOf(':')
        if (colon < 0) continue
        declarations.set(
          declaration.slice(0, colon).trim(),
          declaration
            .slice(colon + 1)
            .replace(/!important/, '')
            .trim(),
        )
      }
      rules.push({
        selectors: prelude.split(',').map((selector) => selector.trim().replace(/\s+/g, ' ')),
        declarations,
      })
    }
    at = close
  }
  return rules
}

function parseColor(value: string): CssColor {
  const text = value.trim()
  if (text === 'transparent') return { rgb: [0, 0, 0], alpha: 0 }
  if (text.startsWith('#')) return { rgb: parseHexColor(text), alpha: 1 }
  if (text === 'white') return { rgb: [255, 255, 255], alpha: 1 }
  const rgb =
    /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*(?:[/,]\s*([\d.]+)(%?))?\s*\)$/.exec(text)
  if (rgb) {
    const alpha = rgb[4] === undefined ? 1 : Number(rgb[4]) / (rgb[5] === '%' ? 100 : 1)
    return { rgb: [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])], alpha }
  }
  throw new Error(`not a colour this reader knows: ${value}`)
}

/** Reads `file` (the client's style sheet by default). */
export function readStyleSheet(file = CLIENT_STYLE_SHEET): StyleSheet {
  const rules = topLevelRules(fs.readFileSync(file, 'utf8'))
  const raw = (selector: string, property: string): string => {
    let found: string | undefined
    for (const rule of rules) {
      if (!rule.selectors.includes(selector)) continue
      const value = rule.declarations.get(property)
      if (value !== undefined) found = value
    }
    if (found === undefined) throw new Error(`${file} sets no ${property} on ${selector}`)
    return found
  }
  const resolve = (value: string): string =>
    value.replace(/var\((--[\w-]+)(?:,\s*([^)]+))?\)/g, (_, name: string, fallback?: string) => {
      try {
        return resolve(raw(':root', name))
      } catch (error) {
        if (fallback !== undefined) return fallback
        throw error
      }
    })
  const value = (selector: string, property: string) => resolve(raw(selector, property))
  return {
    value,
    color: (selector, property) => parseColor(value(selector, property)),
    number: (selector, property) => {
      const number = Number(value(selector, property))
      if (Number.isNaN(number)) throw new Error(`${property} on ${selector} is not a number`)
      return number
    },
  }
}
