# Evaluation checks that need no VM: a full NixOS system with the project's
# module and each example configuration in docs/examples evaluates, and the
# settings that break forward-auth setups are right in the evaluated config.
# Each check is a derivation that builds instantly; its evaluation throws
# with the example's name and the failed property.
{
  pkgs,
  module,
  examplesDir,
}:
let
  inherit (pkgs) lib;
  inherit (lib)
    filterAttrs
    hasSuffix
    mapAttrs'
    nameValuePair
    removeSuffix
    ;

  properties = import ./lib/eval-properties.nix;

  # Just enough of a machine for `system.build.toplevel` to evaluate.
  machineBase = {
    boot.loader.grub.enable = false;
    fileSystems."/".device = "/dev/disk/by-label/nixos";
    system.stateVersion = lib.trivial.release;
  };

  evalSystem =
    configuration:
    pkgs.nixos {
      imports = [
        module
        machineBase
        configuration
      ];
    };

  checkExample =
    label: name: file:
    let
      system = evalSystem file;
      inherit (system) config;
      failed = properties.failures config ++ properties.serverFailures name config;
      # Forces the whole system, not only the Frigate options.
      drvPath = builtins.unsafeDiscardStringContext config.system.build.toplevel.drvPath;
    in
    if failed != [ ] then
      throw "${label}: ${lib.concatStringsSep "; " failed}"
    else
      pkgs.runCommand "frigate-eval-${removeSuffix ".nix" name}" { } ''
        echo ${lib.escapeShellArg "${name} evaluates to ${drvPath}"} > $out
      '';

  exampleFiles =
    if builtins.pathExists examplesDir then
      filterAttrs (name: type: type == "regular" && hasSuffix ".nix" name) (builtins.readDir examplesDir)
    else
      { };

  exampleChecks = mapAttrs' (
    name: _: nameValuePair "eval-example-${removeSuffix ".nix" name}" (checkExample "docs/examples/${name}" name (examplesDir + "/${name}"))
  ) exampleFiles;

  # The module alone, with Frigate's own login (no forward-auth server).
  moduleOnly = checkExample "the module with Frigate's own login" "frigate-login.nix" {
    services.frigate = {
      enable = true;
      hostname = "frigate.example.test";
    };
  };
in
exampleChecks // { eval-module-frigate-login = moduleOnly; }
