/**
 * State-changing commands of one negotiation run one at a time, in the order they arrive: a
 * circulation, a sign-off and an adoption never interleave their reads and writes of the draft, the
 * status document and the iteration store. A command of an exclusive kind (a circulation) that
 * arrives while another of its kind is running or waiting is refused at once with `409 busy`
 * rather than queued: a mediator who pressed twice meant one iteration, not two.
 */
import { NegotiationError } from './NegotiationError'

/** Commands of one negotiation that may be in line at once; more are refused with `409 busy`. */
export const MAX_QUEUED_COMMANDS = 32

/** Kinds of command that are refused, not queued, while one of the same kind is in line. */
export type ExclusiveCommand = 'circulate'

export class CommandQueue {
  private readonly tails = new Map<string, Promise<void>>()
  private readonly inLine = new Map<string, Set<ExclusiveCommand>>()
  private readonly counts = new Map<string, number>()

  /**
   * Runs `command` once every command of `negotiationId` that arrived before it has ended
   * (whatever its outcome), and resolves or rejects as it does. With `exclusive`, rejects at once
   * with a `conflict` (409) when a command of that kind for the same negotiation is still in line.
   */
  run<T>(
    negotiationId: string,
    command: () => Promise<T>,
    exclusive?: ExclusiveCommand,
  ): Promise<T> {
    const count = this.counts.get(negotiationId) ?? 0
    if (count >= MAX_QUEUED_COMMANDS) {
      return Promise.reject(
        new NegotiationError(
          'conflict',
          'busy',
          'Too many commands are waiting for this negotiation; try again in a moment.',
        ),
      )
    }
    if (exclusive) {
      const kinds = this.inLine.get(negotiationId) ?? new Set<ExclusiveCommand>()
      if (kinds.has(exclusive)) {
        return Promise.reject(
          new NegotiationError(
            'conflict',
            'busy',
            'Another circulation of this negotiation is in progress; it will be the next iteration.',
          ),
        )
      }
      kinds.add(exclusive)
      this.inLine.set(negotiationId, kinds)
    }
    this.counts.set(negotiationId, count + 1)
    const previous = this.tails.get(negotiationId) ?? Promise.resolve()
    const result = previous.then(command)
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.tails.set(negotiationId, tail)
    void tail.then(() => {
      const left = (this.counts.get(negotiationId) ?? 1) - 1
      if (left > 0) this.counts.set(negotiationId, left)
      else this.counts.delete(negotiationId)
      if (exclusive) {
        const kinds = this.inLine.get(negotiationId)
        kinds?.delete(exclusive)
        if (kinds?.size === 0) this.inLine.delete(negotiationId)
      }
      if (this.tails.get(negotiationId) === tail) this.tails.delete(negotiationId)
    })
    return result
  }
}
