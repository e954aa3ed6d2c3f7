import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { SEND_AFTER_PAINT_LIMIT_MS, sendAfterPaint } from '../../client/src/collab/sendAfterPaint'

/** A socket that records what reaches it. */
class RecordingSocket {
  readyState = 1
  sent: unknown[] = []
  send(data: unknown): void {
    this.sent.push(data)
  }
  close(): void {
    this.sent.push('(closed)')
    this.readyState = 2
  }
}

/** The page's frame callbacks, run by the test when it "paints". */
let frameCallbacks: Array<() => void> = []
/** The page's idle callbacks and their timeouts, run by the test when it is "idle". */
let idleCallbacks: Array<{ callback: () => void; timeout: number | undefined }> = []
let visibility = 'visible'

beforeEach(() => {
  frameCallbacks = []
  idleCallbacks = []
  visibility = 'visible'
  vi.stubGlobal('document', {
    get visibilityState() {
      return visibility
    },
  })
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => {
    frameCallbacks.push(callback)
    return frameCallbacks.length
  })
})

/** Gives the page idle callbacks, as Chromium and Firefox have. */
function withIdleCallbacks(): void {
  vi.stubGlobal('requestIdleCallback', (callback: () => void, options?: { timeout?: number }) =>
    idleCallbacks.push({ callback, timeout: options?.timeout }),
  )
}

afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

/** Runs the frame's callbacks, then waits for the message they post (handled after the paint). */
async function paint(socket: RecordingSocket, expected: number): Promise<void> {
  for (const callback of frameCallbacks.splice(0)) callback()
  await vi.waitFor(() => expect(socket.sent.length).toBe(expected))
}

describe('sendAfterPaint', () => {
  it('sends nothing inside the task, then every frame in order when the page is next idle', () => {
    withIdleCallbacks()
    const socket = new (sendAfterPaint(RecordingSocket))()
    socket.send('a')
    socket.send('b')
    expect(socket.sent).toEqual([])
    expect(frameCallbacks).toHaveLength(0)
    expect(idleCallbacks.map((idle) => idle.timeout)).toEqual([SEND_AFTER_PAINT_LIMIT_MS])
    idleCallbacks.splice(0)[0]?.callback()
    expect(socket.sent).toEqual(['a', 'b'])
    socket.send('c')
    idleCallbacks.splice(0)[0]?.callback()
    expect(socket.sent).toEqual(['a', 'b', 'c'])
  })

  it('without idle callbacks, sends every frame in order after the next paint', async () => {
    const Socket = sendAfterPaint(RecordingSocket)
    const socket = new Socket()
    socket.send('a')
    socket.send('b')
    socket.send('c')
    expect(socket.sent).toEqual([])
    expect(frameCallbacks).toHaveLength(1)
    await paint(socket, 3)
    expect(socket.sent).toEqual(['a', 'b', 'c'])
    socket.send('d')
    await paint(socket, 4)
    expect(socket.sent).toEqual(['a', 'b', 'c', 'd'])
  })

  it('sends at once while the page is hidden', () => {
    visibility = 'hidden'
    const socket = new (sendAfterPaint(RecordingSocket))()
    socket.send('a')
    expect(socket.sent).toEqual(['a'])
    expect(frameCallbacks).toHaveLength(0)
  })

  it('sends after the limit when no paint comes', () => {
    vi.useFakeTimers()
    const socket = new (sendAfterPaint(RecordingSocket))()
    socket.send('a')
    vi.advanceTimersByTime(SEND_AFTER_PAINT_LIMIT_MS - 1)
    expect(socket.sent).toEqual([])
    vi.advanceTimersByTime(1)
    expect(socket.sent).toEqual(['a'])
  })

  it('drops the frames of a socket that closed before the paint', async () => {
    vi.useFakeTimers()
    const socket = new (sendAfterPaint(RecordingSocket))()
    socket.send('a')
    socket.readyState = 3
    vi.advanceTimersByTime(SEND_AFTER_PAINT_LIMIT_MS)
    expect(socket.sent).toEqual([])
  })

  it('sends what it holds before closing, in order, and nothing twice', () => {
    withIdleCallbacks()
    const socket = new (sendAfterPaint(RecordingSocket))()
    socket.send('a')
    socket.send('b')
    socket.close()
    expect(socket.sent).toEqual(['a', 'b', '(closed)'])
    for (const { callback } of idleCallbacks.splice(0)) callback()
    expect(socket.sent).toEqual(['a', 'b', '(closed)'])
  })

  it('sends what every socket holds when the page is being left', () => {
    withIdleCallbacks()
    const listeners: Array<() => void> = []
    vi.stubGlobal('window', {
      addEventListener: (type: string, listener: () => void) => {
        if (type === 'pagehide') listeners.push(listener)
      },
    })
    const first = new (sendAfterPaint(RecordingSocket))()
    const second = new (sendAfterPaint(RecordingSocket))()
    first.send('a')
    second.send('x')
    first.send('b')
    expect(listeners).toHaveLength(1)
    for (const listener of listeners) listener()
    expect(first.sent).toEqual(['a', 'b'])
    expect(second.sent).toEqual(['x'])
    // The idle callbacks scheduled before find nothing left to send.
    for (const { callback } of idleCallbacks.splice(0)) callback()
    expect(first.sent).toEqual(['a', 'b'])
    // A later frame waits for the page to be idle again.
    first.send('c')
    expect(first.sent).toEqual(['a', 'b'])
    for (const { callback } of idleCallbacks.splice(0)) callback()
    expect(first.sent).toEqual(['a', 'b', 'c'])
  })
})
