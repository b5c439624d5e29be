import { useState } from "react";
import type { CatalogEntry, Connection } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { NoticeConsent } from "./NoticeConsent";
import { AddApiKeyForm } from "./AddApiKeyForm";
import { OAuthConnect } from "./OAuthConnect";

/**
 * Connecting one provider: its notice first (opt-in), then the API-key form or an OAuth flow. With `reconnect`,
 * the OAuth flow logs that existing account in again.
 */
export function ConnectDialog({ entry, reconnect, oauthAvailable, onClose, onConnected }: { entry: CatalogEntry | null; reconnect?: Connection | null; oauthAvailable: boolean; onClose: () => void; onConnected: () => void }) {
  const [accepted, setAccepted] = useState<string | null>(null);
  const close = () => {
    setAccepted(null);
    onClose();
  };
  const done = () => {
    setAccepted(null);
    onConnected();
  };
  const needsConsent = Boolean(entry?.notice) && accepted !== entry?.id;
  return (
    <Dialog open={entry !== null} title={reconnect ? `Reconnect ${reconnect.name}` : entry ? `Connect ${entry.name}` : "Connect"} onClose={close}>
      {entry === null ? null : needsConsent ? (
        <NoticeConsent notice={entry.notice ?? ""} onAccept={() => setAccepted(entry.id)} onCancel={close} />
      ) : entry.auth === "oauth" ? (
        <OAuthConnect entry={entry} available={oauthAvailable} connectionId={reconnect?.id} onConnected={done} onCancel={close} />
      ) : (
        <AddApiKeyForm entry={entry} onCreated={done} onCancel={close} />
      )}
    </Dialog>
  );
}
