/**
 * Renders nginx.conf from the `services.nginx` options the way the NixOS
 * nginx module does, so that real nginx can run the Frigate vhost outside
 * NixOS. Rules follow nixos/modules/services/web-servers/nginx/default.nix in
 * NixOS/nixpkgs (nixos-unstable, 2026): the file's `configFile` for the
 * top-level and http layout, `mkLocations` for the order of directives inside
 * a location, `recommendedProxyConfig` for the per-location proxy headers.
 * Only the options the Frigate module sets are rendered; SSL, ACME, basic
 * auth and fastcgi are out of scope.
 */
import type { NginxConfig, NginxListen, NginxLocation, NginxVirtualHost } from "./types.ts";

/** Paths and defaults that differ between a NixOS host and a test prefix. */
export interface RenderEnvironment {
  pidFile: string;
  errorLog: string;
  /** Directory of the per-name proxy_cache_path directories (NixOS: /var/cache/nginx). */
  proxyCacheDirectory: string;
  /** File the per-location `include` of the recommended proxy headers points to. */
  recommendedProxyHeadersFile: string;
  /** NixOS default for services.nginx.proxyTimeout. */
  proxyTimeout: string;
  /** Directives placed first at the top level. */
  mainPrelude: string[];
  /** Directives placed first in the http block (the test prefix's temp paths). */
  httpPrelude: string[];
}

export const nixosEnvironment: RenderEnvironment = {
  pidFile: "/run/nginx/nginx.pid",
  errorLog: "stderr",
  proxyCacheDirectory: "/var/cache/nginx",
  recommendedProxyHeadersFile: "recommended-proxy-headers.conf",
  proxyTimeout: "60s",
  mainPrelude: [],
  httpPrelude: [],
};

export interface RenderedConfig {
  /** nginx.conf */
  main: string;
  /** Other files by name, written beside nginx.conf. */
  files: Record<string, string>;
}

/** The headers NixOS sets in each proxied location when recommendedProxySettings is on. */
export const recommendedProxyHeaders = [
  "proxy_set_header Host $host;",
  "proxy_set_header X-Real-IP $remote_addr;",
  "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;",
  "proxy_set_header X-Forwarded-Proto $scheme;",
  "proxy_set_header X-Forwarded-Host $host;",
  "proxy_set_header X-Forwarded-Server $host;",
].join("\n");

function indent(text: string, depth: number): string {
  const pad = "  ".repeat(depth);
  return text
    .split("\n")
    .map((line) => (line.trim() === "" ? "" : pad + line.trimEnd()))
    .join("\n");
}

function block(header: string, body: string[], depth = 0): string {
  const inner = body.filter((part) => part.trim() !== "").map((part) => indent(part, depth + 1));
  return [`${"  ".repeat(depth)}${header} {`, ...inner, `${"  ".repeat(depth)}}`].join("\n");
}

/**
 * Sorts locations as NixOS does: by `priority` (default 1000), then by path in
 * the byte order Nix uses for attribute names.
 */
export function sortLocations(locations: Record<string, NginxLocation>): [string, NginxLocation][] {
  return Object.entries(locations).sort(([pathA, a], [pathB, b]) => {
    const priority = (a.priority ?? 1000) - (b.priority ?? 1000);
    if (priority !== 0) return priority;
    return Buffer.compare(Buffer.from(pathA), Buffer.from(pathB));
  });
}

/**
 * Renders one location in NixOS's order: proxy_pass, the websocket headers,
 * index, try_files, root, alias, return, extraConfig, then the include of the
 * recommended proxy headers (only for proxied locations).
 */
export function renderLocation(
  path: string,
  location: NginxLocation,
  recommendedProxySettings: boolean,
  environment: RenderEnvironment = nixosEnvironment,
): string {
  const lines: string[] = [];
  const proxied = location.proxyPass !== undefined && location.proxyPass !== null;

  if (proxied) lines.push(`proxy_pass ${location.proxyPass};`);
  if (location.proxyWebsockets) {
    lines.push(
      "proxy_http_version 1.1;",
      "proxy_set_header Upgrade $http_upgrade;",
      "proxy_set_header Connection $connection_upgrade;",
    );
  }
  if (location.index) lines.push(`index ${location.index};`);
  if (location.tryFiles) lines.push(`try_files ${location.tryFiles};`);
  if (location.root) lines.push(`root ${location.root};`);
  if (location.alias) lines.push(`alias ${location.alias};`);
  if (location.return !== undefined && location.return !== null) {
    lines.push(`return ${String(location.return)};`);
  }
  if (location.extraConfig) lines.push(location.extraConfig);

  const recommended = location.recommendedProxySettings ?? recommendedProxySettings;
  if (proxied && recommended) lines.push(`include ${environment.recommendedProxyHeadersFile};`);

  return block(`location ${path}`, lines);
}

function renderListen(listen: NginxListen): string {
  const address =
    listen.addr.includes(":") && !listen.addr.startsWith("[") ? `[${listen.addr}]` : listen.addr;
  const port = listen.port ?? (listen.ssl ? 443 : 80);
  const parameters = [listen.ssl ? "ssl" : "", ...(listen.extraParameters ?? [])].filter(Boolean);
  return `listen ${address}:${port}${parameters.length > 0 ? " " + parameters.join(" ") : ""};`;
}

/** Renders a server block: listen, server_name, root, locations, then the vhost's extraConfig. */
export function renderVirtualHost(
  name: string,
  vhost: NginxVirtualHost,
  recommendedProxySettings: boolean,
  environment: RenderEnvironment = nixosEnvironment,
): string {
  const listen =
    vhost.listen && vhost.listen.length > 0
      ? vhost.listen
      : [
          { addr: "0.0.0.0", port: 80 },
          { addr: "[::0]", port: 80 },
        ];
  const serverNames = [vhost.serverName ?? name, ...(vhost.serverAliases ?? [])];

  const lines = [
    ...listen.map(renderListen),
    `server_name ${serverNames.join(" ")};`,
    vhost.root ? `root ${vhost.root};` : "",
    ...sortLocations(vhost.locations).map(([path, location]) =>
      renderLocation(path, location, recommendedProxySettings, environment),
    ),
    vhost.extraConfig ?? "",
  ];

  return block("server", lines);
}

function renderUpstreams(config: NginxConfig): string[] {
  return Object.entries(config.upstreams).map(([name, upstream]) => {
    const servers = Object.entries(upstream.servers).map(([address, parameters]) => {
      const flags = Object.entries(parameters)
        .filter(([, value]) => value !== false && value !== null && value !== undefined)
        .map(([key, value]) => (value === true ? key : `${key}=${String(value)}`));
      return `server ${[address, ...flags].join(" ")};`;
    });
    return block(`upstream ${name}`, [...servers, upstream.extraConfig ?? ""]);
  });
}

function renderProxyCachePaths(config: NginxConfig, environment: RenderEnvironment): string[] {
  return Object.entries(config.proxyCachePath)
    .filter(([, cache]) => cache.enable)
    .map(
      ([name, cache]) =>
        `proxy_cache_path ${environment.proxyCacheDirectory}/${name} ` +
        `keys_zone=${cache.keysZoneName}:${cache.keysZoneSize} levels=${cache.levels} ` +
        `use_temp_path=${cache.useTempPath ? "on" : "off"} inactive=${cache.inactive} max_size=${cache.maxSize};`,
    );
}

const gzipSettings = [
  "gzip on;",
  "gzip_static on;",
  "gzip_vary on;",
  "gzip_comp_level 5;",
  "gzip_min_length 256;",
  "gzip_proxied expired no-cache no-store private auth;",
  "gzip_types application/atom+xml application/geo+json application/javascript application/json application/ld+json application/manifest+json application/rdf+xml application/vnd.ms-fontobject application/wasm application/x-rss+xml application/x-web-app-manifest+json application/xhtml+xml application/xliff+xml application/xml font/collection font/otf font/ttf image/bmp image/svg+xml image/vnd.microsoft.icon text/cache-manifest text/calendar text/css text/csv text/javascript text/markdown text/plain text/vcard text/vnd.rim.location.xloc text/vtt text/x-component text/xml;",
];

/** Renders the whole configuration: top level, events, http with every virtual host, appendConfig. */
export function renderNginxConfig(
  config: NginxConfig,
  environment: RenderEnvironment = nixosEnvironment,
): RenderedConfig {
  const http = [
    ...environment.httpPrelude,
    "default_type application/octet-stream;",
    ...renderUpstreams(config),
    config.recommendedGzipSettings ? gzipSettings.join("\n") : "",
    config.recommendedProxySettings
      ? [
          "proxy_redirect off;",
          `proxy_connect_timeout ${environment.proxyTimeout};`,
          `proxy_send_timeout ${environment.proxyTimeout};`,
          `proxy_read_timeout ${environment.proxyTimeout};`,
          "proxy_http_version 1.1;",
          'proxy_set_header "Connection" "";',
          `include ${environment.recommendedProxyHeadersFile};`,
        ].join("\n")
      : "",
    config.mapHashBucketSize ? `map_hash_bucket_size ${config.mapHashBucketSize};` : "",
    block("map $http_upgrade $connection_upgrade", ["default upgrade;", "'' close;"]),
    `client_max_body_size ${config.clientMaxBodySize};`,
    "server_tokens off;",
    ...renderProxyCachePaths(config, environment),
    ...Object.entries(config.virtualHosts).map(([name, vhost]) =>
      renderVirtualHost(name, vhost, config.recommendedProxySettings, environment),
    ),
    config.appendHttpConfig,
  ];

  const main = [
    ...environment.mainPrelude,
    `pid ${environment.pidFile};`,
    `error_log ${environment.errorLog};`,
    "daemon off;",
    block("events", []),
    block("http", http),
    config.appendConfig,
    "",
  ].join("\n");

  return {
    main,
    files: { [environment.recommendedProxyHeadersFile]: `${recommendedProxyHeaders}\n` },
  };
}
