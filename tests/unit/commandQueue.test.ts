/**
 * A negotiation's commands run one at a time, in order; a second circulation meanwhile is refused,
 * and so is a command past the line's length.
 */
import { describe, expect, it } from 'vitest'
import { CommandQueue, MAX_QUEUED_COMMANDS } from '../../server/src/negotiation/CommandQueue'

describe('the line of a negotiation’s commands', () => {
  it('runs commands one at a time in order, refuses a second circulation and a full line', async () => {
    const queue = new CommandQueue()
    const order: string[] = []
    let release: () => void = () => {}
    const first = queue.run(
      'n',
      () =>
        new Promise<string>((resolve) => {
          order.push('circulate')
          release = () => resolve('circulated')
        }),
      'circulate',
    )
    await expect(queue.run('n', async () => 'again', 'circulate')).rejects.toMatchObject({
      kind: 'conflict',
      code: 'busy',
    })
    const later: Promise<number>[] = []
    for (let index = 1; index < MAX_QUEUED_COMMANDS; index++)
      later.push(
        queue.run('n', async () => {
          order.push(`c${index}`)
          return index
        }),
      )
    await expect(queue.run('n', async () => 0)).rejects.toMatchObject({ code: 'busy' })
    // Another negotiation has its own line.
    expect(await queue.run('m', async () => 'other')).toBe('other')
    expect(order).toEqual(['circulate'])
    release()
    expect(await first).toBe('circulated')
    expect(await Promise.all(later)).toHaveLength(MAX_QUEUED_COMMANDS - 1)
    expect(order[1]).toBe('c1')
    expect(await queue.run('n', async () => 'free again', 'circulate')).toBe('free again')
  })
})
