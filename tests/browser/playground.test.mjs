// End-to-end test of `secctx serve` and `secctx run --format html` in a
// real browser: Debian's chromium, headless, driven by playwright-core
// (which never downloads a browser of its own here).
//
// It starts the playground on a free loopback port, runs a bundled fixture
// and checks every step's verdict is shown, opens a step and finds the
// timeline and the ACE walk, breaks the fixture and finds the positioned
// error the command line prints, saves a screenshot, then opens the HTML
// report the same way, and logs the measured times and sizes.
//
//   SECCTX_BIN   the binary (default: ../../target/debug/secctx)
//   CHROMIUM     the browser (default: /usr/bin/chromium)
//   SCREENSHOT   also write the screenshot here (docs/playground.png)

import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { createInterface } from "node:readline";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const bin = process.env.SECCTX_BIN || path.join(root, "target/debug/secctx");
const out = path.join(root, "target/browser");
fs.mkdirSync(out, { recursive: true });

let server = null;
let browser = null;
let failed = false;

// The whole test has three minutes; a hung browser or server cannot keep
// CI waiting.
const guard = setTimeout(() => {
  console.error("FAIL: the browser test took longer than 180 s");
  cleanup().finally(() => process.exit(1));
}, 180_000);

async function cleanup() {
  if (browser) await browser.close().catch(() => {});
  browser = null;
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => { server.once("exit", r); setTimeout(r, 3000); });
  }
  server = null;
}

function check(cond, what) {
  if (!cond) throw new Error("check failed: " + what);
  console.log("ok - " + what);
}

function startServer() {
  return new Promise((resolve, reject) => {
    server = spawn(bin, ["serve", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
    server.once("error", reject);
    server.once("exit", (c) => reject(new Error("secctx serve exited with " + c)));
    const lines = createInterface({ input: server.stdout });
    lines.once("line", (l) => {
      const m = /^secctx serve: (http:\/\/127\.0\.0\.1:\d+\/)$/.exec(l);
      m ? resolve(m[1]) : reject(new Error("unexpected first line: " + l));
    });
    setTimeout(() => reject(new Error("secctx serve did not start in 20 s")), 20_000);
  });
}

// Every rendered step has a verdict the page shows, and the shown word is
// the data-verdict value.
async function verdictsShown(page, scope) {
  return page.$$eval(scope + " li.step", (lis) =>
    lis.map((li) => ({
      step: li.dataset.step,
      verdict: li.dataset.verdict,
      shown: li.querySelector(".verdict")?.textContent,
      visible: li.querySelector(".verdict")?.offsetParent !== null,
    })));
}

async function main() {
  const url = await startServer();
  console.log("# playground at " + url);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    timeout: 60_000,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--no-first-run"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(20_000);
  // Nothing but the server itself may be fetched.
  const foreign = [];
  page.on("request", (r) => { if (!r.url().startsWith(url) && !r.url().startsWith("data:")) foreign.push(r.url()); });

  await page.goto(url);
  await page.waitForSelector("#out section.fixture li.step");
  check((await page.$eval("#pick", (s) => s.options[s.selectedIndex].text)).startsWith("Lesson 1: "),
    "serve opens on the first lesson");

  // Lesson 4: the file server impersonates its client.
  await page.selectOption("#pick", "3");
  await page.waitForFunction(() => document.querySelector("#out section.fixture h2")?.textContent.includes("file server"));
  const steps = JSON.parse(await page.$eval("#text", (t) => t.value)).steps.length;
  let shown = await verdictsShown(page, "#out");
  check(shown.length === steps, `every step of the fixture is rendered (${shown.length}/${steps})`);
  check(shown.every((s) => ["pass", "fail", "not-judged"].includes(s.verdict) && s.shown === s.verdict && s.visible),
    "every step shows its verdict");
  check(shown.every((s, i) => s.step === String(i)), "steps carry data-step in order");

  // The answer time: three runs of the bundled fixture, as the page measures them.
  const times = [];
  for (let i = 0; i < 3; i++) {
    await page.$eval("#status", (s) => { s.textContent = ""; });
    await page.click("#run");
    await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("answered"));
    times.push(Number(await page.$eval("#status", (s) => s.dataset.ms)));
  }
  console.log(`# run answer for a bundled fixture: ${times.join(", ")} ms (page-measured, fetch to render)`);

  // Open a step that made an access check.
  const stepWithWalk = page.locator("#out li.step[data-walk]").nth(2);
  await stepWithWalk.click();
  await page.waitForSelector("#out .detail svg.world");
  check(await page.locator("#out svg.timeline rect.cell").count() >= steps, "the timeline has a cell per step");
  check(await page.locator("#out .detail svg.world g.thread").count() >= 1, "the world at the step shows threads");
  check(await page.locator("#out .detail svg.ace-walk g.ace-row").count() >= 3, "the ACE walk has its rows");
  check(await page.locator("#out svg.matrix rect.cell").count() > 0, "the matrix is drawn");
  await page.screenshot({ path: path.join(out, "playground.png"), fullPage: false });
  if (process.env.SCREENSHOT) fs.copyFileSync(path.join(out, "playground.png"), process.env.SCREENSHOT);

  // Break the fixture: the positioned error, as the command line says it.
  const broken = (await page.$eval("#text", (t) => t.value)).replace('"op": "open"', '"op": "opne"');
  await page.fill("#text", broken);
  await page.click("#run");
  await page.waitForFunction(() => document.querySelector("#out .error")?.textContent.length > 0);
  const error = await page.$eval("#out .error", (e) => e.textContent);
  const file = path.join(out, "broken.json");
  fs.writeFileSync(file, broken);
  let cli = "";
  try { execFileSync(bin, ["run", file], { encoding: "utf8", stdio: "pipe" }); } catch (e) { cli = (e.stdout || "") + (e.stderr || ""); }
  check(/^steps\[\d+\]\.op: /.test(error), "the page shows the error at its JSON path: " + error.slice(0, 60));
  check(cli.includes(error), "the command line prints the same message");
  await page.screenshot({ path: path.join(out, "playground-error.png") });
  check(foreign.length === 0, "nothing was fetched from elsewhere " + JSON.stringify(foreign));

  // The HTML report of the bundled fixtures, opened from a file.
  const report = path.join(out, "report.html");
  fs.writeFileSync(report, execFileSync(bin, ["run", "--format", "html", path.join(root, "fixtures")], { maxBuffer: 64 << 20 }));
  const rpage = await browser.newPage();
  await rpage.goto("file://" + report);
  shown = await verdictsShown(rpage, "");
  const cliSummary = execFileSync(bin, ["run", path.join(root, "fixtures")], { encoding: "utf8" }).trim().split("\n").pop();
  const passed = Number(cliSummary.split(" ")[0]);
  check(shown.length === passed && shown.every((s) => s.verdict === "pass" && s.shown === "pass"),
    `the report shows every step's verdict (${shown.length}, CLI: ${cliSummary})`);
  await rpage.locator("li.step[data-walk]").first().click();
  check(await rpage.locator(".detail svg.ace-walk g.ace-row").count() > 0, "the report opens a step's ACE walk");
  check(await rpage.locator("svg.timeline").count() > 0, "the report has timelines");

  // A generated 1,000-step fixture: the report's size and open time.
  const base = JSON.parse(fs.readFileSync(path.join(root, "fixtures/01-file-server-impersonation.json"), "utf8"));
  const cycle = base.steps.slice(0, 10);
  base.steps = Array.from({ length: 1000 }, (_, i) => cycle[i % cycle.length]);
  base.name = "1,000 steps";
  const big = path.join(out, "thousand.json");
  fs.writeFileSync(big, JSON.stringify(base));
  const bigReport = path.join(out, "thousand.html");
  const t0 = Date.now();
  fs.writeFileSync(bigReport, execFileSync(bin, ["run", "--format", "html", big], { maxBuffer: 64 << 20 }));
  const genMs = Date.now() - t0;
  const size = fs.statSync(bigReport).size;
  const bpage = await browser.newPage();
  const t1 = Date.now();
  await bpage.goto("file://" + bigReport, { waitUntil: "load" });
  await bpage.waitForSelector('li.step[data-step="999"]');
  const openMs = Date.now() - t1;
  const n = await bpage.locator("li.step").count();
  console.log(`# 1,000-step report: ${size} bytes (${(size / 1048576).toFixed(2)} MiB), written in ${genMs} ms, opened in ${openMs} ms`);
  check(n === 1000, "the 1,000-step report renders every step");
  check(size < 2 * 1024 * 1024, "the 1,000-step report is under 2 MB");
  if (openMs > 1000) console.log("# note: the open took over 1 s on this machine");
}

main()
  .catch((e) => { failed = true; console.error("FAIL: " + (e && e.stack || e)); })
  .finally(async () => {
    clearTimeout(guard);
    await cleanup();
    console.log(failed ? "# browser test FAILED" : "# browser test passed");
    process.exit(failed ? 1 : 0);
  });
