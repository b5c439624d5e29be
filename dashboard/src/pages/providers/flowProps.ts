/** What every OAuth flow component gets. */
export interface FlowProps {
  provider: string;
  name?: string;
  /** Reconnect this existing account: the login replaces its credentials instead of adding an account. */
  connectionId?: string;
  onConnected: () => void;
  onCancel: () => void;
}
