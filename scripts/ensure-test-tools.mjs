#!/usr/bin/env node
// The tests drive Debian's Chromium (playwright-core cannot download browsers here) and read PDFs
// with poppler's pdftotext. Installs the Debian packages when missing and we are root; otherwise
// explains what to do.
import { execSync } from 'node:child_process'
import fs from 'node:fs'

const TOOLS = [
  { path: process.env.CHROMIUM_PATH || '/usr/bin/chromium', pkg: 'chromium' },
  { path: '/usr/bin/pdftotext', pkg: 'poppler-utils' },
]

const missing = TOOLS.filter((tool) => !fs.existsSync(tool.path))
if (missing.length === 0) process.exit(0)
const packages = missing.map((tool) => tool.pkg).join(' ')
if (typeof process.getuid === 'function' && process.getuid() === 0) {
  console.log(`test tools: installing Debian packages: ${packages}`)
  execSync(
    `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages}`,
    { stdio: 'inherit' },
  )
  if (missing.every((tool) => fs.existsSync(tool.path))) process.exit(0)
}
console.error(
  `test tools missing: ${missing.map((tool) => tool.path).join(', ')}. Install the Debian packages (sudo apt-get install ${packages}), then run the tests again.`,
)
process.exit(1)
