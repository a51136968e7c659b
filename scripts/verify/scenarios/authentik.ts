import type { Scenario } from "./types.ts";

/**
 * authentik's proxy outpost in forward-auth mode. Groups arrive pipe-joined in
 * X-authentik-groups, and group names may contain spaces.
 */
export const authentikScenario: Scenario = {
  backend: "authentik",
  title: "authentik outpost (forward auth)",
  nginx: {
    // Short, so that the slow-auth-server check ends quickly.
    authRequestTimeout: 3,
    authRequestUrl: "http://127.0.0.1:9000/outpost.goauthentik.io/auth/nginx",
    signInUrl: "/outpost.goauthentik.io/start",
    signOutUrl: "/outpost.goauthentik.io/sign_out",
    reverseProxy: {
      userHeader: "X-authentik-username",
      roleHeader: null,
      groupsHeader: "X-authentik-groups",
      emailHeader: "X-authentik-email",
      nameHeader: "X-authentik-name",
      separator: "|",
      defaultRole: "viewer",
      roleMap: { admin: ["authentik Admins"] },
    },
  },
  users: {
    admin: {
      session: "authentik-session-alice",
      subject: "a1b2c3",
      username: "alice",
      email: "alice@example.com",
      name: "Alice",
      groups: ["authentik Admins", "Frigate Users"],
      expectedRole: "admin",
    },
    viewer: {
      session: "authentik-session-bob",
      subject: "d4e5f6",
      username: "bob",
      email: "bob@example.com",
      name: "Bob",
      groups: ["Frigate Users"],
      expectedRole: "viewer",
    },
  },
  signInPrefix: "/outpost.goauthentik.io/start?rd=",
};
