// FakeDEP's web portal. A form marked `data-api` is sent to the JSON route that does its action
// (the pages themselves only read); the answer is shown in the page, an error in that route's own
// words. Attributes of such a form:
//   data-api      the route; `{field}` is filled from the form (or, in data-go, from the answer)
//   data-method   POST (default), PUT, PATCH or DELETE
//   data-body     json (default: the named fields), file (the chosen file's bytes), raw (the
//                 text of the form's textarea, as it is: a JSON body written by hand), none
//   data-then     reload (default), go (to data-go), report (into #data-report), show (into
//                 #data-output; with data-keep, the page reloads first and shows it after),
//                 download (save the answer as a file)
//   data-confirm  a question to answer before sending
//   data-text     with show: this string field of the answer (a PEM key, say) shown as plain
//                 text below the rest, rather than escaped inside the JSON
// A field's data-type reads its value as a number, bool, lines (one a line), json or text-file
// (the chosen file's text); a multiple select is the list of its chosen values; a field with
// data-path only fills the route. A field named `a.b` sets `b` inside the object `a`.
"use strict";

const portal = {
  fieldValue(form, name) {
    const field = form.elements.namedItem(name);
    return field ? field.value : undefined;
  },

  fill(template, form, answer) {
    return template.replace(/\{([a-z_]+)\}/g, (_, name) => {
      const value = answer && answer[name] !== undefined ? answer[name] : portal.fieldValue(form, name);
      return encodeURIComponent(value ?? "");
    });
  },

  async body(form) {
    const kind = form.dataset.body || "json";
    if (kind === "none") return null;
    if (kind === "raw") return form.querySelector("textarea").value;
    if (kind === "file") {
      const input = form.querySelector("input[type=file]");
      if (!input || !input.files.length) throw new Error("Choose a file first.");
      return input.files[0];
    }
    const object = {};
    const set = (name, value) => {
      const path = name.split(".");
      let target = object;
      for (const key of path.slice(0, -1)) target = target[key] ??= {};
      target[path[path.length - 1]] = value;
    };
    for (const field of form.elements) {
      if (!field.name || field.disabled || "path" in field.dataset) continue;
      if (field.type === "checkbox") { set(field.name, field.checked); continue; }
      if (field.type === "select-multiple") {
        set(field.name, [...field.selectedOptions].map((option) => option.value));
        continue;
      }
      if (field.type === "file") {
        if (field.files.length) set(field.name, await field.files[0].text());
        continue;
      }
      if (field.value === "") continue;
      switch (field.dataset.type) {
        case "number": set(field.name, Number(field.value)); break;
        case "bool": set(field.name, field.value === "true"); break;
        case "lines": set(field.name, field.value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean)); break;
        case "json": set(field.name, JSON.parse(field.value)); break;
        default: set(field.name, field.value);
      }
    }
    return JSON.stringify(object);
  },

  // XMLHttpRequest rather than fetch: it reports upload progress.
  send(method, url, payload, progress) {
    return new Promise((resolve, reject) => {
      const request = new XMLHttpRequest();
      request.open(method, url);
      request.responseType = "blob";
      // A file goes with its own type, unless it has none or one a form could send (a .txt
      // file is text/plain): fakedep refuses those, so that no other page can post to it.
      if (typeof payload === "string") request.setRequestHeader("Content-Type", "application/json");
      else if (payload) request.setRequestHeader("Content-Type", portal.fileType(payload));
      if (progress && payload) {
        request.upload.onprogress = (event) => {
          if (!event.lengthComputable) return;
          progress.max = event.total;
          progress.value = event.loaded;
          progress.textContent = `${Math.round((100 * event.loaded) / event.total)} %`;
        };
      }
      request.onload = () => resolve(request);
      request.onerror = () => reject(new Error("fakedep could not be reached."));
      request.send(payload);
    });
  },

  // What a refusal says: the portal's and control surface's `message`, an ABM error's detail,
  // an OAuth error's description, or the plain text of Apple's DEP codes.
  async problem(request) {
    const text = await request.response.text();
    try {
      const answer = JSON.parse(text);
      return answer.message || answer.error_description || answer.errors?.[0]?.detail || text;
    } catch {
      return text.trim() || `fakedep answered ${request.status}.`;
    }
  },

  fileType(file) {
    const type = (file.type || "").split(";")[0].trim().toLowerCase();
    const formTypes = ["", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"];
    return formTypes.includes(type) ? "application/octet-stream" : file.type;
  },

  fileName(request, fallback) {
    const disposition = request.getResponseHeader("Content-Disposition") || "";
    const match = /filename="?([^";]+)"?/.exec(disposition);
    return match ? match[1] : fallback;
  },

  save(blob, name) {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  },

  element(tag, text, attributes = {}) {
    const element = document.createElement(tag);
    if (text !== undefined) element.textContent = text;
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
    return element;
  },

  parseCSV(text) {
    const rows = [];
    let row = [], cell = "", quoted = false;
    for (let index = 0; index < text.length; index++) {
      const character = text[index];
      if (quoted) {
        if (character === '"' && text[index + 1] === '"') { cell += '"'; index++; }
        else if (character === '"') quoted = false;
        else cell += character;
      } else if (character === '"') quoted = true;
      else if (character === ",") { row.push(cell); cell = ""; }
      else if (character === "\n" || character === "\r") {
        if (character === "\r" && text[index + 1] === "\n") index++;
        row.push(cell); rows.push(row); row = []; cell = "";
      } else cell += character;
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    return rows;
  },

  csv(rows) {
    const quote = (cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
    return rows.map((row) => row.map(quote).join(",")).join("\r\n") + "\r\n";
  },

  // A per-line assignment report (the JSON routes' or the CSV route's) as counts, a table of its
  // first lines and the whole of it as a CSV file.
  showReport(target, text, type) {
    const header = ["serial_number", "line", "outcome", "detail"];
    let rows, csv;
    if ((type || "").includes("json")) {
      rows = JSON.parse(text).lines.map((line) => [line.serial, String(line.line), line.outcome, line.detail || ""]);
      csv = portal.csv([header, ...rows]);
    } else {
      rows = portal.parseCSV(text).slice(1);
      csv = text;
    }
    const counts = new Map();
    for (const row of rows) counts.set(row[2], (counts.get(row[2]) || 0) + 1);
    target.replaceChildren();
    target.append(portal.element("h2", "Report", { id: "report-title" }));
    const summary = portal.element("ul", undefined, { class: "report-counts" });
    for (const [outcome, count] of counts) summary.append(portal.element("li", `${outcome}: ${count.toLocaleString("en")}`));
    target.append(summary);
    const download = portal.element("a", "Download the report (CSV)", { class: "button", download: "assignment-report.csv" });
    download.href = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    const paragraph = portal.element("p");
    paragraph.append(download);
    target.append(paragraph);
    const shown = rows.slice(0, 1000);
    if (rows.length > shown.length) {
      target.append(portal.element("p", `The first ${shown.length.toLocaleString("en")} of ${rows.length.toLocaleString("en")} lines; the file has them all.`));
    }
    const table = portal.element("table", undefined, { class: "report" });
    const head = portal.element("tr");
    for (const title of ["Line", "Serial", "Outcome", "Detail"]) head.append(portal.element("th", title, { scope: "col" }));
    const thead = portal.element("thead");
    thead.append(head);
    table.append(thead);
    const body = portal.element("tbody");
    for (const [serial, line, outcome, detail] of shown) {
      const tr = portal.element("tr", undefined, { "data-outcome": outcome });
      tr.append(portal.element("td", line, { class: "num" }), portal.element("td", serial), portal.element("td", outcome), portal.element("td", detail));
      body.append(tr);
    }
    table.append(body);
    const scroll = portal.element("div", undefined, { class: "scroll" });
    scroll.append(table);
    target.append(scroll);
    target.hidden = false;
    target.focus();
  },

  show(target, answer, textField) {
    if (textField && answer && typeof answer[textField] === "string") {
      const { [textField]: text, ...rest } = answer;
      target.textContent = `${JSON.stringify(rest, null, 2)}\n\n${text}`;
    } else {
      target.textContent = typeof answer === "string" ? answer : JSON.stringify(answer, null, 2);
    }
    target.hidden = false;
    target.focus();
  },

  // Where a data-keep answer waits for the reload that follows it.
  keptKey(id) { return `fakedep-shown:${location.pathname}#${id}`; },

  showKept() {
    for (const target of document.querySelectorAll("[id]")) {
      const kept = sessionStorage.getItem(portal.keptKey(target.id));
      if (kept === null) continue;
      sessionStorage.removeItem(portal.keptKey(target.id));
      portal.show(target, kept);
    }
  },

  async then(form, request) {
    const type = request.getResponseHeader("Content-Type") || "";
    switch (form.dataset.then || "reload") {
      case "download":
        portal.save(request.response, portal.fileName(request, form.dataset.filename || "download"));
        return;
      case "report":
        portal.showReport(document.getElementById(form.dataset.report), await request.response.text(), type);
        return;
    }
    const text = await request.response.text();
    const answer = text && type.includes("json") ? JSON.parse(text) : null;
    switch (form.dataset.then || "reload") {
      case "go": location.assign(portal.fill(form.dataset.go, form, answer)); return;
      case "show":
        if ("keep" in form.dataset) {
          sessionStorage.setItem(portal.keptKey(form.dataset.output), answer ? JSON.stringify(answer, null, 2) : text);
          location.reload();
        } else portal.show(document.getElementById(form.dataset.output), answer ?? text, form.dataset.text);
        return;
      default: location.reload();
    }
  },

  async submit(form, event) {
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    const error = form.querySelector(".form-error");
    const button = form.querySelector("button[type=submit], button:not([type])");
    const progress = form.querySelector("progress");
    if (error) error.textContent = "";
    if (button) button.disabled = true;
    try {
      const payload = await portal.body(form);
      if (progress) { progress.hidden = false; progress.removeAttribute("value"); }
      const url = portal.fill(form.dataset.api, form);
      const request = await portal.send(form.dataset.method || "POST", url, payload, progress);
      if (request.status < 200 || request.status >= 300) {
        if (error) error.textContent = await portal.problem(request);
        return;
      }
      await portal.then(form, request);
    } catch (failure) {
      if (error) error.textContent = failure.message;
    } finally {
      if (button) button.disabled = false;
      if (progress) progress.hidden = true;
    }
  },

  // A download link whose refusal (a server without a key, say) is shown, not saved as a file.
  async download(link, event) {
    event.preventDefault();
    let error = link.parentNode.querySelector(".form-error");
    if (!error) {
      error = portal.element("span", "", { class: "form-error", role: "alert" });
      link.after(error);
    }
    error.textContent = "";
    const request = await portal.send("GET", link.href, null);
    if (request.status < 200 || request.status >= 300) {
      error.textContent = await portal.problem(request);
      return;
    }
    portal.save(request.response, portal.fileName(request, "download"));
    if (link.dataset.then === "reload") location.reload();
  },
};

portal.showKept();
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.api) portal.submit(form, event);
});
document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a[data-download]");
  if (link) portal.download(link, event);
});
