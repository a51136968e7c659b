# Builds the nginx.conf that the real NixOS nginx module writes for a host
# with the project's module and the given services.frigate.nginx values, so
# that tests can compare it with the project's own renderer. Needs a nixpkgs
# checkout; the result is a file whose one line is the store path of the
# generated nginx.conf.
{
  nixpkgs,
  nginxOptions ? "{}",
  system ? builtins.currentSystem,
}:
let
  pkgs = import nixpkgs { inherit system; };
  evaluated = import (nixpkgs + "/nixos/lib/eval-config.nix") {
    inherit system;
    modules = [
      ../../nixos/module.nix
      {
        boot.isContainer = true;
        system.stateVersion = "25.11";
        services.frigate = {
          enable = true;
          hostname = "frigate.example.com";
          nginx = builtins.fromJSON nginxOptions;
        };
      }
    ];
  };
  execStart = evaluated.config.systemd.services.nginx.serviceConfig.ExecStart;
in
pkgs.writeText "frigate-nginx-exec-start" (toString execStart)
