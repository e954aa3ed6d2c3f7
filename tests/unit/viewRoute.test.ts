/**
 * Every view's address: read back to the same view, and an address the workspace does not know
 * (or a malformed one) read as the default view rather than an error.
 */
import { describe, expect, it } from 'vitest'
import {
  parseViewRoute,
  type ViewRoute,
  viewPath,
} from '../../client/src/pages/negotiation/viewRoute'

const N = 'lmp-1997'

describe('view addresses', () => {
  const routes: Array<[ViewRoute, string]> = [
    [{ view: 'default' }, '/negotiations/lmp-1997'],
    [{ view: 'text' }, '/negotiations/lmp-1997/text'],
    [{ view: 'text', clauseId: 'c-3_x' }, '/negotiations/lmp-1997/text/clause/c-3_x'],
    [{ view: 'published' }, '/negotiations/lmp-1997/iterations'],
    [{ view: 'published', iteration: 2 }, '/negotiations/lmp-1997/iterations/2'],
    [
      { view: 'published', iteration: 12, clauseId: 'abc' },
      '/negotiations/lmp-1997/iterations/12/clause/abc',
    ],
    [{ view: 'compare' }, '/negotiations/lmp-1997/compare'],
    [{ view: 'compare', from: 1, to: 3 }, '/negotiations/lmp-1997/compare/1/3'],
    [{ view: 'board' }, '/negotiations/lmp-1997/board'],
    [{ view: 'suggest' }, '/negotiations/lmp-1997/suggest'],
    [{ view: 'suggest', partyId: 'labor' }, '/negotiations/lmp-1997/suggest/labor'],
    [{ view: 'document', name: 'lmp-1997.draft' }, '/negotiations/lmp-1997/draft'],
    [{ view: 'document', name: 'lmp-1997.table' }, '/negotiations/lmp-1997/table'],
    [{ view: 'document', name: 'lmp-1997.layer.labor' }, '/negotiations/lmp-1997/layer/labor'],
    [{ view: 'document', name: 'lmp-1997.caucus.mgmt' }, '/negotiations/lmp-1997/caucus/mgmt'],
    [
      { view: 'document', name: 'lmp-1997.supplement.local-7' },
      '/negotiations/lmp-1997/supplement/local-7',
    ],
  ]

  it.each(routes)('writes %o as %s and reads it back', (route, path) => {
    expect(viewPath(N, route)).toBe(path)
    expect(parseViewRoute(N, path.slice(`/negotiations/${N}`.length))).toEqual(route)
  })

  it('reads what it does not know as the default view', () => {
    for (const rest of [
      '/nowhere',
      '/status',
      '/layer',
      '/layer/labor/extra',
      '/layer/BAD!',
      '/draft/x',
      '/%E0%A4%A',
      '/text/clause/has space',
      `/text/clause/${'x'.repeat(65)}`,
      '/iterations/0',
      '/iterations/-1',
      '/iterations/1e3',
      '/suggest/BAD!',
      '/suggest/labor/1',
    ]) {
      const route = parseViewRoute(N, rest)
      expect(['default', 'text', 'published']).toContain(route.view)
      expect(route).not.toHaveProperty('clauseId')
      expect(route).not.toHaveProperty('iteration')
    }
    expect(parseViewRoute(N, '/compare/1')).toEqual({ view: 'compare' })
  })
})
