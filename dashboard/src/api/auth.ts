// Login, status, password change and logout.
import { api, ApiError, isNotFound } from "./client";
import type { AuthStatus } from "./types";

/**
 * Where the session stands. Routers without `/api/auth/status` (older builds) are probed through a
 * management call: 200 means logged in, 401 means not; they never insist on a password change.
 */
export async function fetchAuthStatus(): Promise<AuthStatus> {
  try {
    const status = await api<AuthStatus>("GET", "/api/auth/status", undefined, { quiet401: true });
    return { authenticated: Boolean(status?.authenticated), mustChangePassword: Boolean(status?.mustChangePassword) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { authenticated: false, mustChangePassword: false };
    if (!isNotFound(error)) throw error;
  }
  try {
    await api("GET", "/api/settings", undefined, { quiet401: true });
    return { authenticated: true, mustChangePassword: false };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { authenticated: false, mustChangePassword: false };
    throw error;
  }
}

/** Logs in; the session arrives as an HttpOnly cookie. */
export async function login(password: string): Promise<void> {
  await api("POST", "/api/auth/login", { password }, { quiet401: true });
}

/** Changes the password (the server renews the session cookie). */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api("POST", "/api/auth/password", { currentPassword, newPassword }, { quiet401: true });
}

/** Ends the session. */
export async function logout(): Promise<void> {
  await api("POST", "/api/auth/logout", undefined, { quiet401: true });
}
