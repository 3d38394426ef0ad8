// Behaviour every page shares, kept out of the HTML so the Content Security Policy can forbid inline script.
// <button data-print> prints the page; <form data-confirm="…"> asks before it is sent.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) { window.print(); }
});
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
});
