# Frigate behind oauth2-proxy, with dex as the OpenID Connect provider.
# dex keeps its users in its own password database here; with an LDAP or
# GitHub connector it also sends groups, which roleMap turns into roles.
# Secrets outside the Nix store:
#   /run/secrets/dex.env                      FRIGATE_CLIENT_SECRET=<secret>
#   /run/secrets/frigate-oidc-client-secret   the same secret, alone
#   /run/secrets/oauth2-proxy-cookie-secret   `openssl rand -hex 16` (32 bytes)
{ ... }:
let
  frigateHost = "frigate.example.com";
  dexHost = "dex.example.com";
in
{
  services.frigate = {
    enable = true;
    hostname = frigateHost;
    settings.cameras.front.ffmpeg.inputs = [
      {
        path = "rtsp://192.168.1.20:554/stream1";
        roles = [ "detect" ];
      }
    ];

    nginx = {
      authRequestUrl = "http://127.0.0.1:4180/oauth2/auth";
      signInUrl = "/oauth2/sign_in";
      signOutUrl = "/oauth2/sign_out";
      reverseProxy = {
        userHeader = "X-Auth-Request-Preferred-Username";
        emailHeader = "X-Auth-Request-Email";
        roleHeader = null;
        # oauth2-proxy joins groups with ",", the default separator.
        groupsHeader = "X-Auth-Request-Groups";
        roleMap.admin = [ "frigate_admins" ];
        defaultRole = "viewer";
      };
    };
  };

  services.nginx.virtualHosts.${frigateHost} = {
    forceSSL = true;
    enableACME = true;
    locations."/oauth2/" = {
      proxyPass = "http://127.0.0.1:4180";
      recommendedProxySettings = true;
    };
  };

  services.oauth2-proxy = {
    enable = true;
    provider = "oidc";
    oidcIssuerUrl = "https://${dexHost}";
    clientID = "frigate";
    clientSecretFile = "/run/secrets/frigate-oidc-client-secret";
    cookie.secretFile = "/run/secrets/oauth2-proxy-cookie-secret";
    redirectURL = "https://${frigateHost}/oauth2/callback";
    # dex only returns the groups claim when the "groups" scope is requested.
    scope = "openid email profile groups";
    email.domains = [ "*" ];
    httpAddress = "http://127.0.0.1:4180";
    reverseProxy = true;
    setXauthrequest = true;
    upstream = [ "static://202" ];
    extraConfig = {
      code-challenge-method = "S256";
      skip-provider-button = true;
      whitelist-domain = frigateHost;
    };
  };

  services.dex = {
    enable = true;
    environmentFile = "/run/secrets/dex.env";
    settings = {
      issuer = "https://${dexHost}";
      web.http = "127.0.0.1:5556";
      storage = {
        type = "sqlite3";
        config.file = "/var/lib/dex/dex.db";
      };
      enablePasswordDB = true;
      staticPasswords = [
        {
          email = "alice@example.com";
          username = "alice";
          userID = "5f4e1b2c-8a3d-4c61-9f0e-2b7d6a1c3e90";
          # Generate with: htpasswd -BnC 10 "" | tr -d ':\n'
          hash = "$2y$10$replace.with.a.real.bcrypt.hash.of.alices.password";
        }
      ];
      staticClients = [
        {
          id = "frigate";
          name = "Frigate";
          redirectURIs = [ "https://${frigateHost}/oauth2/callback" ];
          # dex expands $FRIGATE_CLIENT_SECRET from environmentFile.
          secretEnv = "FRIGATE_CLIENT_SECRET";
        }
      ];
    };
  };

  services.nginx.virtualHosts.${dexHost} = {
    forceSSL = true;
    enableACME = true;
    locations."/".proxyPass = "http://127.0.0.1:5556";
  };

  security.acme = {
    acceptTerms = true;
    defaults.email = "admin@example.com";
  };
  networking.firewall.allowedTCPPorts = [
    80
    443
  ];
}
