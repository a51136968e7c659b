# Frigate behind oauth2-proxy, with Kanidm as the OpenID Connect provider.
# Kanidm, oauth2-proxy and Frigate run on one host; nginx terminates TLS.
# Secrets are files outside the Nix store (create them before the first
# switch, for example with sops-nix or agenix):
#   /run/secrets/frigate-oidc-client-secret   the OAuth2 client secret
#   /run/secrets/oauth2-proxy-cookie-secret   `openssl rand -hex 16` (32 bytes)
#   /run/secrets/kanidm-admin-password, /run/secrets/kanidm-idm-admin-password
{ pkgs, ... }:
let
  frigateHost = "frigate.example.com";
  kanidmHost = "idm.example.com";
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
        # X-Auth-Request-User is the OIDC `sub` claim, an opaque UUID with Kanidm.
        userHeader = "X-Auth-Request-Preferred-Username";
        emailHeader = "X-Auth-Request-Email";
        # Kanidm's scope map below already limits sign-in to frigate_users,
        # so everyone who gets through is an administrator.
        roleHeader = null;
        defaultRole = "admin";
      };
    };
  };

  services.nginx.virtualHosts.${frigateHost} = {
    forceSSL = true;
    enableACME = true;
    # oauth2-proxy's own pages: sign-in, callback and sign-out.
    locations."/oauth2/" = {
      proxyPass = "http://127.0.0.1:4180";
      recommendedProxySettings = true;
    };
  };

  services.oauth2-proxy = {
    enable = true;
    provider = "oidc";
    oidcIssuerUrl = "https://${kanidmHost}/oauth2/openid/frigate";
    clientID = "frigate";
    clientSecretFile = "/run/secrets/frigate-oidc-client-secret";
    # Must decode to 16, 24 or 32 bytes: `openssl rand -hex 16` prints 32
    # characters, which oauth2-proxy takes as 32 bytes. `openssl rand -base64 32`
    # output is usually rejected.
    cookie.secretFile = "/run/secrets/oauth2-proxy-cookie-secret";
    redirectURL = "https://${frigateHost}/oauth2/callback";
    scope = "openid email profile groups";
    email.domains = [ "*" ];
    httpAddress = "http://127.0.0.1:4180";
    reverseProxy = true;
    # Adds X-Auth-Request-User, -Email, -Preferred-Username and -Groups to the
    # 202 response of /oauth2/auth.
    setXauthrequest = true;
    # auth_request mode never proxies through oauth2-proxy, so a static
    # upstream is enough.
    upstream = [ "static://202" ];
    extraConfig = {
      # Kanidm rejects OAuth2 clients without PKCE.
      code-challenge-method = "S256";
      skip-provider-button = true;
      whitelist-domain = frigateHost;
    };
  };

  services.kanidm = {
    enableServer = true;
    # Provisioning a client secret needs Kanidm's secret provisioning patches.
    package = pkgs.kanidm.withSecretProvisioning;
    serverSettings = {
      domain = kanidmHost;
      origin = "https://${kanidmHost}";
      bindaddress = "127.0.0.1:8443";
      tls_chain = "/var/lib/acme/${kanidmHost}/fullchain.pem";
      tls_key = "/var/lib/acme/${kanidmHost}/key.pem";
    };

    provision = {
      enable = true;
      adminPasswordFile = "/run/secrets/kanidm-admin-password";
      idmAdminPasswordFile = "/run/secrets/kanidm-idm-admin-password";
      groups.frigate_users = { };
      persons.alice = {
        displayName = "Alice";
        mailAddresses = [ "alice@example.com" ];
        groups = [ "frigate_users" ];
      };
      systems.oauth2.frigate = {
        displayName = "Frigate";
        originUrl = "https://${frigateHost}/";
        originLanding = "https://${frigateHost}/";
        basicSecretFile = "/run/secrets/frigate-oidc-client-secret";
        # Without this, preferred_username is the SPN (alice@idm.example.com).
        preferShortUsername = true;
        scopeMaps.frigate_users = [
          "openid"
          "email"
          "profile"
          "groups"
        ];
      };
    };
  };

  # Kanidm requires TLS even on loopback; reuse the ACME certificate.
  services.nginx.virtualHosts.${kanidmHost} = {
    forceSSL = true;
    enableACME = true;
    locations."/".proxyPass = "https://127.0.0.1:8443";
  };
  users.users.kanidm.extraGroups = [ "nginx" ];

  security.acme = {
    acceptTerms = true;
    defaults.email = "admin@example.com";
  };
  networking.firewall.allowedTCPPorts = [
    80
    443
  ];
}
