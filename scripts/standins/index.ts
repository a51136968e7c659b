/**
 * Starts the set of stand-in servers one forward-auth backend needs: the
 * Frigate API, the three websocket upstreams (go2rtc, Frigate's MQTT
 * websocket, jsmpeg) and, for an SSO backend, its auth server.
 */
import { UsageError } from "../lib/errors.ts";
import { startAuthelia } from "./auth/authelia.ts";
import type { AutheliaOptions } from "./auth/authelia.ts";
import { startAuthentik } from "./auth/authentik.ts";
import type { AuthentikOptions } from "./auth/authentik.ts";
import { startOAuth2Proxy } from "./auth/oauth2-proxy.ts";
import type { OAuth2ProxyOptions } from "./auth/oauth2-proxy.ts";
import type { AuthSessions, AuthStandInHandle } from "./auth/session.ts";
import { startFrigateApi } from "./frigate-api.ts";
import type { FrigateApiHandle, FrigateApiOptions } from "./frigate-api.ts";
import type { StandInHandle } from "./server.ts";
import { startWebSocketEcho } from "./websocket-echo.ts";
import type { WebSocketEchoHandle } from "./websocket-echo.ts";

export const backends = ["frigate", "oauth2-proxy", "authelia", "authentik"] as const;

/** The authentication backend: Frigate itself, or one of the forward-auth servers. */
export type Backend = (typeof backends)[number];

export interface StartStandInsOptions {
  /** Sessions for the auth server (ignored for the "frigate" backend). */
  sessions?: AuthSessions;
  frigateApi?: FrigateApiOptions;
  oauth2Proxy?: OAuth2ProxyOptions;
  authelia?: AutheliaOptions;
  authentik?: AuthentikOptions;
  /** Fixed ports by role; every role defaults to 0 (a free port). */
  ports?: Partial<Record<"frigateApi" | "go2rtc" | "mqttWebSocket" | "jsmpeg" | "auth", number>>;
}

export interface StandInSet {
  backend: Backend;
  frigateApi: FrigateApiHandle;
  go2rtc: WebSocketEchoHandle;
  mqttWebSocket: WebSocketEchoHandle;
  jsmpeg: WebSocketEchoHandle;
  /** The forward-auth server; undefined for the "frigate" backend. */
  auth: AuthStandInHandle | undefined;
  /** Every started server, for reset and stop. */
  all: StandInHandle[];
}

/**
 * Starts the stand-ins `backend` needs. When one fails to start, the ones already
 * started are stopped before the error is raised.
 */
export async function startStandIns(
  backend: Backend,
  options: StartStandInsOptions = {},
): Promise<StandInSet> {
  if (!backends.includes(backend)) {
    throw new UsageError(`unknown backend "${String(backend)}"`, {
      hint: `use one of: ${backends.join(", ")}`,
    });
  }

  const started: StandInHandle[] = [];
  const track = async <T extends StandInHandle>(handle: Promise<T>): Promise<T> => {
    const ready = await handle;
    started.push(ready);
    return ready;
  };
  const ports = options.ports ?? {};

  try {
    const frigateApi = await track(
      startFrigateApi({
        ...options.frigateApi,
        port: ports.frigateApi ?? options.frigateApi?.port,
      }),
    );
    const go2rtc = await track(startWebSocketEcho({ name: "go2rtc", port: ports.go2rtc }));
    const mqttWebSocket = await track(
      startWebSocketEcho({ name: "mqtt-ws", port: ports.mqttWebSocket }),
    );
    const jsmpeg = await track(startWebSocketEcho({ name: "jsmpeg", port: ports.jsmpeg }));
    const auth = await startAuthServer(backend, options, ports.auth);
    if (auth) started.push(auth);

    return { backend, frigateApi, go2rtc, mqttWebSocket, jsmpeg, auth, all: [...started] };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

function startAuthServer(
  backend: Backend,
  options: StartStandInsOptions,
  port: number | undefined,
): Promise<AuthStandInHandle> | undefined {
  const sessions = options.sessions;
  switch (backend) {
    case "frigate":
      return undefined;
    case "oauth2-proxy":
      return startOAuth2Proxy({
        sessions,
        ...options.oauth2Proxy,
        port: port ?? options.oauth2Proxy?.port,
      });
    case "authelia":
      return startAuthelia({ sessions, ...options.authelia, port: port ?? options.authelia?.port });
    case "authentik":
      return startAuthentik({
        sessions,
        ...options.authentik,
        port: port ?? options.authentik?.port,
      });
  }
}

/** Stops every stand-in in a set (or list), all at once, and waits for each to close. */
export async function stopAll(standIns: StandInSet | readonly StandInHandle[]): Promise<void> {
  const handles = "all" in standIns ? standIns.all : standIns;
  await Promise.all(handles.map((handle) => handle.stop()));
}

export { startAuthelia, startAuthentik, startFrigateApi, startOAuth2Proxy, startWebSocketEcho };
export type { AuthSession, AuthSessions, AuthStandInHandle } from "./auth/session.ts";
export type { FrigateAuthConfig, FrigateSession } from "./frigate-api.ts";
export type { Fault, RecordedRequest, StandInHandle } from "./server.ts";
export type { RequestEcho } from "./echo.ts";
