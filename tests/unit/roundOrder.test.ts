import { roundOrder } from '@onetext/bench/compare'
import { describe, expect, it } from 'vitest'

describe('roundOrder (the order of the servers in a comparison round)', () => {
  const servers = ['onetext', 'hocuspocus', 'y-websocket-server']

  it('starts each round with the next server and keeps the cyclic order', () => {
    expect(roundOrder(servers, 0)).toEqual(['onetext', 'hocuspocus', 'y-websocket-server'])
    expect(roundOrder(servers, 1)).toEqual(['hocuspocus', 'y-websocket-server', 'onetext'])
    expect(roundOrder(servers, 2)).toEqual(['y-websocket-server', 'onetext', 'hocuspocus'])
    expect(roundOrder(servers, 3)).toEqual(servers)
  })

  it('gives every server each position equally often over a multiple of their number of rounds', () => {
    const firsts = Array.from({ length: 6 }, (_, round) => roundOrder(servers, round)[0])
    for (const server of servers) expect(firsts.filter((first) => first === server)).toHaveLength(2)
  })

  it('leaves its input alone and refuses a round that is not a whole number >= 0', () => {
    const input = [...servers]
    roundOrder(input, 1)
    expect(input).toEqual(servers)
    expect(roundOrder([], 4)).toEqual([])
    expect(() => roundOrder(servers, -1)).toThrow(RangeError)
    expect(() => roundOrder(servers, 1.5)).toThrow(RangeError)
  })
})
