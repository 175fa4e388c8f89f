// dates.js: calendar dates as 'YYYY-MM-DD' strings and day parts, computed in UTC so
// that no time zone or daylight-saving change can shift a day.  Slot rules are the
// API's: {date, part} or {from, to, weekdays, parts}.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const PARTS = ['morning', 'afternoon'];
const DAY_MS = 86400000;

export function parseDate(text) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || '');
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

export function formatDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date, days) {
  return formatDate(parseDate(date) + days * DAY_MS);
}

// 0 for Monday ... 6 for Sunday.
export function weekdayIndex(date) {
  return (new Date(parseDate(date)).getUTCDay() + 6) % 7;
}

export function mondayOf(date) {
  return addDays(date, -weekdayIndex(date));
}

// The ISO week number of `date`.
export function isoWeek(date) {
  const thursday = addDays(date, 3 - weekdayIndex(date));
  const jan1 = parseDate(`${thursday.slice(0, 4)}-01-01`);
  return Math.floor((parseDate(thursday) - jan1) / DAY_MS / 7) + 1;
}

export function today() {
  const now = new Date();
  return formatDate(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
}

// Every day part the rules cover, as a Set of 'YYYY-MM-DD|part'.
export function expandRules(rules) {
  const out = new Set();
  for (const rule of rules || []) {
    if (rule.date) {
      out.add(`${rule.date}|${rule.part}`);
      continue;
    }
    const last = parseDate(rule.to);
    for (let ms = parseDate(rule.from); ms !== null && ms <= last; ms += DAY_MS) {
      const date = formatDate(ms);
      if (!rule.weekdays.includes(WEEKDAYS[weekdayIndex(date)])) continue;
      for (const part of rule.parts) out.add(`${date}|${part}`);
    }
  }
  return out;
}

// The set back as few rules: consecutive weeks with the same day parts become one
// weekly pattern (or one per day part when the days differ between parts).  The
// rules cover exactly the set and never overlap.
export function compressRules(set) {
  const weeks = new Map(); // monday -> sorted keys 'weekday|part'
  for (const key of set) {
    const [date, part] = key.split('|');
    const monday = mondayOf(date);
    if (!weeks.has(monday)) weeks.set(monday, new Set());
    weeks.get(monday).add(`${weekdayIndex(date)}|${part}`);
  }
  const mondays = Array.from(weeks.keys()).sort();
  const signature = (monday) => Array.from(weeks.get(monday)).sort().join(',');
  const rules = [];
  let i = 0;
  while (i < mondays.length) {
    let j = i;
    while (j + 1 < mondays.length && mondays[j + 1] === addDays(mondays[j], 7) &&
           signature(mondays[j + 1]) === signature(mondays[i])) j += 1;
    const pattern = Array.from(weeks.get(mondays[i])).map((k) => k.split('|'));
    const from = mondays[i];
    const to = addDays(mondays[j], 6);
    const byPart = new Map();
    for (const [day, part] of pattern) {
      if (!byPart.has(part)) byPart.set(part, new Set());
      byPart.get(part).add(Number(day));
    }
    const days = (part) => Array.from(byPart.get(part)).sort((a, b) => a - b);
    const parts = PARTS.filter((p) => byPart.has(p));
    const same = parts.every((p) => days(p).join() === days(parts[0]).join());
    const groups = same ? [parts] : parts.map((p) => [p]);
    for (const group of groups) {
      rules.push({from, to, weekdays: days(group[0]).map((d) => WEEKDAYS[d]), parts: group});
    }
    i = j + 1;
  }
  return rules;
}
