/** Which endpoint configs, variants and endpoints host each model, and which endpoints use each config. Pure. */
import type { RegionInventory } from '../../inventory/schema.ts';

export interface Hosting {
  endpointConfigName: string;
  variantName: string;
  serverless: boolean;
  initialInstanceCount: number | null;
  endpoints: string[];
}

/** Endpoint names by the endpoint config they use. */
export function endpointsByConfig(scope: Pick<RegionInventory, 'endpoints'>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const e of scope.endpoints) {
    if (!e.endpointConfigName) continue;
    const list = map.get(e.endpointConfigName);
    if (list) list.push(e.endpointName);
    else map.set(e.endpointConfigName, [e.endpointName]);
  }
  return map;
}

/** The production variants (with their config and endpoints) that host each model, as far as the inventory shows. */
export function hostingByModel(
  scope: Pick<RegionInventory, 'endpoints' | 'endpointConfigs'>,
): Map<string, Hosting[]> {
  const endpoints = endpointsByConfig(scope);
  const map = new Map<string, Hosting[]>();
  for (const c of scope.endpointConfigs) {
    for (const v of c.productionVariants) {
      if (!v.modelName) continue;
      const hosting: Hosting = {
        endpointConfigName: c.endpointConfigName,
        variantName: v.variantName,
        serverless: v.serverless,
        initialInstanceCount: v.initialInstanceCount ?? null,
        endpoints: endpoints.get(c.endpointConfigName) ?? [],
      };
      const list = map.get(v.modelName);
      if (list) list.push(hosting);
      else map.set(v.modelName, [hosting]);
    }
  }
  return map;
}

/** " (served by endpoint ep-1, ep-2)" or "" when the inventory shows no endpoint serving it. */
export function servedByText(hosting: readonly Hosting[] | undefined): string {
  const endpoints = [...new Set((hosting ?? []).flatMap((h) => h.endpoints))];
  return endpoints.length
    ? ` (served by endpoint${endpoints.length > 1 ? 's' : ''} ${endpoints.join(', ')})`
    : '';
}
