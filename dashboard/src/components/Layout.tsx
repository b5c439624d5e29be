import { Suspense } from "react";
import { usePath } from "../router/router";
import { pageFor } from "../pages";
import { Sidebar } from "./Sidebar";
import { Loading } from "./Loading";
import { EmptyState } from "./EmptyState";

/** Sidebar on the left, the current page on the right. */
export function Layout({ onLogout }: { onLogout: () => void }) {
  const path = usePath();
  const page = pageFor(path);
  const Page = page?.component;
  return (
    <div className="flex min-h-screen">
      <aside className="w-52 shrink-0 bg-slate-900">
        <div className="sticky top-0 h-screen">
          <Sidebar onLogout={onLogout} />
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6">
        <div className="mx-auto max-w-6xl">
          {Page ? (
            <Suspense fallback={<Loading />}>
              <Page />
            </Suspense>
          ) : (
            <EmptyState title="No such page">There is no dashboard page at /dashboard{path}.</EmptyState>
          )}
        </div>
      </main>
    </div>
  );
}
