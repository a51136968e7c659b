import type { Scenario } from "./types.ts";

/**
 * Authelia's AuthRequest endpoint. It returns 401 with a Location to its
 * portal, so no signInUrl is needed. Groups come comma-joined in Remote-Groups.
 */
export const autheliaScenario: Scenario = {
  backend: "authelia",
  title: "Authelia (AuthRequest endpoint)",
  nginx: {
    // Short, so that the slow-auth-server check ends quickly.
    authRequestTimeout: 3,
    authRequestUrl: "http://127.0.0.1:9091/api/authz/auth-request",
    signOutUrl: "https://auth.example.com/logout",
    reverseProxy: {
      userHeader: "Remote-User",
      roleHeader: null,
      groupsHeader: "Remote-Groups",
      emailHeader: "Remote-Email",
      nameHeader: "Remote-Name",
      defaultRole: "viewer",
      roleMap: { admin: ["frigate-admins"] },
    },
  },
  users: {
    admin: {
      session: "authelia-session-alice",
      subject: "alice",
      username: "alice",
      email: "alice@example.com",
      name: "Alice Example",
      groups: ["users", "frigate-admins"],
      expectedRole: "admin",
    },
    viewer: {
      session: "authelia-session-bob",
      subject: "bob",
      username: "bob",
      email: "bob@example.com",
      name: "Bob Example",
      groups: ["users"],
      expectedRole: "viewer",
    },
  },
  signInPrefix: "https://auth.example.com/?rd=",
};
