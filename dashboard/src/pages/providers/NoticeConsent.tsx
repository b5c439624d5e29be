import { useState } from "react";
import { Button } from "../../components/Button";
import { Toggle } from "../../components/Toggle";

/** A provider's notice (terms, ban risk…), which the user must accept before connecting. */
export function NoticeConsent({ notice, onAccept, onCancel }: { notice: string; onAccept: () => void; onCancel: () => void }) {
  const [agreed, setAgreed] = useState(false);
  return (
    <div className="flex flex-col gap-4">
      <div role="note" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm whitespace-pre-line text-amber-900">
        {notice}
      </div>
      <Toggle label="I have read this and want to connect anyway" checked={agreed} onChange={setAgreed} />
      <div className="flex justify-end gap-2">
        <Button onClick={onCancel}>Cancel</Button>
        <Button variant="primary" disabled={!agreed} onClick={onAccept}>
          Continue
        </Button>
      </div>
    </div>
  );
}
