/* ics.h: iCalendar (RFC 5545) text shared by the calendar feeds (handlers-exports.c)
 * and the shifts attached to mail (mail-compose.c).  Every function appends to `out`.
 */
#pragma once

#include <glib.h>

#include "model.h"

G_BEGIN_DECLS

/* "07:30", "12:45" and "12:45", "18:00": when each day part starts and ends. */
extern const char *const api_part_start_text[MODEL_N_PARTS];
extern const char *const api_part_end_text[MODEL_N_PARTS];
/* "ochtend", "middag": the day parts as Dutch readers name them (mail, exports). */
extern const char *const api_part_dutch_name[MODEL_N_PARTS];

/* One content line, folded at 75 octets on UTF-8 character boundaries, with CRLF. */
void api_ics_line(GString *out, const char *line);
/* NAME:VALUE with VALUE escaped as TEXT. */
void api_ics_property(GString *out, const char *name, const char *text);
/* BEGIN:VCALENDAR with its header (METHOD:`method`, the calendar's name `title` when
 * not NULL) and the Europe/Amsterdam time zone; the caller ends it. */
void api_ics_begin(GString *out, const char *method, const char *title);
/* DTSTART and DTEND of a day part in Amsterdam time. */
void api_ics_times(GString *out, ModelSlot slot);

G_END_DECLS
