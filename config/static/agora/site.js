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
  var clock = new Intl.DateTimeFormat(undefined, {
    hour: "numeric", minute: "2-digit", timeZoneName: "short"
  });
  var day = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "numeric", day: "numeric" });
  var zone = (Intl.DateTimeFormat().resolvedOptions().timeZone || "").replace(/_/g, " ");
  function zoneName(date) {
    var parts = format.formatToParts ? format.formatToParts(date) : [];
    for (var i = 0; i < parts.length; i++) {
      if (parts[i].type === "timeZoneName") return parts[i].value;
    }
    return "";
  }
  function range(start, end) {
    var sameDay = day.format(start) === day.format(end);
    // formatRange shortens only a range within one day and one offset: across midnight it
    // adds the day of the month ("1 Tue, 11:30 PM – 2 Wed…") and on a fall-back night it
    // collapses 1:30 AM PDT-1:30 AM PST to one time. Those get both ends in full.
    if (format.formatRange && sameDay && zoneName(start) === zoneName(end)) {
      return format.formatRange(start, end);
    }
    return format.format(start) + " \u2013 " + (sameDay ? clock : format).format(end);
  }
  function yourTime(element) {
    var start = new Date(element.getAttribute("datetime"));
    var end = new Date(element.getAttribute("data-end"));
    if (isNaN(start) || isNaN(end)) return;
    var text = range(start, end);
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
