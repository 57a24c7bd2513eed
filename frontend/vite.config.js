import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Flask API (python -m api_panel serve) listens on 5000; the dev server proxies to it so the
// browser talks to one origin and the token never needs CORS. API_TARGET overrides it (another port).
const target = process.env.API_TARGET || "http://127.0.0.1:5000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      "/api": { target, changeOrigin: false },
      "/socket.io": { target, ws: true, changeOrigin: false },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: false,
    manifest: true, // .vite/manifest.json: scripts/sizes.mjs reads the chunk graph from it
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "jsdom",
    globals: false,
    setupFiles: ["./src/test/setup.js"],
    include: ["src/**/*.test.{js,jsx}"],
    css: false,
    restoreMocks: true,
    unstubGlobals: true,
  },
});
