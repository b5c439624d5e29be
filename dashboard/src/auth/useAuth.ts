// The session as the app sees it: unknown while probing, then logged out, forced to change the password, or in.
import { useCallback, useEffect, useState } from "react";
import { fetchAuthStatus, logout as apiLogout } from "../api/auth";
import { onUnauthorized } from "../api/client";
import type { AuthStatus } from "../api/types";

export interface Auth {
  status: AuthStatus | null;
  error: unknown;
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
}

export function useAuth(): Auth {
  const [status, setStatus] = useState<AuthStatus | null>(null);
  const [error, setError] = useState<unknown>(null);

  const refresh = useCallback(async () => {
    try {
      setStatus(await fetchAuthStatus());
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);

  const logout = useCallback(async () => {
    try {
      await apiLogout();
    } finally {
      setStatus({ authenticated: false, mustChangePassword: false });
    }
  }, []);

  useEffect(() => {
    void refresh();
    return onUnauthorized(() => setStatus({ authenticated: false, mustChangePassword: false }));
  }, [refresh]);

  return { status, error, refresh, logout };
}
