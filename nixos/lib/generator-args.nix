# Maps `config.services.frigate` onto the arguments of ./vhost.nix. Shared by
# the flake's module and the nixpkgs change, so both build the same vhost.
cfg:
let
  settings = cfg.settings or { };
  auth = settings.auth or { };
in
{
  inherit (cfg.nginx)
    authRequestUrl
    authRequestTimeout
    signInUrl
    signOutUrl
    reverseProxy
    ;
  customRoles = builtins.attrNames (auth.roles or { });
  webRoot = "${cfg.package.web}";
}
