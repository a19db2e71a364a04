// The user's edit page: show the new employee's fields only while "Register employee"
// is chosen. Without this script the fields are simply always shown.
document.addEventListener("DOMContentLoaded", () => {
  for (const fieldset of document.querySelectorAll("fieldset[data-when]")) {
    const select = document.getElementById(fieldset.dataset.when);
    if (!select) continue;
    const sync = () => {
      fieldset.hidden = select.value !== "new";
      if (!fieldset.hidden) {
        const first = fieldset.querySelector("input");
        if (first && document.activeElement === select) first.focus();
      }
    };
    select.addEventListener("change", sync);
    sync();
  }
});
