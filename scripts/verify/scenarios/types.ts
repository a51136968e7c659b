/**
 * A verify scenario: one forward-auth backend, the services.frigate.nginx
 * values that put it in front of Frigate, and the users of its stand-in auth server.
 */
import type { FrigateNginxOptions } from "../../generated/options.ts";

export const backendNames = ["oauth2-proxy", "authelia", "authentik", "frigate"] as const;
export type BackendName = (typeof backendNames)[number];

/** A user account at the identity provider. */
export interface ScenarioUser {
  /** Cookie value of the user's session at the auth server. */
  session: string;
  /** Opaque subject (oauth2-proxy's X-Auth-Request-User). */
  subject: string;
  username: string;
  email: string;
  name: string;
  groups: string[];
  /** Frigate role this user must end up with. */
  expectedRole: string;
}

export interface Scenario {
  backend: BackendName;
  title: string;
  /** services.frigate.nginx; the origin of authRequestUrl is replaced by the stand-in's. */
  nginx: FrigateNginxOptions;
  /** services.frigate.settings, for custom roles. */
  settings?: Record<string, unknown>;
  users: { admin: ScenarioUser; viewer: ScenarioUser };
  /** Location prefix for a request without a session; null for Frigate's own login. */
  signInPrefix: string | null;
}
