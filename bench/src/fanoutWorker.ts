/**
 * A fan-out client process (arguments: server URL, session token, client count, document name,
 * the writer's client ID, the writer's clock before its first keystroke): connects `count`
 * read-only clients to the document and tells its parent (over IPC) when all of them have applied
 * each keystroke, as epoch milliseconds. Each keystroke inserts one character, so keystroke k is
 * the one that takes the writer's clock to `startClock + k + 1` (see fanout.ts). Running the
 * readers in several processes keeps one process's event loop and garbage collector from being
 * what the benchmark measures.
 */
import * as Y from 'yjs'
import { connect } from './targets/onetextTarget'

const [url = '', token = '', countText = '0', document = '', writerText = '0', startText = '0'] =
  process.argv.slice(2)
const count = Number(countText)
const writerClient = Number(writerText)
const startClock = Number(startText)
const now = () => performance.timeOrigin + performance.now()
const seen = new Map<number, number>()
const clients = Array.from({ length: count }, () => connect(url, token, document))

process.setMaxListeners(0)
for (const client of clients) {
  let last = -1
  client.doc.on('update', () => {
    const current = Y.getState(client.doc.store, writerClient) - startClock - 1
    if (current <= last) return
    const at = now()
    for (let k = last + 1; k <= current; k++) {
      const total = (seen.get(k) ?? 0) + 1
      seen.set(k, total)
      if (total === count) {
        seen.delete(k)
        process.send?.({ k, at })
      }
    }
    last = current
  })
}
Promise.all(clients.map((client) => client.synced())).then(() => process.send?.({ ready: true }))
process.on('disconnect', () => {
  for (const client of clients) client.destroy()
  process.exit(0)
})
