import type { Scenario } from "./types.ts";

/**
 * No SSO: nginx sends the auth subrequest to Frigate's own /auth, which accepts Frigate's JWT in the
 * frigate_token cookie. This is the stock module's behaviour.
 */
export const frigateScenario: Scenario = {
  backend: "frigate",
  title: "Frigate's own login (no SSO)",
  nginx: {},
  users: {
    admin: {
      session: "frigate-jwt-alice",
      subject: "alice",
      username: "alice",
      email: "",
      name: "",
      groups: [],
      expectedRole: "admin",
    },
    viewer: {
      session: "frigate-jwt-bob",
      subject: "bob",
      username: "bob",
      email: "",
      name: "",
      groups: [],
      expectedRole: "viewer",
    },
  },
  signInPrefix: null,
};
