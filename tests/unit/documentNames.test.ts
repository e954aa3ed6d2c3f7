import { formatDocumentName, parseDocumentName } from '@onetext/shared/documentNames'
import { describe, expect, it } from 'vitest'

describe('document names', () => {
  it('round-trips every kind', () => {
    for (const ref of [
      { negotiationId: 'lmp-1997', kind: 'draft' as const },
      { negotiationId: 'lmp-1997', kind: 'table' as const },
      { negotiationId: 'lmp-1997', kind: 'layer' as const, partyId: 'labor' },
      { negotiationId: 'n2', kind: 'caucus' as const, partyId: 'mgmt-south' },
    ]) {
      expect(parseDocumentName(formatDocumentName(ref))).toEqual(ref)
    }
  })

  it('rejects malformed names', () => {
    for (const name of [
      '',
      'x',
      'lmp.draft.labor',
      'lmp.layer',
      'LMP.draft',
      'lmp.secret',
      '../etc.draft',
      `${'a'.repeat(300)}.draft`,
    ]) {
      expect(parseDocumentName(name)).toBeNull()
    }
  })

  it('throws RangeError for invalid parts', () => {
    expect(() => formatDocumentName({ negotiationId: 'Bad Id', kind: 'draft' })).toThrow(RangeError)
    expect(() => formatDocumentName({ negotiationId: 'n', kind: 'layer' })).toThrow(RangeError)
    expect(() => formatDocumentName({ negotiationId: 'n', kind: 'draft', partyId: 'p' })).toThrow(
      RangeError,
    )
  })
})
