// Presentation mode (/present): the keys move between slides by pressing the slide's own
// buttons, found by their names: ← and Page Up "Previous", → and Page Down "Next" (what a
// presentation clicker sends), Home "First", End "Last". Keys typed into a text field, or
// pressed with Alt, Ctrl, Meta or Shift, are left alone. Served by dashboard/ui/server.py.
(function () {
  "use strict";
  var KEYS = {
    ArrowLeft: "Previous",
    PageUp: "Previous",
    ArrowRight: "Next",
    PageDown: "Next",
    Home: "First",
    End: "Last",
  };

  function typing(element) {
    if (!element || !element.closest) return false;
    return Boolean(
      element.closest(
        "input, textarea, select, [contenteditable=''], [contenteditable='true'], " +
          "[role='textbox'], [role='combobox'], [role='listbox'], [role='slider']"
      )
    );
  }

  function name(button) {
    var label = button.getAttribute("aria-label");
    if (label) return label.trim();
    var words = button.querySelector("[data-testid='stMarkdownContainer']");
    return (words ? words.textContent : button.textContent).trim();
  }

  function button(wanted) {
    var buttons = document.querySelectorAll("[data-testid='stMain'] button");
    for (var i = 0; i < buttons.length; i++) {
      if (name(buttons[i]) === wanted) return buttons[i];
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    var wanted = KEYS[event.key];
    if (!wanted || event.defaultPrevented) return;
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (!/\/present$/.test(window.location.pathname)) return;
    if (typing(event.target) || typing(document.activeElement)) return;
    var found = button(wanted);
    if (!found || found.disabled) return;
    event.preventDefault();
    found.click();
  });
})();
