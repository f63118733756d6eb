// Progressive enhancements; every page works without this file.

/* Meetings (meetings app): "Your time" under each occurrence.
   Every occurrence's zone lines sit in <time class="zone-lines" datetime="…Z" data-end="…Z">;
   the server already lists the home and display zones, so without JavaScript the page reads
   fine. Here we add the same instants in the viewer's own zone, as the browser knows it. */
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) return;
  var format = new Intl.DateTimeFormat(undefined, {
    weekday: "short", hour: "numeric", minute: "2-digit", timeZoneName: "short"
  });
  var zone = (Intl.DateTimeFormat().resolvedOptions().timeZone || "").replace(/_/g, " ");
  function yourTime(element) {
    var start = new Date(element.getAttribute("datetime"));
    var end = new Date(element.getAttribute("data-end"));
    if (isNaN(start) || isNaN(end)) return;
    var text = format.formatRange ? format.formatRange(start, end) : format.format(start);
    var line = document.createElement("span");
    line.className = "your-time";
    // "…PM JST (Asia/Tokyo)", but not "…PM UTC (UTC)".
    var named = zone && text.slice(-zone.length) !== zone;
    line.textContent = "Your time: " + text + (named ? " (" + zone + ")" : "");
    element.insertAdjacentElement("afterend", line);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("time.zone-lines[data-end]").forEach(yourTime);
  });
})();
