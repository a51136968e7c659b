/** Types shared by the forward-auth stand-ins (oauth2-proxy, Authelia, authentik). */
import { readCookie } from "../cookies.ts";
import type { Fault, StandInHandle, StandInRequest } from "../server.ts";

/** A signed-in user as the identity provider describes them. */
export interface AuthSession {
  /** The stable user id: the OIDC `sub` for oauth2-proxy and authentik, the username for Authelia. */
  user: string;
  preferredUsername?: string;
  email?: string;
  /** Display name. */
  name?: string;
  groups: string[];
  /** authentik application entitlements; the other servers ignore them. */
  entitlements?: string[];
}

/** Session cookie value to the user it stands for. */
export type AuthSessions = Record<string, AuthSession>;

export interface AuthStandInOptions {
  port?: number;
  sessions?: AuthSessions;
  /** Delay in milliseconds before each response; the whole body is read first. */
  delayMs?: number;
  /** Respond to every request with 500. */
  fail?: boolean;
}

export interface AuthStandInHandle extends StandInHandle {
  /** Name of the session cookie the stand-in reads. */
  readonly cookieName: string;
}

export function faultOf(options: AuthStandInOptions): Fault {
  return { delayMs: options.delayMs, fail: options.fail };
}

/** Looks up the session named by the cookie `cookieName`, or returns undefined. */
export function findSession(
  request: StandInRequest,
  sessions: AuthSessions,
  cookieName: string,
): AuthSession | undefined {
  const value = readCookie(request, cookieName);
  if (value === undefined || !Object.hasOwn(sessions, value)) return undefined;

  return sessions[value];
}
