/* awards: what the pages do in the browser. No inline script anywhere (the CSP forbids it):
   - tells the server the browser's time zone (the `tz` cookie) and shows instants in it;
   - counts the words of fields with a word limit;
   - uploads documents with XMLHttpRequest, showing progress in a <progress>; an upload and
     an autosave of the same draft never overlap (each moves the draft's version, and a save
     sent with a version an upload has just moved would be refused as a change made elsewhere);
   - asks for confirmation before forms marked `data-confirm`;
   - keeps a juror's weighted total and each score's level up to date while scoring.
   - ticks or unticks every row of a form with its `data-select-all` box.
   Autosave itself is HTMX (hx-patch on the draft form). */
(function () {
  "use strict";

  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { zone = ""; }

  function rememberZone() {
    if (!zone) { return; }
    var current = document.cookie.split("; ").filter(function (c) { return c.indexOf("tz=") === 0; })[0];
    if (current !== "tz=" + encodeURIComponent(zone)) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; samesite=lax";
    }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  /* `2026-03-31 23:59 Europe/Madrid`, as the server writes it, in the browser's zone. */
  function localise(root) {
    if (!zone) { return; }
    root.querySelectorAll("time[datetime][data-zone]").forEach(function (el) {
      if (el.dataset.zone === zone) { return; }
      var parts = {};
      new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", hourCycle: "h23"
      }).formatToParts(new Date(el.getAttribute("datetime"))).forEach(function (p) { parts[p.type] = p.value; });
      el.textContent = parts.year + "-" + parts.month + "-" + parts.day + " " + parts.hour + ":" + parts.minute + " " + zone;
      el.dataset.zone = zone;
    });
  }

  function countWords(field) {
    var counter = document.getElementById("words-" + field.id);
    if (!counter) { return; }
    var max = parseInt(field.dataset.maxWords, 10);
    var words = field.value.trim() ? field.value.trim().split(/\s+/).length : 0;
    counter.textContent = counter.dataset.words.replace("{n}", words);
    counter.classList.toggle("over", words > max);
  }

  /* The draft's version only moves forward here, whatever order the answers arrive in. */
  function setVersion(value) {
    var field = document.getElementById("version");
    var next = parseInt(value, 10);
    if (field && next > parseInt(field.value || "0", 10)) { field.value = String(next); }
  }

  var saving = 0;       /* autosaves of the draft in flight */
  var uploading = 0;    /* uploads in flight */
  var afterSaves = [];  /* uploads waiting for the autosaves to finish */
  var afterUploads = []; /* autosaves waiting for the uploads to finish */

  function isDraft(element) { return element && element.id === "draft"; }

  function whenSaved(work) { if (saving) { afterSaves.push(work); } else { work(); } }

  function uploadDone() {
    uploading -= 1;
    if (uploading) { return; }
    var held = afterUploads;
    afterUploads = [];
    held.forEach(function (detail) { detail.issueRequest(true); });
  }

  /* Why an upload was refused, in the page's words: the API's `extra.code` (413 is the
     body limit, before the API reads the file); never the API's English `detail`. */
  function problem(box, section, status, body) {
    var code = status === 413 ? "too_large" : (body.extra && body.extra.code) || "other";
    var name = "data-problem-" + code;
    return box.getAttribute(name) || section.getAttribute(name) || section.getAttribute("data-problem-other");
  }

  function upload(box, input) {
    var file = input.files && input.files[0];
    if (!file) { return; }
    whenSaved(function () { send(box, input, file); });
  }

  function send(box, input, file) {
    uploading += 1;
    var section = document.getElementById("documents");
    var progress = box.querySelector("progress");
    var status = box.querySelector(".upload-status");
    var current = box.querySelector("[data-current]");
    var data = new FormData();
    data.append("field", box.dataset.field);
    data.append("file", file);
    progress.hidden = false;
    progress.value = 0;
    status.textContent = section.dataset.uploading;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", box.dataset.url);
    xhr.setRequestHeader("X-CSRFToken", document.body.dataset.csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) { progress.value = Math.round(100 * event.loaded / event.total); }
    });
    xhr.addEventListener("load", function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
      if (xhr.status >= 200 && xhr.status < 300) {
        progress.value = 100;
        var link = document.createElement("a");
        link.href = box.dataset.url + "/" + body.id;
        link.textContent = body.filename;
        current.replaceChildren(link, document.createTextNode(" (" + (body.size / 1024).toFixed(1) + " KB)"));
        status.textContent = section.dataset.uploaded;
        setVersion(body.submission_version);
        uploadDone();
        var form = document.getElementById("draft");
        if (form && window.htmx) { window.htmx.trigger(form, "change"); } /* the checks again */
      } else {
        progress.hidden = true;
        status.textContent = section.dataset.failed + " " + problem(box, section, xhr.status, body);
        uploadDone();
      }
      input.value = "";
    });
    xhr.addEventListener("error", function () {
      progress.hidden = true;
      status.textContent = section.dataset.failed;
      uploadDone();
    });
    xhr.send(data);
  }

  /* A rubric's running total and each score's level, as the server shows them after a save:
     the weighted mean of the criteria scored so far. */
  function tally(form) {
    var levels = JSON.parse(form.dataset.levels || "[]");
    var total = 0, weights = 0, scored = 0;
    form.querySelectorAll("input[data-weight]").forEach(function (input) {
      var raw = input.value.trim().replace(",", "."), score = parseFloat(raw);
      var shown = document.getElementById("level-" + input.id.slice("score-".length));
      var band = raw === "" || isNaN(score) ? null : levels.filter(function (l) { return l.low <= score && score <= l.high; })[0];
      if (shown) { shown.textContent = band ? band.label : ""; }
      if (raw === "" || isNaN(score)) { return; }
      var weight = parseFloat(input.dataset.weight);
      total += weight * score; weights += weight; scored += 1;
    });
    var out = document.getElementById("review-total");
    out.textContent = out.dataset.template
      .replace("{total}", weights ? (total / weights).toFixed(1) : "\u2014")
      .replace("{scored}", String(scored));
  }

  function start() {
    rememberZone();
    localise(document);
    document.querySelectorAll("[data-max-words]").forEach(countWords);
    document.querySelectorAll("form[data-rubric]").forEach(function (form) {
      form.addEventListener("input", function () { tally(form); });
    });
    document.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("[data-max-words]")) { countWords(event.target); }
    });
    document.querySelectorAll("[data-upload]").forEach(function (box) {
      var input = box.querySelector("input[type=file]");
      if (input) { input.addEventListener("change", function () { upload(box, input); }); }
    });
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
    document.addEventListener("change", function (event) {
      var all = event.target.dataset && event.target.dataset.selectAll;
      if (!all) { return; }
      document.querySelectorAll('input[type=checkbox][form="' + all + '"]').forEach(function (box) { box.checked = event.target.checked; });
    });
    document.body.addEventListener("htmx:afterSwap", function (event) { localise(event.target); });
    document.body.addEventListener("htmx:confirm", function (event) {
      if (isDraft(event.detail.elt) && uploading) { event.preventDefault(); afterUploads.push(event.detail); }
    });
    document.body.addEventListener("htmx:beforeRequest", function (event) {
      if (isDraft(event.detail.elt)) { saving += 1; }
    });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var xhr = event.detail.xhr;
      var version = xhr && xhr.getResponseHeader("X-Submission-Version");
      if (version) { setVersion(version); }
      if (!isDraft(event.detail.elt)) { return; }
      saving = Math.max(0, saving - 1);
      if (!saving) {
        var held = afterSaves;
        afterSaves = [];
        held.forEach(function (work) { work(); });
      }
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
