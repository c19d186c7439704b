// EFLG dashboard: on a narrow screen (a phone), the menu lies over the page; a choice in it
// closes it, so the page chosen is what the person sees. Wider screens keep the menu open.
(function () {
  "use strict";
  // Streamlit lays the sidebar over the page below its "md" breakpoint (768 px).
  var NARROW = "(max-width: 767.98px)";
  function closeMenu() {
    var button = document.querySelector('[data-testid="stSidebarCollapseButton"] button');
    if (button) button.click();
  }
  document.addEventListener(
    "click",
    function (event) {
      if (!window.matchMedia(NARROW).matches) return;
      var target = event.target instanceof Element ? event.target : null;
      var link = target && target.closest('[data-testid="stSidebar"] a[href]');
      if (!link) return;
      // after Streamlit has taken the click (it changes page without loading a new one)
      window.setTimeout(closeMenu, 0);
    },
    true
  );
})();
