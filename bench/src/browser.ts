/**
 * Headless Chromium (Debian's, through playwright-core) for the browser benchmarks, signed in to a
 * OneText target as the mediator.
 */
import { type Browser, type BrowserContext, chromium } from 'playwright-core'
import type { OneTextTarget } from './targets/onetextTarget'

/** Starts Chromium with the flags this environment needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(process.env.BENCH_JS_FLAGS ? [`--js-flags=${process.env.BENCH_JS_FLAGS}`] : []),
    ],
  })
}

/** A 1400x900 browser context with the mediator's session cookie. */
export function mediatorContext(browser: Browser, target: OneTextTarget): Promise<BrowserContext> {
  return accountContext(browser, target, 'mediator@demo.test')
}

/** A 1400x900 browser context with the session cookie of demo account `email`. */
export async function accountContext(
  browser: Browser,
  target: OneTextTarget,
  email: string,
): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  await context.request.post(`${target.baseUrl}/api/login`, {
    data: { email, password: target.password },
  })
  return context
}
