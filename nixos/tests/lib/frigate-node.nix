# The Frigate part of a test VM: the real Frigate from nixpkgs with one camera
# named `front` (the name nixos/tests/http-cases.json uses), fed by a local
# ffmpeg test pattern so that Frigate starts without any hardware. The
# project's module is not imported here: the caller adds it through the
# test's `defaults`.
{ hostname }:
{ lib, pkgs, ... }:
{
  virtualisation.memorySize = 2048;

  networking.hosts."127.0.0.1" = [ hostname ];

  environment.systemPackages = [ pkgs.curl ];

  services.frigate = {
    enable = true;
    inherit hostname;
    settings = {
      mqtt.enabled = false;
      record.enabled = true;
      cameras.front.ffmpeg.inputs = [
        {
          path = "http://127.0.0.1:8554/front";
          roles = [ "record" ];
        }
      ];
    };
  };

  # A 5 fps MPEG-TS test pattern over HTTP; ffmpeg serves one client at a
  # time and is restarted after Frigate's reader disconnects.
  systemd.services.frigate-test-camera = {
    description = "Test pattern for Frigate's camera front";
    wantedBy = [ "multi-user.target" ];
    before = [ "frigate.service" ];
    serviceConfig = {
      DynamicUser = true;
      Restart = "always";
      RestartSec = "1s";
      ExecStart = lib.concatStringsSep " " [
        (lib.getExe pkgs.ffmpeg-headless)
        "-re -f lavfi -i testsrc=size=640x360:rate=5"
        "-f mpegts -listen 1 http://127.0.0.1:8554/front"
      ];
    };
  };
}
