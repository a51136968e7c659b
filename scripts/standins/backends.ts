/**
 * Starts the stand-ins one verify scenario needs: Frigate's API, go2rtc,
 * Frigate's event websocket, jsmpeg, and the scenario's auth server.
 */
import type { Scenario, ScenarioUser } from "../verify/scenarios/index.ts";
import { authentikCookie, startAuthentik } from "./auth/authentik.ts";
import { autheliaCookie, startAuthelia } from "./auth/authelia.ts";
import { oauth2ProxyCookie, startOAuth2Proxy } from "./auth/oauth2-proxy.ts";
import type { SessionMap } from "./auth/session-users.ts";
import { startFrigateApi, type FrigateSession } from "./frigate-api.ts";
import type { StandIn } from "./server.ts";
import { startWebsocketEcho } from "./websocket-echo.ts";

export const frigateTokenCookie = "frigate_token";

export interface StandInSet {
  frigateApi: StandIn;
  go2rtc: StandIn;
  mqttWebsocket: StandIn;
  jsmpeg: StandIn;
  /** The forward-auth server; Frigate's API in Frigate mode. */
  auth: StandIn;
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

function sessionMap(scenario: Scenario): SessionMap {
  const map: SessionMap = {};
  for (const user of [scenario.users.admin, scenario.users.viewer]) {
    map[user.session] = {
      subject: user.subject,
      username: user.username,
      email: user.email,
      name: user.name,
      groups: user.groups,
    };
  }
  return map;
}

function cookieName(scenario: Scenario): string {
  switch (scenario.backend) {
    case "oauth2-proxy":
      return oauth2ProxyCookie;
    case "authelia":
      return autheliaCookie;
    case "authentik":
      return authentikCookie;
    case "frigate":
      return frigateTokenCookie;
  }
}

export async function startStandIns(
  scenario: Scenario,
  options: StartStandInsOptions,
): Promise<StandInSet> {
  const started: StandIn[] = [];
  const track = async (server: Promise<StandIn>) => {
    const handle = await server;
    started.push(handle);
    return handle;
  };
  const stopAll = async () => {
    await Promise.all(started.map((server) => server.stop()));
    started.length = 0;
  };

  try {
    const frigateSessions: Record<string, FrigateSession> = {};
    for (const user of [scenario.users.admin, scenario.users.viewer]) {
      frigateSessions[user.session] = { user: user.username, role: user.expectedRole };
    }

    const frigateApi = await track(
      startFrigateApi({ sessions: frigateSessions, internalPort: options.internalPort }),
    );
    const go2rtc = await track(startWebsocketEcho("go2rtc"));
    const mqttWebsocket = await track(startWebsocketEcho("frigate-mqtt-ws"));
    const jsmpeg = await track(startWebsocketEcho("jsmpeg"));

    const sessions = sessionMap(scenario);
    let auth: StandIn;
    switch (scenario.backend) {
      case "oauth2-proxy":
        auth = await track(startOAuth2Proxy({ sessions }));
        break;
      case "authelia":
        auth = await track(startAuthelia({ sessions, portalUrl: options.autheliaPortal }));
        break;
      case "authentik":
        auth = await track(startAuthentik({ sessions }));
        break;
      case "frigate":
        auth = frigateApi;
        break;
    }

    const cookie = cookieName(scenario);
    return {
      frigateApi,
      go2rtc,
      mqttWebsocket,
      jsmpeg,
      auth,
      sessionHeaders: (user) => ({ Cookie: `${cookie}=${user.session}` }),
      stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
