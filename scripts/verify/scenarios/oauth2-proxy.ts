import type { Scenario } from "./types.ts";

/**
 * The bundled example: oauth2-proxy in front of Kanidm. oauth2-proxy sends the
 * OIDC `sub` as X-Auth-Request-User, so the readable name comes from
 * X-Auth-Request-Preferred-Username (Kanidm's short name with
 * preferShortUsername). Everybody is admin unless in the viewers group.
 */
export const oauth2ProxyScenario: Scenario = {
  backend: "oauth2-proxy",
  title: "oauth2-proxy in front of Kanidm",
  nginx: {
    // Short, so that the slow-auth-server check ends quickly.
    authRequestTimeout: 3,
    authRequestUrl: "http://127.0.0.1:4180/oauth2/auth",
    signInUrl: "/oauth2/sign_in",
    signOutUrl: "/oauth2/sign_out",
    reverseProxy: {
      userHeader: "X-Auth-Request-Preferred-Username",
      roleHeader: null,
      groupsHeader: "X-Auth-Request-Groups",
      emailHeader: "X-Auth-Request-Email",
      defaultRole: "admin",
      roleMap: { viewer: ["frigate_viewers@idm.example.com"] },
    },
  },
  users: {
    admin: {
      session: "oauth2-session-alice",
      subject: "4d0b9a3e-2f6c-4a1e-9d57-0c7e1b2a5f10",
      username: "alice",
      email: "alice@example.com",
      name: "Alice",
      groups: ["frigate_users@idm.example.com"],
      expectedRole: "admin",
    },
    viewer: {
      session: "oauth2-session-bob",
      subject: "9b6f1c2d-7e3a-4b8c-a0d1-5e2f3a4b6c7d",
      username: "bob",
      email: "bob@example.com",
      name: "Bob",
      groups: ["frigate_users@idm.example.com", "frigate_viewers@idm.example.com"],
      expectedRole: "viewer",
    },
  },
  signInPrefix: "/oauth2/sign_in?rd=",
};
