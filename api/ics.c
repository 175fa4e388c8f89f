/* ics.c: the iCalendar text (RFC 5545) the feeds and the mail attachments share:
 * content lines end in CRLF and are folded at 75 octets without splitting a UTF-8
 * character, TEXT values are escaped, and day parts are the childcare day parts in
 * Amsterdam time: morning 07:30-12:45, afternoon 12:45-18:00.
 */
#include <string.h>

#include "ics.h"

static const char *const part_start[MODEL_N_PARTS] = {"073000", "124500"};
static const char *const part_end[MODEL_N_PARTS] = {"124500", "180000"};
const char *const api_part_start_text[MODEL_N_PARTS] = {"07:30", "12:45"};
const char *const api_part_dutch_name[MODEL_N_PARTS] = {"ochtend", "middag"};
const char *const api_part_end_text[MODEL_N_PARTS] = {"12:45", "18:00"};

/* Appends one content line, folded at 75 octets (RFC 5545 3.1) on UTF-8 character
 * boundaries, ending in CRLF. */
void api_ics_line(GString *out, const char *line) {
  gsize n = strlen(line), width = 0;
  for (gsize i = 0; i < n;) {
    gsize char_len = 1;
    while (i + char_len < n && ((unsigned char)line[i + char_len] & 0xC0) == 0x80)
      char_len++;
    if (width + char_len > 75) {
      g_string_append(out, "\r\n ");
      width = 1;
    }
    g_string_append_len(out, line + i, (gssize)char_len);
    width += char_len;
    i += char_len;
  }
  g_string_append(out, "\r\n");
}

/* TEXT escaping (RFC 5545 3.3.11) (transfer full). */
static char *ics_text(const char *value) {
  GString *out = g_string_new(NULL);
  for (const char *c = value != NULL ? value : ""; *c != '\0'; c++) {
    if (*c == '\\' || *c == ';' || *c == ',')
      g_string_append_c(out, '\\');
    if (*c == '\n') {
      g_string_append(out, "\\n");
      continue;
    }
    if (*c == '\r')
      continue;
    g_string_append_c(out, *c);
  }
  return g_string_free(out, FALSE);
}

void api_ics_property(GString *out, const char *name, const char *text) {
  g_autofree char *escaped = ics_text(text);
  g_autofree char *line = g_strconcat(name, ":", escaped, NULL);
  api_ics_line(out, line);
}

/* Europe/Amsterdam since 1996: CET, CEST from the last Sunday of March to the last
 * Sunday of October. */
static void ics_timezone(GString *out) {
  static const char *const lines[] = {
      "BEGIN:VTIMEZONE",
      "TZID:Europe/Amsterdam",
      "BEGIN:DAYLIGHT",
      "TZOFFSETFROM:+0100",
      "TZOFFSETTO:+0200",
      "TZNAME:CEST",
      "DTSTART:19700329T020000",
      "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
      "END:DAYLIGHT",
      "BEGIN:STANDARD",
      "TZOFFSETFROM:+0200",
      "TZOFFSETTO:+0100",
      "TZNAME:CET",
      "DTSTART:19701025T030000",
      "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
      "END:STANDARD",
      "END:VTIMEZONE",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(lines); i++)
    api_ics_line(out, lines[i]);
}

void api_ics_begin(GString *out, const char *method, const char *title) {
  api_ics_line(out, "BEGIN:VCALENDAR");
  api_ics_line(out, "VERSION:2.0");
  api_ics_line(out, "PRODID:-//handen//handen//NL");
  api_ics_line(out, "CALSCALE:GREGORIAN");
  g_autofree char *line = g_strconcat("METHOD:", method, NULL);
  api_ics_line(out, line);
  if (title != NULL)
    api_ics_property(out, "X-WR-CALNAME", title);
  ics_timezone(out);
}

void api_ics_times(GString *out, ModelSlot slot) {
  int year, month, day;
  model_date_to_ymd(slot.date, &year, &month, &day);
  char date[9];
  g_snprintf(date, sizeof date, "%04d%02d%02d", year, month, day);
  g_autofree char *start =
      g_strdup_printf("DTSTART;TZID=Europe/Amsterdam:%sT%s", date, part_start[slot.part]);
  g_autofree char *end =
      g_strdup_printf("DTEND;TZID=Europe/Amsterdam:%sT%s", date, part_end[slot.part]);
  api_ics_line(out, start);
  api_ics_line(out, end);
}
