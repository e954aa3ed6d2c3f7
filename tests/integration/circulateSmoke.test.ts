/**
 * A tiny run of the circulation benchmark (`pnpm bench circulate`), so that it cannot rot: typists
 * write while the mediator circulates, every keystroke is acknowledged, and the server's event-loop
 * delay is read from inside its process. With suggestions, each party's changes are carried forward
 * at every circulation and the server's log says how long that took.
 */
import { circulateWhileTyping } from '@onetext/bench/circulate'
import { describe, expect, it } from 'vitest'

describe('circulate benchmark (tiny run)', () => {
  it('measures typing alone and typing during a circulation', async () => {
    const result = await circulateWhileTyping({
      pages: 3,
      typists: 3,
      rate: 4,
      circulations: 1,
      warmupMs: 200,
      typingMs: 1000,
    })
    expect(result).toMatchObject({ pages: 3, typists: 3, circulations: 1 })
    expect(result.circulateP50Ms).toBeGreaterThan(0)
    for (const phase of [result.typing, result.circulating]) {
      expect(phase.keystrokes).toBeGreaterThan(0)
      expect(phase.ackP99Ms).toBeGreaterThanOrEqual(phase.ackP50Ms)
      expect(phase.loopMaxMs).toBeGreaterThan(0)
    }
  }, 120_000)

  it('carries the parties’ suggestions forward at each circulation (--suggestions)', async () => {
    const result = await circulateWhileTyping({
      pages: 3,
      typists: 2,
      rate: 4,
      circulations: 2,
      suggestions: 6,
      warmupMs: 200,
      typingMs: 500,
    })
    expect(result.carry).toMatchObject({ changesPerParty: 6, parties: 2 })
    const carry = result.carry
    expect(carry?.clausesShared).toBeGreaterThan(0)
    expect(carry?.sharedCarried).toBeGreaterThan(0)
    expect(carry?.draftsCarried).toBeGreaterThan(0)
    expect(carry?.sharedCarryWorkP50Ms).toBeGreaterThan(0)
    expect(carry?.draftCarryWorkP50Ms).toBeGreaterThan(0)
  }, 120_000)
})
