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
in
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
