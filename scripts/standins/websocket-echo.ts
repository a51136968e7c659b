/**
 * Stand-in for the websocket upstreams behind Frigate's vhost: go2rtc
 * (127.0.0.1:1984: `/api/ws`, `/api/webrtc`, `/api/...`), Frigate's MQTT
 * websocket (127.0.0.1:5002, reached through `/ws`) and jsmpeg
 * (127.0.0.1:8082, `/live/jsmpeg/<camera>`). Ports and paths as read in
 * blakeblackshear/frigate v0.17.2, docker/main/rootfs/usr/local/nginx/conf/nginx.conf
 * and nixpkgs nixos/modules/services/video/frigate.nix.
 *
 * Contract the stand-in keeps (only what nginx must carry through, not the
 * upstreams' message formats):
 * - An HTTP request on any path gets 200 with the JSON echo of the request.
 * - A websocket upgrade on any path is accepted (101). The first message the
 *   server sends is a text message with the JSON echo of the upgrade request;
 *   after that every message is sent back unchanged (text as text, binary as binary).
 */
import { WebSocketServer } from "ws";
import type { WebSocket } from "ws";

import { describeRequest, sendJson } from "./echo.ts";
import { startStandIn } from "./server.ts";
import type { Fault, StandInHandle } from "./server.ts";

export interface WebSocketEchoOptions {
  /** Shown as `standIn` in every echo; for example "go2rtc", "mqtt-ws" or "jsmpeg". */
  name?: string;
  port?: number;
  /** Applies to plain HTTP requests only, because upgrades are accepted at once. */
  fault?: Fault;
}

export interface WebSocketEchoHandle extends StandInHandle {
  /** Websocket connections that are open now. */
  readonly openSockets: () => number;
}

/** Starts a websocket echo stand-in. */
export async function startWebSocketEcho(
  options: WebSocketEchoOptions = {},
): Promise<WebSocketEchoHandle> {
  const name = options.name ?? "websocket-echo";
  const webSockets = new WebSocketServer({ noServer: true });
  const clients = new Set<WebSocket>();

  const handle = await startStandIn({
    name,
    port: options.port,
    fault: options.fault,
    handleRequest: (request, response) => {
      sendJson(response, 200, describeRequest(name, request));
    },
    handleUpgrade: (request, incoming, socket, head) => {
      webSockets.handleUpgrade(incoming, socket, head, (client) => {
        clients.add(client);
        client.on("close", () => clients.delete(client));
        client.on("error", () => client.terminate());
        client.send(JSON.stringify(describeRequest(name, request)));
        client.on("message", (data, isBinary) => {
          client.send(data, { binary: isBinary });
        });
      });
    },
    onStop: () => {
      for (const client of clients) client.terminate();
      clients.clear();
      webSockets.close();
    },
  });

  return { ...handle, openSockets: () => clients.size };
}
