import { autheliaScenario } from "./authelia.ts";
import { authentikScenario } from "./authentik.ts";
import { frigateScenario } from "./frigate.ts";
import { oauth2ProxyScenario } from "./oauth2-proxy.ts";
import type { BackendName, Scenario } from "./types.ts";

export { backendNames, type BackendName, type Scenario, type ScenarioUser } from "./types.ts";

export const bundledScenarios: Record<BackendName, Scenario> = {
  "oauth2-proxy": oauth2ProxyScenario,
  authelia: autheliaScenario,
  authentik: authentikScenario,
  frigate: frigateScenario,
};
