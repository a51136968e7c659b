/**
 * Starts the stand-ins one verify scenario needs (Frigate's API, go2rtc,
 * Frigate's event websocket, jsmpeg and the scenario's auth server) with the
 * scenario's users as sessions.
 */
import type { Scenario, ScenarioUser } from "../verify/scenarios/index.ts";
import type { AuthSessions } from "./auth/session.ts";
import type { FrigateSession } from "./frigate-api.ts";
import { startStandIns as startBackend, stopAll as stopStandIns } from "./index.ts";
import type { StandInHandle } from "./server.ts";

export const frigateTokenCookie = "frigate_token";

export interface StandInSet {
  frigateApi: StandInHandle;
  go2rtc: StandInHandle;
  mqttWebsocket: StandInHandle;
  jsmpeg: StandInHandle;
  /** The forward-auth server; Frigate's API in Frigate mode. */
  auth: StandInHandle;
  /** The Cookie header that carries a user's session. */
  sessionHeaders(user: ScenarioUser): Record<string, string>;
  /** Stops every stand-in that is still running. */
  stopAll(): Promise<void>;
}

export interface StartStandInsOptions {
  /** Port of nginx's internal listener (Frigate's 127.0.0.1:5000). */
  internalPort: number;
  /** Portal URL for Authelia's 401 Location. */
  autheliaPortal?: string;
}

function scenarioUsers(scenario: Scenario): ScenarioUser[] {
  return [scenario.users.admin, scenario.users.viewer];
}

export async function startStandIns(
  scenario: Scenario,
  options: StartStandInsOptions,
): Promise<StandInSet> {
  const sessions: AuthSessions = {};
  const frigateSessions: Record<string, FrigateSession> = {};
  for (const user of scenarioUsers(scenario)) {
    // Authelia names the user by its username; oauth2-proxy and authentik by
    // the OIDC subject, with the readable name as preferred username.
    sessions[user.session] = {
      user: scenario.backend === "authelia" ? user.username : user.subject,
      preferredUsername: user.username,
      email: user.email || undefined,
      name: user.name || undefined,
      groups: user.groups,
    };
    frigateSessions[user.session] = { user: user.username, role: user.expectedRole };
  }

  const set = await startBackend(scenario.backend, {
    sessions,
    frigateApi: {
      sessions: frigateSessions,
      config: { networking: { listen: { internal: options.internalPort } } },
    },
    authelia: { portalUrl: options.autheliaPortal },
  });

  const auth = set.auth ?? set.frigateApi;
  const cookie = set.auth?.cookieName ?? frigateTokenCookie;
  return {
    frigateApi: set.frigateApi,
    go2rtc: set.go2rtc,
    mqttWebsocket: set.mqttWebSocket,
    jsmpeg: set.jsmpeg,
    auth,
    sessionHeaders: (user) => ({ Cookie: `${cookie}=${user.session}` }),
    stopAll: () => stopStandIns(set),
  };
}
