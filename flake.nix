{
  description = "Frigate NVR behind an SSO forward-auth server: nginx auth options for services.frigate";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs =
    { self, nixpkgs }:
    let
      inherit (nixpkgs) lib;

      systems = [
        "x86_64-linux"
        "aarch64-linux"
      ];

      forAllSystems = function: lib.genAttrs systems (system: function nixpkgs.legacyPackages.${system});

      nixFiles = lib.fileset.toSource {
        root = ./.;
        fileset = lib.fileset.fileFilter (file: file.hasExt "nix") ./.;
      };
    in
    {
      # Import on top of stock nixpkgs: `imports = [ frigate-auth.nixosModules.default ];`.
      nixosModules.default = ./nixos/module.nix;

      # The pure vhost generator, for tools and tests that evaluate it directly.
      lib.frigateVhost = import ./nixos/lib/vhost.nix;

      formatter = forAllSystems (pkgs: pkgs.nixfmt-tree);

      devShells = forAllSystems (pkgs: {
        default = pkgs.mkShell {
          packages = [
            pkgs.nodejs_20
            pkgs.nix
            pkgs.nginx
            pkgs.nixfmt
          ];
        };
      });

      packages = forAllSystems (pkgs: import ./nixos/doc { inherit pkgs lib; });

      checks = forAllSystems (
        pkgs:
        import ./nixos/tests {
          inherit pkgs self;
        }
        // {
          formatting = pkgs.runCommand "frigate-auth-formatting" { nativeBuildInputs = [ pkgs.nixfmt ]; } ''
            find ${nixFiles} -name '*.nix' -exec nixfmt --check {} +
            touch $out
          '';
        }
      );
    };
}
