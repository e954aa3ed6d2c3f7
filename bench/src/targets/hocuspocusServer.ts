/**
 * Entry point of the Hocuspocus 3 comparison server process (in-memory, no extensions).
 * Prints "hocuspocus listening on <port>".
 */
import { Server } from '@hocuspocus/server'

const server = new Server({ port: 0, address: '127.0.0.1', quiet: true, stopOnSignals: true })
await server.listen()
console.log(`hocuspocus listening on ${server.address.port}`)
