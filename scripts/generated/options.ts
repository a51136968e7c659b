// Generated from tests/fixtures/options/options.json by `npm run docs -- --options-json tests/fixtures/options/options.json`. Do not edit.
// To regenerate from the module's declarations, run `npm run docs` (needs Nix).
export interface FrigateNginxOptions {
  /**
   * Connect and read timeout of the auth subrequest, in seconds. A request
   * whose subrequest times out fails with 500.
   * @defaultValue 10
   * @example 5
   */
  authRequestTimeout?: number;
  /**
   * URL that nginx's `auth_request` subrequest is sent to, for example the
   * auth endpoint of oauth2-proxy, Authelia or an authentik outpost.
   *
   * When `null`, nginx asks Frigate's own `/auth` endpoint, which is the
   * behaviour of the stock module. When set, Frigate runs in proxy mode:
   * `services.frigate.settings.auth.enabled` defaults to `false`
   * and Frigate trusts the headers named in
   * `services.frigate.nginx.reverseProxy.userHeader` and
   * `services.frigate.nginx.reverseProxy.roleHeader`.
   *
   * Warning:
   * The auth server decides who may use Frigate. Keep it on a loopback or
   * private address, since nginx forwards the identity headers it returns
   * to Frigate unchecked.
   *
   * @defaultValue null
   * @example "http://127.0.0.1:4180/oauth2/auth"
   */
  authRequestUrl?: string | null;
  reverseProxy?: FrigateNginxReverseProxyOptions;
  /**
   * Where a browser without a session signs in: an absolute `http://` or
   * `https://` URL, or a path starting with `/` on the Frigate host.
   *
   * Requests for the web UI get a 302 redirect to
   * `<signInUrl>?rd=<return URL>`. API, media and websocket requests get
   * 401 with the same URL in a `Location` header, which the Frigate UI
   * follows.
   *
   * Note:
   * When this is `null` and the auth server's 401 response carries a
   * `Location` header (Authelia does this), nginx redirects there instead.
   *
   * @defaultValue null
   * @example "/oauth2/sign_in"
   */
  signInUrl?: string | null;
  /**
   * Where `/api/logout` redirects the browser after Frigate has
   * cleared its own session. When `null`, Frigate's logout handler answers
   * as in the stock module.
   * @defaultValue null
   * @example "/oauth2/sign_out"
   */
  signOutUrl?: string | null;
}

export interface FrigateNginxReverseProxyOptions {
  /**
   * Frigate role of a signed-in user whom no entry of
   * `services.frigate.nginx.reverseProxy.roleMap` matches.
   * Must be `admin`, `viewer` or a role declared in
   * `services.frigate.settings.auth.roles`.
   * @defaultValue "viewer"
   * @example "admin"
   */
  defaultRole?: string;
  /**
   * Response header of the auth server that carries the user's email
   * address, passed to Frigate as `Remote-Email`. oauth2-proxy sends it
   * only with `oauth2-proxy --set-xauthrequest`.
   * @defaultValue null
   * @example "X-Auth-Request-Email"
   */
  emailHeader?: string | null;
  /**
   * Response header of the auth server that carries the user's groups,
   * joined with `services.frigate.nginx.reverseProxy.separator`.
   * The groups are matched against
   * `services.frigate.nginx.reverseProxy.roleMap`.
   * @defaultValue null
   * @example "X-Auth-Request-Groups"
   */
  groupsHeader?: string | null;
  /**
   * Response header of the auth server that carries the user's display
   * name, passed to Frigate as `Remote-Name`.
   * @defaultValue null
   * @example "Remote-Name"
   */
  nameHeader?: string | null;
  /**
   * Response header of the auth server that carries the Frigate role,
   * or `null` when the auth server sends none. Its value is matched
   * against `services.frigate.nginx.reverseProxy.roleMap`.
   * @defaultValue "Remote-Role"
   * @example "X-Auth-Request-Groups"
   */
  roleHeader?: string | null;
  /**
   * Frigate roles and the group names that grant them. The values of the
   * role and groups headers are split on
   * `services.frigate.nginx.reverseProxy.separator` and compared
   * with these names.
   *
   * When several roles match, the most privileged wins: `admin`, then
   * custom roles in alphabetical order, then `viewer`.
   * @defaultValue { }
   * @example {
   *   admin = [ "frigate_admins" ];
   *   viewer = [ "frigate_users" ];
   * }
   */
  roleMap?: Record<string, string[]>;
  /**
   * Character that separates the groups in the role and groups headers.
   * oauth2-proxy and Authelia join groups with `,`, authentik with `|`.
   * @defaultValue ","
   * @example "|"
   */
  separator?: "," | "|" | ";" | ":" | " ";
  /**
   * Response header of the auth server that carries the user name.
   * nginx passes its value to Frigate as `Remote-User`.
   *
   * oauth2-proxy sends the OIDC `sub` claim in `X-Auth-Request-User`,
   * which is an opaque identifier; use
   * `X-Auth-Request-Preferred-Username` for a readable name.
   * @defaultValue "Remote-User"
   * @example "X-Auth-Request-Preferred-Username"
   */
  userHeader?: string;
}
