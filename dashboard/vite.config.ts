// One build for both targets: the Worker serves dist/ as static assets, the native binary embeds it.
// Everything lives under /dashboard/ so the router's own routes (/v1, /api, /health) stay free.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";

export default defineConfig({
  base: "/dashboard/",
  plugins: [react(), tailwindcss()],
  build: {
    outDir: "dist/dashboard",
    emptyOutDir: true,
    // The bundle budget is 250 KB gzip of initial JS; warn well before that.
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev` against a router on the default port.
    proxy: { "/api": "http://127.0.0.1:20128", "/v1": "http://127.0.0.1:20128" },
  },
});
