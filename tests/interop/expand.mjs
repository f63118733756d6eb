// Expands an iCalendar file with Mozilla's ical.js (Thunderbird's parser), as Thunderbird does:
// VTIMEZONEs registered, each master VEVENT related to its RECURRENCE-ID overrides, occurrences
// walked with Event.iterator and resolved with getOccurrenceDetails (moves and EXDATEs count).
// Usage: node expand.mjs FEED.ics FROM TO   (UTC ISO instants; prints occurrences starting before TO)
// Output: one JSON line per occurrence: {"uid", "start", "end" (UTC ISO), "status"}.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [path, from, to] = process.argv.slice(2);
const begin = ICAL.Time.fromJSDate(new Date(from), true);
const end = ICAL.Time.fromJSDate(new Date(to), true);
const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));

for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(new ICAL.Timezone(vtimezone));
}

// Given no exceptions, ICAL.Event relates every RECURRENCE-ID VEVENT of the file, whatever its
// UID; Thunderbird reads one item (a UID) at a time, so relate each master's own overrides only.
const byUid = new Map();
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const uid = vevent.getFirstPropertyValue("uid");
  byUid.set(uid, [...(byUid.get(uid) || []), vevent]);
}
const masters = [...byUid.values()].map((vevents) => {
  const master = vevents.find((vevent) => !vevent.hasProperty("recurrence-id"));
  const exceptions = vevents.filter((vevent) => vevent !== master);
  return new ICAL.Event(master, { strictExceptions: true, exceptions });
});

// A moved occurrence can start up to a day either side of its original time.
const margin = new ICAL.Duration({ days: 2 });
const last = end.clone();
last.addDuration(margin);
const lines = [];
for (const event of masters) {
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    if (next.compare(last) > 0) {
      break;
    }
    const details = event.getOccurrenceDetails(next);
    const start = details.startDate.toJSDate();
    if (details.startDate.compare(begin) >= 0 && details.startDate.compare(end) < 0) {
      const status = details.item.component.getFirstPropertyValue("status") || "";
      const finish = details.endDate.toJSDate().toISOString();
      lines.push(JSON.stringify({ uid: event.uid, start: start.toISOString(), end: finish, status }));
    }
  }
}
process.stdout.write(lines.join("\n") + (lines.length ? "\n" : ""));
