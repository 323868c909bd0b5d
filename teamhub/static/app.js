// Small progressive enhancements; every page works without them.
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
document.addEventListener("click", (event) => {
  const id = event.target.dataset.copy;
  if (!id) return;
  const input = document.getElementById(id);
  input.select();
  if (navigator.clipboard) navigator.clipboard.writeText(input.value);
});
