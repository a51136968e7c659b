# Builds a test script from the shared HTTP check helper, the path of
# http-cases.json (the file `frigate-auth verify` reads) and one scenario.
# Uses builtins only, so the script can be evaluated and linted without
# nixpkgs (tests/vmtest does so).
{
  scenario,
  body,
}:
''
  ${builtins.readFile ./http_checks.py}

  # The same file `frigate-auth verify` reads, taken from the store.
  CASES = load_cases("${../http-cases.json}")
  SCENARIO: dict[str, Any] = json.loads(${builtins.toJSON (builtins.toJSON scenario)})

  ${body}
''
