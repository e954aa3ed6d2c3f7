#!/usr/bin/env node
// The tests drive Debian's Chromium (playwright-core cannot download browsers here), read PDFs
// with poppler's pdftotext and store in PostgreSQL (127.0.0.1:5432, or TEST_POSTGRES_URL).
// Installs the Debian packages when missing and we are root, starts the local PostgreSQL cluster
// when it is installed and not running; otherwise explains what to do.
import { execSync } from 'node:child_process'
import fs from 'node:fs'

/** Starts Debian's local PostgreSQL cluster when the tests use it and it is not answering. */
function ensurePostgres() {
  if (process.env.TEST_POSTGRES_URL) return
  const ready = () => {
    try {
      execSync('pg_isready -h 127.0.0.1 -q', { stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  }
  if (ready()) return
  if (fs.existsSync('/etc/postgresql')) {
    const [version] = fs.readdirSync('/etc/postgresql')
    try {
      console.log(`test tools: starting PostgreSQL ${version}`)
      execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`, {
        stdio: 'inherit',
      })
    } catch {
      // Reported below.
    }
    if (ready()) return
  }
  console.error(
    'test tools: no PostgreSQL answers on 127.0.0.1:5432. Start one (trust auth for user postgres), or set TEST_POSTGRES_URL, then run the tests again.',
  )
  process.exit(1)
}

const TOOLS = [
  { path: process.env.CHROMIUM_PATH || '/usr/bin/chromium', pkg: 'chromium' },
  { path: '/usr/bin/pdftotext', pkg: 'poppler-utils' },
]

const missing = TOOLS.filter((tool) => !fs.existsSync(tool.path))
if (missing.length === 0) {
  ensurePostgres()
  process.exit(0)
}
const packages = missing.map((tool) => tool.pkg).join(' ')
if (typeof process.getuid === 'function' && process.getuid() === 0) {
  console.log(`test tools: installing Debian packages: ${packages}`)
  execSync(
    `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${packages}`,
    { stdio: 'inherit' },
  )
  if (missing.every((tool) => fs.existsSync(tool.path))) {
    ensurePostgres()
    process.exit(0)
  }
}
console.error(
  `test tools missing: ${missing.map((tool) => tool.path).join(', ')}. Install the Debian packages (sudo apt-get install ${packages}), then run the tests again.`,
)
process.exit(1)
