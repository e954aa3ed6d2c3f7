import { formatDocumentName, parseDocumentName } from '@onetext/shared/documentNames'
import { describe, expect, it } from 'vitest'

describe('document names', () => {
  it('round-trips every kind', () => {
    for (const ref of [
      { negotiationId: 'lmp-1997', kind: 'draft' as const },
      { negotiationId: 'lmp-1997', kind: 'table' as const },
      { negotiationId: 'lmp-1997', kind: 'layer' as const, partyId: 'labor' },
      { negotiationId: 'n2', kind: 'caucus' as const, partyId: 'mgmt-south' },
      { negotiationId: 'lmp-1997', kind: 'suggest' as const, partyId: 'labor', iteration: 1 },
      { negotiationId: 'n2', kind: 'suggest' as const, partyId: 'mgmt', iteration: 999999 },
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
      'lmp.suggest.labor',
      'lmp.suggest.3',
      'lmp.suggest.labor.0',
      'lmp.suggest.labor.01',
      'lmp.suggest.labor.1000000',
      'lmp.suggest.labor.-1',
      'lmp.layer.labor.3',
      'lmp.draft.3',
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
    expect(() => formatDocumentName({ negotiationId: 'n', kind: 'suggest', partyId: 'p' })).toThrow(
      RangeError,
    )
    for (const iteration of [0, 1.5, -1, 1_000_000, Number.NaN]) {
      expect(() =>
        formatDocumentName({ negotiationId: 'n', kind: 'suggest', partyId: 'p', iteration }),
      ).toThrow(RangeError)
    }
    expect(() =>
      formatDocumentName({ negotiationId: 'n', kind: 'layer', partyId: 'p', iteration: 1 }),
    ).toThrow(RangeError)
  })

  it("names a party's suggestion copy of an iteration", () => {
    expect(
      formatDocumentName({
        negotiationId: 'lmp',
        kind: 'suggest',
        partyId: 'labor',
        iteration: 12,
      }),
    ).toBe('lmp.suggest.labor.12')
  })
})
