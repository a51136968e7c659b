// Generated from nixos/options.nix by `npm run docs`. Do not edit.
// To regenerate from the module's declarations, run `npm run docs` (needs Nix).
export interface FrigateNginxOptions {
  /**
   * Seconds nginx waits to connect to, send to and read from the auth
   * server of `services.frigate.nginx.authRequestUrl`. When the
   * time runs out the request fails with a 5xx status instead of hanging.
   * @defaultValue 10
   * @example 5
   */
  authRequestTimeout?: number;
  /**
   * URL of the forward-auth endpoint that nginx asks, through
   * `auth_request`, about every request to a protected Frigate location.
   *
   * With `null`, nginx asks Frigate's own `/auth` endpoint, which
   * accepts Frigate's login session or, in Frigate's proxy mode, the
   * identity headers of a proxy in front of nginx.
   *
   * With a URL, nginx asks that server instead (oauth2-proxy's
   * `/oauth2/auth`, Authelia's `/api/authz/auth-request`, authentik's
   * `/outpost.goauthentik.io/auth/nginx`). The subrequest carries the
   * client's `Cookie` and `Authorization` headers and the original URL and
   * method (`X-Original-URL`, `X-Original-Method`, `X-Forwarded-Proto`,
   * `X-Forwarded-Host`, `X-Forwarded-Uri`, `X-Auth-Request-Redirect`), but
   * never the request body. The identity comes from the response headers
   * named under `services.frigate.nginx.reverseProxy`, and
   * identity headers sent by the client are removed on every location.
   *
   * Note:
   * With a URL set, `services.frigate.settings.auth.enabled`
   * defaults to `false`, because Frigate's own login would otherwise
   * ask for a second sign-in after the SSO.
   *
   * @defaultValue null
   * @example "http://127.0.0.1:4180/oauth2/auth"
   */
  authRequestUrl?: string | null;
  reverseProxy?: FrigateNginxReverseProxyOptions;
  /**
   * Where a request without a session is sent to sign in. nginx appends
   * `rd=` and the return URL.
   *
   * A browser opening the web UI gets a `302` redirect there. API, media
   * and websocket paths answer `401` with a `Location` header pointing
   * there, so Frigate's web UI follows it instead of showing its own login
   * page, and scripts still see a plain `401`.
   *
   * With `null`, the `Location` header of the auth server's `401` answer
   * is used when it sends one (Authelia does); otherwise the `401` is
   * passed on unchanged.
   * @defaultValue null
   * @example "/oauth2/sign_in"
   */
  signInUrl?: string | null;
  /**
   * Where the web UI's sign-out button (`/api/logout`) redirects. Set it to
   * the SSO's sign-out URL, because signing out of Frigate alone leaves the
   * SSO session in place. With `null`, `/api/logout` goes to Frigate.
   * @defaultValue null
   * @example "/oauth2/sign_out"
   */
  signOutUrl?: string | null;
}

export interface FrigateNginxReverseProxyOptions {
  /**
   * Role sent to Frigate as `Remote-Role` when neither the role header
   * nor `services.frigate.nginx.reverseProxy.roleMap` yields a
   * known role. Known roles are `admin`, `viewer` and the names under
   * `auth.roles` in `services.frigate.settings`.
   * @defaultValue "viewer"
   * @example "admin"
   */
  defaultRole?: string;
  /**
   * Response header of the auth server that carries the user's email
   * address, sent to Frigate as `Remote-Email`.
   * @defaultValue null
   * @example "X-Auth-Request-Email"
   */
  emailHeader?: string | null;
  /**
   * Response header of the auth server that carries the user's groups,
   * joined with `services.frigate.nginx.reverseProxy.separator`.
   * nginx sends it to Frigate as `Remote-Groups` and matches its
   * elements against `services.frigate.nginx.reverseProxy.roleMap`.
   * @defaultValue null
   * @example "X-Auth-Request-Groups"
   */
  groupsHeader?: string | null;
  /**
   * Response header of the auth server that carries the user's display
   * name, sent to Frigate as `Remote-Name`.
   * @defaultValue null
   * @example "Remote-Name"
   */
  nameHeader?: string | null;
  /**
   * Response header of the auth server that carries a Frigate role or a
   * list of groups. A value that names a known role is used as it is;
   * its elements are also matched against
   * `services.frigate.nginx.reverseProxy.roleMap`. `null` when
   * the auth server sends no such header.
   * @defaultValue "Remote-Role"
   * @example null
   */
  roleHeader?: string | null;
  /**
   * Frigate role for each list of group names. The role and groups
   * headers are split on
   * `services.frigate.nginx.reverseProxy.separator` and each
   * element is compared with the group names as a whole, case-sensitively.
   * When groups of several roles match, `admin` wins, then custom roles
   * in alphabetical order, then `viewer`.
   * @defaultValue { }
   * @example {
   *   admin = [ "frigate_admins@idm.example.com" ];
   *   viewer = [ "frigate_users@idm.example.com" ];
   * }
   */
  roleMap?: Record<string, string[]>;
  /**
   * Character that joins the elements of the role and groups headers.
   * oauth2-proxy and Authelia use `,`, authentik uses `|`.
   * @defaultValue ","
   * @example "|"
   */
  separator?: "," | "|" | ";" | ":" | " ";
  /**
   * Response header of the auth server that carries the user name.
   * nginx sends its value to Frigate as `Remote-User`.
   *
   * oauth2-proxy puts the OIDC `sub` claim, an opaque identifier, into
   * `X-Auth-Request-User`; use `X-Auth-Request-Preferred-Username` or
   * `X-Auth-Request-Email` for a readable name. Authelia sends
   * `Remote-User`, authentik `X-authentik-username`.
   * @defaultValue "Remote-User"
   * @example "X-Auth-Request-Preferred-Username"
   */
  userHeader?: string;
}
