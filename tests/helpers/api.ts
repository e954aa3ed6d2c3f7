/**
 * A small JSON client for the HTTP API in tests: `call(method, path, token, body)` answers
 * `{status, body}`.
 */

/** An API answer. */
export interface ApiAnswer<T = unknown> {
  status: number
  body: T
}

/** Calls the API of the server at `baseUrl`. */
export async function callApi<T = unknown>(
  baseUrl: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? null : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T }
}
