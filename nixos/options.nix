# Option declarations for `services.frigate`: how nginx authenticates requests
# to the Frigate virtual host. Evaluating them needs `lib` only, never `pkgs`,
# so the option docs build without a package set.
{ lib }:
let
  inherit (lib)
    literalExpression
    mkOption
    types
    ;

  check = import ./lib/validate.nix;

  # Named string types, so that the option docs show what is allowed instead
  # of a regular expression. The patterns are in ./lib/validate.nix.
  named = description: type: type // { inherit description; };

  headerName = named "HTTP header name (letters, digits, single dashes)" (
    types.strMatching check.headerNamePattern
  );
  roleName = named "Frigate role name (letters, digits, underscores)" (
    types.strMatching check.roleNamePattern
  );
  groupName = named "group name (letters, digits, spaces and _ . @ + = : / -)" (
    types.strMatching check.groupNamePattern
  );
  httpUrl = named "http(s) URL" (types.strMatching check.urlPattern);
  urlOrPath = named "http(s) URL or absolute path" (
    types.strMatching "(${check.urlPattern})|(${check.pathPattern})"
  );

  optionalHeader =
    { example, description }:
    mkOption {
      type = types.nullOr headerName;
      default = null;
      inherit example description;
    };
in
{
  nginx = {
    authRequestUrl = mkOption {
      type = types.nullOr httpUrl;
      default = null;
      example = "http://127.0.0.1:4180/oauth2/auth";
      description = ''
        URL of the forward-auth endpoint that nginx asks, through
        `auth_request`, about every request to a protected Frigate location.

        With `null`, nginx asks Frigate's own `/auth` endpoint, which
        accepts Frigate's login session or, in Frigate's proxy mode, the
        identity headers of a proxy in front of nginx.

        With a URL, nginx asks that server instead (oauth2-proxy's
        `/oauth2/auth`, Authelia's `/api/authz/auth-request`, authentik's
        `/outpost.goauthentik.io/auth/nginx`). The subrequest carries the
        client's `Cookie` and `Authorization` headers and the original URL and
        method (`X-Original-URL`, `X-Original-Method`, `X-Forwarded-Proto`,
        `X-Forwarded-Host`, `X-Forwarded-Uri`, `X-Auth-Request-Redirect`), but
        never the request body. The identity comes from the response headers
        named under {option}`services.frigate.nginx.reverseProxy`, and
        identity headers sent by the client are removed on every location.

        ::: {.note}
        With a URL set, {option}`services.frigate.settings.auth.enabled`
        defaults to `false`, because Frigate's own login would otherwise
        ask for a second sign-in after the SSO.
        :::
      '';
    };

    authRequestTimeout = mkOption {
      type = types.ints.positive;
      default = 10;
      example = 5;
      description = ''
        Seconds nginx waits to connect to, send to and read from the auth
        server of {option}`services.frigate.nginx.authRequestUrl`. When the
        time runs out the request fails with a 5xx status instead of hanging.
      '';
    };

    signInUrl = mkOption {
      type = types.nullOr urlOrPath;
      default = null;
      example = "/oauth2/sign_in";
      description = ''
        Where a request without a session is sent to sign in. nginx appends
        `rd=` and the return URL.

        A browser opening the web UI gets a `302` redirect there. API, media
        and websocket paths answer `401` with a `Location` header pointing
        there, so Frigate's web UI follows it instead of showing its own login
        page, and scripts still see a plain `401`.

        With `null`, the `Location` header of the auth server's `401` answer
        is used when it sends one (Authelia does); otherwise the `401` is
        passed on unchanged.
      '';
    };

    signOutUrl = mkOption {
      type = types.nullOr urlOrPath;
      default = null;
      example = "/oauth2/sign_out";
      description = ''
        Where the web UI's sign-out button (`/api/logout`) redirects. Set it to
        the SSO's sign-out URL, because signing out of Frigate alone leaves the
        SSO session in place. With `null`, `/api/logout` goes to Frigate.
      '';
    };

    reverseProxy = {
      userHeader = mkOption {
        type = headerName;
        default = "Remote-User";
        example = "X-Auth-Request-Preferred-Username";
        description = ''
          Response header of the auth server that carries the user name.
          nginx sends its value to Frigate as `Remote-User`.

          oauth2-proxy puts the OIDC `sub` claim, an opaque identifier, into
          `X-Auth-Request-User`; use `X-Auth-Request-Preferred-Username` or
          `X-Auth-Request-Email` for a readable name. Authelia sends
          `Remote-User`, authentik `X-authentik-username`.
        '';
      };

      roleHeader = mkOption {
        type = types.nullOr headerName;
        default = "Remote-Role";
        example = null;
        description = ''
          Response header of the auth server that carries a Frigate role or a
          list of groups. A value that names a known role is used as it is;
          its elements are also matched against
          {option}`services.frigate.nginx.reverseProxy.roleMap`. `null` when
          the auth server sends no such header.
        '';
      };

      groupsHeader = optionalHeader {
        example = "X-Auth-Request-Groups";
        description = ''
          Response header of the auth server that carries the user's groups,
          joined with {option}`services.frigate.nginx.reverseProxy.separator`.
          nginx sends it to Frigate as `Remote-Groups` and matches its
          elements against {option}`services.frigate.nginx.reverseProxy.roleMap`.
        '';
      };

      emailHeader = optionalHeader {
        example = "X-Auth-Request-Email";
        description = ''
          Response header of the auth server that carries the user's email
          address, sent to Frigate as `Remote-Email`.
        '';
      };

      nameHeader = optionalHeader {
        example = "Remote-Name";
        description = ''
          Response header of the auth server that carries the user's display
          name, sent to Frigate as `Remote-Name`.
        '';
      };

      defaultRole = mkOption {
        type = roleName;
        default = "viewer";
        example = "admin";
        description = ''
          Role sent to Frigate as `Remote-Role` when neither the role header
          nor {option}`services.frigate.nginx.reverseProxy.roleMap` yields a
          known role. Known roles are `admin`, `viewer` and the names under
          `auth.roles` in {option}`services.frigate.settings`.
        '';
      };

      roleMap = mkOption {
        type = types.attrsOf (types.listOf groupName);
        default = { };
        example = literalExpression ''
          {
            admin = [ "frigate_admins@idm.example.com" ];
            viewer = [ "frigate_users@idm.example.com" ];
          }
        '';
        description = ''
          Frigate role for each list of group names. The role and groups
          headers are split on
          {option}`services.frigate.nginx.reverseProxy.separator` and each
          element is compared with the group names as a whole, case-sensitively.
          When groups of several roles match, `admin` wins, then custom roles
          in alphabetical order, then `viewer`.
        '';
      };

      separator = mkOption {
        type = types.enum check.separators;
        default = ",";
        example = "|";
        description = ''
          Character that joins the elements of the role and groups headers.
          oauth2-proxy and Authelia use `,`, authentik uses `|`.
        '';
      };
    };
  };
}
