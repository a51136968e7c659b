/** Loads the options.json fixture shared by the docs tests. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { parseOptionsJson, type OptionsJson } from "../../scripts/docs/options-json.ts";

export const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
export const fixtureFile = fileURLToPath(
  new URL("../fixtures/options/options.json", import.meta.url),
);
export const fixtureRoot = fileURLToPath(new URL("../fixtures/options", import.meta.url));

export function loadFixture(): OptionsJson {
  return parseOptionsJson(readFileSync(fixtureFile, "utf8"), "fixture");
}

/** The option names from the planned option list, each of which the fixture must contain. */
export const plannedOptions = [
  "authRequestUrl",
  "authRequestTimeout",
  "signInUrl",
  "signOutUrl",
  "reverseProxy.userHeader",
  "reverseProxy.roleHeader",
  "reverseProxy.groupsHeader",
  "reverseProxy.emailHeader",
  "reverseProxy.nameHeader",
  "reverseProxy.defaultRole",
  "reverseProxy.roleMap",
  "reverseProxy.separator",
].map((name) => `services.frigate.nginx.${name}`);
