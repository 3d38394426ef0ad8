// The slip's QR code carries the code after "#": browsers never send it, so it stays out of server logs.
(function () {
  var input = document.getElementById("id_code");
  if (input && !input.value && location.hash.length > 1) { input.value = decodeURIComponent(location.hash.slice(1)); }
})();
