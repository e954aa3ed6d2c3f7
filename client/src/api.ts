/**
 * The HTTP API client. The session travels in the httpOnly cookie the server sets at sign-in, so
 * no token is kept in script-readable storage.
 */
import type {
  ApiUser,
  LoginResponse,
  NegotiationDetail,
  NegotiationSummary,
} from '@onetext/shared/apiTypes'

/** An API answer that was not 2xx. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  })
  const text = await response.text()
  let parsed: unknown = null
  try {
    parsed = text ? JSON.parse(text) : null
  } catch {
    parsed = null
  }
  if (!response.ok) {
    const error = (parsed ?? {}) as { error?: string; message?: string }
    throw new ApiRequestError(
      response.status,
      error.error ?? 'error',
      error.message ?? response.statusText,
    )
  }
  return parsed as T
}

/** Signs in; the server sets the session cookie. */
export function signIn(email: string, password: string): Promise<LoginResponse> {
  return request('POST', '/api/login', { email, password })
}

/** Signs out and clears the session cookie. */
export function signOut(): Promise<void> {
  return request('POST', '/api/logout')
}

/** The signed-in user, or null when there is no valid session. */
export async function fetchMe(): Promise<ApiUser | null> {
  try {
    const body = await request<{ user: ApiUser }>('GET', '/api/me')
    return body.user
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) return null
    throw error
  }
}

/** The negotiations the user belongs to. */
export function fetchNegotiations(): Promise<NegotiationSummary[]> {
  return request('GET', '/api/negotiations')
}

/** One negotiation with the documents the user may open. */
export function fetchNegotiation(id: string): Promise<NegotiationDetail> {
  return request('GET', `/api/negotiations/${encodeURIComponent(id)}`)
}
