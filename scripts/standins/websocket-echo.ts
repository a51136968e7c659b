/**
 * Stand-in for go2rtc (127.0.0.1:1984), Frigate's event websocket
 * (127.0.0.1:5002) and jsmpeg (127.0.0.1:8082). A plain GET is echoed as
 * JSON. A websocket upgrade on any path is accepted: the first message is the
 * JSON echo of the upgrade request, and later messages are echoed back.
 */
import { WebSocketServer } from "ws";

import { echoOf, sendJson, startStandIn, type StandIn } from "./server.ts";

export function startWebsocketEcho(name: string, port?: number): Promise<StandIn> {
  const websockets = new WebSocketServer({ noServer: true });

  return startStandIn({
    name,
    port,
    handler: ({ recorded }, response) => sendJson(response, 200, echoOf(recorded)),
    onUpgrade: (request, socket, head, recorded) => {
      websockets.handleUpgrade(request, socket, head, (websocket) => {
        websocket.send(JSON.stringify(echoOf(recorded)));
        websocket.on("message", (data, isBinary) => websocket.send(data, { binary: isBinary }));
      });
    },
  });
}
