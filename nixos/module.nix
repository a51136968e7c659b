# `services.frigate` with configurable nginx authentication, on top of the
# stock nixpkgs module.
#
# How the override works: the stock module is disabled and imported again
# through `withoutFrigateVhost`, which calls it and removes from its `config`
# the four `services.nginx` attributes that make up the Frigate vhost
# (`virtualHosts`, `upstreams`, `proxyCachePath`, `appendHttpConfig`).
# Everything else the stock module defines (the frigate service, users, the
# nginx modules vod and secure-token) stays as it is. This module then defines
# those attributes from ./lib/vhost.nix at normal priority, so every location
# can be changed with `lib.mkForce`, `lib.mkBefore` or `lib.mkAfter` like any
# other NixOS location. Priorities alone cannot do this: a `mkForce` here would
# also discard the user's own definitions for the vhost.
{
  config,
  lib,
  modulesPath,
  ...
}:
let
  inherit (lib)
    functionArgs
    isAttrs
    isFunction
    mkDefault
    mkIf
    mkMerge
    optional
    setDefaultModuleLocation
    setFunctionArgs
    ;

  cfg = config.services.frigate;

  stockFile = modulesPath + "/services/video/frigate.nix";

  vhostAttributes = [
    "virtualHosts"
    "upstreams"
    "proxyCachePath"
    "appendHttpConfig"
  ];

  # Descends through mkIf, mkMerge, mkOverride and mkOrder wrappers to the
  # attribute sets inside and applies `edit` to each.
  mapDefinition =
    edit: value:
    let
      type = value._type or null;
    in
    if type == "if" || type == "override" || type == "order" then
      value // { content = mapDefinition edit value.content; }
    else if type == "merge" then
      value // { contents = map (mapDefinition edit) value.contents; }
    else if isAttrs value && type == null then
      edit value
    else
      value;

  editAttribute =
    name: edit: mapDefinition (set: if set ? ${name} then set // { ${name} = edit set.${name}; } else set);

  removeVhost = editAttribute "services" (
    editAttribute "nginx" (mapDefinition (nginx: removeAttrs nginx vhostAttributes))
  );

  withoutFrigateVhost =
    file:
    let
      stock = import file;
      strip = module: module // { config = removeVhost (module.config or { }); };
    in
    setDefaultModuleLocation file (
      if isFunction stock then setFunctionArgs (args: strip (stock args)) (functionArgs stock) else strip stock
    );

  generated = import ./lib/vhost.nix (import ./lib/generator-args.nix cfg);

  external = cfg.nginx.authRequestUrl != null;
  frigateAuthEnabled = cfg.settings.auth.enabled or null;
in
{
  disabledModules = [ "services/video/frigate.nix" ];
  imports = [ (withoutFrigateVhost stockFile) ];

  options.services.frigate = import ./options.nix { inherit lib; };

  config = mkIf cfg.enable (mkMerge [
    {
      services.nginx = {
        inherit (generated) upstreams proxyCachePath appendHttpConfig;
        virtualHosts.${cfg.hostname} = {
          inherit (generated.virtualHost) extraConfig locations;
        };
      };
    }

    (mkIf external {
      # nginx has already authenticated the request; Frigate's own login
      # would ask a second time.
      services.frigate.settings.auth.enabled = mkDefault false;
      services.frigate.settings.proxy.header_map = {
        user = mkDefault "remote-user";
        role = mkDefault "remote-role";
      };

      warnings = optional (frigateAuthEnabled == true) ''
        services.frigate.settings.auth.enabled is true while
        services.frigate.nginx.authRequestUrl is set (${cfg.nginx.authRequestUrl}).
        Frigate then ignores the SSO's identity and asks for its own login after the
        SSO sign-in. Remove the definition of services.frigate.settings.auth.enabled,
        or set services.frigate.nginx.authRequestUrl = null to use Frigate's login.
      '';
    })
  ]);
}
