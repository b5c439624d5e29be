import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { RouterProvider } from "./router/router";
import "./styles.css";

// After an upgrade the old page's lazy chunks are gone: load the new app once instead of failing.
window.addEventListener("vite:preloadError", (event) => {
  const last = Number(sessionStorage.getItem("9router-reloaded-at") ?? 0);
  if (Date.now() - last < 10_000) return;
  event.preventDefault();
  sessionStorage.setItem("9router-reloaded-at", String(Date.now()));
  window.location.reload();
});

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <RouterProvider>
        <App />
      </RouterProvider>
    </StrictMode>,
  );
}
