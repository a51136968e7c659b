# The Frigate virtual host for nginx, as one pure function.
#
# It uses only Nix builtins, so `nix-instantiate --eval --strict --json` can
# evaluate it without nixpkgs, and it returns values in the shape of the NixOS
# `services.nginx` options: `upstreams`, `proxyCachePath`, `appendHttpConfig`
# and one `virtualHost` whose locations are plain location objects. The NixOS
# module maps `services.frigate.nginx.*` onto the arguments below.
#
# Facts about Frigate are from Frigate 0.16/0.17: the API on 127.0.0.1:5001
# answers without authentication and trusts the Remote-User and Remote-Role
# request headers, so nginx is the only gate (docker/main/rootfs/usr/local/nginx
# in blakeblackshear/frigate).
{
  # null: ask Frigate's own /auth endpoint, as the stock module does.
  authRequestUrl ? null,
  authRequestTimeout ? 10,
  signInUrl ? null,
  signOutUrl ? null,
  reverseProxy ? { },
  # Roles declared under Frigate's `auth.roles`, besides admin and viewer.
  customRoles ? [ ],
  webRoot ? "/run/frigate-web",
  stateDir ? "/var/lib/frigate",
  cacheDir ? "/var/cache/frigate",
  clientMaxBodySize ? "20m",
  ports ? { },
}:
let
  inherit (builtins)
    attrNames
    concatLists
    concatStringsSep
    filter
    genList
    hasAttr
    listToAttrs
    map
    replaceStrings
    sort
    stringLength
    substring
    ;

  check = import ./validate.nix;

  port = {
    api = 5001;
    mqttWebsocket = 5002;
    jsmpeg = 8082;
    go2rtc = 1984;
    # Frigate answers every request on this listener as the admin
    # `anonymous`; Frigate calls itself here, for example to create exports.
    internal = 5000;
  }
  // ports;

  proxyDefaults = {
    userHeader = "Remote-User";
    roleHeader = "Remote-Role";
    groupsHeader = null;
    emailHeader = null;
    nameHeader = null;
    defaultRole = "viewer";
    roleMap = { };
    separator = ",";
  };

  unknownProxyKeys = filter (name: !(hasAttr name proxyDefaults)) (attrNames reverseProxy);

  raw = proxyDefaults // reverseProxy;

  roles = [
    "admin"
    "viewer"
  ]
  ++ map (check.roleName "settings.auth.roles.<name>") customRoles;

  separator = check.separator "nginx.reverseProxy.separator" raw.separator;

  proxy = {
    userHeader = check.headerName "nginx.reverseProxy.userHeader" raw.userHeader;
    roleHeader = check.optionalHeaderName "nginx.reverseProxy.roleHeader" raw.roleHeader;
    groupsHeader = check.optionalHeaderName "nginx.reverseProxy.groupsHeader" raw.groupsHeader;
    emailHeader = check.optionalHeaderName "nginx.reverseProxy.emailHeader" raw.emailHeader;
    nameHeader = check.optionalHeaderName "nginx.reverseProxy.nameHeader" raw.nameHeader;
    defaultRole = check.knownRole "nginx.reverseProxy.defaultRole" roles raw.defaultRole;
    roleMap = check.roleMap "nginx.reverseProxy.roleMap" roles separator raw.roleMap;
  };

  external = authRequestUrl != null;
  authUrl = check.optionalUrl "nginx.authRequestUrl" authRequestUrl;
  signIn = check.urlOrPath "nginx.signInUrl" signInUrl;
  signOut = check.urlOrPath "nginx.signOutUrl" signOutUrl;
  timeout = check.positiveInt "nginx.authRequestTimeout" authRequestTimeout;
  bodySize = check.size "nginx.clientMaxBodySize" clientMaxBodySize;

  characters = text: genList (i: substring i 1 text) (stringLength text);
  upper = characters "ABCDEFGHIJKLMNOPQRSTUVWXYZ-";
  lower = characters "abcdefghijklmnopqrstuvwxyz_";

  # nginx exposes a response header `X-Foo-Bar` of the auth subrequest as
  # $upstream_http_x_foo_bar.
  upstreamVariable = header: "$upstream_http_${replaceStrings upper lower header}";

  escapeRegex =
    text:
    replaceStrings
      [ "." "+" "|" "(" ")" "[" "]" "*" "?" "^" "$" "\\" "/" ]
      [ "\\." "\\+" "\\|" "\\(" "\\)" "\\[" "\\]" "\\*" "\\?" "\\^" "\\$" "\\\\" "\\/" ]
      text;

  # Values copied from the auth subrequest's response. Each one is read with
  # auth_request_set, never with `set`: `set` runs in the rewrite phase,
  # before the subrequest, and would always copy an empty value.
  authValues = filter (value: value.header != null) [
    {
      variable = "frigate_auth_user";
      header = proxy.userHeader;
    }
    {
      variable = "frigate_auth_role";
      header = proxy.roleHeader;
    }
    {
      variable = "frigate_auth_groups";
      header = proxy.groupsHeader;
    }
    {
      variable = "frigate_auth_email";
      header = proxy.emailHeader;
    }
    {
      variable = "frigate_auth_name";
      header = proxy.nameHeader;
    }
  ];

  hasAuthValue = variable: builtins.any (value: value.variable == variable) authValues;
  authValueOrEmpty = variable: if hasAuthValue variable then "$" + variable else "\"\"";

  # Identity headers that some component trusts. A client must never be able
  # to send them to Frigate or go2rtc: the Remote-* ones are always set from
  # the auth result (an empty value removes the header), the rest are removed.
  identityHeaders = {
    "Remote-User" = "$frigate_remote_user";
    "Remote-Role" = "$frigate_remote_role";
    "Remote-Groups" = userValueOrEmpty "frigate_auth_groups";
    "Remote-Email" = userValueOrEmpty "frigate_auth_email";
    "Remote-Name" = userValueOrEmpty "frigate_auth_name";
  };

  # Groups, email and name reach Frigate only together with a user, like the
  # role (see the maps in httpConfig).
  userValueOrEmpty =
    variable: if hasAuthValue variable then "$" + variable + "_if_user" else "\"\"";

  userOnlyMaps = lines (
    map (variable: ''
      map $frigate_remote_user ''$${variable}_if_user {
        "" "";
        default ''$${variable};
      }
    '') (filter hasAuthValue [ "frigate_auth_groups" "frigate_auth_email" "frigate_auth_name" ])
  );

  forgeableHeaders = [
    "X-Forwarded-User"
    "X-Forwarded-Groups"
    "X-Forwarded-Email"
    "X-Forwarded-Preferred-Username"
    "X-Auth-Request-User"
    "X-Auth-Request-Preferred-Username"
    "X-Auth-Request-Email"
    "X-Auth-Request-Groups"
    "X-Auth-Request-Access-Token"
    "X-Auth-Request-Redirect"
    "X-authentik-username"
    "X-authentik-groups"
    "X-authentik-email"
    "X-authentik-name"
    "X-authentik-uid"
    "X-authentik-jwt"
    "X-Proxy-Secret"
  ];

  lines = concatStringsSep "\n";

  # Headers for every proxied location. proxy_set_header is inherited only by
  # locations that define none, and the NixOS module adds its recommended
  # proxy headers to each proxied location, so each location sets its own.
  identityHeaderLines = lines (
    map (name: "proxy_set_header ${name} ${identityHeaders.${name}};") (attrNames identityHeaders)
    ++ map (name: "proxy_set_header ${name} \"\";") forgeableHeaders
  );

  # Public locations run no auth subrequest, so they carry no identity at
  # all: the default role must not reach Frigate without a session.
  noIdentityHeaderLines = lines (
    map (name: "proxy_set_header ${name} \"\";") (attrNames identityHeaders ++ forgeableHeaders)
  );

  # The return URL a forward-auth server sends the browser back to after
  # sign-in. NOTE: nginx core cannot URL-encode, so a query string in the
  # original URL reaches the sign-in page unencoded.
  returnUrl = "$scheme://$http_host$request_uri";
  uiRoot = "$scheme://$http_host/";

  signInTarget =
    back:
    if signIn == null then
      "$frigate_auth_location"
    else
      let
        hasQuery = builtins.match ".*[?].*" signIn != null;
      in
      "${signIn}${if hasQuery then "&" else "?"}rd=${back}";

  # Without a sign-in target, Frigate's own UI handles a 401 with its login
  # page, as the stock module does.
  redirectsToSignIn = external || signIn != null;

  # `ui` paths are what a browser opens directly; everything else is fetched
  # by the UI's scripts, which follow the Location of a 401.
  signInErrorPage =
    kind:
    if !redirectsToSignIn then
      ""
    else if kind == "ui" then
      "error_page 401 = @frigate_sign_in;"
    else
      "error_page 401 = @frigate_unauthorized;";

  authRequestLines =
    kind:
    lines (
      [ "auth_request /auth;" ]
      ++ map (value: "auth_request_set \$${value.variable} ${upstreamVariable value.header};") authValues
      ++ [
        "auth_request_set $frigate_auth_location $upstream_http_location;"
        # Forward-auth servers refresh their session cookie on the auth answer.
        "auth_request_set $frigate_auth_cookie $upstream_http_set_cookie;"
        "add_header Set-Cookie $frigate_auth_cookie;"
        (signInErrorPage kind)
      ]
    );

  proxyTuning = ''
    proxy_read_timeout 360s;
    proxy_send_timeout 360s;
    proxy_buffers 64 256k;
  '';

  # limit_except names the methods allowed besides HEAD (allowed with GET).
  allowOnly = method: ''
    limit_except ${method} {
      deny all;
    }
  '';

  noStore = ''
    add_header Cache-Control "no-store";
    expires off;
  '';

  # A protected location runs the auth subrequest; a proxied one also carries
  # the identity headers. `kind` picks the answer to a missing session.
  protected =
    kind: location:
    location
    // {
      extraConfig = lines [
        (authRequestLines kind)
        (if location ? proxyPass then identityHeaderLines else "")
        (location.extraConfig or "")
      ];
    };

  public =
    location:
    location
    // {
      # Explicit, so that an auth_request set at server level (as the NixOS
      # oauth2-proxy module does) cannot lock users out of these paths.
      extraConfig = lines [
        "auth_request off;"
        (if location ? proxyPass then noIdentityHeaderLines else "")
        (location.extraConfig or "")
      ];
    };

  # Frigate's API has no /api prefix behind nginx.
  stripApiPrefix = "rewrite ^/api(/.*)$ $1 break;";

  mediaTypes = types: ''
    types {
    ${lines (map (entry: "  ${entry};") types)}
    }
  '';

  polledEndpoint = {
    proxyPass = "http://frigate-api";
    extraConfig = proxyTuning + noStore + ''
      access_log off;
      ${stripApiPrefix}
    '';
  };

  uiLocation = {
    root = webRoot;
    tryFiles = "$uri $uri.html $uri/ /index.html";
    extraConfig = noStore;
  };

  staticAsset = {
    root = webRoot;
    extraConfig = ''
      access_log off;
      expires 1y;
      add_header Cache-Control "public";
    '';
  };

  go2rtc = method: path: {
    proxyPass = "http://frigate-go2rtc${path}";
    proxyWebsockets = true;
    extraConfig = proxyTuning + allowOnly method;
  };

  locations = {
    # The web UI. With an external SSO the entry page itself needs a session,
    # so a browser without one goes straight to the sign-in page.
    "/" = if external then protected "ui" uiLocation else public uiLocation;

    # Static files of the UI, needed before sign-in (login page, manifest).
    "/assets/" = public staticAsset;
    "/fonts/" = public staticAsset;
    "/locales/" = public { root = webRoot; };
    "~* \\.webmanifest$" = public { root = webRoot; };

    # The API. Responses are cached for 5 s per user and role, so one user's
    # JSON is never served to another.
    "/api/" = protected "api" {
      proxyPass = "http://frigate-api/";
      extraConfig = proxyTuning + noStore + ''
        proxy_cache frigate_api_cache;
        proxy_cache_key "$scheme$proxy_host$request_uri|$frigate_remote_user|$frigate_remote_role";
        proxy_cache_lock on;
        proxy_cache_use_stale updating;
        proxy_cache_valid 200 5s;
        proxy_cache_bypass $http_x_cache_bypass;
        proxy_no_cache $frigate_should_not_cache;
        add_header X-Cache-Status $upstream_cache_status;
      '';
    };

    # Recording playlists and segments read by the vod module; never cached.
    "/api/vod/" = protected "api" {
      proxyPass = "http://frigate-api/vod/";
      extraConfig = proxyTuning + ''
        proxy_cache off;
        add_header Cache-Control "no-store";
      '';
    };

    # Polled by the UI every few seconds; kept out of the access log.
    "/api/stats" = protected "api" polledEndpoint;
    "/api/version" = protected "api" polledEndpoint;

    # Frigate's own login form and its first-run check must answer without a
    # session.
    # Exact matches, so that no other path under them becomes public.
    "= /api/login" = public {
      proxyPass = "http://frigate-api";
      extraConfig = proxyTuning + stripApiPrefix;
    };

    "= /api/auth/first_time_login" = public {
      proxyPass = "http://frigate-api";
      extraConfig = proxyTuning + stripApiPrefix;
    };

    # The UI's sign-out button. With an SSO, signing out of Frigate alone
    # would leave the SSO session, so it goes to the SSO's sign-out URL.
    "= /api/logout" =
      if signOut != null then
        public {
          return = "302 ${signOut}";
          # A relative Location keeps the browser's scheme and host.
          extraConfig = "absolute_redirect off;";
        }
      else
        public {
          proxyPass = "http://frigate-api";
          extraConfig = stripApiPrefix;
        };

    # Snapshots and thumbnails, served by the API without the cache.
    "~* ^/api/.*\\.(jpg|jpeg|png|webp|gif)$" = protected "api" {
      proxyPass = "http://frigate-api";
      extraConfig = proxyTuning + stripApiPrefix;
    };

    # go2rtc's API; the UI reads its version from here.
    "/api/go2rtc/api" = protected "api" (go2rtc "GET" "/api");

    # Home Assistant's Frigate integration posts WebRTC offers and candidates
    # here (POST only, as in Frigate's own nginx.conf).
    "/api/go2rtc/webrtc" = protected "api" (go2rtc "POST" "/api/webrtc");

    # HLS playback of recordings, built by the vod module from /api/vod/.
    "/vod/" = protected "api" {
      extraConfig = noStore + ''
        aio threads;
        vod hls;
        secure_token $args;
        secure_token_types application/vnd.apple.mpegurl;
      '';
    };

    # Birdseye restream segments written by Frigate.
    "/stream/" = protected "api" {
      alias = "${cacheDir}/stream/";
      extraConfig = noStore + mediaTypes [
        "application/dash+xml mpd"
        "application/vnd.apple.mpegurl m3u8"
        "video/mp2t ts"
        "image/jpeg jpg"
      ];
    };

    "/clips/" = protected "api" {
      root = stateDir;
      extraConfig =
        mediaTypes [
          "video/mp4 mp4"
          "image/jpeg jpg"
        ]
        + ''
          expires 7d;
          add_header Cache-Control "public";
          autoindex on;
        '';
    };

    "/recordings/" = protected "api" {
      root = stateDir;
      extraConfig = mediaTypes [ "video/mp4 mp4" ] + ''
        autoindex on;
        autoindex_format json;
      '';
    };

    "/exports/" = protected "api" {
      root = stateDir;
      extraConfig = mediaTypes [ "video/mp4 mp4" ] + ''
        autoindex on;
        autoindex_format json;
      '';
    };

    # Frigate's event websocket; the UI opens it right after sign-in.
    "/ws" = protected "api" {
      proxyPass = "http://frigate-mqtt-ws/";
      proxyWebsockets = true;
      extraConfig = proxyTuning;
    };

    # With the trailing slash, /live/jsmpeg/<camera> reaches jsmpeg as /<camera>.
    "/live/jsmpeg/" = protected "api" {
      proxyPass = "http://frigate-jsmpeg/";
      proxyWebsockets = true;
      extraConfig = proxyTuning;
    };

    # Live views over MSE; the Home Assistant Lovelace card uses this path.
    "/live/mse/api/ws" = protected "api" (go2rtc "GET" "/api/ws");

    "/live/webrtc/api/ws" = protected "api" (go2rtc "GET" "/api/ws");

    # go2rtc's own WebRTC player page.
    "/live/webrtc/webrtc.html" = protected "api" (go2rtc "GET" "/webrtc.html");

    # The auth subrequest target. Only nginx reaches it (`internal`).
    "/auth" = authLocation;

    # Files the vod module maps from recordings; internal only.
    "/cache/" = {
      alias = "${cacheDir}/";
      extraConfig = "internal;";
    };

    "= /vod-not-found" = {
      return = "404";
    };
  }
  // signInLocations;

  # Answers for a request without a session: a browser is sent to the
  # sign-in page with its return URL; a script gets 401 with a Location it
  # can follow, because Frigate's UI navigates to the Location of any 401.
  signInLocations =
    if !redirectsToSignIn then
      { }
    else
      {
        "@frigate_sign_in".extraConfig = lines [
          # A relative Location keeps the scheme and host the browser used,
          # also behind another TLS-terminating proxy.
          "absolute_redirect off;"
          (
            if signIn == null then
              ''
                if ($frigate_auth_location = "") {
                  return 401;
                }
                return 302 $frigate_auth_location;
              ''
            else
              "return 302 ${signInTarget returnUrl};"
          )
        ];

        "@frigate_unauthorized".extraConfig = ''
          add_header Location "${signInTarget uiRoot}" always;
          return 401;
        '';
      };

  # Request details a forward-auth server needs to decide and to build the
  # return URL (oauth2-proxy, Authelia's AuthRequest, authentik's outpost).
  forwardAuthHeaders = ''
    proxy_set_header Cookie $http_cookie;
    proxy_set_header Authorization $http_authorization;
    proxy_set_header X-Original-URL $scheme://$http_host$request_uri;
    proxy_set_header X-Original-Method $request_method;
    proxy_set_header X-Forwarded-Method $request_method;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Forwarded-Host $http_host;
    proxy_set_header X-Forwarded-Uri $request_uri;
    proxy_set_header X-Forwarded-For $remote_addr;
    proxy_set_header X-Auth-Request-Redirect $request_uri;
  '';

  # In proxy mode Frigate's /auth reads the identity an outer proxy put in
  # these headers, so they are passed on to it (and nowhere else).
  frigateAuthHeaders = ''
    proxy_set_header X-Original-URL $scheme://$http_host$request_uri;
    proxy_set_header X-Original-Method $request_method;
    proxy_set_header X-Server-Port $server_port;
    proxy_set_header Authorization $http_authorization;
    proxy_set_header Cookie $http_cookie;
    proxy_set_header X-CSRF-TOKEN "1";
    ${lines (
      map (name: "proxy_set_header ${name} $http_${replaceStrings upper lower name};") (
        [
          "Remote-User"
          "Remote-Role"
          "Remote-Groups"
          "Remote-Email"
          "Remote-Name"
        ]
        ++ forgeableHeaders
      )
    )}
  '';

  authLocation = {
    proxyPass = if external then authUrl else "http://frigate-api/auth";
    # The recommended headers would pass the client's X-Forwarded-* on.
    recommendedProxySettings = false;
    extraConfig = lines [
      "internal;"
      (
        if external then
          ''
            # Frigate's own calls on the internal listener never need the SSO.
            if ($server_port = ${toString port.internal}) {
              return 202;
            }''
        else
          ""
      )
      ''
        # The auth server gets the request's headers but never its body: with
        # the body, a server that reads it first waits for bytes nginx does
        # not send, and the original request hangs until the timeout.
        proxy_pass_request_body off;
        proxy_set_header Content-Length "";
        proxy_pass_request_headers off;
        proxy_connect_timeout ${toString timeout}s;
        proxy_send_timeout ${toString timeout}s;
        proxy_read_timeout ${toString timeout}s;
      ''
      (if external then forwardAuthHeaders else frigateAuthHeaders)
    ];
  };

  # Role precedence when several groups match: admin, custom roles by name,
  # then viewer.
  rolePrecedence =
    [ "admin" ]
    ++ sort (a: b: a < b) (filter (role: role != "admin" && role != "viewer") (attrNames proxy.roleMap))
    ++ [ "viewer" ];

  mappedRoles = filter (role: hasAttr role proxy.roleMap) rolePrecedence;

  # The role and groups values joined with the separator and framed by it,
  # so that one regex per group matches a whole element and nothing else.
  roleSources = map (value: "$" + value.variable) (
    filter (
      value: value.variable == "frigate_auth_role" || value.variable == "frigate_auth_groups"
    ) authValues
  );
  quote = text: "\"" + text + "\"";
  framedSources = quote (separator + concatStringsSep separator roleSources + separator);
  separatorRegex = escapeRegex separator;

  roleMapEntries = concatLists (
    map (
      role:
      map (
        group: "  ${quote "~${separatorRegex}${escapeRegex group}${separatorRegex}"} ${role};"
      ) proxy.roleMap.${role}
    ) mappedRoles
  );

  # Only a known role ever reaches Frigate: a role header that names one is
  # used as it is, anything else falls back to the default role.
  directRole =
    if hasAuthValue "frigate_auth_role" then
      ''
        map $frigate_auth_role $frigate_role_direct {
          default ${proxy.defaultRole};
        ${lines (map (role: "  ${role} ${role};") roles)}
        }
      ''
    else
      ''
        map "" $frigate_role_direct {
          default ${proxy.defaultRole};
        }
      '';

  mappedRole =
    if roleSources == [ ] || mappedRoles == [ ] then
      ''
        map "" $frigate_role {
          default $frigate_role_direct;
        }
      ''
    else
      ''
        map ${framedSources} $frigate_role {
          default $frigate_role_direct;
        ${lines roleMapEntries}
        }
      '';

  httpConfig = ''
    # Frigate's API cache keeps JSON answers only.
    map $sent_http_content_type $frigate_should_not_cache {
      "application/json" 0;
      default 1;
    }

    ${directRole}
    ${mappedRole}
    # Requests on the internal listener are Frigate calling itself.
    map $server_port $frigate_remote_user {
      ${toString port.internal} anonymous;
      default ${authValueOrEmpty "frigate_auth_user"};
    }

    # An auth answer that names no user carries no role either: Frigate
    # trusts Remote-Role on its own, so the default role must not turn an
    # anonymous 2xx (a bypass rule, a public path) into a session.
    map $frigate_remote_user $frigate_role_if_user {
      "" "";
      default $frigate_role;
    }

    map $server_port $frigate_remote_role {
      ${toString port.internal} admin;
      default $frigate_role_if_user;
    }

    ${userOnlyMaps}
  '';

  vhostConfig = ''
    listen 127.0.0.1:${toString port.internal};
    client_max_body_size ${bodySize};

    # Settings of the vod module (nginx-vod-module), which builds HLS
    # playlists from recordings through /api/vod/.
    vod_base_url "";
    vod_segments_base_url "";
    vod_mode mapped;
    vod_max_mapping_response_size 1m;
    vod_upstream_location /api;
    vod_align_segments_to_key_frames on;
    vod_manifest_segment_durations_mode accurate;
    vod_ignore_edit_list on;
    vod_segment_duration 10000;
    vod_hls_mpegts_align_frames off;
    vod_hls_mpegts_interleave_frames on;
    vod_open_file_thread_pool default;
    vod_metadata_cache metadata_cache 512m;
    vod_mapping_cache mapping_cache 5m 10m;

    open_file_cache max=1000 inactive=5m;
    open_file_cache_valid 2m;
    open_file_cache_min_uses 1;
    open_file_cache_errors on;
    aio on;

    gzip_types application/vnd.apple.mpegurl;
  '';

  upstream = address: { servers.${address} = { }; };

  # Every checked value is forced up front, so an invalid one fails the
  # evaluation even where the vhost would not otherwise read it.
  checked = builtins.deepSeq [
    proxy
    separator
    authUrl
    signIn
    signOut
    timeout
    bodySize
  ] true;
in
if unknownProxyKeys != [ ] then
  throw "services.frigate.nginx.reverseProxy: unknown setting ${builtins.toJSON unknownProxyKeys}; known settings are ${builtins.toJSON (attrNames proxyDefaults)}"
else
  assert checked;
  {
    upstreams = {
      frigate-api = upstream "127.0.0.1:${toString port.api}";
      frigate-mqtt-ws = upstream "127.0.0.1:${toString port.mqttWebsocket}";
      frigate-jsmpeg = upstream "127.0.0.1:${toString port.jsmpeg}";
      frigate-go2rtc = upstream "127.0.0.1:${toString port.go2rtc}";
    };

    proxyCachePath.frigate = {
      enable = true;
      keysZoneName = "frigate_api_cache";
      keysZoneSize = "10m";
      maxSize = "10m";
      inactive = "1m";
      levels = "1:2";
    };

    appendHttpConfig = httpConfig;

    virtualHost = {
      extraConfig = vhostConfig;
      inherit locations;
    };

    # What the NixOS module and the tests need to know about this vhost.
    meta = {
      inherit external roles;
      protectedLocations = filter (
        path: builtins.match ".*auth_request /auth;.*" (locations.${path}.extraConfig or "") != null
      ) (attrNames locations);
      publicLocations = filter (
        path: builtins.match ".*auth_request off;.*" (locations.${path}.extraConfig or "") != null
      ) (attrNames locations);
    };
  }
