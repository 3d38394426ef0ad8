/* The ballot page: a running "已选 x/N" while the voter chooses, and a confirmation before the one-time
   submit. Without JavaScript the page works the same, less these two: the server refuses an incomplete
   ballot and keeps every choice made. The public page also takes the code from the slip's QR link: it
   rides after "#", which browsers never send, so it stays out of the server's logs. */
(function () {
  "use strict";
  const code = document.getElementById("id_code");
  if (code && !code.value && location.hash.length > 1) code.value = decodeURIComponent(location.hash.slice(1));

  const ballot = document.getElementById("ballot");
  const progress = document.getElementById("ballot-progress");
  if (!ballot || !progress) return;
  const form = ballot.closest("form");
  const rows = Array.from(ballot.querySelectorAll(".ballot-row"));

  function chosen(row) {
    return row.querySelector('input[name^="g-"]:checked') !== null;
  }
  function update() {
    const done = rows.filter(chosen).length;
    progress.textContent = progress.dataset.template.replace("{n}", done).replace("{total}", rows.length);
    progress.classList.toggle("text-bg-success", done === rows.length);
    progress.classList.toggle("text-bg-light", done !== rows.length);
    rows.forEach((row) => { if (chosen(row)) row.classList.remove("border-danger"); });
    return done;
  }
  progress.hidden = false;
  ballot.addEventListener("change", update);
  update();

  form.addEventListener("submit", (event) => {
    const done = update();
    if (done < rows.length) {
      event.preventDefault();
      const missing = rows.filter((row) => !chosen(row));
      missing.forEach((row) => row.classList.add("border-danger"));
      progress.textContent = progress.dataset.missing.replace("{n}", missing.length);
      missing[0].scrollIntoView({ behavior: "smooth", block: "center" });
      return;
    }
    if (!window.confirm(progress.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
  });
})();
