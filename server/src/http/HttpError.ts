/**
 * An error that becomes an HTTP answer: `status` with the body `{error: code, message}` (and
 * `headers`). Route handlers and the authorization policy throw it; the app's error handler sends it.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}
