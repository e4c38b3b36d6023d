/** Who is asking. Anonymous citizens, developers with a key, the steering team, admins. */
export type Role = 'anonymous' | 'developer' | 'steering' | 'admin';

export interface Viewer {
  role: Role;
  /** API key id or token subject, for audit and rate limits */
  subject?: string;
}

export const anonymous: Viewer = { role: 'anonymous' };

const rank: Record<Role, number> = { anonymous: 0, developer: 1, steering: 2, admin: 3 };

export function hasRole(viewer: Viewer, atLeast: Role): boolean {
  return rank[viewer.role] >= rank[atLeast];
}
