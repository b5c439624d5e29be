// The dashboard's pages: path, sidebar label and component. Pages other than the first load on demand.
import { lazy, type ComponentType, type LazyExoticComponent } from "react";
import { EndpointPage } from "./pages/endpoint/EndpointPage";

export interface PageEntry {
  path: string;
  label: string;
  component: ComponentType | LazyExoticComponent<ComponentType>;
}

const named = <K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) =>
  lazy(() => load().then((m) => ({ default: m[name] })));

export const PAGES: PageEntry[] = [
  { path: "/endpoint", label: "Endpoint", component: EndpointPage },
  { path: "/providers", label: "Providers", component: named(() => import("./pages/providers/ProvidersPage"), "ProvidersPage") },
  { path: "/combos", label: "Combos", component: named(() => import("./pages/combos/CombosPage"), "CombosPage") },
  { path: "/aliases", label: "Aliases", component: named(() => import("./pages/aliases/AliasesPage"), "AliasesPage") },
  { path: "/keys", label: "API keys", component: named(() => import("./pages/keys/KeysPage"), "KeysPage") },
  { path: "/usage", label: "Usage", component: named(() => import("./pages/usage/UsagePage"), "UsagePage") },
  { path: "/prices", label: "Prices", component: named(() => import("./pages/prices/PricesPage"), "PricesPage") },
  { path: "/logs", label: "Logs", component: named(() => import("./pages/logs/LogsPage"), "LogsPage") },
  { path: "/settings", label: "Settings", component: named(() => import("./pages/settings/SettingsPage"), "SettingsPage") },
];

/** The page for a path ("/" is the endpoint page); undefined for unknown paths. */
export function pageFor(path: string): PageEntry | undefined {
  if (path === "/") return PAGES[0];
  return PAGES.find((p) => p.path === path || path.startsWith(`${p.path}/`));
}
