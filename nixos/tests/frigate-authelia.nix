# Frigate behind nginx `auth_request` with Authelia's AuthRequest endpoint.
# Authelia only issues session cookies for an https portal, so nginx serves
# both the portal and Frigate over TLS with a self-signed certificate made at
# build time, which the VM trusts. A client signs in with curl alone, through
# Authelia's first-factor API.
#
# The project's module is not imported here: nixos/tests/default.nix adds it
# through `defaults`, and inside nixpkgs it is part of the NixOS modules.
{ lib, ... }:
let
  frigateHost = "frigate.example.test";
  portalHost = "auth.example.test";
  baseUrl = "https://${frigateHost}";
  portalUrl = "https://${portalHost}";
  instance = "frigate";
  autheliaUser = "authelia-${instance}";

  # Test-only credentials; the VM never leaves the build sandbox. The hashes
  # are bcrypt (cost 10) of the passwords beside them, made with libxcrypt's
  # crypt(3).
  users = {
    admin = {
      login = "alice";
      password = "alice-test-password";
      hash = "$2b$10$frigateTestSaltAlice0ucFLeA2dDhuzM2wnZShXZBu7rCLI50ai";
      displayname = "Alice";
      email = "alice@example.test";
      groups = [ "frigate-admins" ];
      role = "admin";
    };
    viewer = {
      login = "bob";
      password = "bob-test-password";
      hash = "$2b$10$frigateTestSaltBob000ugX6sb1TwHo3C6AKPGNcNxGehGzgUaCe";
      displayname = "Bob";
      email = "bob@example.test";
      groups = [ "frigate-viewers" ];
      role = "viewer";
    };
  };

  # JSON is valid YAML, so the users database is written with toJSON.
  usersDatabase = builtins.toJSON {
    users = lib.listToAttrs (
      lib.mapAttrsToList (_: user: {
        name = user.login;
        value = {
          inherit (user) displayname email groups;
          password = user.hash;
          disabled = false;
        };
      }) users
    );
  };

  scenario = {
    inherit baseUrl;
    internalUrl = "http://127.0.0.1:5000";
    signInUrl = "${portalUrl}/";
    clientMaxBodyBytes = 20 * 1024 * 1024;
    sessions = {
      admin = "/tmp/admin.cookies";
      viewer = "/tmp/viewer.cookies";
    };
    users = lib.mapAttrs (_: user: {
      name = user.login;
      inherit (user) role;
    }) users;
  };

  secretFile = text: {
    inherit text;
    mode = "0400";
    user = autheliaUser;
  };
in
{
  name = "frigate-authelia";

  nodes.machine =
    { pkgs, ... }:
    let
      certificate = pkgs.runCommand "frigate-test-certificate" { nativeBuildInputs = [ pkgs.openssl ]; } ''
        mkdir $out
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 \
          -subj /CN=${frigateHost} \
          -addext "subjectAltName=DNS:${frigateHost},DNS:${portalHost}" \
          -keyout $out/key.pem -out $out/cert.pem
      '';
      tls = {
        onlySSL = true;
        sslCertificate = "${certificate}/cert.pem";
        sslCertificateKey = "${certificate}/key.pem";
      };
    in
    {
      imports = [ (import ./lib/frigate-node.nix { hostname = frigateHost; }) ];

      networking.hosts."127.0.0.1" = [ portalHost ];
      security.pki.certificateFiles = [ "${certificate}/cert.pem" ];

      services.frigate.nginx = {
        authRequestUrl = "http://127.0.0.1:9091/api/authz/auth-request";
        signInUrl = "${portalUrl}/";
        signOutUrl = "${portalUrl}/logout";
        reverseProxy = {
          userHeader = "Remote-User";
          roleHeader = null;
          groupsHeader = "Remote-Groups";
          emailHeader = "Remote-Email";
          nameHeader = "Remote-Name";
          roleMap = {
            admin = [ "frigate-admins" ];
            viewer = [ "frigate-viewers" ];
          };
        };
      };

      services.nginx.virtualHosts.${frigateHost} = tls;
      services.nginx.virtualHosts.${portalHost} = tls // {
        locations."/" = {
          proxyPass = "http://127.0.0.1:9091";
          recommendedProxySettings = true;
        };
      };

      services.authelia.instances.${instance} = {
        enable = true;
        secrets = {
          jwtSecretFile = "/etc/authelia/jwt-secret";
          storageEncryptionKeyFile = "/etc/authelia/storage-encryption-key";
          sessionSecretFile = "/etc/authelia/session-secret";
        };
        settings = {
          server.address = "tcp://127.0.0.1:9091/";
          log.level = "info";
          authentication_backend.file.path = "/etc/authelia/users.yml";
          access_control.default_policy = "one_factor";
          session.cookies = [
            {
              domain = "example.test";
              authelia_url = portalUrl;
              default_redirection_url = "${baseUrl}/";
            }
          ];
          storage.local.path = "/var/lib/${autheliaUser}/db.sqlite3";
          notifier.filesystem.filename = "/var/lib/${autheliaUser}/notifications.txt";
        };
      };

      environment.etc = {
        "authelia/jwt-secret" = secretFile "frigate-test-jwt-secret-of-some-length";
        "authelia/storage-encryption-key" = secretFile "frigate-test-storage-encryption-key-0123456789";
        "authelia/session-secret" = secretFile "frigate-test-session-secret-of-some-length";
        "authelia/users.yml" = secretFile usersDatabase;
      };
    };

  testScript = import ./lib/test-script.nix {
    inherit scenario;
    body = ''
      start_all()

      with subtest("frigate, authelia and nginx are listening"):
          machine.wait_for_unit("frigate.service")
          machine.wait_for_unit("${autheliaUser}.service")
          machine.wait_for_unit("nginx.service")
          machine.wait_for_open_port(5001, timeout=datetime.timedelta(minutes=5))
          machine.wait_for_open_port(9091, timeout=datetime.timedelta(minutes=2))
          machine.wait_for_open_port(443)
          machine.wait_until_succeeds(
              "curl --silent --fail ${portalUrl}/api/health",
              timeout=datetime.timedelta(minutes=2),
          )

      with subtest("a request without a session is sent to the authelia portal"):
          status = machine.succeed(
              "curl --silent --output /dev/null --write-out '%{http_code} %{redirect_url}' ${baseUrl}/"
          )
          machine.log(f"/ without a session: {status}")
          assert status.startswith("302 ${portalUrl}/?rd="), status
          machine.fail("curl --silent --fail ${baseUrl}/api/profile")

      with subtest("a wrong password gets no session"):
          machine.fail(
              "curl --silent --fail --header 'Content-Type: application/json' "
              + """--data '{"username": "alice", "password": "wrong"}' ${portalUrl}/api/firstfactor"""
          )

      with subtest("alice and bob sign in through authelia's api with curl"):
          sign_in_with_authelia(machine, "${portalUrl}", SCENARIO["sessions"]["admin"], "${users.admin.login}", "${users.admin.password}")
          sign_in_with_authelia(machine, "${portalUrl}", SCENARIO["sessions"]["viewer"], "${users.viewer.login}", "${users.viewer.password}")
          machine.succeed("grep -q authelia_session " + SCENARIO["sessions"]["admin"])

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
          checks.assert_profile("viewer", {"Remote-User": "mallory", "Remote-Role": "admin", "Remote-Groups": "frigate-admins"})
          machine.fail(
              "curl --silent --fail --header 'Remote-User: mallory' --header 'Remote-Role: admin' ${baseUrl}/api/profile"
          )

      with subtest("an API request without a session gets 401 and a Location"):
          response = checks.request("/api/stats", "none")
          assert response.status == 401, f"/api/stats without a session: {response!r}"
          assert response.location.startswith("${portalUrl}/"), f"Location {response.location!r}"

      with subtest("frigate's own calls on 127.0.0.1:5000 need no session"):
          machine.succeed("curl --silent --fail http://127.0.0.1:5000/api/version")
          machine.succeed("curl --silent --fail http://127.0.0.1:5000/api/stats")

      for check in checks.applicable_checks():
          with subtest(check["title"]):
              checks.run(check)

      with subtest("sign-out leads to the authelia portal"):
          location = machine.succeed(
              "curl --silent --output /dev/null --write-out '%{redirect_url}' ${baseUrl}/api/logout"
          )
          assert location == "${portalUrl}/logout", f"/api/logout redirects to {location!r}"
    '';
  };
}
