/** What every OAuth flow component gets. */
export interface FlowProps {
  provider: string;
  name?: string;
  onConnected: () => void;
  onCancel: () => void;
}
