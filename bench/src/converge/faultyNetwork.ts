/**
 * The simulated network of the convergence run: a WebSocket class for `WebsocketProvider`
 * (`WebSocketPolyfill`) over a real `ws` socket to the current server, that delays every frame on a
 * seeded schedule, duplicates and reorders some, and can cut a client's connection or partition the
 * client (no connection at all) for a while.
 *
 * Only what the protocol tolerates is done to frames. Over one socket frames keep their order in
 * each direction (a TCP connection never reorders, and the server refuses a client update that
 * arrives before the one it builds on), except that two sync updates waiting for a client may swap
 * (Yjs holds an update back until what it builds on arrives). A duplicate from the server is a sync
 * update, sync step 2 or awareness frame delivered again later; a duplicate towards the server is
 * the same sync update sent again through the socket's `send`, so that the client's persistence
 * tracker counts it as the server does. Messages across connections reorder through their
 * independent delays. A cut drops what is in flight, as a broken connection does.
 */
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import * as Y from 'yjs'

/** How badly the network behaves. */
export interface NetworkFaults {
  /** Longest ordinary delay of a frame, in ms (each frame draws one up to it). */
  maxDelayMs: number
  /** Chance that a frame is held up for up to {@link spikeMs} instead. */
  spikeChance: number
  spikeMs: number
  /** Chance that a frame the protocol tolerates twice is delivered twice. */
  duplicateChance: number
  /** Chance that a sync update to a client swaps places with the one waiting before it. */
  reorderChance: number
}

/** A network that delivers at once, in order, exactly once. */
export const CALM: NetworkFaults = {
  maxDelayMs: 0,
  spikeChance: 0,
  spikeMs: 0,
  duplicateChance: 0,
  reorderChance: 0,
}

/** The network of a run: delays, spikes, duplicates and swaps. */
export const STORMY: NetworkFaults = {
  maxDelayMs: 25,
  spikeChance: 0.03,
  spikeMs: 400,
  duplicateChance: 0.05,
  reorderChance: 0.1,
}

/** Where providers are told to connect; each socket goes to the network's current server instead. */
export const PLACEHOLDER_SYNC_URL = 'ws://converge.invalid/sync'

const MESSAGE_SYNC = 0
const SYNC_STEP_1 = 0
const SYNC_STEP_2 = 1
const SYNC_UPDATE = 2
const MESSAGE_AWARENESS = 1

function isSyncUpdate(frame: Uint8Array): boolean {
  return frame[0] === MESSAGE_SYNC && frame[1] === SYNC_UPDATE
}

/** Frames a client may receive twice without harm. */
function isIdempotent(frame: Uint8Array): boolean {
  if (frame[0] === MESSAGE_AWARENESS) return true
  return frame[0] === MESSAGE_SYNC && (frame[1] === SYNC_STEP_2 || frame[1] === SYNC_UPDATE)
}

type Delivery = { at: number; frame: Uint8Array | null; swappable: boolean }

/** One direction of one socket: frames delivered in order, each after its delay. */
class Lane {
  private readonly queue: Delivery[] = []
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly deliver: (frame: Uint8Array | null) => void) {}

  /** Queues `frame` (null: the close) to arrive `delay` ms from now, after what is queued. */
  push(frame: Uint8Array | null, delay: number, swap = false): void {
    const last = this.queue.at(-1)
    const at = Math.max(last?.at ?? 0, Date.now() + delay)
    const swappable = frame !== null && isSyncUpdate(frame)
    if (swap && swappable && last?.swappable) this.queue.splice(-1, 0, { at, frame, swappable })
    else this.queue.push({ at, frame, swappable })
    this.schedule()
  }

  /** Drops everything queued. */
  clear(): void {
    this.queue.length = 0
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private schedule(): void {
    const head = this.queue[0]
    if (this.timer || !head) return
    this.timer = setTimeout(this.flush, Math.max(0, head.at - Date.now()))
  }

  private readonly flush = (): void => {
    this.timer = null
    const now = Date.now()
    while (this.queue.length > 0 && (this.queue[0] as Delivery).at <= now) {
      const { frame } = this.queue.shift() as Delivery
      this.deliver(frame)
    }
    this.schedule()
  }
}

/** The browser WebSocket surface y-websocket uses. */
type CloseLike = { code: number; reason: string }

/** One client's attachment to the network. */
interface Link {
  partitioned: boolean
  healTimer: NodeJS.Timeout | null
  sockets: Set<{ cut(): void }>
}

/** What a socket of the network noted of the frames it carried. */
export interface SocketNotes {
  /** Document-changing frames its client sent (sync step 2 and update), as the server counts them. */
  framesSent: number
  /** The number of the client's first sync step 2 among them, once sent. */
  step2Frame: number | null
  /** The state vector of the last sync step 1 the server sent on it. */
  serverStateVector: Uint8Array | null
  /**
   * What the client's last sync step 2 on it carried beyond that state vector, per client ID as
   * `id:from-to` (empty: nothing the server lacked); null before one is sent.
   */
  step2Beyond: string[] | null
}

/** The update a sync step 1, step 2 or update frame carries. */
function payload(frame: Uint8Array): Uint8Array {
  return decoding.readVarUint8Array(decoding.createDecoder(frame.subarray(2)))
}

/** What `update` writes beyond `stateVector` (see {@link SocketNotes.step2Beyond}). */
function writtenBeyond(update: Uint8Array, stateVector: Uint8Array | null): string[] {
  const known = stateVector ? Y.decodeStateVector(stateVector) : new Map<number, number>()
  const parts: string[] = []
  for (const [client, end] of Y.parseUpdateMeta(update).to) {
    const has = known.get(client) ?? 0
    if (end > has) parts.push(`${client}:${has}-${end}`)
  }
  return parts
}

/** The notes of `socket` (a provider's `ws`) if it is a socket of a {@link FaultyNetwork}. */
export function socketNotes(socket: unknown): SocketNotes | null {
  if (typeof socket !== 'object' || socket === null || !('step2Frame' in socket)) return null
  return socket as SocketNotes
}

/** The network between every simulated user and the server (see the module comment). */
export class FaultyNetwork {
  private serverUrl = ''
  private faults: NetworkFaults = CALM
  private readonly links = new Map<string, Link>()

  /** `random` draws every delay, duplicate and swap. */
  constructor(private readonly random: () => number) {}

  /** Sends new connections to the server at `url` (http://host:port) from now on. */
  setServer(url: string): void {
    this.serverUrl = url
  }

  /** Changes how the network behaves from now on. */
  setFaults(faults: NetworkFaults): void {
    this.faults = faults
  }

  /** Breaks every open connection of client `label`; its provider reconnects. */
  cut(label: string): void {
    for (const socket of Array.from(this.link(label).sockets)) socket.cut()
  }

  /** Cuts client `label` off for `ms`: its connections break and new ones fail until then. */
  partition(label: string, ms: number): void {
    const link = this.link(label)
    link.partitioned = true
    this.cut(label)
    if (link.healTimer) clearTimeout(link.healTimer)
    link.healTimer = setTimeout(() => this.heal(label), ms)
  }

  /** Ends client `label`'s partition. */
  heal(label: string): void {
    const link = this.link(label)
    link.partitioned = false
    if (link.healTimer) clearTimeout(link.healTimer)
    link.healTimer = null
  }

  /** Ends every partition and makes the network calm. */
  calm(): void {
    for (const label of this.links.keys()) this.heal(label)
    this.faults = CALM
  }

  private link(label: string): Link {
    let link = this.links.get(label)
    if (!link) {
      link = { partitioned: false, healTimer: null, sockets: new Set() }
      this.links.set(label, link)
    }
    return link
  }

  /** A delay drawn from the current faults. */
  delay(): number {
    const { maxDelayMs, spikeChance, spikeMs } = this.faults
    if (spikeChance > 0 && this.random() < spikeChance) return Math.floor(this.random() * spikeMs)
    return maxDelayMs > 0 ? Math.floor(this.random() * (maxDelayMs + 1)) : 0
  }

  private chance(p: number): boolean {
    return p > 0 && this.random() < p
  }

  /** The WebSocket class for client `label`'s providers. */
  socketClass(label: string): typeof globalThis.WebSocket {
    const network = this
    const link = this.link(label)
    /** Duplicates this class sent, which are not duplicated again. */
    const resent = new WeakSet<Uint8Array>()

    class FaultySocket {
      static readonly CONNECTING = 0
      static readonly OPEN = 1
      static readonly CLOSING = 2
      static readonly CLOSED = 3
      readonly CONNECTING = 0
      readonly OPEN = 1
      readonly CLOSING = 2
      readonly CLOSED = 3
      binaryType = 'arraybuffer'
      readyState = 0
      onopen: ((event: unknown) => void) | null = null
      onmessage: ((event: { data: Uint8Array }) => void) | null = null
      onclose: ((event: CloseLike) => void) | null = null
      onerror: ((event: unknown) => void) | null = null
      framesSent = 0
      step2Frame: number | null = null
      serverStateVector: Uint8Array | null = null
      step2Beyond: string[] | null = null
      private real: WebSocket | null = null
      private closeCode = 1006
      private readonly up: Lane
      private readonly down: Lane

      constructor(url: string) {
        this.up = new Lane((frame) => {
          const real = this.real
          if (real?.readyState !== WebSocket.OPEN) return
          if (frame) real.send(frame)
          else real.close(this.closeCode)
        })
        this.down = new Lane((frame) => {
          if (frame === null) this.finish({ code: this.closeCode, reason: '' })
          else if (this.readyState === 1) {
            if (frame[0] === MESSAGE_SYNC && frame[1] === SYNC_STEP_1)
              this.serverStateVector = payload(frame)
            this.onmessage?.({ data: frame })
          }
        })
        link.sockets.add(this)
        if (link.partitioned || network.serverUrl === '') {
          setTimeout(() => this.finish({ code: 1006, reason: '' }), network.delay())
          return
        }
        const target = new URL(url)
        const server = new URL(network.serverUrl)
        target.protocol = server.protocol === 'https:' ? 'wss:' : 'ws:'
        target.host = server.host
        const real = new WebSocket(target.toString())
        this.real = real
        real.binaryType = 'nodebuffer'
        real.on('open', () => {
          if (this.readyState !== 0) return
          this.readyState = 1
          this.onopen?.({})
        })
        real.on('message', (data: Buffer) => {
          const frame = new Uint8Array(data)
          this.down.push(frame, network.delay(), network.chance(network.faults.reorderChance))
          if (isIdempotent(frame) && network.chance(network.faults.duplicateChance))
            this.down.push(frame.slice(), network.delay())
        })
        real.on('error', () => {})
        real.on('close', (code: number) => {
          this.closeCode = code
          this.down.push(null, network.delay())
        })
      }

      send(data: Uint8Array): void {
        if (this.readyState !== 1) return
        const frame = new Uint8Array(data)
        if (frame[0] === MESSAGE_SYNC && (frame[1] === SYNC_STEP_2 || frame[1] === SYNC_UPDATE)) {
          this.framesSent++
          if (frame[1] === SYNC_STEP_2) {
            this.step2Frame ??= this.framesSent
            this.step2Beyond = writtenBeyond(payload(frame), this.serverStateVector)
          }
        }
        this.up.push(frame, network.delay())
        if (
          isSyncUpdate(frame) &&
          !resent.has(data) &&
          network.chance(network.faults.duplicateChance)
        ) {
          const copy = frame.slice()
          resent.add(copy)
          setTimeout(() => this.send(copy), network.delay())
        }
      }

      /**
       * Closes as a browser socket does: what was handed to `send` still goes out, then the close;
       * nothing more is received.
       */
      close(code?: number, reason?: string): void {
        if (this.readyState >= 2) return
        this.closeCode = code ?? 1000
        if (this.real?.readyState === WebSocket.OPEN) this.up.push(null, 0)
        else this.real?.terminate()
        this.finish({ code: this.closeCode, reason: reason ?? '' }, false)
      }

      /** Breaks the connection: what is in flight is lost, both ends see it close. */
      cut(): void {
        if (this.readyState >= 2) return
        this.up.clear()
        this.down.clear()
        this.real?.terminate()
        this.finish({ code: 1006, reason: '' })
      }

      /** Marks the socket closed and tells its owner; with `dropOutgoing`, what waits to be sent is lost. */
      private finish(event: CloseLike, dropOutgoing = true): void {
        if (this.readyState === 3) return
        this.readyState = 3
        if (dropOutgoing) this.up.clear()
        this.down.clear()
        link.sockets.delete(this)
        this.onclose?.(event)
      }
    }
    return FaultySocket as unknown as typeof globalThis.WebSocket
  }
}
