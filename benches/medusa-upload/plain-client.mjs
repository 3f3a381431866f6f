// The plain client of the Medusa upload benchmark (scripts/bench-medusa.sh): it only posts the
// promotions Seller Desk's connector posts for a batch of codes, with nothing else around them
// (no database, no outbox, no keyring, no look-ups), at each concurrency asked for, to find the
// best rate a client can get from the server.
//
//   MEDUSA_URL=… MEDUSA_SECRET_KEY=sk_… node plain-client.mjs [N] [--count N]
//       [--concurrency 1,2,4,8,16] [--warmup K]
//
// For each concurrency: one campaign (POST /admin/campaigns, a unique campaign_identifier, a usage
// budget of N), then N promotions of it with unique random codes (8 characters of
// 23456789ABCDEFGHJKLMNPQRSTUVWXYZ), that many requests in flight at all times. Prints one JSON
// line per concurrency, {concurrency, count, seconds, per_second, errors, …}, where seconds is the
// wall time from the first promotion sent to the last answer read (the campaign is made before
// the clock starts) and per_second counts the promotions answered 200; then one line
// {best_concurrency, best_per_second} (the best run without errors, or the best run if all had
// some). Every answer must be 200 with the promotion of that code; anything else is an error
// (the first few are shown on stderr). Exit status 1 when any request failed.
//
// Options (or environment): --count N (BENCH_CODES, default 1000), --concurrency LIST
// (PLAIN_CONCURRENCY, default 1,2,4,8,16), --warmup K (PLAIN_WARMUP, default 50: K promotions
// of a campaign of their own, 8 in flight, before anything is measured, so that the first
// concurrency does not pay for a cold server). Node 20 or later, no npm packages.
import { randomInt } from "node:crypto";
import { performance } from "node:perf_hooks";

const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const CODE_LENGTH = 8;
const REQUEST_TIMEOUT_MS = 120_000;

function parseArguments(argv) {
  const options = {
    count: process.env.BENCH_CODES ?? "1000",
    concurrency: process.env.PLAIN_CONCURRENCY ?? "1,2,4,8,16",
    warmup: process.env.PLAIN_WARMUP ?? "50",
  };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${argument} needs a value`);
      return argv[++i];
    };
    if (argument === "--count") options.count = value();
    else if (argument === "--concurrency") options.concurrency = value();
    else if (argument === "--warmup") options.warmup = value();
    else if (argument === "-h" || argument === "--help") {
      console.error("usage: MEDUSA_URL=… MEDUSA_SECRET_KEY=… node plain-client.mjs [N] " +
        "[--count N] [--concurrency 1,2,4,8,16] [--warmup K]");
      process.exit(0);
    } else if (/^\d+$/.test(argument)) options.count = argument;
    else fail(`unknown argument ${argument}`);
  }
  const count = positiveInteger(options.count, "count");
  const concurrencies = String(options.concurrency)
    .split(",")
    .filter((part) => part.trim() !== "")
    .map((part) => positiveInteger(part.trim(), "concurrency"));
  if (concurrencies.length === 0) fail("no concurrency given");
  const warmup = Number(options.warmup);
  if (!Number.isInteger(warmup) || warmup < 0) fail(`warmup: not a whole number: ${options.warmup}`);
  return { count, concurrencies, warmup };
}

function positiveInteger(text, what) {
  const number = Number(text);
  if (!Number.isInteger(number) || number < 1) fail(`${what}: not a positive whole number: ${text}`);
  return number;
}

function fail(message) {
  console.error(`plain-client: ${message}`);
  process.exit(2);
}

const baseUrl = (process.env.MEDUSA_URL ?? "").replace(/\/+$/, "");
const secretKey = process.env.MEDUSA_SECRET_KEY ?? "";
if (!baseUrl || !secretKey) fail("MEDUSA_URL and MEDUSA_SECRET_KEY must be set");
const authorization = "Basic " + Buffer.from(`${secretKey}:`).toString("base64");
const { count, concurrencies, warmup } = parseArguments(process.argv.slice(2));

// Codes unique within this process; across processes 32^8 makes a clash negligible (a clash
// would show up as an error: Medusa refuses a code it holds).
const usedCodes = new Set();
function newCode() {
  for (;;) {
    let code = "";
    for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    if (!usedCodes.has(code)) {
      usedCodes.add(code);
      return code;
    }
  }
}

async function post(path, body) {
  const answer = await fetch(baseUrl + path, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await answer.text(); // read whole, so that the connection goes back to the pool
  return { status: answer.status, text };
}

const runId = `${Date.now().toString(36)}-${process.pid}`;

async function createCampaign(label, budget) {
  const body = JSON.stringify({
    name: `Plain client ${label}`,
    campaign_identifier: `plain-${runId}-${label}`,
    description: "scripts/bench-medusa.sh plain client",
    starts_at: "2026-01-01T00:00:00.000Z",
    ends_at: "2099-01-01T00:00:00.000Z",
    budget: { type: "usage", limit: budget },
  });
  const { status, text } = await post("/admin/campaigns", body);
  let id;
  try {
    id = JSON.parse(text).campaign?.id;
  } catch {}
  if (status !== 200 || !id) {
    throw new Error(`POST /admin/campaigns answered ${status}: ${text.slice(0, 300)}`);
  }
  return id;
}

// The body Seller Desk's connector sends (crates/sellerdesk-platform/src/connector/medusa.rs,
// PromotionTemplate): the amount goes as the decimal 5.00, not as a float, hence the splice.
function promotionBody(code, campaignId) {
  return JSON.stringify({
    code,
    type: "standard",
    status: "active",
    is_automatic: false,
    campaign_id: campaignId,
    limit: 1,
    application_method: {
      type: "fixed",
      target_type: "order",
      allocation: "across",
      value: "@VALUE@",
      currency_code: "usd",
    },
    rules: [
      { attribute: "currency_code", operator: "eq", values: ["usd"] },
      { attribute: "item_subtotal", operator: "gt", values: ["40.00"] },
    ],
  }).replace('"@VALUE@"', "5.00");
}

let errorsShown = 0;
function showError(message) {
  if (errorsShown++ < 5) console.error(`plain-client: error: ${message}`);
}

// N promotions of `campaignId`, `inFlight` requests at all times. Returns the figures.
async function upload(campaignId, total, inFlight) {
  const codes = Array.from({ length: total }, newCode);
  const bodies = codes.map((code) => promotionBody(code, campaignId));
  const latencies = [];
  let next = 0;
  let errors = 0;
  async function worker() {
    while (next < total) {
      const index = next++;
      const sent = performance.now();
      try {
        const { status, text } = await post("/admin/promotions", bodies[index]);
        latencies.push(performance.now() - sent);
        let made = false;
        if (status === 200) {
          try {
            made = JSON.parse(text).promotion?.code === codes[index];
          } catch {}
        }
        if (!made) {
          errors++;
          showError(`POST /admin/promotions ${codes[index]} answered ${status}: ${text.slice(0, 300)}`);
        }
      } catch (error) {
        latencies.push(performance.now() - sent);
        errors++;
        showError(`POST /admin/promotions ${codes[index]}: ${error.cause?.message ?? error.message}`);
      }
    }
  }
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, total) }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const percentile = (p) =>
    latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]) : null;
  return { seconds, errors, p50_ms: percentile(0.5), p95_ms: percentile(0.95) };
}

const round = (value, places) => Number(value.toFixed(places));

let anyErrors = false;
if (warmup > 0) {
  const campaignId = await createCampaign("warmup", warmup);
  const figures = await upload(campaignId, warmup, 8);
  console.error(`plain-client: warm-up, ${warmup} promotions (8 in flight) in ${figures.seconds.toFixed(2)} s, ` +
    `${figures.errors} errors`);
}
const results = [];
for (const concurrency of concurrencies) {
  const campaignId = await createCampaign(`c${concurrency}`, count);
  const figures = await upload(campaignId, count, concurrency);
  const line = {
    concurrency,
    count,
    seconds: round(figures.seconds, 3),
    per_second: round((count - figures.errors) / figures.seconds, 1),
    errors: figures.errors,
    p50_ms: figures.p50_ms,
    p95_ms: figures.p95_ms,
    campaign_id: campaignId,
  };
  if (figures.errors > 0) anyErrors = true;
  results.push(line);
  console.log(JSON.stringify(line));
}
const candidates = results.some((line) => line.errors === 0)
  ? results.filter((line) => line.errors === 0)
  : results;
const best = candidates.reduce((a, b) => (b.per_second > a.per_second ? b : a));
console.log(JSON.stringify({ best_concurrency: best.concurrency, best_per_second: best.per_second }));
process.exit(anyErrors ? 1 : 0);
