/**
 * The subset of the NixOS `services.nginx` options that the Frigate vhost uses,
 * in the JSON shape `nix-instantiate --eval --json` gives them. Field names are
 * the NixOS option names so a reader can look each one up in the NixOS manual.
 */

/** One `services.nginx.virtualHosts.<name>.locations.<path>` entry. */
export interface NginxLocation {
  proxyPass?: string | null;
  proxyWebsockets?: boolean;
  recommendedProxySettings?: boolean;
  root?: string | null;
  alias?: string | null;
  tryFiles?: string | null;
  index?: string | null;
  return?: string | number | null;
  extraConfig?: string;
  /** Lower comes first; the NixOS module's default is 1000, ties sort by path. */
  priority?: number;
}

/** One `services.nginx.virtualHosts.<name>` entry. */
export interface NginxListen {
  addr: string;
  port?: number | null;
  ssl?: boolean;
  extraParameters?: string[];
}

export interface NginxVirtualHost {
  serverName?: string | null;
  serverAliases?: string[];
  listen?: NginxListen[];
  root?: string | null;
  extraConfig?: string;
  locations: Record<string, NginxLocation>;
}

export interface NginxUpstream {
  servers: Record<string, Record<string, unknown>>;
  extraConfig?: string;
}

/** One `services.nginx.proxyCachePath.<name>` entry. */
export interface NginxProxyCachePath {
  enable: boolean;
  keysZoneName: string;
  keysZoneSize: string;
  levels: string;
  maxSize: string;
  inactive: string;
  useTempPath?: boolean;
}

/** The `services.nginx` options the renderer reads. */
export interface NginxConfig {
  recommendedProxySettings: boolean;
  recommendedGzipSettings: boolean;
  clientMaxBodySize: string;
  mapHashBucketSize?: number | null;
  upstreams: Record<string, NginxUpstream>;
  proxyCachePath: Record<string, NginxProxyCachePath>;
  appendHttpConfig: string;
  appendConfig: string;
  virtualHosts: Record<string, NginxVirtualHost>;
}
