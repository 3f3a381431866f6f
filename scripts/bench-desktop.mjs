// The runs of the desktop benchmarks; scripts/bench-desktop.sh builds, seeds and starts this under
// Xvfb. Alternates the minimal window and the app (ABBA order), and for each start measures:
//   start   wall time from spawn to the `sellerdesk-ready {...}` line on the app's stdout;
//   memory  right after that line (for the app, once its `sellerdesk-loaded` line says that the
//           whole coupon list is in the page), the resident memory of the app process and all its
//           descendants (WebKitWebProcess, WebKitNetworkProcess): the physical pages mapped by any
//           of them, each page counted once (from /proc/PID/smaps and /proc/PID/pagemap; needs
//           root for the page frame numbers). Shown too, for reference: the sum of their Pss
//           (smaps_rollup), which also splits the pages they share with processes outside the
//           app (another WebKit app running meanwhile lowers it, by 70 MiB on the minimal window
//           once), and the sum of their VmRSS, which counts shared pages again in every process;
//   render  for the app, the coupons_render_ms of its ready line (its first rows painted) and the
//           coupons_loaded_ms of its loaded line (the whole list in the page).
// Then it stops the app with SIGTERM and waits until none of its processes is left.
// Prints a markdown table on stdout; progress goes to stderr.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";

const { values: options } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    apps: { type: "string", default: "minimal,app" },
    seed: { type: "string" },
    work: { type: "string" },
    minimal: { type: "string" },
    app: { type: "string" },
    json: { type: "string" },
    "shader-cache": { type: "string", default: "warm" },
  },
});
const runs = Number(options.runs);
// The GPU driver's shader cache (Mesa's, under XDG_CACHE_HOME by default). "warm": each app keeps
// one of its own across its runs, filled by three starts that are not measured, as on a seller's
// machine from the second start on. "cold": every start compiles its shaders again, as the very
// first start on a machine does (under Xvfb, Mesa's llvmpipe compiles them on the CPU).
const shaderCache = options["shader-cache"];
if (!["warm", "cold"].includes(shaderCache)) throw new Error(`--shader-cache is warm or cold, not ${shaderCache}`);
const WARM_UP_STARTS = 3;
const READY_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 10_000;
const MIB = 1024 * 1024;

const apps = {
  minimal: { name: "minimal window", binary: options.minimal },
  app: { name: "Seller Desk", binary: options.app, seed: options.seed },
};
const chosen = options.apps.split(",").map((key) => {
  if (!apps[key]) throw new Error(`unknown app ${key} (minimal, app)`);
  return key;
});

// ---- processes, from /proc --------------------------------------------------------------------

/** pid, parent pid, process group and state of every process, from /proc/PID/stat. */
function processTable() {
  const table = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const [state, ppid, pgrp] = fields;
    table.push({ pid: Number(entry), state, ppid: Number(ppid), pgrp: Number(pgrp) });
  }
  return table;
}

/** The process and all its descendants that are still alive (not zombies). */
function processTree(root) {
  const table = processTable();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const p of table) if (p.ppid === tree[i] && p.state !== "Z") tree.push(p.pid);
  }
  return tree;
}

function programName(pid) {
  try {
    const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
    return path.basename(argv0);
  } catch {
    return "?";
  }
}

/** Pss and Rss of one process in bytes, or null when it is gone. */
function memoryOf(pid) {
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const kib = (field) => Number(rollup.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))[1]);
    return { pss: kib("Pss") * 1024, rss: kib("Rss") * 1024 };
  } catch {
    return null;
  }
}

const PAGE = 4096;

/**
 * The physical pages resident in any of the processes, each counted once, in bytes: for every
 * mapping with resident pages (smaps), the page frame numbers of its present pages (pagemap).
 * Null without the rights to read page frame numbers (they then read as 0).
 */
function residentOnce(pids) {
  const frames = new Set();
  const buffer = Buffer.alloc(1 << 20);
  const words = new Uint32Array(buffer.buffer, buffer.byteOffset, buffer.length / 4);
  for (const pid of pids) {
    let smaps, pagemap;
    try {
      smaps = fs.readFileSync(`/proc/${pid}/smaps`, "utf8");
      pagemap = fs.openSync(`/proc/${pid}/pagemap`, "r");
    } catch {
      continue; // gone meanwhile
    }
    let mapping = null;
    for (const line of smaps.split("\n")) {
      const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
      if (range) {
        mapping = { start: parseInt(range[1], 16), end: parseInt(range[2], 16) };
      } else if (mapping && line.startsWith("Rss:")) {
        if (!/^Rss:\s+0 kB/.test(line)) {
          // One little-endian u64 per page: bit 63 present, bits 0-54 the page frame number.
          const end = (mapping.end / PAGE) * 8;
          for (let at = (mapping.start / PAGE) * 8; at < end; at += buffer.length) {
            const read = fs.readSync(pagemap, buffer, 0, Math.min(buffer.length, end - at), at);
            for (let i = 1; i < read / 4; i += 2) {
              if (words[i] & 0x80000000) frames.add((words[i] & 0x7fffff) * 2 ** 32 + words[i - 1]);
            }
          }
        }
        mapping = null;
      }
    }
    fs.closeSync(pagemap);
  }
  return frames.size === 1 && frames.has(0) ? null : frames.size * PAGE;
}

function sampleMemory(rootPid) {
  const processes = [];
  for (const pid of processTree(rootPid)) {
    const memory = memoryOf(pid);
    const program = pid === rootPid ? "app" : programName(pid);
    if (memory) processes.push({ pid, program, ...memory });
  }
  const sum = (key) => processes.reduce((total, p) => total + p[key], 0);
  const once = residentOnce(processes.map((p) => p.pid));
  return { once, pss: sum("pss"), rss: sum("rss"), processes };
}

/** Live processes among `pids` or in process group `pgrp`. */
function survivors(pids, pgrp) {
  const ours = (p) => pids.includes(p.pid) || p.pgrp === pgrp;
  return processTable().filter((p) => p.state !== "Z" && ours(p));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- one run ----------------------------------------------------------------------------------

/** A fresh HOME, XDG directories and (for the app) data directory, so nothing leaks between runs. */
function freshEnvironment(key, index) {
  const root = fs.mkdtempSync(path.join(options.work, `run-${key}-${index}-`));
  const dirs = {};
  for (const name of ["home", "config", "data", "cache", "state", "runtime", "sellerdesk"]) {
    dirs[name] = path.join(root, name);
    fs.mkdirSync(dirs[name], { mode: 0o700 });
  }
  if (apps[key].seed) fs.cpSync(apps[key].seed, dirs.sellerdesk, { recursive: true });
  // A clean environment: the display, PATH, locale, time zone and WebKit settings (WEBKIT_*, such
  // as WEBKIT_DISABLE_COMPOSITING_MODE=1) of the caller and nothing else. Not its session bus
  // (nothing shared with anything else), nor RUST_BACKTRACE and the like: with RUST_BACKTRACE=1
  // a panic symbolises the backtrace and keeps the binary's debug info in memory, 20-30 MiB that
  // a user's start would not have.
  const kept = /^(PATH|DISPLAY|XAUTHORITY|LANG|LANGUAGE|LC_[A-Z]+|TZ|WEBKIT_[A-Z_]+)$/;
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => kept.test(name)));
  Object.assign(env, {
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    XDG_RUNTIME_DIR: dirs.runtime,
    SELLERDESK_DATA_DIR: dirs.sellerdesk,
  });
  if (shaderCache === "warm") {
    const cache = path.join(options.work, `shader-cache-${key}`);
    fs.mkdirSync(cache, { recursive: true });
    env.MESA_SHADER_CACHE_DIR = cache;
  }
  return { root, env };
}

async function run(key, index, { warmUp } = { warmUp: false }) {
  const { root, env } = freshEnvironment(key, index);
  const started = performance.now();
  // A process group of its own, so that every process it starts can be found and stopped.
  const child = spawn(apps[key].binary, [], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const exited = new Promise((resolve) => {
    child.on("exit", (code, signal) => resolve({ code, signal }));
    child.on("error", (error) => resolve({ error })); // never started
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));

  // Every complete line of standard output, as it comes.
  const lines = [];
  const lineWaiters = [];
  let pending = "";
  child.stdout.on("data", (chunk) => {
    const at = performance.now();
    pending += chunk;
    const complete = pending.split("\n");
    pending = complete.pop();
    for (const text of complete) lines.push({ at, text });
    for (const wake of lineWaiters.splice(0)) wake();
  });
  /** The first line starting with `prefix`: its time and the JSON after the prefix. */
  const lineStartingWith = (prefix) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${prefix.trim()} line within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
      child.on("error", reject);
      child.on("exit", (code, signal) => reject(new Error(`exited (${code ?? signal}) before ${prefix.trim()}`)));
      const look = () => {
        const line = lines.find((l) => l.text.startsWith(prefix));
        if (line === undefined) return void lineWaiters.push(look);
        clearTimeout(timer);
        resolve({ at: line.at, report: JSON.parse(line.text.slice(prefix.length)) });
      };
      look();
    });

  const ready = await lineStartingWith("sellerdesk-ready ").catch((error) => ({ error }));
  // The app's first screen asks for its first coupons, then for the whole list: memory is
  // sampled once the whole list is in the page.
  const loaded =
    apps[key].seed && !ready.error ? await lineStartingWith("sellerdesk-loaded ").catch((error) => ({ error })) : null;
  if (loaded?.error) ready.error = loaded.error;

  // A warm-up start stays open a moment: the driver writes its shader cache in the background.
  if (warmUp && !ready.error) await sleep(3000);
  const memory = ready.error ? null : sampleMemory(child.pid);
  await stop(child, exited, memory ? memory.processes.map((p) => p.pid) : []);
  fs.rmSync(root, { recursive: true, force: true });
  if (ready.error) {
    throw new Error(`${apps[key].name}, run ${index + 1}: ${ready.error.message}\n${stderr.trim()}`);
  }
  if (stderr.trim()) {
    process.stderr.write(`  (${apps[key].name} said on stderr: ${stderr.trim().slice(0, 500)})\n`);
  }
  return {
    start_s: (ready.at - started) / 1000,
    resident_mib: memory.once === null ? null : memory.once / MIB,
    pss_mib: memory.pss / MIB,
    rss_mib: memory.rss / MIB,
    processes: memory.processes.map((p) => ({
      program: p.program,
      pss_mib: p.pss / MIB,
      rss_mib: p.rss / MIB,
    })),
    coupons_render_ms: ready.report.coupons_render_ms ?? null,
    coupons_loaded_ms: loaded?.report.coupons_loaded_ms ?? null,
  };
}

/** SIGTERM to the app, then wait until none of its processes is left (SIGKILL after a while). */
async function stop(child, exited, pids) {
  const pgrp = child.pid;
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  const timedOut = await Promise.race([
    exited.then(() => false),
    sleep(EXIT_TIMEOUT_MS).then(() => true),
  ]);
  if (timedOut) {
    process.stderr.write(`  (the app ignored SIGTERM for ${EXIT_TIMEOUT_MS} ms: SIGKILL)\n`);
    child.kill("SIGKILL");
  }
  const deadline = performance.now() + EXIT_TIMEOUT_MS;
  let left;
  while ((left = survivors([pgrp, ...pids], pgrp)).length > 0) {
    if (performance.now() > deadline) {
      const names = left.map((p) => programName(p.pid)).join(", ");
      process.stderr.write(`  (still running after the app stopped: ${names}; SIGKILL)\n`);
      for (const p of left) {
        try {
          process.kill(p.pid, "SIGKILL");
        } catch {}
      }
      await sleep(100);
      break;
    }
    await sleep(20);
  }
  await exited;
}

// ---- statistics and the table -----------------------------------------------------------------

function stats(values) {
  const sorted = values.filter((v) => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1) };
}

const show = (s, digits) =>
  s ? `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})` : "—";

function table(results) {
  const figure = (key, field) => (results[key] ? stats(results[key].map((r) => r[field])) : null);
  const rows = [];
  // Both apps' figures of one field.
  const ofBoth = (field) => ({ minimal: figure("minimal", field), app: figure("app", field) });
  const start = ofBoth("start_s");
  const resident = ofBoth("resident_mib");
  const pss = ofBoth("pss_mib");
  const rss = ofBoth("rss_mib");
  const render = figure("app", "coupons_render_ms");
  const both = (s) => s.minimal && s.app;
  const verdict = (ok) => (ok ? "met" : "**missed**");

  const startDelta = both(start) ? start.app.median - start.minimal.median : null;
  rows.push([
    "cold start to the ready line (s)",
    show(start.minimal, 2),
    show(start.app, 2),
    startDelta === null ? "—" : `${startDelta >= 0 ? "+" : ""}${startDelta.toFixed(2)} s`,
    "≤ +0.2 s",
    startDelta === null ? "—" : verdict(startDelta <= 0.2),
  ]);
  // The goal is judged on the resident pages counted once; on Pss where those are unreadable.
  const goalOnResident = both(resident) || !both(pss);
  const memoryRow = (what, figures, isGoal) => {
    const ratio = both(figures) ? (100 * figures.app.median) / figures.minimal.median : null;
    rows.push([
      what,
      show(figures.minimal, 0),
      show(figures.app, 0),
      ratio === null ? "—" : `${ratio.toFixed(0)} %`,
      isGoal ? "≤ 110 %" : "—",
      isGoal && ratio !== null ? verdict(ratio <= 110) : "—",
    ]);
  };
  const residentLabel = "memory after that start: resident pages of all its processes, each once (MiB)";
  memoryRow(residentLabel, resident, goalOnResident);
  memoryRow("the same as the sum of their Pss, for reference (MiB)", pss, !goalOnResident);
  memoryRow("the same as the sum of their VmRSS, for reference (MiB)", rss, false);
  rows.push([
    "coupons screen, 1,000 coupons: first rows painted, from the first answer (ms)",
    "—",
    show(render, 1),
    "—",
    "≤ 100 ms",
    render ? verdict(render.median <= 100) : "—",
  ]);
  rows.push([
    "coupons screen, 1,000 coupons: the whole list in the page, from the first answer (ms)",
    "—",
    show(figure("app", "coupons_loaded_ms"), 1),
    "—",
    "—",
    "—",
  ]);

  const lines = [
    `Machine: ${machineLine}.`,
    `Medians of ${runs} runs each (min–max in brackets); goals judged on the medians.`,
    shaderCache === "warm"
      ? `GPU shader cache: warm (each app's own, filled by ${WARM_UP_STARTS} starts not measured).`
      : "GPU shader cache: cold (empty at every start, as at the first start on a machine).",
    "",
    "| figure | minimal window | Seller Desk | difference | goal | goal met |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((row) => `| ${row.join(" | ")} |`),
    "",
    "Per process, medians (MiB):",
    "",
    "| process | minimal window VmRSS | minimal window Pss | Seller Desk VmRSS | Seller Desk Pss |",
    "| --- | --- | --- | --- | --- |",
  ];
  const all = Object.values(results).flat();
  const programs = [...new Set(all.flatMap((r) => r.processes.map((p) => p.program)))];
  for (const program of programs) {
    // Each run's figure of that program (summed, should there be several such processes).
    const ofProgram = (r, field) =>
      r.processes.filter((p) => p.program === program).reduce((t, p) => t + p[field], 0) || null;
    const per = (key, field) => {
      const s = results[key] ? stats(results[key].map((r) => ofProgram(r, field))) : null;
      return s ? s.median.toFixed(0) : "—";
    };
    const cells = ["minimal", "app"].flatMap((key) => [per(key, "rss_mib"), per(key, "pss_mib")]);
    lines.push(`| ${program} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

// ---- main -------------------------------------------------------------------------------------

function machine() {
  let webkit = "?";
  try {
    webkit = execFileSync("dpkg-query", ["-W", "-f=${Version}", "libwebkit2gtk-4.1-0"], { encoding: "utf8" });
  } catch {}
  const load = os.loadavg().map((l) => l.toFixed(2)).join(" ");
  return (
    `${os.cpus().length} × ${os.cpus()[0].model.trim()}, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Linux ${os.release()}, WebKitGTK ${webkit}, Xvfb; load average at start ${load}` +
    Object.entries(process.env)
      .filter(([name]) => name.startsWith("WEBKIT_"))
      .map(([name, value]) => `; ${name}=${value}`)
      .join("")
  );
}
const machineLine = machine();

if (shaderCache === "warm") {
  for (const key of chosen) {
    for (let start = 0; start < WARM_UP_STARTS; start++) {
      await run(key, -1 - start, { warmUp: true });
      process.stderr.write(`warm-up start ${start + 1}/${WARM_UP_STARTS} ${apps[key].name} (not measured)\n`);
    }
  }
}

const results = Object.fromEntries(chosen.map((key) => [key, []]));
for (let index = 0; index < runs; index++) {
  // ABBA: each app goes first in every other round, so neither always runs right after the other.
  const order = index % 2 === 0 ? chosen : [...chosen].reverse();
  for (const key of order) {
    const result = await run(key, index);
    results[key].push(result);
    const render =
      result.coupons_render_ms === null
        ? ""
        : `, coupons rendered in ${result.coupons_render_ms.toFixed(1)} ms` +
          `, all loaded in ${result.coupons_loaded_ms?.toFixed(1) ?? "?"} ms`;
    const split = result.processes.map((p) => `${p.program} ${p.pss_mib.toFixed(0)}`).join(" + ");
    process.stderr.write(
      `run ${index + 1}/${runs} ${apps[key].name}: ready in ${result.start_s.toFixed(3)} s, ` +
        `resident once ${result.resident_mib?.toFixed(0) ?? "?"} MiB, Pss ${result.pss_mib.toFixed(0)} MiB ` +
        `(${split}), VmRSS ${result.rss_mib.toFixed(0)} MiB${render}\n`,
    );
  }
}
if (options.json) fs.writeFileSync(options.json, JSON.stringify(results, null, 2) + "\n");
console.log(table(results));
