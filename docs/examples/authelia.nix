# Frigate behind Authelia's AuthRequest endpoint. Authelia answers 401 with
# a Location header pointing at its portal, so signInUrl stays null and
# nginx redirects browsers to that Location.
# Secrets outside the Nix store, each a long random string:
#   /run/secrets/authelia/jwt, /run/secrets/authelia/storage, /run/secrets/authelia/session
# Users: /var/lib/authelia-main/users.yml (Authelia's file backend format).
{ ... }:
let
  frigateHost = "frigate.example.com";
  autheliaHost = "auth.example.com";
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
      authRequestUrl = "http://127.0.0.1:9091/api/authz/auth-request";
      signOutUrl = "https://${autheliaHost}/logout";
      reverseProxy = {
        userHeader = "Remote-User";
        roleHeader = null;
        groupsHeader = "Remote-Groups";
        emailHeader = "Remote-Email";
        nameHeader = "Remote-Name";
        roleMap = {
          admin = [ "frigate_admins" ];
          viewer = [ "frigate_users" ];
        };
      };
    };
  };

  services.nginx.virtualHosts.${frigateHost} = {
    forceSSL = true;
    enableACME = true;
  };

  services.authelia.instances.main = {
    enable = true;
    secrets = {
      jwtSecretFile = "/run/secrets/authelia/jwt";
      storageEncryptionKeyFile = "/run/secrets/authelia/storage";
      sessionSecretFile = "/run/secrets/authelia/session";
    };
    settings = {
      server.address = "tcp://127.0.0.1:9091/";
      authentication_backend.file.path = "/var/lib/authelia-main/users.yml";
      access_control = {
        default_policy = "deny";
        rules = [
          {
            domain = frigateHost;
            subject = [
              "group:frigate_admins"
              "group:frigate_users"
            ];
            policy = "two_factor";
          }
        ];
      };
      # authelia_url must be https; the session cookie covers both hosts.
      session.cookies = [
        {
          domain = "example.com";
          authelia_url = "https://${autheliaHost}";
          default_redirection_url = "https://${frigateHost}";
        }
      ];
      storage.local.path = "/var/lib/authelia-main/db.sqlite3";
      notifier.filesystem.filename = "/var/lib/authelia-main/notifications.txt";
    };
  };

  services.nginx.virtualHosts.${autheliaHost} = {
    forceSSL = true;
    enableACME = true;
    locations."/" = {
      proxyPass = "http://127.0.0.1:9091";
      recommendedProxySettings = true;
    };
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
