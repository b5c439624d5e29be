import { useEffect, useState, type FormEvent } from "react";
import { login } from "../api/auth";
import { ApiError, errorMessage } from "../api/client";
import { AuthShell } from "./AuthShell";
import { TextField } from "../components/TextField";
import { Button } from "../components/Button";
import { ErrorNote } from "../components/ErrorNote";

/** "45 seconds" or "15 minutes". */
const spoken = (secs: number) => (secs < 90 ? `${secs} seconds` : `${Math.ceil(secs / 60)} minutes`);

/** "45 s" or "14:59". */
const countdown = (secs: number) => (secs < 60 ? `${secs} s` : `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, "0")}`);

/** Password login; wrong passwords say so, rate limiting counts down until the next try. */
export function LoginPage({ onLoggedIn }: { onLoggedIn: () => Promise<void> }) {
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (retryAt === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(timer);
  }, [retryAt]);

  const waitSecs = retryAt === null ? 0 : Math.max(0, Math.ceil((retryAt - now) / 1000));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(password);
      await onLoggedIn();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setError("Wrong password.");
      else if (e instanceof ApiError && e.status === 429) {
        const secs = e.retryAfterSecs ?? 60;
        setRetryAt(Date.now() + secs * 1000);
        setNow(Date.now());
        setError(`Too many failed attempts. Try again in ${spoken(secs)}.`);
      } else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthShell title="Log in">
      <form onSubmit={(e) => void submit(e)} className="flex flex-col gap-4">
        <TextField label="Password" type="password" autoComplete="current-password" autoFocus required value={password} onChange={setPassword} />
        <ErrorNote>{error}</ErrorNote>
        <Button type="submit" variant="primary" disabled={busy || waitSecs > 0 || !password}>
          {waitSecs > 0 ? `Wait ${countdown(waitSecs)}` : busy ? "Logging in…" : "Log in"}
        </Button>
        <p className="text-xs text-slate-500">
          On first start the password is the router's <code>INITIAL_PASSWORD</code> (default <code>123456</code>); you will be asked to change it.
        </p>
      </form>
    </AuthShell>
  );
}
