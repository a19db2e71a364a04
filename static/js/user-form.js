// The user's edit page: show the new employee's fields only while "Register employee"
// is chosen. Without this script the fields are simply always shown. The focus stays on
// the dropdown (a keyboard user may still be moving through its options with the arrow
// keys); the fields follow it directly, so the next Tab reaches them.
document.addEventListener("DOMContentLoaded", () => {
  for (const fieldset of document.querySelectorAll("fieldset[data-when]")) {
    const select = document.getElementById(fieldset.dataset.when);
    if (!select) continue;
    const sync = () => {
      fieldset.hidden = select.value !== "new";
    };
    select.addEventListener("change", sync);
    sync();
  }
});
