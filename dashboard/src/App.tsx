import { useAuth } from "./auth/useAuth";
import { LoginPage } from "./auth/LoginPage";
import { ForcedPasswordChange } from "./auth/ForcedPasswordChange";
import { Layout } from "./components/Layout";
import { Loading } from "./components/Loading";
import { ErrorNote } from "./components/ErrorNote";
import { Button } from "./components/Button";

/** Decides between login, the forced password change and the dashboard. */
export function App() {
  const auth = useAuth();
  if (auth.error && !auth.status) {
    return (
      <div className="mx-auto mt-24 flex max-w-md flex-col gap-3 px-4">
        <ErrorNote error={auth.error} />
        <Button onClick={() => void auth.refresh()}>Retry</Button>
      </div>
    );
  }
  if (!auth.status) {
    return (
      <div className="mx-auto mt-24 max-w-md px-4">
        <Loading />
      </div>
    );
  }
  if (!auth.status.authenticated) return <LoginPage onLoggedIn={auth.refresh} />;
  if (auth.status.mustChangePassword) return <ForcedPasswordChange onChanged={auth.refresh} onLogout={auth.logout} />;
  return <Layout onLogout={() => void auth.logout()} />;
}
