/**
 * Words the UI uses for roles (docs/DOMAIN.md "Vocabulary").
 */
import type { Role } from '@onetext/shared/apiTypes'

/** Human label of each role. */
export const ROLE_LABELS: Record<Role, string> = {
  mediator: 'Mediator',
  'party-lead': 'Party lead',
  'party-member': 'Party member',
  'drafting-team': 'Drafting team',
  observer: 'Observer (local table)',
}
