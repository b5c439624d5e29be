/** Names for the ids usage records carry. */
export interface UsageNames {
  accounts: Map<string, string>;
  keys: Map<string, string>;
}
