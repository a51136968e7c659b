# Evaluates the project's NixOS module with the real module system of a given
# nixpkgs `lib`, on top of from-scratch imitations of the stock Frigate module
# and the nginx options (tests/fixtures/modules). Used by tests/nix when a
# nixpkgs or nixpkgs.lib path is given.
{
  libPath,
  configuration ? { },
}:
let
  lib = import libPath;
  evaluated = lib.evalModules {
    specialArgs.modulesPath = ../fixtures/modules;
    modules = [
      ../fixtures/modules/nginx.nix
      ../../nixos/module.nix
      {
        services.frigate = {
          enable = true;
          hostname = "frigate.example.com";
        };
      }
      configuration
    ];
  };
  inherit (evaluated) config;
in
{
  inherit (config) warnings;
  nginx = {
    inherit (config.services.nginx) upstreams proxyCachePath appendHttpConfig;
    virtualHost = config.services.nginx.virtualHosts."frigate.example.com";
  };
  frigateSettings = config.services.frigate.settings;
  users = config.users.users;
}
