// The web chat widget as a person meets it: a website on its own origin
// embeds it with one tag, and headless Chromium clicks, types and reads it
// against the real `steady serve`. Run through ctest (browser_widget); see
// tests/browser/README.md.
//
// Every test also checks what a person can't see but must be able to rely
// on: no request to any origin but the website and Steady, no script error,
// no Content-Security-Policy refusal, no cookie, and no message text in the
// browser console.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

import {
  axeSource, eventually, launchBrowser, openPage, screenshotPath, startHostSite, startSteady,
  tempDir, transcriptOnScreen,
} from "./harness.mjs";

const TEST_TIMEOUT = { timeout: 60_000 };

let browser;
let steady;
let site;
let dir;

before(async () => {
  dir = tempDir();
  site = await startHostSite();
  steady = await startSteady({ db: path.join(dir, "steady.db"), allowOrigins: [site.origin] });
  site.setApi(steady.origin);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await steady?.stop();
  await site?.close();
});

// ---- Helpers ---------------------------------------------------------------

function controls(page) {
  return {
    launcher: page.getByRole("button", { name: "Talk to Coach" }),
    panel: page.getByRole("dialog", { name: "Talk to Coach" }),
    log: page.getByRole("log"),
    box: page.getByRole("textbox", { name: "Message" }),
    send: page.getByRole("button", { name: "Send", exact: true }),
    crisisLink: page.getByRole("link", { name: "In crisis? Call or text 988" }),
    retry: page.getByRole("button", { name: "Try again" }),
    alert: page.getByRole("alert"),
    close: page.getByRole("button", { name: "Close chat" }),
    typing: page.locator("steady-chat .typing"),
    // The log even while the panel is closed (getByRole skips hidden ones).
    logElement: page.locator("steady-chat .log"),
  };
}

// Opens the website (its path and query: "/?data-shared-device=") in a fresh
// browser profile.
async function visit({ query = "", viewport, at = site, api = steady } = {}) {
  const opened = await openPage(browser, { viewport, allowedOrigins: [at.origin, api.origin] });
  await opened.page.goto(`${at.origin}/${query}`);
  // The widget shows itself once its style sheet is in.
  await opened.page.locator("steady-chat .root:not([hidden])").waitFor({ state: "attached" });
  return { ...opened, ...controls(opened.page), sent: [] };
}

async function isFocused(locator) {
  return locator.evaluate((el) => el.getRootNode().activeElement === el);
}

async function coachLineCount(v) {
  return (await transcriptOnScreen(v.page)).filter((l) => l.startsWith("coach: ")).length;
}

// Opens the panel and waits for the greeting.
async function openChat(v) {
  await v.launcher.click();
  await v.panel.waitFor();
  await eventually(async () => (await coachLineCount(v)) > 0 && !(await v.typing.isVisible()),
                   "the greeting");
}

// Waits until `text` is on screen as the person's message with the coach's
// answer after it.
async function waitForReply(v, text) {
  await eventually(async () => {
    const lines = await transcriptOnScreen(v.page);
    const at = lines.lastIndexOf(`you: ${text}`);
    return at >= 0 && at < lines.length - 1 && !(await v.typing.isVisible());
  }, `the reply to "${text}"`);
}

async function say(v, text) {
  v.sent.push(text);
  await v.box.fill(text);
  await v.box.press("Enter");
  await waitForReply(v, text);
}

async function storedEntries(page) {
  return page.evaluate(() => Object.entries(window.localStorage));
}

async function sessionIdOf(page) {
  const entries = await storedEntries(page);
  assert.equal(entries.length, 1, `one localStorage entry, got ${JSON.stringify(entries)}`);
  return entries[0][1];
}

// The conversation as the server holds it, written like transcriptOnScreen.
async function serverTranscript(api, id) {
  const r = await api.get(`/v1/sessions/${id}`);
  assert.equal(r.status, 200);
  return r.body.transcript.map((l) => `${l.role === "user" ? "you" : "coach"}: ${l.text}`);
}

// What every test checks before it ends.
async function assertClean(v) {
  assert.deepEqual(v.record.foreignRequests, [], "requests went only to the website and Steady");
  assert.deepEqual(v.record.errors, [], "no script errors");
  const refusals = v.record.console.filter((m) => /Content Security Policy|Refused to/i.test(m));
  assert.deepEqual(refusals, [], "nothing refused by the page's Content-Security-Policy");
  for (const text of v.sent) {
    const leaked = v.record.console.filter((m) => m.includes(text));
    assert.deepEqual(leaked, [], "message text never reaches the console");
  }
  assert.deepEqual(await v.context.cookies(), [], "no cookies");
  await v.context.close();
}

// ---- Conversation ----------------------------------------------------------

test("the launcher opens a chat that greets, and a message gets the coach's reply", TEST_TIMEOUT, async () => {
  const v = await visit();
  assert.equal(await v.panel.isVisible(), false, "closed until asked");
  assert.equal(await v.launcher.getAttribute("aria-expanded"), "false");

  await openChat(v);
  assert.equal(await v.launcher.isVisible(), false);
  assert.ok(await isFocused(v.box), "the message box has the focus");
  assert.ok(await v.crisisLink.isVisible(), "the crisis line is always in the header");
  assert.equal(await v.crisisLink.getAttribute("href"), "tel:988");

  await say(v, "I used last night");
  assert.equal(await v.box.inputValue(), "", "the box is cleared once sent");
  assert.ok(await isFocused(v.box), "the focus stays in the box");

  // The screen shows exactly what the server holds: every line, once.
  const id = await sessionIdOf(v.page);
  assert.deepEqual(await transcriptOnScreen(v.page), await serverTranscript(steady, id));

  // The browser asked the server first (CORS preflight) and was let in.
  await eventually(() => steady.accessLog().some((l) =>
    l.method === "OPTIONS" && l.route === "/v1/sessions/{id}/messages" && l.status === 204),
  "an allowed preflight in the access log");
  await assertClean(v);
});

test("a typing indicator shows while the reply is on its way", TEST_TIMEOUT, async () => {
  const v = await visit();
  await openChat(v);
  // Hold the answer back for a moment, as a slow network would.
  await v.page.route("**/v1/sessions/*/messages", async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  v.sent.push("I slipped");
  await v.box.fill("I slipped");
  await v.send.click();
  await v.typing.waitFor({ state: "visible" });
  assert.ok(await v.page.getByText("Coach is typing").count(), "the indicator says so in words too");
  await waitForReply(v, "I slipped");
  assert.equal(await v.typing.isVisible(), false, "gone once the reply is there");
  await assertClean(v);
});

test("a quick reply is a button that sends its words", TEST_TIMEOUT, async () => {
  const v = await visit();
  await openChat(v);
  const suggestions = v.page.getByRole("group", { name: "Suggested replies" });
  const first = suggestions.getByRole("button").first();
  const words = (await first.textContent()).trim();
  assert.ok(words.length > 0);
  v.sent.push(words);
  await first.click();
  await waitForReply(v, words);
  assert.ok(await isFocused(v.box), "the focus goes to the box, not lost with the buttons");
  // The old question's buttons are gone (the reply may offer new ones).
  assert.ok((await suggestions.count()) <= 1);
  const id = await sessionIdOf(v.page);
  const lines = await serverTranscript(steady, id);
  assert.deepEqual(lines.filter((l) => l.startsWith("you: ")), [`you: ${words}`]);
  await assertClean(v);
});

test("a crisis message shows a card of links to call, text or chat", TEST_TIMEOUT, async () => {
  const v = await visit();
  await openChat(v);
  await say(v, "I want to kill myself");
  const card = v.page.getByRole("group", { name: "Help right now" });
  await card.waitFor();
  const hrefs = await card.getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.includes("tel:988"), `call 988 in ${hrefs}`);
  assert.ok(hrefs.includes("sms:988"), `text 988 in ${hrefs}`);
  assert.ok(hrefs.some((h) => h.startsWith("https://988lifeline.org")), `chat at 988lifeline.org in ${hrefs}`);
  assert.ok(hrefs.includes("tel:911"), `911 in ${hrefs}`);
  assert.ok(hrefs.every((h) => /^(tel:|sms:|https:)/.test(h)), `only tel:, sms: and https: links: ${hrefs}`);
  assert.ok(await card.getByRole("link", { name: "Call 988" }).isVisible());
  // The chat site opens in a new tab without giving it this page.
  const chat = card.locator('a[href^="https:"]').first();
  assert.equal(await chat.getAttribute("target"), "_blank");
  assert.match(await chat.getAttribute("rel"), /noopener/);
  assert.ok(await v.crisisLink.isVisible());
  await assertClean(v);
});

// ---- Keeping, deleting and losing the conversation --------------------------------

test("a reload resumes the conversation from the server", TEST_TIMEOUT, async () => {
  const v = await visit();
  await openChat(v);
  await say(v, "I slipped");
  const before = await transcriptOnScreen(v.page);
  const id = await sessionIdOf(v.page);
  assert.match(id, /^[A-Za-z0-9_-]{22,}$/, "only the session id is kept");
  for (const [, value] of await storedEntries(v.page)) {
    assert.ok(!value.includes("I slipped"), "no message text is stored in the browser");
  }

  await v.page.reload();
  await v.launcher.click();
  await eventually(async () => (await transcriptOnScreen(v.page)).length === before.length, "the transcript");
  assert.deepEqual(await transcriptOnScreen(v.page), before);
  assert.equal(await sessionIdOf(v.page), id);
  await say(v, "thanks");
  assert.deepEqual(await transcriptOnScreen(v.page), await serverTranscript(steady, id));
  await assertClean(v);
});

test("after a reload in the middle of a crisis, the help card is back", TEST_TIMEOUT, async () => {
  const v = await visit();
  await openChat(v);
  await say(v, "I want to kill myself");
  const card = v.page.getByRole("group", { name: "Help right now" });
  await card.waitFor();

  await v.page.reload();
  await v.launcher.click();
  await card.waitFor();
  const hrefs = await card.getByRole("link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.ok(hrefs.includes("tel:988"), `call 988 in ${hrefs}`);
  assert.ok(hrefs.includes("tel:911"), `911 in ${hrefs}`);

  // Once the person is safe, a reload shows no card.
  await say(v, "I'm safe right now");
  const id = await sessionIdOf(v.page);
  assert.equal((await steady.get(`/v1/sessions/${id}`)).body.state.crisis, null);
  await v.page.reload();
  await v.launcher.click();
  await eventually(async () => (await transcriptOnScreen(v.page)).some((l) => l.includes("I'm safe")),
    "the transcript");
  assert.equal(await card.count(), 0);
  await assertClean(v);
});

test("'Delete my conversation' erases it on the server and starts fresh", TEST_TIMEOUT, async () => {
  const v = await visit();
  await openChat(v);
  await say(v, "I drank again");
  const oldId = await sessionIdOf(v.page);

  // Asked first, and "Keep it" keeps it.
  const remove = v.page.getByRole("button", { name: "Delete my conversation" });
  await remove.click();
  const question = v.page.getByText("Delete this whole conversation?");
  assert.ok(await question.isVisible());
  assert.ok(await isFocused(question), "the question gets the focus, so it is read out");
  await v.page.getByRole("button", { name: "Keep it" }).click();
  assert.ok(await isFocused(remove));
  assert.ok((await transcriptOnScreen(v.page)).includes("you: I drank again"));

  await remove.click();
  await v.page.getByRole("button", { name: "Yes, delete it" }).click();
  await v.page.getByText("Your conversation was deleted").waitFor();
  await eventually(async () => (await coachLineCount(v)) > 0, "a new greeting");
  assert.ok(!(await transcriptOnScreen(v.page)).some((l) => l.startsWith("you: ")), "nothing of it on screen");
  assert.equal((await steady.get(`/v1/sessions/${oldId}`)).status, 404, "gone from the server");
  const newId = await sessionIdOf(v.page);
  assert.notEqual(newId, oldId);

  await v.page.reload();
  await openChat(v);
  assert.ok(!(await transcriptOnScreen(v.page)).some((l) => l.includes("I drank again")));
  await assertClean(v);
});

test("a message sent while the server restarts is kept, and 'Try again' delivers it once", TEST_TIMEOUT, async () => {
  // Its own server and website, since this one stops the server.
  const db = path.join(tempDir(), "restart.db");
  const ownSite = await startHostSite();
  let server = await startSteady({ db, allowOrigins: [ownSite.origin] });
  ownSite.setApi(server.origin);
  try {
    const v = await visit({ at: ownSite, api: server });
    const attempts = [];
    v.page.on("request", (r) => {
      if (r.method() === "POST" && r.url().endsWith("/messages")) attempts.push(JSON.parse(r.postData()));
    });
    await openChat(v);
    await say(v, "hello");
    const id = await sessionIdOf(v.page);

    await server.stop();
    const text = "I slipped last night";
    v.sent.push(text);
    await v.box.fill(text);
    await v.box.press("Enter");
    await v.retry.waitFor();
    assert.match(await v.alert.textContent(), /wasn't sent/);
    assert.equal(await v.box.inputValue(), text, "the message stays in the box");
    assert.ok(!(await transcriptOnScreen(v.page)).includes(`you: ${text}`), "not shown as sent");

    // Back on the same port with the same database, as after a deploy.
    server = await startSteady({ db, port: server.port, allowOrigins: [ownSite.origin] });
    await v.retry.click();
    await waitForReply(v, text);
    assert.equal(await v.alert.isVisible(), false, "the problem notice is gone");
    assert.equal(await v.box.inputValue(), "");

    const lines = await serverTranscript(server, id);
    assert.deepEqual(lines.filter((l) => l.startsWith("you: ")), ["you: hello", `you: ${text}`],
                     "delivered exactly once");
    assert.deepEqual(await transcriptOnScreen(v.page), lines);
    const tries = attempts.filter((a) => a.text === text);
    assert.ok(tries.length >= 2, "sent, failed, sent again");
    assert.ok(tries.every((a) => a.client_message_id === tries[0].client_message_id),
              "every try carries the same client_message_id");
    await assertClean(v);
  } finally {
    await server.stop();
    await ownSite.close();
  }
});

test("a reply lost on the way back is not answered twice when retried", TEST_TIMEOUT, async () => {
  const v = await visit();
  await openChat(v);
  await say(v, "hi");
  const id = await sessionIdOf(v.page);
  const text = "I really want to use right now";
  // The message reaches the server and is answered, but the answer never
  // reaches the browser.
  await v.page.route("**/v1/sessions/*/messages", async (route) => {
    await route.fetch();
    await route.abort("connectionreset");
  }, { times: 1 });
  v.sent.push(text);
  await v.box.fill(text);
  await v.send.click();
  await v.retry.waitFor();
  assert.deepEqual((await serverTranscript(steady, id)).filter((l) => l === `you: ${text}`), [`you: ${text}`],
                   "the server has it");

  await v.retry.click();
  await waitForReply(v, text);
  const lines = await serverTranscript(steady, id);
  assert.equal(lines.filter((l) => l === `you: ${text}`).length, 1, "stored once");
  assert.deepEqual(await transcriptOnScreen(v.page), lines, "and shown once, with the server's reply");
  await assertClean(v);
});

test("on a shared device nothing is kept, and closing clears the screen", TEST_TIMEOUT, async () => {
  const v = await visit({ query: "?data-shared-device=" });
  await openChat(v);
  await say(v, "kiosk message");
  assert.deepEqual(await storedEntries(v.page), [], "nothing in localStorage");
  assert.equal(await v.page.evaluate(() => window.sessionStorage.length), 0);

  await v.close.click();
  assert.equal(await v.panel.isVisible(), false);
  assert.ok(await isFocused(v.launcher), "the focus returns to the launcher");
  assert.equal(await v.logElement.evaluate((el) => el.textContent.includes("kiosk message")), false,
               "the conversation is off the screen, not just hidden");

  await openChat(v);
  assert.ok(!(await transcriptOnScreen(v.page)).some((l) => l.startsWith("you: ")), "the next person starts fresh");
  await assertClean(v);
});

// ---- Keyboard, screen readers, small screens -----------------------------------------

test("it works with the keyboard alone", TEST_TIMEOUT, async () => {
  const v = await visit();
  for (let i = 0; i < 10 && !(await isFocused(v.launcher)); i++) await v.page.keyboard.press("Tab");
  assert.ok(await isFocused(v.launcher), "Tab reaches the launcher");
  await v.page.keyboard.press("Enter");
  await v.panel.waitFor();
  assert.ok(await isFocused(v.box));
  await eventually(async () => (await coachLineCount(v)) > 0, "the greeting");
  v.sent.push("I need to talk");
  await v.page.keyboard.type("I need to talk");
  await v.page.keyboard.press("Enter");
  await waitForReply(v, "I need to talk");

  // Shift+Enter starts a new line instead of sending.
  await v.page.keyboard.type("one");
  await v.page.keyboard.press("Shift+Enter");
  await v.page.keyboard.type("two");
  assert.equal(await v.box.inputValue(), "one\ntwo");
  await v.box.fill("");

  // Tab goes on to Send, and Escape closes and gives the focus back.
  await v.page.keyboard.press("Tab");
  assert.ok(await isFocused(v.send));
  await v.page.keyboard.press("Escape");
  assert.equal(await v.panel.isVisible(), false);
  assert.ok(await isFocused(v.launcher));
  assert.equal(await v.launcher.getAttribute("aria-expanded"), "false");
  await assertClean(v);
});

test("the conversation is a polite live log and the box is labelled", TEST_TIMEOUT, async () => {
  const v = await visit();
  await openChat(v);
  assert.equal(await v.log.getAttribute("aria-live"), "polite");
  assert.equal(await v.box.evaluate((el) => el.labels[0].textContent), "Message");
  // Each line says who said it, for a screen reader.
  await say(v, "I slipped");
  const spoken = await v.log.locator(".msg.user").last().textContent();
  assert.match(spoken, /^You said:\s*I slipped$/);
  await assertClean(v);
});

test("at 320 px wide everything fits", TEST_TIMEOUT, async () => {
  const v = await visit({ viewport: { width: 320, height: 640 } });
  const launcherBox = await v.launcher.boundingBox();
  assert.ok(launcherBox.x >= 0 && launcherBox.x + launcherBox.width <= 320);
  await openChat(v);
  await say(v, "I want to kill myself");
  await v.page.getByRole("group", { name: "Help right now" }).waitFor();
  const panelBox = await v.panel.boundingBox();
  assert.equal(panelBox.x, 0);
  assert.equal(panelBox.width, 320);
  for (const locator of [v.box, v.send, v.crisisLink, v.close]) {
    const b = await locator.boundingBox();
    assert.ok(b.x >= 0 && b.x + b.width <= 320 && b.y >= 0 && b.y + b.height <= 640,
              `inside the screen: ${JSON.stringify(b)}`);
  }
  assert.ok(await v.panel.evaluate((el) => el.scrollWidth <= el.clientWidth), "no sideways scrolling");
  assert.ok(await v.log.evaluate((el) => el.scrollWidth <= el.clientWidth), "the log does not scroll sideways");
  await v.page.screenshot({ path: screenshotPath("widget-320x640-crisis.png") });
  await assertClean(v);
});

// ---- Fitting into someone else's website ---------------------------------------------

test("the website's styles and the widget's don't touch each other", TEST_TIMEOUT, async () => {
  const v = await visit();
  await openChat(v);
  const style = (locator, props) => locator.evaluate((el, names) => {
    const s = getComputedStyle(el);
    return Object.fromEntries(names.map((n) => [n, s.getPropertyValue(n)]));
  }, props);
  // The page's loud rules still apply to the page...
  const hostButton = await style(v.page.locator("#host-button"), ["background-color"]);
  assert.equal(hostButton["background-color"], "rgb(255, 214, 232)");
  const hostText = await style(v.page.locator("#host-text"), ["color", "line-height"]);
  assert.equal(hostText.color, "rgb(120, 0, 0)");
  // ...and none of them reach the widget.
  const send = await style(v.send, ["background-color", "color", "font-family", "letter-spacing", "padding-top"]);
  assert.equal(send["background-color"], "rgb(11, 94, 89)");
  assert.equal(send.color, "rgb(255, 255, 255)");
  assert.ok(!send["font-family"].includes("Serif"), send["font-family"]);
  assert.equal(send["letter-spacing"], "normal");
  assert.equal(send["padding-top"], "10px");
  const box = await style(v.box, ["font-size"]);
  assert.equal(box["font-size"], "16px", "the page's 10px root font does not shrink the widget");
  await assertClean(v);
});

test("data- options set the colours, corner, language and opening", TEST_TIMEOUT, async () => {
  const colours = await visit({ query: "?data-color=%23402080&data-text-color=%23fffff0&data-position=bottom-left" });
  const launcherStyle = await colours.launcher.evaluate((el) => {
    const s = getComputedStyle(el);
    return [s.backgroundColor, s.color];
  });
  assert.deepEqual(launcherStyle, ["rgb(64, 32, 128)", "rgb(255, 255, 240)"]);
  assert.ok((await colours.launcher.boundingBox()).x < 100, "bottom-left");
  assert.equal(await colours.panel.isVisible(), false);
  await assertClean(colours);

  const opened = await visit({ query: "?data-open=" });
  await opened.panel.waitFor();
  await eventually(async () => (await coachLineCount(opened)) > 0, "the greeting");
  assert.equal(await opened.page.evaluate(() => document.activeElement === document.body), true,
               "opening on load leaves the page's focus alone");
  await assertClean(opened);

  const spanish = await visit({ query: "?data-lang=es" });
  await spanish.launcher.click();
  await spanish.page.getByRole("textbox", { name: "Mensaje" }).waitFor();
  assert.ok(await spanish.page.getByRole("button", { name: "Enviar" }).isVisible());
  const link = spanish.page.getByRole("link", { name: /988/ }).first();
  assert.equal(await link.getAttribute("href"), "tel:988");
  assert.equal(await spanish.page.locator("steady-chat").evaluate((h) => h.shadowRoot.querySelector(".root").lang), "es");
  await assertClean(spanish);
});

test("a website the server does not allow can't use it", TEST_TIMEOUT, async () => {
  const stranger = await startHostSite();
  stranger.setApi(steady.origin);
  try {
    const before = steady.accessLog().filter((l) => l.route === "/v1/sessions" && l.method === "POST").length;
    const v = await visit({ at: stranger });
    await v.launcher.click();
    await v.retry.waitFor();
    assert.match(await v.alert.textContent(), /Can't reach the coach/);
    assert.ok(await v.crisisLink.isVisible(), "988 is still there");
    // (The access log line is written just after the answer: wait for it.)
    await eventually(() => steady.accessLog().some((l) => l.method === "OPTIONS" && l.status === 403),
                     "the refused preflight in the access log");
    assert.equal(steady.accessLog().filter((l) => l.route === "/v1/sessions" && l.method === "POST").length, before,
                 "no session was started for it");
    // CORS refusals are reported on the console by the browser itself.
    v.record.console = v.record.console.filter((m) => !/CORS|Failed to load resource|ERR_FAILED/.test(m));
    await assertClean(v);
  } finally {
    await stranger.close();
  }
});

test("the demo page at / shows the widget and the tag to copy", TEST_TIMEOUT, async () => {
  const opened = await openPage(browser, { allowedOrigins: [steady.origin] });
  const response = await opened.page.goto(`${steady.origin}/`);
  assert.match(response.headers()["content-security-policy"], /default-src 'self'/);
  const v = { ...opened, ...controls(opened.page), sent: [] };
  const snippet = await v.page.locator("#snippet").textContent();
  assert.equal(snippet, `<script src="${steady.origin}/widget.js" data-title="Talk to Coach" defer></script>`);
  await openChat(v);
  await say(v, "hello");
  await v.page.screenshot({ path: screenshotPath("demo-page-1280x800.png") });
  // The browser asks for /favicon.ico on its own; a 404 for it is fine.
  v.record.console = v.record.console.filter((m) => !/Failed to load resource.*404/.test(m));
  await assertClean(v);
});

// ---- Accessibility scan and screenshots for review ------------------------------------

// Runs axe-core on the widget. axe applies inline styles of its own while
// it measures, which the website's policy refuses; those refusals are
// axe's, so they are dropped from what the test checks.
async function axeScan(v, name) {
  const { page } = v;
  const consoleBefore = v.record.console.length;
  await page.evaluate(axeSource);
  // The widget only: the website around it is not ours to judge.
  const results = await page.evaluate(() => window.axe.run({ include: [["steady-chat"]] }, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
  }));
  const summary = results.violations.map((x) => ({
    id: x.id, impact: x.impact, help: x.help, nodes: x.nodes.map((n) => n.target.join(" ")),
  }));
  fs.writeFileSync(screenshotPath(`axe-${name}.json`), JSON.stringify(summary, null, 2));
  const during = v.record.console.splice(consoleBefore);
  v.record.console.push(...during.filter((m) => !/Applying inline style violates/.test(m)));
  console.log(`axe (${name}): ${results.passes.length} rules passed, ${results.violations.length} violated` +
              summary.map((x) => `\n  ${x.impact} ${x.id}: ${x.help} (${x.nodes.length})`).join(""));
  return summary;
}

test("an axe scan of the open widget finds no serious or critical problem", TEST_TIMEOUT, async () => {
  // A full conversation: quick replies and a crisis card on screen.
  const v = await visit();
  await openChat(v);
  await say(v, "I used last night");
  await say(v, "I want to kill myself");
  await v.page.getByRole("group", { name: "Help right now" }).waitFor();
  const conversation = await axeScan(v, "conversation");
  await v.page.screenshot({ path: screenshotPath("widget-1280x800-open.png") });
  assert.deepEqual(conversation.filter((x) => ["serious", "critical"].includes(x.impact)), []);

  // The problem notice with its retry button, and the delete question.
  await v.page.route("**/v1/sessions/*/messages", (route) => route.abort("connectionrefused"));
  v.sent.push("are you there");
  await v.box.fill("are you there");
  await v.box.press("Enter");
  await v.retry.waitFor();
  await v.page.getByRole("button", { name: "Delete my conversation" }).click();
  const problems = await axeScan(v, "notice-and-delete");
  assert.deepEqual(problems.filter((x) => ["serious", "critical"].includes(x.impact)), []);
  v.record.console = v.record.console.filter((m) => !/Failed to load resource/.test(m));
  await assertClean(v);
});

test("screenshots for review: phone and desktop", TEST_TIMEOUT, async () => {
  const closed = await visit();
  await closed.page.screenshot({ path: screenshotPath("widget-1280x800-closed.png") });
  await assertClean(closed);

  const phone = await visit({ viewport: { width: 390, height: 844 } });
  await openChat(phone);
  await phone.page.screenshot({ path: screenshotPath("widget-390x844-greeting.png") });
  await say(phone, "I used last night");
  await say(phone, "I want to kill myself");
  await phone.page.getByRole("group", { name: "Help right now" }).waitFor();
  await phone.page.screenshot({ path: screenshotPath("widget-390x844-crisis.png") });
  for (const name of ["widget-1280x800-closed.png", "widget-390x844-greeting.png", "widget-390x844-crisis.png"]) {
    assert.ok(fs.statSync(screenshotPath(name)).size > 5000, `${name} has a picture in it`);
  }
  await assertClean(phone);
});
