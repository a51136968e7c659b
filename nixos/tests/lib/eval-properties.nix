# Properties of an evaluated NixOS configuration that decide whether Frigate
# behind a forward-auth server works. `failures config` returns one message
# per broken property, or [ ]. Uses builtins only, so tests/vmtest can run it
# on hand-written configurations without nixpkgs.
let
  inherit (builtins)
    attrNames
    concatLists
    elem
    filter
    match
    stringLength
    ;

  when = condition: message: if condition then [ ] else [ message ];

  contains = pattern: text: match ".*${pattern}.*" text != null;

  # oauth2-proxy takes a cookie secret that decodes from URL-safe base64 to
  # 16, 24 or 32 bytes, or else a raw string of exactly that many bytes.
  validSizes = [
    16
    24
    32
  ];
  base64Body = secret: match "([A-Za-z0-9_-]+)=*" secret;
  decodedBytes = body: (stringLength body * 6) / 8;
  validCookieSecret =
    secret:
    let
      body = base64Body secret;
    in
    elem (stringLength secret) validSizes || (body != null && elem (decodedBytes (builtins.head body)) validSizes);

  frigateFailures =
    config:
    let
      frigate = config.services.frigate;
      vhost = config.services.nginx.virtualHosts.${frigate.hostname} or { };
      locations = vhost.locations or { };
      apiConfig = locations."/api/".extraConfig or "";
      authUrl = frigate.nginx.authRequestUrl;
    in
    if !frigate.enable then
      [ "services.frigate.enable is false" ]
    else
      when (locations ? "/api/") "nginx has no /api/ location for ${frigate.hostname}"
      ++ when (contains "auth_request /auth;" apiConfig) "location /api/ does not run auth_request /auth"
      ++ when (authUrl == null || (locations."/auth".proxyPass or null) == authUrl)
        "location /auth proxies to ${toString (locations."/auth".proxyPass or null)}, not services.frigate.nginx.authRequestUrl (${toString authUrl})";

  oauth2ProxyFailures =
    config:
    let
      proxy = config.services.oauth2-proxy;
      cookie = proxy.cookie;
      userHeader = config.services.frigate.nginx.reverseProxy.userHeader;
    in
    if !proxy.enable then
      [ ]
    else
      when (
        if cookie.secret != null then
          validCookieSecret cookie.secret
        else
          cookie.secretFile != null || proxy.keyFile != null
      ) "services.oauth2-proxy.cookie.secret must decode to 16, 24 or 32 bytes (use `openssl rand -hex 16`)"
      ++ when (proxy.setXauthrequest == true) "services.oauth2-proxy.setXauthrequest must be true, or /oauth2/auth sends no identity headers"
      ++ when (userHeader != "X-Auth-Request-User") "services.frigate.nginx.reverseProxy.userHeader is X-Auth-Request-User, the opaque OIDC sub; use X-Auth-Request-Preferred-Username or X-Auth-Request-Email";

  kanidmFailures =
    config:
    let
      kanidm = config.services.kanidm or { };
      provision = kanidm.provision or { };
      clients = if provision.enable or false then provision.systems.oauth2 or { } else { };
      proxy = config.services.oauth2-proxy;
    in
    concatLists (
      map (
        name:
        when (clients.${name}.preferShortUsername or false)
          "services.kanidm.provision.systems.oauth2.${name}.preferShortUsername must be true, or preferred_username is name@domain"
      ) (attrNames clients)
    )
    ++ (
      if clients != { } && proxy.enable then
        when ((proxy.extraConfig.code-challenge-method or null) == "S256")
          "services.oauth2-proxy.extraConfig.code-challenge-method must be \"S256\": Kanidm rejects clients without PKCE"
      else
        [ ]
    );
  # An example named after a server must configure it, so that the checks
  # above cannot pass because the server is missing.
  serverFailures =
    name: config:
    when (match "oauth2-proxy.*" name == null || config.services.oauth2-proxy.enable)
      "${name} does not enable services.oauth2-proxy"
    ++ when (
      match ".*kanidm.*" name == null
      || (config.services.kanidm.provision.enable or false)
        && (config.services.kanidm.provision.systems.oauth2 or { }) != { }
    )
      "${name} provisions no Kanidm OAuth2 client"
    ++ when (match "authelia.*" name == null || (config.services.authelia.instances or { }) != { })
      "${name} defines no services.authelia.instances";
in
{
  inherit validCookieSecret serverFailures;

  failures =
    config:
    filter (message: message != null) (
      frigateFailures config ++ oauth2ProxyFailures config ++ kanidmFailures config
    );
}
