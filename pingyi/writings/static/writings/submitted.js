/* A submitted piece's page, seen by its author: the editor's local copy has done its job; drop it so an
   old draft is never put back into a later version. */
(function () {
  "use strict";
  const script = document.getElementById("submitted-script");
  if (!script) return;
  try { localStorage.removeItem("pingyi:writing:" + script.dataset.writingId); } catch (e) { /* storage disabled */ }
})();
