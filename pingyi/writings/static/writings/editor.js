/* The writing editor: live word count, autosave through htmx, and a copy in localStorage
   so a dropped connection or a closed tab loses nothing. */
(function () {
  "use strict";
  const form = document.getElementById("writing-form");
  const saver = document.getElementById("autosaver");
  if (!form || !saver) return;
  const key = "pingyi:writing:" + form.dataset.writingId;
  const status = document.getElementById("autosave-status");
  const counter = document.getElementById("word-count");
  const seq = form.querySelector("input[name=seq]");
  // This page's id: the server orders saves within a page by seq, and lets another page or device win.
  form.querySelector("input[name=client]").value = Math.random().toString(36).slice(2, 14);
  let dirty = false;
  let submitting = false; // the page is posting the whole form: no autosave may race it
  let timer = null;

  // Same rule as pingyi/writings/text.py word_count: no whitespace, punctuation (P), separators (Z) or controls (C).
  const NOT_COUNTED = /[\s\p{P}\p{Z}\p{C}]/gu;
  const least = Number(form.dataset.minWords) || 0;
  const most = Number(form.dataset.maxWords) || Infinity;
  function count() {
    let n = 0;
    form.querySelectorAll("textarea").forEach((area) => {
      n += Array.from(area.value.replace(NOT_COUNTED, "")).length;
    });
    if (counter) {
      counter.textContent = n;
      counter.classList.toggle("text-danger", n > most);
      counter.classList.toggle("text-success", n >= least && n <= most);
    }
  }

  function fields() {
    return Array.from(form.elements).filter(
      (el) => el.name && !["csrfmiddlewaretoken", "seq", "client"].includes(el.name) && el.type !== "submit"
    );
  }
  function snapshot() {
    const data = {};
    fields().forEach((el) => { data[el.name] = el.type === "checkbox" ? el.checked : el.value; });
    return data;
  }
  function apply(data) {
    fields().forEach((el) => {
      if (!(el.name in data)) return;
      if (el.type === "checkbox") el.checked = Boolean(data[el.name]);
      else el.value = data[el.name];
    });
  }
  // The local copy says whether the server has it (synced): only an unsynced copy is ever put back,
  // so no clock needs to agree with the server's.
  function keepLocal(synced) {
    try {
      localStorage.setItem(key, JSON.stringify({ at: Date.now(), synced: synced, data: snapshot() }));
    } catch (e) { /* storage full or disabled: the server copy still works */ }
  }
  function save() {
    if (!dirty || submitting) return;
    if (window.htmx) htmx.trigger(saver, "autosave");
  }
  function changed() {
    dirty = true;
    seq.value = Date.now();
    keepLocal(false);
    count();
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("focusout", () => setTimeout(save, 50));
  setInterval(save, 10000);
  window.addEventListener("online", save);

  saver.addEventListener("htmx:beforeRequest", () => {
    form.dataset.sending = seq.value;
  });
  saver.addEventListener("htmx:afterRequest", (event) => {
    if (!event.detail.successful) return; // an aborted (superseded) save is not an error
    if (seq.value === form.dataset.sending) { // nothing typed while the save was under way
      dirty = false;
      keepLocal(true);
    }
  });
  function failed() {
    status.textContent = form.dataset.msgOffline;
    status.className = "small mb-3 text-danger";
  }
  saver.addEventListener("htmx:sendError", failed);
  saver.addEventListener("htmx:responseError", failed);
  saver.addEventListener("htmx:timeout", failed);
  status.addEventListener("htmx:afterSwap", () => { status.className = "small mb-3"; });
  form.addEventListener("submit", () => { submitting = true; clearTimeout(timer); });

  // A local copy the server never confirmed, and different from the page, was lost in transit: put it back.
  try {
    const local = JSON.parse(localStorage.getItem(key) || "null");
    if (local && !local.synced && JSON.stringify(local.data) !== JSON.stringify(snapshot())) {
      apply(local.data);
      status.textContent = form.dataset.msgRestored;
      dirty = true;
      seq.value = Date.now();
      setTimeout(save, 500);
    }
  } catch (e) { /* a corrupt local copy is ignored */ }
  count();

  // Back after submit: a page restored from the back-forward cache, or shown again from the browser's cache
  // by the back button, still shows the draft editor. Lock it at once, ask the server whether the piece is
  // still a draft (the editor URL redirects once it is not), and go to its page if not: typing into a
  // submitted piece must never look as if it were kept. (The server also sends the editor as no-store.)
  window.addEventListener("pageshow", (event) => {
    const entry = (performance.getEntriesByType && performance.getEntriesByType("navigation")[0]) || {};
    if (!event.persisted && entry.type !== "back_forward") return; // a fresh load: the server said it is editable
    const controls = Array.from(form.elements);
    controls.forEach((el) => { el.disabled = true; });
    fetch(form.dataset.editUrl, { redirect: "manual", cache: "no-store", credentials: "same-origin" })
      .then((response) => {
        if (response.ok) {
          controls.forEach((el) => { el.disabled = false; });
        } else {
          window.location.reload();
        }
      })
      .catch(() => { window.location.reload(); });
  });
})();
