# Evaluates the option declarations in nixos/options.nix with the module
# system of the given nixpkgs `lib` and returns them in the options.json
# format of nixpkgs' nixosOptionsDoc: an attribute set keyed by option name,
# each value with loc, description, declarations, readOnly, type, default and
# example. Declarations are repository-relative paths, so the output does not
# depend on where the repository (or its store copy) lives.
#
# Used twice: the flake passes `eval.options` and `transformOptions` to
# nixosOptionsDoc for packages.<system>.optionsJSON, and `frigate-auth docs
# --nixpkgs PATH` reads `options` through nix-instantiate --eval --json.
{
  lib,
  # The repository root, as a path.
  root,
  optionsFile ? root + "/nixos/options.nix",
}:
let
  inherit (lib)
    filter
    hasPrefix
    listToAttrs
    optionAttrSetToDocList
    removePrefix
    ;

  prefix = "services.frigate.nginx.";

  eval = lib.evalModules {
    modules = [
      {
        _file = toString optionsFile;
        options.services.frigate = import optionsFile { inherit lib; };
      }
    ];
  };

  # evalModules also declares _module.args, which is visible in its docs;
  # only this project's options belong in options.json.
  transformOptions =
    opt:
    opt
    // {
      visible = opt.visible && hasPrefix prefix opt.name;
      declarations = map (
        declaration: removePrefix "${toString root}/" (toString declaration)
      ) opt.declarations;
    };

  visibleOptions = filter (opt: opt.visible && !opt.internal) (
    map transformOptions (optionAttrSetToDocList eval.options)
  );
in
{
  inherit eval transformOptions;

  options = listToAttrs (
    map (opt: {
      inherit (opt) name;
      value = removeAttrs opt [
        "name"
        "visible"
        "internal"
      ];
    }) visibleOptions
  );
}
