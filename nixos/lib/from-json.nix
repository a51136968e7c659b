# Entry point for tools that evaluate the generator without NixOS:
#   nix-instantiate --eval --strict --json nixos/lib/from-json.nix --argstr input '<json>'
# The JSON object has `nginx` (values of services.frigate.nginx, any subset;
# the generator supplies the option defaults), optional `settings` (Frigate's
# settings, for custom roles), `webRoot` and `ports`.
{ input }:
let
  parsed = builtins.fromJSON input;
  nginx = parsed.nginx or { };
  settings = parsed.settings or { };

  # The option names of services.frigate.nginx; `reverseProxy` has its own check.
  knownOptions = [
    "authRequestUrl"
    "authRequestTimeout"
    "signInUrl"
    "signOutUrl"
    "reverseProxy"
  ];
  unknownOptions = builtins.filter (name: !(builtins.elem name knownOptions)) (builtins.attrNames nginx);
in
if unknownOptions != [ ] then
  throw "services.frigate.nginx: unknown option ${builtins.toJSON unknownOptions}; known options are ${builtins.toJSON knownOptions}"
else
import ./vhost.nix (
  nginx
  // {
    customRoles = builtins.attrNames ((settings.auth or { }).roles or { });
  }
  // builtins.intersectAttrs {
    webRoot = null;
    ports = null;
    stateDir = null;
    cacheDir = null;
  } parsed
)
