/**
 * Entry point of `pnpm start`: reads the environment, starts the server with the built client,
 * prints where it listens (and the demo accounts on a fresh store), and on SIGTERM/SIGINT writes
 * everything pending before it exits.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { configFromEnv } from './config'
import { startServer } from './Server'
import { DEMO_ACCOUNTS } from './seed/demoSeed'

const clientDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist')
const startedAt = performance.now()
const config = configFromEnv(process.env, {
  clientDir: fs.existsSync(path.join(clientDir, 'index.html')) ? clientDir : null,
})
const server = await startServer(config)
const ms = Math.round(performance.now() - startedAt)
config.logger.info(
  `OneText listening on ${server.url} (data in ${config.store === 'postgres' ? 'PostgreSQL at DATABASE_URL' : config.dataDir}, ready in ${ms} ms)`,
)
if (!config.clientDir)
  config.logger.info('No built client found: run `pnpm build` to serve the editor at /.')
if (server.seeded) {
  config.logger.info(
    `Seeded the demo negotiation. Sign in with any of these accounts, password "${config.demoPassword}":`,
  )
  for (const account of DEMO_ACCOUNTS) {
    config.logger.info(
      `  ${account.email.padEnd(24)} ${account.role}${account.partyId ? ` (${account.partyId})` : ''}`,
    )
  }
}

let stopping = false
async function stop(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  config.logger.info(`${signal}: writing pending edits and stopping`)
  try {
    await server.close()
    config.logger.flush()
    process.exit(0)
  } catch (error) {
    config.logger.info(`shutdown failed: ${String(error)}`)
    process.exit(1)
  }
}
process.on('SIGTERM', () => void stop('SIGTERM'))
process.on('SIGINT', () => void stop('SIGINT'))
