// What the browser tests stand on: the real `steady serve`, a website on a
// second loopback origin that embeds the widget with the one tag, and
// Debian's headless Chromium driven by playwright-core. Loopback only;
// every process started here is stopped when the tests end, pass or fail,
// and a guard timer ends a run that hangs.
//
// Environment (cmake/browser_tests.cmake sets it):
//   STEADY_BINARY         the steady binary
//   STEADY_SOURCE_DIR     the checkout (shipped content)
//   STEADY_NODE_MODULES   where tests/browser/install put playwright-core and axe-core
//   STEADY_SCREENSHOT_DIR where screenshots go (under the build folder)
//   STEADY_CHROMIUM       the browser (default /usr/bin/chromium)
import { spawn } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through ctest (see tests/browser/README.md)`);
  return value;
}

export const binary = required("STEADY_BINARY");
export const sourceDir = required("STEADY_SOURCE_DIR");
export const screenshotDir = required("STEADY_SCREENSHOT_DIR");
const nodeModules = required("STEADY_NODE_MODULES");
const chromiumPath = process.env.STEADY_CHROMIUM || "/usr/bin/chromium";

const require = createRequire(path.join(nodeModules, "noop.js"));
export const { chromium } = require("playwright-core");
export const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// ---- Every process started here, stopped however the run ends -------------

const children = new Set();
function killAll() {
  for (const child of children) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    killAll();
    process.exit(1);
  });
}
// The whole run must end within this; ctest's own timeout is later.
const RUN_LIMIT_MS = 360_000;
setTimeout(() => {
  console.error(`browser tests: still running after ${RUN_LIMIT_MS / 1000} s; stopping`);
  killAll();
  process.exit(1);
}, RUN_LIMIT_MS).unref();

export function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "steady-browser-"));
  process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// ---- steady serve ------------------------------------------------------------

// Starts `steady serve` on 127.0.0.1 (port 0: any free one) and resolves once
// it prints its address. Its stderr (the JSON access log) is kept.
export async function startSteady({ db, port = 0, allowOrigins = [] }) {
  const args = ["serve", "--host", "127.0.0.1", "--port", String(port), "--db", db,
                "--content", sourceDir];
  for (const origin of allowOrigins) args.push("--allow-origin", origin);
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  const log = [];
  let stdout = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => log.push(chunk));
  child.stdout.setEncoding("utf8");
  const exited = once(child, "exit");
  const bound = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`steady serve did not start: ${stdout}${log.join("")}`)), 20_000);
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const m = stdout.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`steady serve exited (${code}) before listening: ${stdout}${log.join("")}`));
    });
  });
  const origin = `http://127.0.0.1:${bound}`;
  return {
    port: bound,
    origin,
    // The access log's entries so far, parsed.
    accessLog() {
      return log.join("").split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    },
    // SIGTERM, as an operator stops it; SIGKILL if it takes over 10 s.
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
      children.delete(child);
    },
    // The API, called from the test (no browser): for checking what the
    // server holds.
    async get(pathname) {
      const r = await fetch(origin + pathname);
      return { status: r.status, body: r.status === 200 ? await r.json() : null };
    },
  };
}

// ---- The website that embeds the widget ------------------------------------------

// A deliberately unfriendly stylesheet: if the widget's styles leaked out or
// the page's leaked in, the tests would see it.
const HOST_CSS = `
html { font-size: 10px; }
* { font-family: "DejaVu Serif", serif !important; color: rgb(120, 0, 0) !important; letter-spacing: 2px; }
button { background: rgb(255, 214, 232) !important; border: 5px dashed rgb(0, 0, 255); padding: 30px; }
div { margin: 13px; padding: 7px; }
p { line-height: 3; }
body { padding: 2rem; background: #fffdf6; }
`;

function escapeAttribute(value) {
  return String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

// Serves, on its own loopback origin, a page that embeds the widget with the
// one tag: <script src="API/widget.js" data-title="Talk to Coach" defer>.
// Query parameters named data-* become attributes of that tag
// (/?data-shared-device= adds data-shared-device). The page is sent with
// the Content-Security-Policy docs/widget.md tells sites to use, so any
// inline script or style, eval or request elsewhere would be refused.
export async function startHostSite() {
  let api = null;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    if (url.pathname === "/host.css") {
      res.writeHead(200, { "Content-Type": "text/css; charset=utf-8" });
      res.end(HOST_CSS);
      return;
    }
    if (url.pathname !== "/") {
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found");
      return;
    }
    const attributes = [`data-title="Talk to Coach"`];
    for (const [name, value] of url.searchParams) {
      if (/^data-[a-z-]+$/.test(name)) {
        attributes.push(value === "" ? name : `${name}="${escapeAttribute(value)}"`);
      }
    }
    const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Riverside Clinic</title>
<link rel="stylesheet" href="/host.css">
</head>
<body>
<header><h1>Riverside Clinic</h1></header>
<main>
<p id="host-text">We are open Monday to Friday. Our staff can help you find care.</p>
<p><a href="#hours">Opening hours</a></p>
<button type="button" id="host-button">Book a visit</button>
</main>
<script src="${api}/widget.js" ${attributes.join(" ")} defer></script>
</body>
</html>`;
    res.writeHead(200, {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": hostCsp(api),
      "Cache-Control": "no-store",
    });
    res.end(page);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    setApi(apiOrigin) {
      api = apiOrigin;
    },
    async close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

// The policy docs/widget.md gives for a site that embeds the widget.
export function hostCsp(api) {
  return [
    "default-src 'self'",
    `script-src 'self' ${api}`,
    `style-src 'self' ${api}`,
    `connect-src 'self' ${api}`,
    "object-src 'none'",
    "base-uri 'none'",
  ].join("; ");
}

// ---- Chromium --------------------------------------------------------------

export async function launchBrowser() {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} not found: run scripts/test as root once to install chromium`);
  }
  const args = [
    "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps",
  ];
  // Chromium's sandbox can't start as root; CI runs as root.
  if (process.getuid && process.getuid() === 0) args.push("--no-sandbox");
  return chromium.launch({ executablePath: chromiumPath, headless: true, args, timeout: 30_000 });
}

// A fresh browser profile (its own localStorage) with a page that records
// what a person could never see but a test must: requests to other origins,
// console output, script errors and CSP refusals.
export async function openPage(browser, { viewport = { width: 1280, height: 800 }, allowedOrigins }) {
  const context = await browser.newContext({ viewport, reducedMotion: "reduce" });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const record = { console: [], errors: [], foreignRequests: [], requests: [] };
  page.on("console", (m) => record.console.push(`${m.type()}: ${m.text()}`));
  page.on("pageerror", (e) => record.errors.push(String(e)));
  page.on("request", (r) => {
    record.requests.push(r.url());
    const url = new URL(r.url());
    if (!["http:", "https:"].includes(url.protocol)) return;
    if (!allowedOrigins.includes(url.origin)) record.foreignRequests.push(r.url());
  });
  return { context, page, record };
}

// Lines of the widget's message log, as a person reads them: "you: ..." or
// "coach: ..." (the screen reader prefix tells which).
export async function transcriptOnScreen(page) {
  return page.getByRole("log").locator(".msg:not(.typing)").evaluateAll((nodes) =>
    nodes.map((n) => `${n.classList.contains("user") ? "you" : "coach"}: ${n.querySelector("p").textContent}`));
}

// Polls `fn` until it returns something truthy; throws after `ms`.
export async function eventually(fn, what, ms = 15_000) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

export function screenshotPath(name) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  return path.join(screenshotDir, name);
}
