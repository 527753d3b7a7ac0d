// The journal page's live tail: waits on the world's journal (POST …/journal/wait, the route a
// test uses) for entries after the newest shown, with the page's filter, and puts each new one on
// top, built with textContent only. "Pause" stops waiting; the page keeps at most data-limit rows.
"use strict";

const journal = {
  rows: document.getElementById("journal-rows"),
  live: document.getElementById("journal-live"),
  pause: document.getElementById("journal-pause"),
  paused: false,
  // Aborts the wait in progress when paused; a resumed tail is a new run, so an old one stops.
  controller: null,
  run: 0,

  get after() { return Number(journal.rows.dataset.after) || 0; },

  // The same cells as the server's rows (journal.mustache), in the same formats.
  row(entry) {
    const cell = (text, className) => {
      const td = document.createElement("td");
      if (className) td.className = className;
      td.textContent = text ?? "";
      return td;
    };
    const tr = document.createElement("tr");
    tr.dataset.seq = String(entry.seq);
    const path = cell("", "path");
    const code = document.createElement("code");
    code.textContent = entry.path;
    path.append(code);
    const status = cell("", "num");
    const badge = document.createElement("span");
    badge.className = `badge ${entry.status < 400 ? "ok" : entry.status < 500 ? "warn" : "error"}`;
    badge.textContent = String(entry.status);
    status.append(badge);
    tr.append(
      cell(String(entry.world_time).replace("T", " ").replace(/(\.\d+)?Z$/, " UTC"), "nowrap"),
      cell(entry.method), path, cell(entry.operation), status, cell(entry.server),
      cell(`${Number(entry.duration_ms).toFixed(1)} ms`, "num nowrap"), cell(entry.fault), cell(entry.why));
    return tr;
  },

  add(entries) {
    const fresh = entries.filter((entry) => entry.seq > journal.after);
    if (!fresh.length) return;
    journal.rows.querySelector("tr.empty")?.remove();
    for (const entry of fresh) journal.rows.prepend(journal.row(entry));
    journal.rows.dataset.after = String(fresh[fresh.length - 1].seq);
    const limit = Number(journal.rows.dataset.limit) || 200;
    while (journal.rows.rows.length > limit) journal.rows.lastElementChild.remove();
    journal.live.textContent = `${fresh.length} new at ${new Date().toLocaleTimeString()}; following new requests.`;
  },

  async follow() {
    const filter = {};
    for (const name of ["operation", "status", "server"]) {
      if (journal.rows.dataset[name]) filter[name] = journal.rows.dataset[name];
    }
    const run = ++journal.run;
    while (!journal.paused && run === journal.run) {
      journal.controller = new AbortController();
      try {
        const response = await fetch(`${document.body.dataset.world}/journal/wait`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ ...filter, count: 1, after: journal.after, timeout_seconds: 25 }),
          signal: journal.controller.signal,
        });
        const answer = await response.json();
        if (!response.ok) throw new Error(answer.message || `fakedep answered ${response.status}.`);
        journal.add(answer.entries);
      } catch (failure) {
        if (journal.paused || run !== journal.run) return;
        journal.live.textContent = `Not following: ${failure.message} Trying again in a few seconds.`;
        await new Promise((resolve) => setTimeout(resolve, 5000));
      }
    }
  },

  toggle() {
    journal.paused = !journal.paused;
    journal.pause.textContent = journal.paused ? "Resume" : "Pause";
    if (journal.paused) {
      journal.controller?.abort();
      journal.live.textContent = "Paused: new requests are not shown until you resume.";
    } else {
      journal.live.textContent = "Following new requests.";
      journal.follow();
    }
  },
};

if (journal.rows) {
  journal.pause.hidden = false;
  journal.pause.addEventListener("click", journal.toggle);
  journal.follow();
}
