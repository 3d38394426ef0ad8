/* The 个人讲评 editor: autosave through htmx with ordered saves, and a copy in localStorage so a dropped
   connection or a closed tab loses nothing. The approach of pingyi/writings/static/writings/editor.js. */
(function () {
  "use strict";
  const form = document.getElementById("self-assess-form");
  const saver = document.getElementById("autosaver");
  if (!form || !saver) return; // submitted, or the round is not open: nothing is autosaved
  const key = "pingyi:self-assessment:" + form.dataset.roundId;
  const status = document.getElementById("autosave-status");
  const seq = form.querySelector("input[name=seq]");
  // This page's id: the server orders saves within a page by seq, and lets another page or device win.
  form.querySelector("input[name=client]").value = Math.random().toString(36).slice(2, 14);
  let dirty = false;
  let submitting = false; // the page is posting the whole form: no autosave may race it
  let timer = null;

  function fields() {
    return Array.from(form.elements).filter(
      (el) => el.name && !["csrfmiddlewaretoken", "seq", "client"].includes(el.name) && el.type !== "submit"
    );
  }
  function snapshot() {
    const data = {};
    fields().forEach((el) => {
      if (el.type === "radio") { if (el.checked) data[el.name] = el.value; } else data[el.name] = el.value;
    });
    return data;
  }
  function apply(data) {
    fields().forEach((el) => {
      if (!(el.name in data)) return;
      if (el.type === "radio") el.checked = data[el.name] === el.value;
      else el.value = data[el.name];
    });
  }
  // Only a copy the server never confirmed is ever put back, so no clock needs to agree with the server's.
  function keepLocal(synced) {
    try {
      localStorage.setItem(key, JSON.stringify({ synced: synced, data: snapshot() }));
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
    clearTimeout(timer);
    timer = setTimeout(save, 2000);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("focusout", () => setTimeout(save, 50));
  setInterval(save, 10000);
  window.addEventListener("online", save);

  saver.addEventListener("htmx:beforeRequest", () => { form.dataset.sending = seq.value; });
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
  form.addEventListener("submit", () => {
    submitting = true;
    clearTimeout(timer);
    try { localStorage.removeItem(key); } catch (e) { /* nothing to forget */ }
  });

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
})();
