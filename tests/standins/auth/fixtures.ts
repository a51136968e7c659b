/** Sessions shared by the auth stand-in tests. */
import type { AuthSessions } from "../../../scripts/standins/auth/session.ts";

export const sessions: AuthSessions = {
  "cookie-alice": {
    user: "3f1c0a9e-sub-alice",
    preferredUsername: "alice",
    email: "alice@example.test",
    name: "Alice Admin",
    groups: ["frigate-admins", "staff"],
  },
  "cookie-bob": {
    user: "bob",
    groups: [],
  },
};
