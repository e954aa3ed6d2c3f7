import { AccessChanged, ClientOutdated, Forbidden, Unauthorized } from '@onetext/shared/closeCodes'
import { describe, expect, it } from 'vitest'
import { terminalReasonFor } from '../../client/src/collab/CollabSession'

describe('terminalReasonFor (what the page says when the server ends a session)', () => {
  it('names the reasons this page knows', () => {
    expect(terminalReasonFor(Unauthorized.code)).toBe('unauthorized')
    expect(terminalReasonFor(Forbidden.code)).toBe('forbidden')
    expect(terminalReasonFor(AccessChanged.code)).toBe('access-changed')
    expect(terminalReasonFor(ClientOutdated.code)).toBe('client-outdated')
  })

  it('does not call a code it does not know "no access"', () => {
    expect(terminalReasonFor(4499)).toBe('refused-unknown')
    expect(terminalReasonFor(4418)).toBe('refused-unknown')
  })
})
