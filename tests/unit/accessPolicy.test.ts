/**
 * The authorization policy as one matrix: every role against every command and every document
 * kind, decided by AccessPolicy (the one place), with every refusal recorded in the audit log.
 */
import type { Role } from '@onetext/shared/apiTypes'
import { describe, expect, it } from 'vitest'
import { AccessPolicy, type Asker } from '../../server/src/access/AccessPolicy'
import { COMMANDS, type Command } from '../../server/src/access/commands'
import { documentAccess } from '../../server/src/access/documentAccess'
import type { AuditEntryInput, AuditLog } from '../../server/src/storage/AuditLog'
import type { Directory, MemberRecord } from '../../server/src/storage/Directory'
import type { SupplementStore } from '../../server/src/storage/SupplementStore'

const ROLES: Role[] = ['mediator', 'party-lead', 'party-member', 'drafting-team', 'observer']

/** Who may ask for each command: M mediator, L lead, P party member, D drafting team, O observer. */
const EXPECTED: Record<Command, string> = {
  'read-negotiation': 'MLPDO',
  'read-iterations': 'MLPDO',
  'read-unpublished': 'MLPD',
  export: 'MLPDO',
  'read-clauses': 'MLPD',
  'read-clause-record': 'MLPD',
  'manage-members': 'M',
  'change-settings': 'M',
  'read-audit': 'M',
  circulate: 'M',
  publish: 'M',
  signoff: 'L',
  'request-reopen': 'ML',
  'consent-reopen': 'L',
  'read-suggestions': 'MLPDO',
  'share-suggestions': 'L',
  'decide-suggestion': 'M',
  'open-vote': 'M',
  'cast-ballot': 'LPD',
  'set-vote-stance': 'L',
  'close-vote': 'M',
  'start-supplement': 'O',
  'read-supplements': 'MLPDO',
}
const LETTER: Record<Role, string> = {
  mediator: 'M',
  'party-lead': 'L',
  'party-member': 'P',
  'drafting-team': 'D',
  observer: 'O',
}

/**
 * The document matrix (own party "labor"; "mgmt" is another party) with "open drafting" off, the
 * default; with it on, party leads and members also read the working draft. `suggest.<party>.2`:
 * the party's suggestion copy of Single Text 2.
 */
const DOCUMENTS: Record<Role, Record<string, string>> = {
  mediator: {
    draft: 'write',
    'layer.labor': 'read',
    'layer.mgmt': 'read',
    'caucus.labor': 'none',
    'caucus.mgmt': 'none',
    table: 'write',
    status: 'read',
    'suggest.labor.2': 'read',
    'suggest.mgmt.2': 'read',
  },
  'party-lead': {
    draft: 'none',
    'layer.labor': 'write',
    'layer.mgmt': 'none',
    'caucus.labor': 'write',
    'caucus.mgmt': 'none',
    table: 'write',
    status: 'read',
    'suggest.labor.2': 'write',
    'suggest.mgmt.2': 'none',
  },
  'party-member': {
    draft: 'none',
    'layer.labor': 'write',
    'layer.mgmt': 'none',
    'caucus.labor': 'write',
    'caucus.mgmt': 'none',
    table: 'write',
    status: 'read',
    'suggest.labor.2': 'write',
    'suggest.mgmt.2': 'none',
  },
  'drafting-team': {
    draft: 'write',
    'layer.labor': 'write',
    'layer.mgmt': 'none',
    'caucus.labor': 'write',
    'caucus.mgmt': 'none',
    table: 'write',
    status: 'read',
    'suggest.labor.2': 'write',
    'suggest.mgmt.2': 'none',
  },
  observer: {
    draft: 'none',
    'layer.labor': 'none',
    'layer.mgmt': 'none',
    'caucus.labor': 'none',
    'caucus.mgmt': 'none',
    table: 'none',
    status: 'none',
    'suggest.labor.2': 'none',
    'suggest.mgmt.2': 'none',
  },
}

function memberOf(role: Role): MemberRecord {
  const party = role === 'mediator' || role === 'observer' ? null : 'labor'
  return { negotiationId: 'n', userId: `u-${role}`, role, partyId: party }
}

/** A policy over one negotiation "n" whose members are one account per role. */
function policyWith(organizers: string[] = [], demo = false) {
  const recorded: AuditEntryInput[] = []
  const audit = { record: (entry: AuditEntryInput) => recorded.push(entry) } as unknown as AuditLog
  const directory = {
    findSessionUser: async () => null,
    findMember: async (negotiationId: string, userId: string) => {
      const role = ROLES.find((candidate) => `u-${candidate}` === userId)
      return negotiationId === 'n' && role ? memberOf(role) : null
    },
  } as unknown as Directory
  const policy = new AccessPolicy(directory, audit, {} as SupplementStore, organizers, demo)
  return { policy, recorded }
}

/** An asker signed in as `userId` (the policy's session lookup is replaced below). */
function asker(): Asker {
  return {
    raw: { headers: {} } as Asker['raw'],
    method: 'POST',
    path: '/api/x',
    address: '10.0.0.1',
  }
}

describe('the authorization policy', () => {
  it('decides every command for every role as the matrix says, and records each refusal', async () => {
    for (const role of ROLES) {
      for (const command of COMMANDS) {
        const { policy, recorded } = policyWith()
        policy.user = async () => ({
          id: `u-${role}`,
          email: `${role}@x.test`,
          name: role,
          passwordHash: '',
        })
        const allowed = EXPECTED[command].includes(LETTER[role])
        const outcome = await policy.require(asker(), 'n', command).then(
          () => 200,
          (error: { status: number }) => error.status,
        )
        expect(outcome, `${role} ${command}`).toBe(allowed ? 200 : 403)
        expect(recorded.length, `${role} ${command} recorded`).toBe(allowed ? 0 : 1)
        if (!allowed) {
          expect(recorded[0]).toMatchObject({
            action: 'request-refused',
            negotiationId: 'n',
            userId: `u-${role}`,
            address: '10.0.0.1',
            detail: { command, status: 403 },
          })
        }
      }
    }
    expect(Object.keys(EXPECTED).sort()).toEqual([...COMMANDS].sort())
  })

  it('answers 404 to a non-member, the same as for no negotiation, and records it', async () => {
    const { policy, recorded } = policyWith()
    policy.user = async () => ({ id: 'stranger', email: 's@x.test', name: 's', passwordHash: '' })
    const outcome = await policy.require(asker(), 'n', 'read-negotiation').catch((error) => error)
    expect(outcome.status).toBe(404)
    expect(recorded[0]).toMatchObject({ action: 'request-refused', detail: { status: 404 } })
  })

  it('lets only organizers start negotiations (ORGANIZERS in any case, and the demo’s mediator)', async () => {
    const { policy, recorded } = policyWith(['Chair@Example.org'], true)
    for (const [email, allowed] of [
      ['chair@example.org', true],
      ['CHAIR@EXAMPLE.ORG', true],
      ['mediator@demo.test', true],
      ['observer@demo.test', false],
      ['someone@example.org', false],
    ] as const) {
      policy.user = async () => ({ id: email, email, name: email, passwordHash: '' })
      const outcome = await policy.organizer(asker()).then(
        () => 200,
        (error) => error.status,
      )
      expect(outcome, email).toBe(allowed ? 200 : 403)
    }
    expect(recorded.map((entry) => entry.detail?.command)).toEqual([
      'start-negotiation',
      'start-negotiation',
    ])
    const noDemo = policyWith([], false).policy
    expect(noDemo.isOrganizer('mediator@demo.test')).toBe(false)
  })

  it('gives each role the document access of the matrix, with open drafting off and on', () => {
    for (const openDrafting of [false, true]) {
      for (const role of ROLES) {
        for (const [name, closed] of Object.entries(DOCUMENTS[role])) {
          const [kind, partyId, iteration] = name.split('.') as ['draft', string?, string?]
          const ref = {
            negotiationId: 'n',
            kind,
            ...(partyId ? { partyId } : {}),
            ...(iteration ? { iteration: Number(iteration) } : {}),
          }
          const tableReads = role === 'party-lead' || role === 'party-member'
          const access = openDrafting && kind === 'draft' && tableReads ? 'read' : closed
          expect(
            documentAccess(memberOf(role), ref, { openDrafting }),
            `${role} ${name} open drafting ${openDrafting}`,
          ).toBe(access)
        }
      }
    }
  })
})
