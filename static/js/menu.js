// The header's menu (templates/base.html): on a phone the navigation and tools fold behind
// the "Menu" button; on a wide screen the button is hidden and they stay in the header.
// Loaded right after the menu, so that a phone never paints it unfolded. Escape folds it
// and returns to the button.
(function () {
  "use strict";
  var menu = document.getElementById("site-menu");
  var toggle = document.querySelector(".site-menu__toggle");
  if (!menu || !toggle) {
    return;
  }
  var header = toggle.closest(".site-header");
  function show(open) {
    menu.classList.toggle("site-menu--open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  header.classList.add("site-header--js");
  show(false);
  toggle.addEventListener("click", function () {
    show(toggle.getAttribute("aria-expanded") !== "true");
  });
  header.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("site-menu--open")) {
      show(false);
      toggle.focus();
    }
  });
})();
