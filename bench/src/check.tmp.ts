import { rawReplay } from './rawReplay'
import { loadTrace } from './traces'

const t = loadTrace('bench/traces/friendsforever.json.gz')
const r = rawReplay(t)
console.log(
  process.env.AGENT_CLIENT_BASE,
  process.env.AGENT_CLIENT_STEP,
  r.finalText === t.endContent,
)
