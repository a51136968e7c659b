# The flake's checks for the project's module: the NixOS VM tests and the
# evaluation checks of the example configurations.
#
# Call it from flake.nix as
#   checks.x86_64-linux = import ./nixos/tests {
#     pkgs = nixpkgs.legacyPackages.x86_64-linux;
#     module = self.nixosModules.default;
#   };
{
  pkgs,
  module,
  examplesDir ? ../../docs/examples,
}:
let
  inherit (pkgs) lib;

  # The test files never import the module themselves (inside nixpkgs it is
  # already part of the NixOS modules), so it is added to every node here.
  runTest =
    file:
    pkgs.testers.runNixOSTest {
      imports = [ file ];
      defaults.imports = [ module ];
    };

  evalChecks = import ./eval.nix { inherit pkgs module examplesDir; };
in
{
  frigate-oauth2-proxy = runTest ./frigate-oauth2-proxy.nix;
  frigate-authelia = runTest ./frigate-authelia.nix;
}
// evalChecks
