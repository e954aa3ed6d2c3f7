/**
 * The updates a writer sends before its sync step 2: held within named bounds (a client that never
 * sends its step 2 cannot make the server hold without limit), released once, in order.
 */
import { describe, expect, it } from 'vitest'
import {
  EarlyUpdates,
  MAX_EARLY_BYTES,
  MAX_EARLY_UPDATES,
} from '../../server/src/sync/EarlyUpdates'

describe('updates held for the sync step 2', () => {
  it('holds at most MAX_EARLY_UPDATES, and stops acknowledgements before the first held', () => {
    const early = new EarlyUpdates()
    for (let frame = 3; frame < 3 + MAX_EARLY_UPDATES; frame++)
      expect(early.hold({ update: new Uint8Array(4), frame })).toBe(true)
    expect(early.hold({ update: new Uint8Array(4), frame: 9999 })).toBe(false)
    expect(early.firstHeldFrame).toBe(3)
  })

  it('holds at most MAX_EARLY_BYTES', () => {
    const early = new EarlyUpdates()
    expect(early.hold({ update: new Uint8Array(MAX_EARLY_BYTES - 1), frame: 1 })).toBe(true)
    expect(early.hold({ update: new Uint8Array(2), frame: 2 })).toBe(false)
  })

  it('releases the held updates oldest first, once, and holds nothing after the step 2', () => {
    const early = new EarlyUpdates()
    early.hold({ update: new Uint8Array([1]), frame: 1 })
    early.hold({ update: new Uint8Array([2]), frame: 2 })
    expect(early.release().map((entry) => entry.frame)).toEqual([1, 2])
    expect(early.waiting).toBe(false)
    expect(early.firstHeldFrame).toBeNull()
    expect(early.hold({ update: new Uint8Array([3]), frame: 3 })).toBe(false)
    expect(early.release()).toEqual([])
  })
})
