/**
 * The role Frigate should receive for a user, computed from the documented
 * meaning of services.frigate.nginx.reverseProxy (not from the generated
 * nginx maps), so that verify can judge user configurations it has no
 * expected roles for.
 */
import type { FrigateNginxOptions } from "../generated/options.ts";

export interface IdentityClaims {
  /** Value of the role header, if the auth server sends one. */
  role?: string;
  groups: string[];
}

/**
 * Applies the rules in order. A group listed in roleMap picks its role, admin
 * first, then custom roles by name, then viewer. Otherwise a role header that
 * names a known role is used as it is, and otherwise the default role.
 */
export function expectedRole(
  options: FrigateNginxOptions,
  claims: IdentityClaims,
  customRoles: string[] = [],
): string {
  const proxy = options.reverseProxy ?? {};
  const separator = proxy.separator ?? ",";
  const roleHeader = proxy.roleHeader === undefined ? "Remote-Role" : proxy.roleHeader;
  const roleMap = proxy.roleMap ?? {};
  const known = ["admin", "viewer", ...customRoles];

  const elements = new Set<string>();
  if (proxy.groupsHeader) {
    for (const group of claims.groups.join(separator).split(separator)) elements.add(group);
  }
  if (roleHeader && claims.role !== undefined) {
    for (const element of claims.role.split(separator)) elements.add(element);
  }

  const custom = Object.keys(roleMap)
    .filter((role) => role !== "admin" && role !== "viewer")
    .sort();
  for (const role of ["admin", ...custom, "viewer"]) {
    if ((roleMap[role] ?? []).some((group) => elements.has(group))) return role;
  }

  if (roleHeader && claims.role !== undefined && known.includes(claims.role)) return claims.role;

  return proxy.defaultRole ?? "viewer";
}
