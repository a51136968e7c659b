import { describe, expect, it } from "vitest";

import {
  renderLocation,
  renderNginxConfig,
  renderVirtualHost,
  sortLocations,
} from "../../scripts/nginx/render.ts";
import type { NginxConfig, NginxLocation } from "../../scripts/nginx/types.ts";

const locationCases: { name: string; location: NginxLocation; expected: string[] }[] = [
  {
    name: "proxyPass with recommended headers",
    location: { proxyPass: "http://frigate-api/" },
    expected: ["proxy_pass http://frigate-api/;", "include recommended-proxy-headers.conf;"],
  },
  {
    name: "websocket headers after proxy_pass",
    location: { proxyPass: "http://frigate-go2rtc/api/ws", proxyWebsockets: true },
    expected: [
      "proxy_pass http://frigate-go2rtc/api/ws;",
      "proxy_http_version 1.1;",
      "proxy_set_header Upgrade $http_upgrade;",
      "proxy_set_header Connection $connection_upgrade;",
      "include recommended-proxy-headers.conf;",
    ],
  },
  {
    name: "no recommended headers when off",
    location: { proxyPass: "http://127.0.0.1:4180/oauth2/auth", recommendedProxySettings: false },
    expected: ["proxy_pass http://127.0.0.1:4180/oauth2/auth;"],
  },
  {
    name: "static directives in NixOS order",
    location: {
      extraConfig: "expires off;",
      alias: "/var/cache/frigate/",
      root: "/web",
      tryFiles: "$uri /index.html",
      index: "index.html",
    },
    expected: [
      "index index.html;",
      "try_files $uri /index.html;",
      "root /web;",
      "alias /var/cache/frigate/;",
      "expires off;",
    ],
  },
  {
    name: "return as number",
    location: { return: 404 },
    expected: ["return 404;"],
  },
  {
    name: "extraConfig before the include",
    location: { proxyPass: "http://a", extraConfig: "auth_request /auth;" },
    expected: [
      "proxy_pass http://a;",
      "auth_request /auth;",
      "include recommended-proxy-headers.conf;",
    ],
  },
];

function bodyOf(rendered: string): string[] {
  return rendered
    .split("\n")
    .slice(1, -1)
    .map((line) => line.trim())
    .filter(Boolean);
}

describe("renderLocation", () => {
  it.each(locationCases)("renders $name", ({ location, expected }) => {
    const rendered = renderLocation("/x", location, true);

    expect(rendered.split("\n")[0]).toBe("location /x {");
    expect(rendered.split("\n").at(-1)).toBe("}");
    expect(bodyOf(rendered)).toEqual(expected);
  });

  it("omits the include when globally off", () => {
    expect(bodyOf(renderLocation("/x", { proxyPass: "http://a" }, false))).toEqual([
      "proxy_pass http://a;",
    ]);
  });
});

describe("sortLocations", () => {
  it("orders by priority then byte order", () => {
    const order = sortLocations({
      "/b": {},
      "~* \\.webmanifest$": {},
      "/A": {},
      "/a": { priority: 10 },
      "= /exact": {},
      "@named": { priority: 2000 },
    }).map(([path]) => path);

    expect(order).toEqual(["/a", "/A", "/b", "= /exact", "~* \\.webmanifest$", "@named"]);
  });
});

describe("renderVirtualHost", () => {
  it("listens on port 80 by default", () => {
    const server = renderVirtualHost("frigate.example.com", { locations: {} }, true);

    expect(server).toContain("listen 0.0.0.0:80;");
    expect(server).toContain("listen [::0]:80;");
    expect(server).toContain("server_name frigate.example.com;");
  });

  it("puts extraConfig after the locations", () => {
    const server = renderVirtualHost(
      "h",
      {
        listen: [{ addr: "127.0.0.1", port: 8080 }],
        extraConfig: "listen 127.0.0.1:5000;",
        locations: { "/": { return: 204 } },
      },
      true,
    );
    const lines = server.split("\n").map((line) => line.trim());

    expect(lines[1]).toBe("listen 127.0.0.1:8080;");
    expect(lines.indexOf("location / {")).toBeLessThan(lines.indexOf("listen 127.0.0.1:5000;"));
  });
});

describe("renderNginxConfig", () => {
  const config: NginxConfig = {
    recommendedProxySettings: true,
    recommendedGzipSettings: false,
    clientMaxBodySize: "10m",
    mapHashBucketSize: 128,
    upstreams: { "frigate-api": { servers: { "127.0.0.1:5001": {} } } },
    proxyCachePath: {
      frigate: {
        enable: true,
        keysZoneName: "frigate_api_cache",
        keysZoneSize: "10m",
        levels: "1:2",
        maxSize: "10m",
        inactive: "1m",
      },
    },
    appendHttpConfig: "map $a $b { default 1; }",
    appendConfig: "# top level",
    virtualHosts: { h: { locations: {} } },
  };
  const rendered = renderNginxConfig(config).main;

  it("renders upstreams and cache paths", () => {
    expect(rendered).toContain("upstream frigate-api {\n    server 127.0.0.1:5001;\n  }");
    expect(rendered).toContain(
      "proxy_cache_path /var/cache/nginx/frigate keys_zone=frigate_api_cache:10m levels=1:2 use_temp_path=off inactive=1m max_size=10m;",
    );
  });

  it("places appendHttpConfig after the servers", () => {
    expect(rendered.indexOf("server {")).toBeLessThan(rendered.indexOf("map $a $b"));
    expect(rendered.indexOf("map $a $b")).toBeLessThan(rendered.lastIndexOf("# top level"));
  });

  it("sets the http-level proxy defaults", () => {
    expect(rendered).toContain('proxy_set_header "Connection" "";');
    expect(rendered).toContain("map_hash_bucket_size 128;");
    expect(rendered).toContain("client_max_body_size 10m;");
    expect(rendered).toContain("map $http_upgrade $connection_upgrade {");
  });

  it("writes the recommended headers file", () => {
    const files = renderNginxConfig(config).files;

    expect(files["recommended-proxy-headers.conf"]).toContain("proxy_set_header Host $host;");
    expect(files["recommended-proxy-headers.conf"]).toContain(
      "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
    );
  });
});
