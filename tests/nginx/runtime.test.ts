import { describe, expect, it } from "vitest";

import { neutraliseDirectives, parseCapabilities } from "../../scripts/nginx/runtime.ts";

const debian = parseCapabilities(
  "nginx version: nginx/1.22.1\nconfigure arguments: --with-threads --with-http_auth_request_module",
);

const config = `http {
  server {
    aio on;
    vod_mode mapped;
    location /vod/ {
      vod hls;
      secure_token $args;
      aio threads;
      expires off;
    }
  }
}`;

describe("neutraliseDirectives", () => {
  const { text, neutralised } = neutraliseDirectives(config, debian);

  it("comments out missing module directives", () => {
    expect(text).toContain("# neutralised: vod hls;");
    expect(text).toContain("# neutralised: vod_mode mapped;");
    expect(text).toContain("# neutralised: secure_token $args;");
    expect(text).toContain("# neutralised: aio on;");
  });

  it("keeps directives this nginx supports", () => {
    expect(text).toMatch(/^\s+aio threads;$/m);
    expect(text).toMatch(/^\s+expires off;$/m);
  });

  it("lists each directive with its context", () => {
    expect(neutralised.map((entry) => [entry.directive, entry.context])).toEqual([
      ["aio", "server"],
      ["vod_mode", "server"],
      ["vod", "location /vod/"],
      ["secure_token", "location /vod/"],
    ]);
  });

  it("keeps everything with every module", () => {
    const full = { fileAio: true, threads: true, vod: true, secureToken: true };

    expect(neutraliseDirectives(config, full).neutralised).toEqual([]);
  });
});
