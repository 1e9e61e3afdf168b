// The peer benchmark: the engine benchmark's messages through RiveScript.
//
//   node rivescript_bench.js DIR [--passes N] [--messages N] [--warmup N]
//
// DIR holds what `steady_bench_engine --dump DIR` writes: steady.rive (the
// RiveScript document generated from Steady's intents; the mapping and its
// limits are described in scripts/bench/engine_bench.cpp), messages.txt
// (one message a line) and expected.txt (the reply the document gives for
// the intent Steady picks, one a line). NODE_PATH (or a node_modules next
// to DIR) must provide the `rivescript` package.
//
// Method: load and sort the document; an untimed warm-up over the first
// --warmup messages (default 100); then --passes timed passes (default 3),
// each the first --messages messages (default all) sent
// sequentially with `await rs.reply(user, message)` (a new user every 20
// messages, as the engine benchmark's sessions), timed as a whole with
// process.hrtime.bigint(). Prints one JSON object: versions, triggers,
// messages, the median messages/s over the passes, the per-pass rates and
// the share of replies equal to expected.txt (how close the mapping is).
//
// Exit 1 when the files do not load, RiveScript reports an error, or the
// number of replies differs from the number of messages.
"use strict";

const fs = require("fs");
const path = require("path");

const kTurnsPerUser = 20;

async function main() {
  const args = process.argv.slice(2);
  if (args.length < 1 || args[0] === "-h" || args[0] === "--help") {
    process.stderr.write("usage: node rivescript_bench.js DIR [--passes N]\n");
    process.exit(args.length < 1 ? 1 : 0);
  }
  const dir = args[0];
  let passes = 3;
  let limit = Infinity;
  let warmup = 100;
  let rive = "steady.rive";
  for (let i = 1; i < args.length; i++) {
    if (args[i] === "--passes") passes = parseInt(args[++i], 10);
    else if (args[i] === "--messages") limit = parseInt(args[++i], 10);
    else if (args[i] === "--warmup") warmup = parseInt(args[++i], 10);
    else if (args[i] === "--rive") rive = args[++i];
    else throw new Error(`unknown argument ${args[i]}`);
  }

  const RiveScript = require("rivescript");
  const version = require("rivescript/package.json").version;
  const document = fs.readFileSync(path.join(dir, rive), "utf8");
  const all = fs.readFileSync(path.join(dir, "messages.txt"), "utf8").split("\n");
  if (all[all.length - 1] === "") all.pop();
  const expected = fs.readFileSync(path.join(dir, "expected.txt"), "utf8").split("\n");
  if (expected[expected.length - 1] === "") expected.pop();
  if (expected.length !== all.length || all.length === 0) {
    throw new Error(`${all.length} messages but ${expected.length} expected replies`);
  }
  const messages = all.slice(0, Math.min(limit, all.length));

  const warnings = [];
  const rs = new RiveScript({ utf8: false, debug: false, onDebug: () => {} });
  rs.warn = (m) => warnings.push(m);  // syntax warnings: counted, not printed one by one
  if (!rs.stream(document, (err) => { throw new Error(`stream: ${err}`); })) {
    throw new Error("RiveScript did not load the document");
  }
  rs.sortReplies();
  const triggers = (document.match(/^\+ /gm) || []).length;

  // One pass: the first `count` messages in order, a new user every
  // kTurnsPerUser.
  async function pass(tag, replies, count = messages.length) {
    for (let i = 0; i < count; i++) {
      const user = `${tag}-${Math.floor(i / kTurnsPerUser)}`;
      const reply = await rs.reply(user, messages[i]);
      if (replies) replies.push(reply);
    }
  }

  await pass("warmup", null, Math.min(warmup, messages.length));
  const replies = [];
  const start0 = process.hrtime.bigint();
  await pass("pass0", replies);
  const first = messages.length / (Number(process.hrtime.bigint() - start0) / 1e9);
  if (replies.length !== messages.length) {
    throw new Error(`${replies.length} replies for ${messages.length} messages`);
  }
  const errors = replies.filter((r) => r.startsWith("ERR:")).length;
  if (errors > 0) {
    const first = replies.find((r) => r.startsWith("ERR:"));
    throw new Error(`${errors} replies are RiveScript errors, e.g. "${first}"`);
  }
  let same = 0;
  for (let i = 0; i < replies.length; i++) if (replies[i] === expected[i]) same++;

  // The first timed pass also collected the replies (a push per message).
  const rates = [first];
  for (let p = 1; p < passes; p++) {
    const start = process.hrtime.bigint();
    await pass(`pass${p}`, null);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(messages.length / seconds);
  }
  const sorted = [...rates].sort((a, b) => a - b);
  const result = {
    rivescript: version,
    node: process.version,
    triggers,
    messages: messages.length,
    warmup: Math.min(warmup, messages.length),
    passes,
    msgs_per_s: Math.round(sorted[Math.floor(sorted.length / 2)]),
    pass_rates: rates.map((r) => Math.round(r)),
    agreement: same / messages.length,
    syntax_warnings: warnings.length,
  };
  process.stdout.write(JSON.stringify(result) + "\n");
}

main().catch((e) => {
  process.stderr.write(`rivescript_bench: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
});
