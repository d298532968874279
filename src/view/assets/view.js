// The playground and the HTML report share this script. In the report
// every fixture's steps are already in the page; in the playground they
// arrive from POST /api/run. Either way a click on a step shows the world
// after it and the access check it made, from the fixture's pictures.
"use strict";

function wire(section) {
  const data = section.querySelector("script.pictures");
  let pictures = null;
  const detail = section.querySelector(".detail");
  const list = section.querySelector("ol.steps");
  if (!list) return;
  const open = (li) => {
    // The pictures are parsed on the first click, not when the page loads.
    if (pictures === null) pictures = data ? JSON.parse(data.textContent) : [];
    const was = list.querySelector("li.step.open");
    if (was) was.classList.remove("open");
    li.classList.add("open");
    const i = li.dataset.step;
    let html = "<h3>The world after step " + i + "</h3>" + (pictures[li.dataset.world] || "");
    if (li.dataset.walk !== undefined) {
      html += "<h3>The access check of step " + i + "</h3>" + (pictures[li.dataset.walk] || "");
    }
    detail.innerHTML = html;
    section.querySelectorAll(".timeline rect.cell").forEach((r) => {
      r.setAttribute("opacity", r.dataset.step === i ? "1" : "0.55");
    });
  };
  // One listener per list, not one per step: a long report opens fast.
  list.addEventListener("click", (e) => {
    const li = e.target.closest("li.step");
    if (li) open(li);
  });
  list.addEventListener("keydown", (e) => {
    const li = e.target.closest("li.step");
    if (li && e.key === "Enter") open(li);
  });
}

function playground() {
  const catalog = JSON.parse(document.getElementById("catalog").textContent);
  const pick = document.getElementById("pick");
  const text = document.getElementById("text");
  const goal = document.getElementById("goal");
  const out = document.getElementById("out");
  const status = document.getElementById("status");
  catalog.forEach((f, i) => {
    const o = document.createElement("option");
    o.value = String(i);
    o.textContent = f.title;
    pick.appendChild(o);
  });
  const load = () => {
    const f = catalog[Number(pick.value)];
    text.value = f.text;
    goal.textContent = f.goal || "";
  };
  pick.addEventListener("change", () => { load(); run(); });
  async function run() {
    const f = catalog[Number(pick.value)];
    status.textContent = "running…";
    const t0 = performance.now();
    try {
      const r = await fetch("/api/run?from=" + encodeURIComponent(f.id), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: text.value,
      });
      const html = await r.text();
      out.innerHTML = html;
      out.querySelectorAll("section.fixture").forEach(wire);
      const ms = Math.round(performance.now() - t0);
      status.textContent = (r.ok ? "answered" : "refused") + " in " + ms + " ms";
      status.dataset.ms = String(ms);
    } catch (e) {
      status.textContent = "the server did not answer: " + e;
    }
  }
  document.getElementById("run").addEventListener("click", run);
  load();
  run();
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.getElementById("catalog")) {
    playground();
  } else {
    document.querySelectorAll("section.fixture").forEach(wire);
  }
});
