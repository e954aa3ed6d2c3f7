/**
 * A rule of the single-text method was not met. Routes turn it into an HTTP answer
 * (`invalid` 400, `forbidden` 403, `not-found` 404, `conflict` 409).
 */
export type NegotiationErrorKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict'

export class NegotiationError extends Error {
  constructor(
    readonly kind: NegotiationErrorKind,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}
