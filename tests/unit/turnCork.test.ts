import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { TurnCork } from '../../server/src/sync/TurnCork'

/** A writable that records each system-call-sized write it is given (single or vectored). */
function recordingSocket() {
  const writes: string[][] = []
  const socket = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writes.push([chunk.toString()])
      callback()
    },
    writev(chunks, callback) {
      writes.push(chunks.map(({ chunk }) => (chunk as Buffer).toString()))
      callback()
    },
  })
  return { socket, writes }
}

const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

describe('TurnCork', () => {
  it("sends a turn's frames to one socket in one vectored write at the end of the turn", async () => {
    const cork = new TurnCork()
    const a = recordingSocket()
    const b = recordingSocket()
    for (const frame of ['1', '2', '3']) {
      cork.hold(a.socket)
      a.socket.write(frame)
    }
    cork.hold(b.socket)
    b.socket.write('x')
    expect(a.writes).toEqual([])
    expect(cork.size).toBe(2)
    await endOfTurn()
    expect(a.writes).toEqual([['1', '2', '3']])
    expect(b.writes).toEqual([['x']])
    expect(cork.size).toBe(0)
  })

  it('starts afresh in the next turn', async () => {
    const cork = new TurnCork()
    const a = recordingSocket()
    cork.hold(a.socket)
    a.socket.write('1')
    await endOfTurn()
    cork.hold(a.socket)
    a.socket.write('2')
    a.socket.write('3')
    await endOfTurn()
    expect(a.writes).toEqual([['1'], ['2', '3']])
  })

  it('leaves a destroyed socket alone', async () => {
    const cork = new TurnCork()
    const a = recordingSocket()
    a.socket.destroy()
    cork.hold(a.socket)
    expect(cork.size).toBe(0)
  })
})
