/**
 * What the workspace reads over HTTP: the negotiation, the current iteration, the iterations the
 * person may read, and their local supplements (each refreshed on a key).
 */
import {
  ApiRequestError,
  fetchIteration,
  fetchIterations,
  fetchNegotiation,
  fetchSupplements,
  type IterationDetail,
  type SupplementInfo,
} from '../../api'
import { useLatestResponse } from '../../components/useLatestResponse'

/** The negotiation as the caller sees it (refreshed on `reloadKey`), or the error in words. */
export function useNegotiationDetail(negotiationId: string, reloadKey: number) {
  const { value: detail, error } = useLatestResponse(
    () => fetchNegotiation(negotiationId),
    [negotiationId, reloadKey],
  )
  return {
    detail,
    error:
      error === null
        ? null
        : error instanceof ApiRequestError && error.status === 404
          ? 'No such negotiation.'
          : String(error),
  }
}

/** The current iteration (number `number`), or null before one is circulated. */
export function useCurrentIteration(
  negotiationId: string,
  number: number | null,
): IterationDetail | null {
  return useLatestResponse(
    () => (number === null ? null : fetchIteration(negotiationId, number)),
    [negotiationId, number],
  ).value
}

/** Iteration numbers the caller may read over HTTP (observers: published ones), refreshed on `key`. */
export function useVisibleIterations(negotiationId: string, key: string): number[] {
  const { value } = useLatestResponse(
    () => fetchIterations(negotiationId).then((list) => list.map((meta) => meta.number)),
    [negotiationId, key],
  )
  return value ?? NO_NUMBERS
}

const NO_NUMBERS: number[] = []
const NO_SUPPLEMENTS: SupplementInfo[] = []

/** Local supplements the caller may open, refreshed on `key`. */
export function useSupplements(negotiationId: string, key: number): SupplementInfo[] {
  const { value } = useLatestResponse(() => fetchSupplements(negotiationId), [negotiationId, key])
  return value ?? NO_SUPPLEMENTS
}
