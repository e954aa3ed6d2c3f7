/**
 * A fan-out client process (arguments: server URL, session token, client count, document name):
 * connects `count` read-only clients to the document and tells its
 * parent (over IPC) when all of them have applied each keystroke, as epoch milliseconds. Running
 * the readers in several processes keeps one process's event loop and garbage collector from
 * being what the benchmark measures.
 */
import { connect } from './targets/onetextTarget'

const [url = '', token = '', countText = '0', document = ''] = process.argv.slice(2)
const count = Number(countText)
const now = () => performance.timeOrigin + performance.now()
const seen = new Map<number, number>()
const clients = Array.from({ length: count }, () => connect(url, token, document))

process.setMaxListeners(0)
for (const client of clients) {
  let last = -1
  const markers = client.doc.getMap<number>('keystroke')
  client.doc.on('update', () => {
    const current = markers.get('k')
    if (current === undefined || current <= last) return
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
