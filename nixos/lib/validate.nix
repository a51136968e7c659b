# Checks for the values the Frigate vhost generator writes into nginx.conf.
# Builtins only, so the generator stays evaluable without nixpkgs. Every
# failure names the option, echoes the value and says what is allowed, because
# a bad value here would otherwise surface as an nginx syntax error (or as
# injected configuration) long after evaluation.
let
  inherit (builtins)
    all
    attrNames
    concatStringsSep
    elem
    isList
    isString
    match
    stringLength
    toJSON
    ;

  invalid =
    option: value: allowed:
    throw "services.frigate.${option}: invalid value ${toJSON value}; ${allowed}";

  matches = regex: value: isString value && match regex value != null;
in
rec {
  # RFC 9110 allows more, but nginx turns header names into variable names
  # ($upstream_http_x_y) and drops names with underscores by default.
  headerNamePattern = "[A-Za-z0-9]+(-[A-Za-z0-9]+)*";

  # Frigate accepts role names made of letters, digits and underscores
  # (frigate/config/auth.py, 0.17).
  roleNamePattern = "[A-Za-z0-9_]+";

  # Group names become part of an nginx map regex inside double quotes, so
  # quotes, backslashes, '$', ';', braces and control characters are excluded.
  groupNamePattern = "[A-Za-z0-9_.@+=:/ -]+";

  # URLs end up unquoted in proxy_pass and return directives, so besides
  # their shape they exclude spaces, quotes, ';', braces, '$' and '#'. The
  # host is a name, an IPv4 address or a bracketed IPv6 address; user
  # information (user@host) is not accepted because nginx's proxy_pass
  # rejects it.
  pathCharacters = "[^][:space:];{}\"'$\\\\#<>]";
  hostLabel = "[A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?";
  ipv6Host = "\\[([0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}]";
  urlPattern = "https?://((${hostLabel}\\.)*${hostLabel}|${ipv6Host})(:[0-9]{1,5})?(/${pathCharacters}*)?";
  pathPattern = "/${pathCharacters}*";

  separators = [
    ","
    "|"
    ";"
    ":"
    " "
  ];

  headerName =
    option: value:
    if matches headerNamePattern value then
      value
    else
      invalid option value "use letters, digits and single '-' between them, for example \"X-Auth-Request-User\"";

  optionalHeaderName = option: value: if value == null then null else headerName option value;

  roleName =
    option: value:
    if matches roleNamePattern value then
      value
    else
      invalid option value "a Frigate role name has only letters, digits and '_', for example \"admin\" or \"viewer\"";

  knownRole =
    option: roles: value:
    let
      name = roleName option value;
    in
    if elem name roles then
      name
    else
      invalid option value "use one of ${toJSON roles}, or declare the role under services.frigate.settings.auth.roles";

  groupName =
    option: separator: value:
    if !(matches groupNamePattern value) then
      invalid option value "group names may contain letters, digits, spaces and _ . @ + = : / -"
    else if match ".*[${separator}].*" value != null then
      invalid option value "a group name cannot contain the separator ${toJSON separator}; change services.frigate.nginx.reverseProxy.separator"
    else
      value;

  separator =
    option: value:
    if isString value && stringLength value == 1 && elem value separators then
      value
    else
      invalid option value "use one character of ${toJSON separators}";

  urlPort =
    value:
    let
      port = match "https?://[^/]*[^]/:]:([0-9]+)(/.*)?|https?://\\[[^]]*]:([0-9]+)(/.*)?" value;
      digits = if port == null then null else if builtins.elemAt port 0 != null then builtins.elemAt port 0 else builtins.elemAt port 2;
    in
    # No port is fine (the scheme's default); an explicit one is 1 to 65535.
    if digits == null then 80 else builtins.fromJSON (stripZeros digits);

  validPort = value: urlPort value >= 1 && urlPort value <= 65535;

  stripZeros = digits: let m = match "0*([0-9]+)" digits; in builtins.head m;

  url =
    option: value:
    if matches urlPattern value && validPort value then
      value
    else
      invalid option value "use an absolute http:// or https:// URL such as \"http://127.0.0.1:4180/oauth2/auth\": a host name, IPv4 address or [IPv6] address, an optional port from 1 to 65535, no user@, and no spaces, quotes, ';', '{', '}', '$' or '#'";

  optionalUrl = option: value: if value == null then null else url option value;

  urlOrPath =
    option: value:
    if value == null || (matches urlPattern value && validPort value) || matches pathPattern value then
      value
    else
      invalid option value "use an absolute http(s) URL or a path starting with '/', without spaces, quotes, ';', '{', '}' or '$'";

  positiveInt =
    option: value:
    if builtins.isInt value && value > 0 then
      value
    else
      invalid option value "use a whole number of seconds greater than 0";

  # nginx size syntax: a number with an optional k/m/g suffix.
  size =
    option: value:
    if matches "[0-9]+[kKmMgG]?" value then
      value
    else
      invalid option value "use an nginx size such as \"20m\"";

  roleMap =
    option: roles: separatorValue: value:
    let
      checkRole = role: knownRole "${option}.<name>" roles role;
      checkGroups =
        role: groups:
        if isList groups then
          map (groupName "${option}.${role}" separatorValue) groups
        else
          invalid "${option}.${role}" groups "use a list of group names";
    in
    if all (role: checkRole role == role) (attrNames value) then
      builtins.mapAttrs checkGroups value
    else
      value;

  inherit concatStringsSep;
}
