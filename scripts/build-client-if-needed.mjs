#!/usr/bin/env node
// Builds the client (vite build) when client/dist is missing or older than any of its sources,
// so that `pnpm start` and `pnpm test` always serve the current client without rebuilding every time.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const output = path.join(root, 'client/dist/index.html')
const sources = [
  'client/src',
  'client/index.html',
  'client/vite.config.ts',
  'client/precompress.ts',
  'client/package.json',
  'shared/src',
]

function newestMtime(target) {
  const stat = fs.statSync(target, { throwIfNoEntry: false })
  if (!stat) return 0
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of fs.readdirSync(target))
    newest = Math.max(newest, newestMtime(path.join(target, entry)))
  return newest
}

const built = fs.statSync(output, { throwIfNoEntry: false })?.mtimeMs ?? 0
const newestSource = Math.max(...sources.map((source) => newestMtime(path.join(root, source))))
if (built >= newestSource) {
  console.log('client: build is up to date')
} else {
  console.log('client: building (vite build)')
  execFileSync('pnpm', ['--filter', '@onetext/client', 'build'], { cwd: root, stdio: 'inherit' })
}
