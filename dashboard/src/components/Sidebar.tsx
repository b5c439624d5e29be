import { Link, usePath } from "../router/router";
import { PAGES, pageFor } from "../pages";
import { Button } from "./Button";

/** The navigation: one link per page, the current one marked, and logout. */
export function Sidebar({ onLogout }: { onLogout: () => void }) {
  const current = pageFor(usePath());
  return (
    <nav aria-label="Main" className="flex h-full flex-col bg-slate-900 text-slate-200">
      <div className="px-5 py-5 text-lg font-semibold tracking-tight text-white">
        9router <span className="text-xs font-normal text-slate-400">dashboard</span>
      </div>
      <ul className="flex-1 space-y-0.5 px-2">
        {PAGES.map((page) => {
          const active = current?.path === page.path;
          return (
            <li key={page.path}>
              <Link
                to={page.path}
                aria-current={active ? "page" : undefined}
                className={`block rounded-md px-3 py-2 text-sm focus-visible:outline-2 focus-visible:outline-indigo-400 ${active ? "bg-slate-700 font-medium text-white" : "hover:bg-slate-800 hover:text-white"}`}
              >
                {page.label}
              </Link>
            </li>
          );
        })}
      </ul>
      <div className="border-t border-slate-800 p-3">
        <Button variant="ghost" className="w-full !text-slate-300 hover:!bg-slate-800" onClick={onLogout}>
          Log out
        </Button>
      </div>
    </nav>
  );
}
