# Frigate behind an authentik proxy outpost. authentik is not packaged as a
# NixOS module in nixpkgs, so this assumes an outpost that already runs on
# another machine of the private network (here 10.0.0.5:9000), with a Proxy
# Provider in "Forward auth (single application)" mode for
# https://frigate.example.com.
{ ... }:
let
  frigateHost = "frigate.example.com";
  outpost = "http://10.0.0.5:9000";
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
      authRequestUrl = "${outpost}/outpost.goauthentik.io/auth/nginx";
      signInUrl = "/outpost.goauthentik.io/start";
      signOutUrl = "/outpost.goauthentik.io/sign_out";
      reverseProxy = {
        userHeader = "X-authentik-username";
        roleHeader = null;
        groupsHeader = "X-authentik-groups";
        emailHeader = "X-authentik-email";
        nameHeader = "X-authentik-name";
        # authentik joins group names with "|".
        separator = "|";
        roleMap = {
          admin = [ "Frigate Admins" ];
          viewer = [ "Frigate Users" ];
        };
      };
    };
  };

  services.nginx.virtualHosts.${frigateHost} = {
    forceSSL = true;
    enableACME = true;
    # The outpost's own pages (start, callback, sign_out) live under this
    # path on the protected host.
    locations."/outpost.goauthentik.io" = {
      proxyPass = "${outpost}/outpost.goauthentik.io";
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
