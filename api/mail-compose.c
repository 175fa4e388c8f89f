/* mail-compose.c: one outbox row as an Internet message (mail.h).  Invariants: every
 * line ends in CRLF and no line is longer than 78 octets; header texts that are not
 * plain printable ASCII are RFC 2047 encoded-words ("=?UTF-8?B?...?="), each at most
 * 75 octets and never splitting a UTF-8 character; bodies are base64, so no line of
 * the text can look like the end of the SMTP data or a MIME boundary; the Date is the
 * row's creation time, so the same row gives the same bytes.  The text of each kind of
 * message is written here, in Dutch, and says only what its audience may know.
 */
#include <string.h>

#include <json-c/json.h>

#include "http.h"
#include "ics.h"
#include "mail.h"

/* ---- facts ---------------------------------------------------------------- */

/* A string member of the facts, or `fallback`. */
static const char *fact(json_object *facts, const char *key, const char *fallback) {
  json_object *value = NULL;
  if (json_object_object_get_ex(facts, key, &value) && json_object_is_type(value, json_type_string))
    return json_object_get_string(value);
  return fallback;
}

static gint64 fact_int(json_object *facts, const char *key) {
  json_object *value = NULL;
  if (json_object_object_get_ex(facts, key, &value) && json_object_is_type(value, json_type_int))
    return json_object_get_int64(value);
  return 0;
}

static const char *const weekdays[] = {"maandag", "dinsdag",  "woensdag", "donderdag",
                                       "vrijdag", "zaterdag", "zondag"};
static const char *const months[] = {"januari",   "februari", "maart",    "april",
                                     "mei",       "juni",     "juli",     "augustus",
                                     "september", "oktober",  "november", "december"};

/* The shift of an assignment's facts: its slot, FALSE when it cannot be read. */
static gboolean fact_slot(json_object *facts, ModelSlot *out) {
  gint64 part = fact_int(facts, "part");
  if (!model_date_parse(fact(facts, "date", ""), &out->date) || part < 0 || part >= MODEL_N_PARTS)
    return FALSE;
  out->part = (ModelPart)part;
  return TRUE;
}

/* "dinsdag 14 april 2020, ochtend (07:30-12:45)" (transfer full). */
static char *when_text(ModelSlot slot) {
  int year, month, day;
  model_date_to_ymd(slot.date, &year, &month, &day);
  return g_strdup_printf("%s %d %s %d, %s (%s-%s)", weekdays[model_date_weekday(slot.date) - 1],
                         day, months[month - 1], year, api_part_dutch_name[slot.part],
                         api_part_start_text[slot.part], api_part_end_text[slot.part]);
}

/* ---- the text of each message ------------------------------------------- */

typedef struct {
  GString *subject;
  GString *body;
  GString *ics; /* the shift, for the employee; NULL otherwise */
  const char *method;
} Text;

/* "Beste NAME," and a blank line. */
static void greet(Text *text, const ModelOutboxMessage *message) {
  g_string_append_printf(text->body, "Beste %s,\n\n",
                         message->recipient_name != NULL ? message->recipient_name : "coördinator");
}

static void page_link(Text *text, const ApiMailSettings *settings, const char *what,
                      const char *page) {
  if (settings->public_url != NULL)
    g_string_append_printf(text->body, "\n%s: %s/#%s\n", what, settings->public_url, page);
}

static void sign(Text *text) {
  g_string_append(text->body, "\nMet vriendelijke groet,\nhanden, extra handen voor de noodopvang\n"
                              "\nDit bericht is automatisch verstuurd.\n");
}

/* The employee's shift as an event: STATUS:CONFIRMED, or CANCELLED with a higher
 * SEQUENCE so a calendar that has it removes it.  The UID is the calendar feeds'. */
static void shift_ics(Text *text, json_object *facts, ModelSlot slot, gboolean cancelled,
                      gint64 stamp) {
  text->ics = g_string_new(NULL);
  text->method = cancelled ? "CANCEL" : "PUBLISH";
  api_ics_begin(text->ics, text->method, NULL);
  api_ics_line(text->ics, "BEGIN:VEVENT");
  g_autofree char *uid = g_strdup_printf("UID:%s@handen", fact(facts, "assignment", ""));
  api_ics_line(text->ics, uid);
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc(MAX(stamp, 0));
  g_autofree char *dtstamp = g_date_time_format(time, "DTSTAMP:%Y%m%dT%H%M%SZ");
  api_ics_line(text->ics, dtstamp);
  api_ics_line(text->ics, cancelled ? "SEQUENCE:1" : "SEQUENCE:0");
  api_ics_times(text->ics, slot);
  g_autofree char *summary = g_strdup_printf("Noodopvang %s", fact(facts, "school_name", ""));
  api_ics_property(text->ics, "SUMMARY", summary);
  const char *postcode = fact(facts, "school_postcode", NULL);
  g_autofree char *location =
      postcode != NULL ? g_strdup_printf("%s, %s", fact(facts, "school_name", ""), postcode)
                       : g_strdup(fact(facts, "school_name", ""));
  api_ics_property(text->ics, "LOCATION", location);
  api_ics_line(text->ics, cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
  api_ics_line(text->ics, "END:VEVENT");
  api_ics_line(text->ics, "END:VCALENDAR");
}

/* Approved, rejected or cancelled: an assignment's messages. */
static gboolean assignment_text(Text *text, const ModelOutboxMessage *message, json_object *facts,
                                const ApiMailSettings *settings) {
  ModelSlot slot;
  if (!fact_slot(facts, &slot))
    return FALSE;
  g_autofree char *when = when_text(slot);
  const char *employee = fact(facts, "employee_name", "");
  const char *organisation = fact(facts, "organisation_name", "");
  const char *school = fact(facts, "school_name", "");
  const char *phone = fact(facts, "employee_phone", NULL);
  const char *reason = fact(facts, "reason", NULL);
  const char *audience = message->audience;
  gboolean approved = g_strcmp0(message->kind, MODEL_OUTBOX_APPROVED) == 0;
  gboolean cancelled = g_strcmp0(message->kind, MODEL_OUTBOX_CANCELLED) == 0;
  if (!approved && !cancelled && g_strcmp0(message->kind, MODEL_OUTBOX_REJECTED) != 0)
    return FALSE;
  greet(text, message);
  if (g_strcmp0(audience, "employee") == 0) {
    g_string_printf(text->subject,
                    approved ? "Je inzet bij %s op %s" : "Je inzet bij %s op %s gaat niet door",
                    school, when);
    g_string_append_printf(text->body,
                           approved
                               ? "Je bent ingezet voor de noodopvang bij %s:\n\n  %s\n"
                               : "Je inzet voor de noodopvang bij %s gaat niet door:\n\n  %s\n",
                           school, when);
    g_string_append(text->body, approved
                                    ? "\nDe afspraak staat in de bijlage, voor je agenda.\n"
                                    : "\nMet de bijlage verdwijnt de afspraak uit je agenda.\n");
    shift_ics(text, facts, slot, cancelled, message->created_at);
  } else if (g_strcmp0(audience, "school") == 0) {
    if (approved) {
      g_string_printf(text->subject, "Extra handen: %s komt op %s", employee, when);
      g_string_append_printf(text->body,
                             "Voor hulpvraag %s komt er iemand helpen:\n\n"
                             "  Wie:          %s\n  Organisatie:  %s\n  Wanneer:      %s\n"
                             "  Telefoon:     %s\n",
                             fact(facts, "request", ""), employee, organisation, when,
                             phone != NULL ? phone : "niet bekend");
    } else {
      g_string_printf(text->subject, "Inzet op %s gaat niet door: nieuw voorstel volgt", when);
      g_string_append_printf(text->body,
                             "De inzet voor hulpvraag %s op %s gaat niet door%s%s.\n\n"
                             "De plek is weer open; de coördinator zoekt een nieuw voorstel.\n",
                             fact(facts, "request", ""), when, reason != NULL ? ": " : "",
                             reason != NULL ? reason : "");
    }
    page_link(text, settings, "Bekijk uw hulpvragen", "/school");
  } else if (g_strcmp0(audience, "organisation") == 0) {
    const char *what = approved ? "goedgekeurd" : cancelled ? "geannuleerd" : "niet doorgegaan";
    g_string_printf(text->subject, "Inzet %s: %s op %s", what, employee, when);
    g_string_append_printf(text->body, "De inzet van %s bij %s op %s is %s%s%s.\n", employee,
                           school, when, what, reason != NULL ? ": " : "",
                           reason != NULL ? reason : "");
    page_link(text, settings, "Bekijk uw medewerkers", "/organisation");
  } else {
    g_string_printf(text->subject, "Inzet geannuleerd bij %s op %s: plek weer open", school, when);
    g_string_append_printf(text->body,
                           "De inzet van %s (%s) bij %s op %s is geannuleerd%s%s.\n\n"
                           "De plek is weer open: start een ronde voor de vrijgekomen plekken.\n",
                           employee, organisation, school, when, reason != NULL ? ": " : "",
                           reason != NULL ? reason : "");
    page_link(text, settings, "Naar het overzicht", "/coordinator");
  }
  return TRUE;
}

/* An invitation: the one-time sign-in link, or the code where no address is known. */
static gboolean invitation_text(Text *text, const ModelOutboxMessage *message, json_object *facts,
                                const ApiMailSettings *settings) {
  const char *name = fact(facts, "name", "");
  const char *code = fact(facts, "code", NULL);
  if (code == NULL)
    return FALSE;
  greet(text, message);
  g_string_printf(text->subject, "Uitnodiging voor handen: %s", name);
  g_string_append_printf(
      text->body, "De coördinator van de noodopvang nodigt %s uit voor handen, waar %s.\n\n", name,
      g_strcmp0(message->audience, "school") == 0
          ? "u hulpvragen plaatst en ziet wie er komt"
          : "u medewerkers aanbiedt en ziet waar zij worden ingezet");
  if (settings->public_url != NULL)
    g_string_append_printf(text->body, "Aanmelden (één keer te gebruiken):\n%s/#/signin?code=%s\n",
                           settings->public_url, code);
  else
    g_string_append_printf(text->body, "Uw eenmalige code:\n%s\n", code);
  g_string_append_printf(text->body, "\nDe link is geldig tot %s (UTC).\n",
                         fact(facts, "expires_at", "?"));
  return TRUE;
}

/* A reminder: whose availability to confirm again. */
static gboolean reminder_text(Text *text, const ModelOutboxMessage *message, json_object *facts,
                              const ApiMailSettings *settings) {
  json_object *employees = NULL;
  if (!json_object_object_get_ex(facts, "employees", &employees) ||
      !json_object_is_type(employees, json_type_array))
    return FALSE;
  gsize n = json_object_array_length(employees);
  greet(text, message);
  g_string_printf(text->subject, "Beschikbaarheid bevestigen: %zu medewerker%s", n,
                  n == 1 ? "" : "s");
  g_string_append_printf(text->body,
                         "De beschikbaarheid van deze medewerkers is niet meer bevestigd sinds "
                         "%s.\nKlopt die nog? Bevestig of wijzig haar op de pagina:\n\n",
                         fact(facts, "since", "?"));
  for (gsize i = 0; i < n; i++) {
    json_object *e = json_object_array_get_idx(employees, i);
    g_string_append_printf(text->body, "  %s (laatst bevestigd: %s)\n", fact(e, "name", "?"),
                           fact(e, "confirmed", "nooit"));
  }
  page_link(text, settings, "Bevestigen", "/organisation");
  return TRUE;
}

static gboolean coordinator_text(Text *text, const ModelOutboxMessage *message, json_object *facts,
                                 const ApiMailSettings *settings) {
  greet(text, message);
  if (g_strcmp0(message->kind, MODEL_OUTBOX_ROUND_FINISHED) == 0) {
    gint64 proposed = fact_int(facts, "proposed"), open = fact_int(facts, "open");
    g_string_printf(text->subject,
                    "Ronde %" G_GINT64_FORMAT " klaar: %" G_GINT64_FORMAT
                    " voorstellen wachten op besluit, %" G_GINT64_FORMAT " plekken open",
                    fact_int(facts, "round"), proposed, open);
    g_string_append_printf(text->body,
                           "Ronde %" G_GINT64_FORMAT " is klaar.\n\n"
                           "  %" G_GINT64_FORMAT " voorstellen wachten op besluit\n"
                           "  %" G_GINT64_FORMAT " plekken open (niemand beschikbaar)\n",
                           fact_int(facts, "round"), proposed, open);
    page_link(text, settings, "Beoordeel de voorstellen", "/coordinator/proposals");
    return TRUE;
  }
  gboolean posted = g_strcmp0(message->kind, MODEL_OUTBOX_REQUEST_POSTED) == 0;
  if (!posted && g_strcmp0(message->kind, MODEL_OUTBOX_REQUEST_CHANGED) != 0)
    return FALSE;
  const char *school = fact(facts, "school_name", "");
  const char *request = fact(facts, "request", "");
  g_string_printf(text->subject,
                  posted ? "Nieuwe hulpvraag %s van %s" : "Hulpvraag %s van %s gewijzigd", request,
                  school);
  g_string_append_printf(text->body, "%s heeft hulpvraag %s %s, van %s tot en met %s.\n", school,
                         request, posted ? "ingediend" : "gewijzigd", fact(facts, "from", "?"),
                         fact(facts, "to", "?"));
  page_link(text, settings, "Naar het overzicht", "/coordinator");
  return TRUE;
}

/* ---- MIME ----------------------------------------------------------------- */

static gboolean is_plain(const char *text) {
  for (const char *c = text; *c != '\0'; c++)
    if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7E)
      return FALSE;
  return TRUE;
}

/* `text` as encoded-words of at most 39 bytes each (52 base64 characters, 64 with the
 * markers), split only between UTF-8 characters, folded onto lines of their own. */
static void append_encoded(GString *out, const char *text) {
  gsize n = strlen(text);
  for (gsize i = 0; i < n;) {
    gsize take = MIN(39, n - i);
    while (i + take < n && ((unsigned char)text[i + take] & 0xC0) == 0x80)
      take--;
    g_autofree char *b64 = g_base64_encode((const guchar *)text + i, take);
    g_string_append_printf(out, "%s=?UTF-8?B?%s?=", i > 0 ? "\r\n " : "", b64);
    i += take;
  }
}

/* A header "Name: value", the value as encoded-words unless it is short plain ASCII. */
static void header_text(GString *out, const char *name, const char *value) {
  g_string_append_printf(out, "%s: ", name);
  if (is_plain(value) && strlen(name) + strlen(value) < 76)
    g_string_append(out, value);
  else
    append_encoded(out, value);
  g_string_append(out, "\r\n");
}

/* "Name: display <address>", the display name encoded when not plain letters. */
static void header_address(GString *out, const char *name, const char *display,
                           const char *address) {
  g_string_append_printf(out, "%s: ", name);
  if (display != NULL && display[0] != '\0') {
    gboolean simple = TRUE;
    for (const char *c = display; *c != '\0'; c++)
      simple = simple && (g_ascii_isalnum(*c) || *c == ' ');
    if (simple && strlen(display) < 40) {
      g_string_append_printf(out, "%s ", display);
    } else {
      append_encoded(out, display);
      g_string_append(out, "\r\n ");
    }
  }
  g_string_append_printf(out, "<%s>\r\n", address);
}

/* `text` with LF line ends as base64 of its CRLF form, in lines of 76. */
static void append_base64(GString *out, const char *text, gboolean crlf) {
  g_autofree char *lines = NULL;
  if (crlf) {
    g_auto(GStrv) parts = g_strsplit(text, "\n", -1);
    lines = g_strjoinv("\r\n", parts);
  }
  const char *data = crlf ? lines : text;
  g_autofree char *b64 = g_base64_encode((const guchar *)data, strlen(data));
  for (gsize i = 0, n = strlen(b64); i < n; i += 76) {
    g_string_append_len(out, b64 + i, (gssize)MIN(76, n - i));
    g_string_append(out, "\r\n");
  }
}

static void date_header(GString *out, gint64 seconds) {
  static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  static const char *const names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(MAX(seconds, 0));
  g_string_append_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
                         days[g_date_time_get_day_of_week(t) - 1], g_date_time_get_day_of_month(t),
                         names[g_date_time_get_month(t) - 1], g_date_time_get_year(t),
                         g_date_time_get_hour(t), g_date_time_get_minute(t),
                         g_date_time_get_second(t));
}

char *api_mail_message_id(const ModelOutboxMessage *message, const char *from) {
  const char *at = from != NULL ? strrchr(from, '@') : NULL;
  return g_strdup_printf("<handen.%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT "@%s>", message->id,
                         message->created_at, at != NULL ? at + 1 : "handen.invalid");
}

char *api_mail_compose(const ModelOutboxMessage *message, const ApiMailSettings *settings,
                       GError **error) {
  g_return_val_if_fail(message != NULL && settings != NULL && settings->from != NULL, NULL);
  json_object *facts = json_tokener_parse(message->facts != NULL ? message->facts : "");
  Text text = {g_string_new(NULL), g_string_new(NULL), NULL, NULL};
  gboolean ok = facts != NULL && json_object_is_type(facts, json_type_object);
  if (ok && g_strcmp0(message->kind, MODEL_OUTBOX_INVITATION) == 0)
    ok = invitation_text(&text, message, facts, settings);
  else if (ok && g_strcmp0(message->kind, MODEL_OUTBOX_REMINDER) == 0)
    ok = reminder_text(&text, message, facts, settings);
  else if (ok && g_strcmp0(message->audience, "coordinator") == 0 &&
           g_strcmp0(message->kind, MODEL_OUTBOX_CANCELLED) != 0)
    ok = coordinator_text(&text, message, facts, settings);
  else if (ok)
    ok = assignment_text(&text, message, facts, settings);
  json_object_put(facts);
  if (!ok) {
    g_set_error(error, API_ERROR, API_ERROR_INVALID,
                "outbox message %" G_GINT64_FORMAT " (%s for %s) cannot be written", message->id,
                message->kind, message->audience);
    g_string_free(text.subject, TRUE);
    g_string_free(text.body, TRUE);
    return NULL;
  }
  sign(&text);
  GString *out = g_string_new(NULL);
  header_address(out, "From", "handen", settings->from);
  header_address(out, "To", message->recipient_name, message->recipient);
  header_text(out, "Subject", text.subject->str);
  date_header(out, message->created_at);
  g_autofree char *id = api_mail_message_id(message, settings->from);
  g_string_append_printf(out, "Message-ID: %s\r\n", id);
  g_string_append(out, "MIME-Version: 1.0\r\n");
  g_string_append(out, "Auto-Submitted: auto-generated\r\n");
  g_autofree char *boundary = g_strdup_printf("=_handen_%" G_GINT64_FORMAT, message->id);
  if (text.ics != NULL)
    g_string_append_printf(out,
                           "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
                           "This is a MIME message.\r\n--%s\r\n",
                           boundary, boundary);
  g_string_append(out, "Content-Type: text/plain; charset=UTF-8\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\n");
  append_base64(out, text.body->str, TRUE);
  if (text.ics != NULL) {
    g_string_append_printf(out,
                           "--%s\r\nContent-Type: text/calendar; charset=UTF-8; method=%s\r\n"
                           "Content-Transfer-Encoding: base64\r\n"
                           "Content-Disposition: attachment; filename=\"noodopvang.ics\"\r\n\r\n",
                           boundary, text.method);
    append_base64(out, text.ics->str, FALSE);
    g_string_append_printf(out, "--%s--\r\n", boundary);
    g_string_free(text.ics, TRUE);
  }
  g_string_free(text.subject, TRUE);
  g_string_free(text.body, TRUE);
  return g_string_free(out, FALSE);
}
