/**
 * What each staff role may do on the admin pages. Every route names what it
 * needs, and admin.ts refuses (403) a caller whose role does not allow it
 * before the route runs; pages hide what the viewer cannot use.
 *
 *   view    the dashboard; signing out          every role
 *   kb      the knowledge base and the gaps     editor, admin
 *   desk    the conversations and their files   agent, admin
 *   privacy forgetting and exporting customers  admin
 *   staff   the staff accounts                  admin
 */
import type { StaffRole } from '../../store/store.js';

export type Permission = 'view' | 'kb' | 'desk' | 'privacy' | 'staff';

const ALLOWED: Readonly<Record<StaffRole, readonly Permission[]>> = {
  editor: ['view', 'kb'],
  agent: ['view', 'desk'],
  admin: ['view', 'kb', 'desk', 'privacy', 'staff'],
};

export function may(role: StaffRole, need: Permission): boolean {
  return ALLOWED[role].includes(need);
}

/** Why a role is refused, for the 403 page. */
export function refusal(role: StaffRole, need: Permission): string {
  const what: Record<Permission, string> = {
    view: 'see the admin pages',
    kb: 'change the knowledge base (editors and admins do)',
    desk: 'work the conversations (agents and admins do)',
    privacy: "forget or export a customer's data (admins do)",
    staff: 'manage the staff accounts (admins do)',
  };
  return `Your role (${role}) does not let you ${what[need]}. Ask an admin if you need it.`;
}
