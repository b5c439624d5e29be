import { AuthShell } from "./AuthShell";
import { ChangePasswordForm } from "./ChangePasswordForm";
import { Button } from "../components/Button";

/** Shown instead of the dashboard while the password is still the initial one: change it or log out. */
export function ForcedPasswordChange({ onChanged, onLogout }: { onChanged: () => Promise<void>; onLogout: () => Promise<void> }) {
  return (
    <AuthShell title="Choose a new password">
      <p className="mb-4 text-sm text-slate-600">
        The router still uses its initial password. Anyone who knows the default could manage it, so choose your own before going on.
      </p>
      <ChangePasswordForm onChanged={onChanged} submitLabel="Save and continue" />
      <div className="mt-4 border-t border-slate-100 pt-3">
        <Button variant="ghost" small onClick={() => void onLogout()}>
          Log out
        </Button>
      </div>
    </AuthShell>
  );
}
