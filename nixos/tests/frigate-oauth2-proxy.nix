# Frigate behind nginx `auth_request` with oauth2-proxy, and dex as the
# OpenID Connect provider. Everything runs on one VM over plain HTTP; a
# client signs in with curl alone, through dex's password form.
#
# The project's module is not imported here: nixos/tests/default.nix adds it
# through `defaults`, and inside nixpkgs it is part of the NixOS modules.
{ lib, ... }:
let
  frigateHost = "frigate.example.test";
  baseUrl = "http://${frigateHost}";
  dexUrl = "http://127.0.0.1:5556/dex";

  # Test-only credentials; the VM never leaves the build sandbox.
  clientSecret = "frigate-test-client-secret";
  # oauth2-proxy accepts a cookie secret of 16, 24 or 32 bytes: 32 hex
  # characters are taken as 32 bytes.
  cookieSecret = "0123456789abcdef0123456789abcdef";

  # dex's static users carry no groups, so the test maps the admin role by
  # email address. The hashes are bcrypt (cost 10) of the passwords beside
  # them, made with libxcrypt's crypt(3).
  users = {
    admin = {
      email = "alice@example.test";
      username = "alice";
      password = "alice-test-password";
      hash = "$2b$10$frigateTestSaltAlice0ucFLeA2dDhuzM2wnZShXZBu7rCLI50ai";
      userID = "0b6a1f5e-7d21-4c55-9a0e-2f1c3b8d4e01";
      role = "admin";
    };
    viewer = {
      email = "bob@example.test";
      username = "bob";
      password = "bob-test-password";
      hash = "$2b$10$frigateTestSaltBob000ugX6sb1TwHo3C6AKPGNcNxGehGzgUaCe";
      userID = "0b6a1f5e-7d21-4c55-9a0e-2f1c3b8d4e02";
      role = "viewer";
    };
  };

  scenario = {
    inherit baseUrl;
    internalUrl = "http://127.0.0.1:5000";
    signInUrl = "/oauth2/start";
    clientMaxBodyBytes = 20 * 1024 * 1024;
    sessions = {
      admin = "/tmp/admin.cookies";
      viewer = "/tmp/viewer.cookies";
    };
    # Frigate names the user by the X-Auth-Request-Email header (see
    # reverseProxy below).
    users = lib.mapAttrs (_: user: {
      name = user.email;
      inherit (user) role;
    }) users;
  };
in
{
  name = "frigate-oauth2-proxy";

  nodes.machine =
    { pkgs, ... }:
    {
      imports = [ (import ./lib/frigate-node.nix { hostname = frigateHost; }) ];

      services.frigate.nginx = {
        authRequestUrl = "http://127.0.0.1:4180/oauth2/auth";
        signInUrl = "/oauth2/start";
        signOutUrl = "/oauth2/sign_out";
        reverseProxy = {
          userHeader = "X-Auth-Request-Email";
          roleHeader = "X-Auth-Request-Email";
          roleMap.admin = [ users.admin.email ];
          defaultRole = "viewer";
        };
      };

      # oauth2-proxy's own pages (start, callback, sign-out) on the Frigate host.
      services.nginx.virtualHosts.${frigateHost}.locations."/oauth2/" = {
        proxyPass = "http://127.0.0.1:4180";
        recommendedProxySettings = true;
      };

      services.dex = {
        enable = true;
        settings = {
          issuer = dexUrl;
          web.http = "127.0.0.1:5556";
          storage.type = "memory";
          enablePasswordDB = true;
          oauth2.skipApprovalScreen = true;
          staticClients = [
            {
              id = "frigate";
              name = "Frigate";
              secret = clientSecret;
              redirectURIs = [ "${baseUrl}/oauth2/callback" ];
            }
          ];
          staticPasswords = lib.mapAttrsToList (_: user: {
            inherit (user)
              email
              hash
              username
              userID
              ;
          }) users;
        };
      };

      services.oauth2-proxy = {
        enable = true;
        provider = "oidc";
        oidcIssuerUrl = dexUrl;
        clientID = "frigate";
        inherit clientSecret;
        redirectURL = "${baseUrl}/oauth2/callback";
        approvalPrompt = "auto";
        email.domains = [ "*" ];
        cookie = {
          secret = cookieSecret;
          # The VM serves plain HTTP; a secure cookie would never be sent back.
          secure = false;
        };
        reverseProxy = true;
        setXauthrequest = true;
        upstream = [ "static://202" ];
        extraConfig.code-challenge-method = "S256";
      };

      # oauth2-proxy reads dex's discovery document at start and exits while
      # dex is not listening yet; retry instead of hitting the start limit.
      systemd.services.oauth2-proxy = {
        wants = [ "dex.service" ];
        after = [ "dex.service" ];
        unitConfig.StartLimitIntervalSec = 0;
        serviceConfig.RestartSec = "2s";
      };

      environment.systemPackages = [ pkgs.jq ];
    };

  testScript = import ./lib/test-script.nix {
    inherit scenario;
    body = ''
      start_all()

      with subtest("frigate, dex, oauth2-proxy and nginx are listening"):
          machine.wait_for_unit("frigate.service")
          machine.wait_for_unit("dex.service")
          machine.wait_for_unit("oauth2-proxy.service")
          machine.wait_for_unit("nginx.service")
          machine.wait_for_open_port(5001, timeout=datetime.timedelta(minutes=5))
          machine.wait_for_open_port(5556)
          machine.wait_for_open_port(4180, timeout=datetime.timedelta(minutes=2))
          machine.wait_for_open_port(80)
          machine.wait_until_succeeds(
              "curl --silent --fail ${dexUrl}/.well-known/openid-configuration",
              timeout=datetime.timedelta(minutes=2),
          )

      with subtest("a request without a session is sent to oauth2-proxy's sign-in"):
          status = machine.succeed(
              "curl --silent --output /dev/null --write-out '%{http_code} %{redirect_url}' ${baseUrl}/"
          )
          machine.log(f"/ without a session: {status}")
          assert status.startswith("302 ${baseUrl}/oauth2/start?rd="), status
          machine.fail("curl --silent --fail ${baseUrl}/api/profile")

      with subtest("alice and bob sign in through dex with curl"):
          sign_in_with_dex(machine, "${baseUrl}", SCENARIO["sessions"]["admin"], "${users.admin.email}", "${users.admin.password}")
          sign_in_with_dex(machine, "${baseUrl}", SCENARIO["sessions"]["viewer"], "${users.viewer.email}", "${users.viewer.password}")
          machine.succeed("grep -q _oauth2_proxy " + SCENARIO["sessions"]["admin"])

      with subtest("/api/profile names alice as admin and bob as viewer"):
          checks = HttpChecks(machine, CASES, SCENARIO)
          checks.assert_profile("admin")
          checks.assert_profile("viewer")

      with subtest("stats, version and vod reach frigate with alice's session"):
          for path, expected in [("/api/stats", 200), ("/api/version", 200), ("/api/vod/front/start/1700000000/end/1700000060", 404)]:
              # The test camera has no recordings from 2023, so Frigate answers 404 for vod.
              response = checks.request(path, "admin")
              machine.log(f"{path} with a session: {response!r}")
              assert response.status == expected, f"{path} with a session: status {response.status}, expected {expected}"

      with subtest("a POST with a body answers within 2 seconds"):
          response = checks.request("/api/config", "admin", method="POST", body_bytes=1024 * 1024)
          machine.log(f"POST /api/config with 1 MiB: {response!r}")
          assert response.seconds < 2, f"POST took {response.seconds:.2f} s"
          assert response.status in REAL_FRIGATE_METHOD_STATUS, f"POST answered {response.status}"

      with subtest("forged identity headers never make bob an admin"):
          checks.assert_profile("viewer", {"Remote-User": "mallory", "Remote-Role": "admin", "X-Auth-Request-Email": "${users.admin.email}"})
          machine.fail(
              "curl --silent --fail --header 'Remote-User: mallory' --header 'Remote-Role: admin' ${baseUrl}/api/profile"
          )

      with subtest("an API request without a session gets 401 and a Location"):
          response = checks.request("/api/stats", "none")
          assert response.status == 401, f"/api/stats without a session: {response!r}"
          assert response.location.startswith("/oauth2/start"), f"Location {response.location!r}"

      with subtest("frigate's own calls on 127.0.0.1:5000 need no session"):
          machine.succeed("curl --silent --fail http://127.0.0.1:5000/api/version")
          machine.succeed("curl --silent --fail http://127.0.0.1:5000/api/stats")

      for check in checks.applicable_checks():
          with subtest(check["title"]):
              checks.run(check)

      with subtest("sign-out leads to oauth2-proxy's sign_out"):
          location = machine.succeed(
              "curl --silent --output /dev/null --write-out '%{redirect_url}' ${baseUrl}/api/logout"
          )
          assert location.endswith("/oauth2/sign_out"), f"/api/logout redirects to {location!r}"
    '';
  };
}
