#!/usr/bin/env node
// The browser tests drive Debian's Chromium (playwright-core cannot download browsers here).
// Installs it with apt-get when it is missing and we are root; otherwise explains what to do.
import { execSync } from 'node:child_process'
import fs from 'node:fs'

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
if (fs.existsSync(CHROMIUM)) {
  process.exit(0)
}
if (typeof process.getuid === 'function' && process.getuid() === 0) {
  console.log('chromium: not found, installing Debian package "chromium"')
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
  })
  if (fs.existsSync(CHROMIUM)) process.exit(0)
}
console.error(
  `chromium: ${CHROMIUM} not found. Install Debian's chromium package (sudo apt-get install chromium) ` +
    'or set CHROMIUM_PATH to a Chromium binary, then run the tests again.',
)
process.exit(1)
