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

      # Option docs of this module only, in the NixOS manual's formats.
      packages = forAllSystems (
        pkgs:
        let
          optionDocs = import ./scripts/docs/options-json.nix {
            inherit lib;
            root = ./.;
          };
          documentation = pkgs.nixosOptionsDoc {
            inherit (optionDocs.eval) options;
            inherit (optionDocs) transformOptions;
          };
        in
        {
          inherit (documentation) optionsJSON optionsCommonMark;
          docs = documentation.optionsCommonMark;
        }
      );

      checks = forAllSystems (
        pkgs:
        import ./nixos/tests {
          inherit pkgs;
          module = self.nixosModules.default;
        }
        // {
          # NOTE: nixfmt was not available where these files were written, so
          # they are formatted by hand in its style; if this check fails, run
          # `nix fmt` once and commit the result.
          formatting = pkgs.runCommand "frigate-auth-formatting" { nativeBuildInputs = [ pkgs.nixfmt ]; } ''
            find ${nixFiles} -name '*.nix' -exec nixfmt --check {} +
            touch $out
          '';
        }
      );
    };
}
