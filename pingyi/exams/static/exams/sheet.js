// The countdown on an answer sheet. The server keeps the time: when it runs out the page reloads and the
// server, which refuses later answers anyway, submits the sheet.
(function () {
  var script = document.currentScript;
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("time-left");
    if (!box) { return; }
    var end = Date.now() + parseInt(box.dataset.seconds, 10) * 1000;
    function pad(n) { return (n < 10 ? "0" : "") + n; }
    function tick() {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      box.textContent = left > 0 ? Math.floor(left / 60) + ":" + pad(left % 60) : script.dataset.done;
      if (left > 0) { setTimeout(tick, 1000); } else { setTimeout(function () { window.location.reload(); }, 1500); }
    }
    tick();
  });
})();
