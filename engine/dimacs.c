/* dimacs.c: reads and writes the DIMACS min-cost-flow format for EngineMcf.
 *
 * The reader is strict: exactly one "p min NODES ARCS" line before any "n" or "a"
 * line, node ids 1..NODES, exactly ARCS arc lines, every number an integer in its
 * range, nothing after the last field.  Blank lines and "c" comment lines may appear
 * anywhere; "\r\n" line ends are accepted.  Every error names its line:
 * "line N: what is wrong, expected what".  The reader never trusts a declared count
 * for memory beyond what the buffer can hold.  No I/O: buffers in, strings out.
 */
#include "mcf.h"
#include "mcf-private.h"

#include <string.h>

/* clang-format off */
/* Spelled out rather than G_DEFINE_QUARK, whose argument a formatter would split. */
GQuark engine_error_quark(void) {
  return g_quark_from_static_string("engine-error-quark");
}
/* clang-format on */

/* Limits on what a file may ask the engine to allocate. */
#define DIMACS_MAX_NODES ((gint64)1 << 24)
#define DIMACS_MAX_ARCS ((gint64)1 << 28)
#define DIMACS_MIN_ARC_LINE 12 /* "a 1 1 0 0 0\n" */
#define DIMACS_TOKEN_SHOWN 24  /* bytes of a bad token quoted in a message */

typedef struct {
  const char *p;   /* next unread byte of the line */
  const char *end; /* end of the line (without "\r\n") */
  guint line;
} DimacsLine;

typedef struct {
  const char *text;
  gsize length;
} DimacsToken;

static gboolean is_blank(char c) {
  return c == ' ' || c == '\t';
}

/* The next whitespace-separated token of the line; length 0 at its end. */
static DimacsToken next_token(DimacsLine *line) {
  while (line->p < line->end && is_blank(*line->p))
    line->p++;
  DimacsToken token = {line->p, 0};
  while (line->p < line->end && !is_blank(*line->p))
    line->p++;
  token.length = (gsize)(line->p - token.text);
  return token;
}

/* A printable, bounded copy of a token for messages (transfer full). */
static char *token_shown(DimacsToken token) {
  GString *s = g_string_new(NULL);
  gsize shown = MIN(token.length, (gsize)DIMACS_TOKEN_SHOWN);
  for (gsize i = 0; i < shown; i++) {
    unsigned char c = (unsigned char)token.text[i];
    g_string_append_c(s, c >= 0x20 && c < 0x7f ? (char)c : '?');
  }
  if (shown < token.length)
    g_string_append(s, "...");
  return g_string_free(s, FALSE);
}

static gboolean token_is(DimacsToken token, const char *word) {
  return token.length == strlen(word) && memcmp(token.text, word, token.length) == 0;
}

/* Parses an optionally negative decimal integer; FALSE if the token is not one or
 * does not fit in 64 bits (*out_overflow tells which). */
static gboolean parse_int64(DimacsToken token, gint64 *out, gboolean *out_overflow) {
  gsize i = 0;
  gboolean negative = FALSE;
  *out_overflow = FALSE;
  if (token.length > 0 && token.text[0] == '-') {
    negative = TRUE;
    i = 1;
  }
  if (i == token.length)
    return FALSE;
  gint64 value = 0;
  for (; i < token.length; i++) {
    char c = token.text[i];
    if (c < '0' || c > '9')
      return FALSE;
    gint64 digit = c - '0';
    if (__builtin_mul_overflow(value, 10, &value) ||
        __builtin_add_overflow(value, negative ? -digit : digit, &value))
      *out_overflow = TRUE;
  }
  if (*out_overflow)
    return FALSE;
  *out = value;
  return TRUE;
}

/* Reads the next field as an integer in [lo, hi].  `what` names the field and
 * `syntax` the line format, both for messages. */
static gboolean read_int(DimacsLine *line, const char *what, const char *syntax, gint64 lo,
                         gint64 hi, gint64 *out, GError **error) {
  DimacsToken token = next_token(line);
  if (token.length == 0) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE, "line %u: missing %s, expected '%s'",
                line->line, what, syntax);
    return FALSE;
  }
  gint64 value;
  gboolean overflow;
  if (!parse_int64(token, &value, &overflow) || value < lo || value > hi) {
    g_autofree char *shown = token_shown(token);
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE,
                "line %u: %s '%s' is %s, expected an integer from %" G_GINT64_FORMAT
                " to %" G_GINT64_FORMAT,
                line->line, what, shown,
                parse_int64(token, &value, &overflow) || overflow ? "out of range"
                                                                  : "not an integer",
                lo, hi);
    return FALSE;
  }
  *out = value;
  return TRUE;
}

/* Fails unless the rest of the line is blank. */
static gboolean expect_end(DimacsLine *line, const char *after, GError **error) {
  DimacsToken token = next_token(line);
  if (token.length == 0)
    return TRUE;
  g_autofree char *shown = token_shown(token);
  g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE,
              "line %u: unexpected '%s' after the %s, expected the end of the line", line->line,
              shown, after);
  return FALSE;
}

/* State of one parse. */
typedef struct {
  EngineMcf *mcf; /* NULL until the problem line */
  gint64 n_nodes, n_arcs, arcs_seen;
  guint p_line;
  guint8 *has_supply; /* per node: an "n" line was seen */
} DimacsParse;

static gboolean parse_problem(DimacsParse *st, DimacsLine *line, gsize length, GError **error) {
  static const char syntax[] = "p min NODES ARCS";
  if (st->mcf != NULL) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE,
                "line %u: second problem line, expected exactly one '%s' line (the first is "
                "on line %u)",
                line->line, syntax, st->p_line);
    return FALSE;
  }
  DimacsToken type = next_token(line);
  if (!token_is(type, "min")) {
    g_autofree char *shown = token_shown(type);
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE,
                "line %u: problem type '%s', expected '%s'", line->line, shown, syntax);
    return FALSE;
  }
  if (!read_int(line, "node count", syntax, 0, DIMACS_MAX_NODES, &st->n_nodes, error) ||
      !read_int(line, "arc count", syntax, 0, DIMACS_MAX_ARCS, &st->n_arcs, error) ||
      !expect_end(line, "problem line", error))
    return FALSE;
  gint64 hint = MIN(st->n_arcs, (gint64)(length / DIMACS_MIN_ARC_LINE) + 1);
  st->mcf = engine_mcf_new((guint)st->n_nodes, (guint)hint);
  st->has_supply = g_new0(guint8, st->n_nodes + 1);
  st->p_line = line->line;
  return TRUE;
}

static gboolean parse_node(DimacsParse *st, DimacsLine *line, GError **error) {
  static const char syntax[] = "n ID SUPPLY";
  gint64 id, supply;
  if (!read_int(line, "node id", syntax, 1, st->n_nodes, &id, error) ||
      !read_int(line, "node supply", syntax, -ENGINE_MCF_INF, ENGINE_MCF_INF, &supply, error) ||
      !expect_end(line, "node supply", error))
    return FALSE;
  if (st->has_supply[id]) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE,
                "line %u: node %" G_GINT64_FORMAT " already has a supply, expected one 'n' "
                "line per node",
                line->line, id);
    return FALSE;
  }
  st->has_supply[id] = 1;
  engine_mcf_set_supply(st->mcf, (guint)(id - 1), supply);
  return TRUE;
}

static gboolean parse_arc(DimacsParse *st, DimacsLine *line, GError **error) {
  static const char syntax[] = "a SRC DST LOW CAP COST";
  gint64 src, dst, low, cap, cost;
  if (st->arcs_seen == st->n_arcs) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE,
                "line %u: too many arcs, expected %" G_GINT64_FORMAT " as declared on line %u",
                line->line, st->n_arcs, st->p_line);
    return FALSE;
  }
  if (!read_int(line, "source node", syntax, 1, st->n_nodes, &src, error) ||
      !read_int(line, "target node", syntax, 1, st->n_nodes, &dst, error) ||
      !read_int(line, "lower bound", syntax, 0, ENGINE_MCF_INF, &low, error) ||
      !read_int(line, "capacity", syntax, 0, G_MAXINT64, &cap, error) ||
      !read_int(line, "cost", syntax, -ENGINE_MCF_MAX_COST, ENGINE_MCF_MAX_COST, &cost, error) ||
      !expect_end(line, "arc", error))
    return FALSE;
  cap = MIN(cap, ENGINE_MCF_INF);
  if (low > cap) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE,
                "line %u: lower bound %" G_GINT64_FORMAT " exceeds capacity %" G_GINT64_FORMAT
                ", expected LOW <= CAP",
                line->line, low, cap);
    return FALSE;
  }
  engine_mcf_add_arc(st->mcf, (guint)(src - 1), (guint)(dst - 1), low, cap, cost);
  st->arcs_seen++;
  return TRUE;
}

/* Dispatches one line on its type letter. */
static gboolean parse_line(DimacsParse *st, DimacsLine *line, gsize length, GError **error) {
  DimacsToken type = next_token(line);
  if (type.length == 0 || token_is(type, "c"))
    return TRUE;
  if (token_is(type, "p"))
    return parse_problem(st, line, length, error);
  gboolean node = token_is(type, "n"), arc = token_is(type, "a");
  if (!node && !arc) {
    g_autofree char *shown = token_shown(type);
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE,
                "line %u: unknown line type '%s', expected 'c', 'p', 'n' or 'a'", line->line,
                shown);
    return FALSE;
  }
  if (st->mcf == NULL) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE,
                "line %u: %s line before the problem line, expected 'p min NODES ARCS' first",
                line->line, node ? "node" : "arc");
    return FALSE;
  }
  return node ? parse_node(st, line, error) : parse_arc(st, line, error);
}

EngineMcf *engine_dimacs_parse(const char *text, gsize length, GError **error) {
  g_return_val_if_fail(text != NULL || length == 0, NULL);
  g_return_val_if_fail(error == NULL || *error == NULL, NULL);

  DimacsParse st = {0};
  const char *p = text, *end = text + length;
  guint line_no = 0;
  gboolean ok = TRUE;
  while (ok && p < end) {
    const char *eol = memchr(p, '\n', (gsize)(end - p));
    const char *next = eol != NULL ? eol + 1 : end;
    if (eol == NULL)
      eol = end;
    if (eol > p && eol[-1] == '\r')
      eol--;
    DimacsLine line = {p, eol, ++line_no};
    ok = parse_line(&st, &line, length, error);
    p = next;
  }
  g_free(st.has_supply);
  if (ok && st.mcf == NULL) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE,
                "line %u: end of input without a problem line, expected 'p min NODES ARCS'",
                MAX(line_no, 1));
    ok = FALSE;
  } else if (ok && st.arcs_seen != st.n_arcs) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_PARSE,
                "line %u: end of input after %" G_GINT64_FORMAT " of the %" G_GINT64_FORMAT
                " arcs declared on line %u, expected one 'a' line per arc",
                line_no, st.arcs_seen, st.n_arcs, st.p_line);
    ok = FALSE;
  }
  if (ok && !engine_mcf_in_range(st.mcf)) {
    g_set_error(error, ENGINE_ERROR, ENGINE_ERROR_INVALID,
                "the supplies and lower bounds are too large for the solver: moving the lower "
                "bounds into the supplies must leave positive supplies summing to less than "
                "%" G_GINT64_FORMAT ", and costs within range",
                ENGINE_MCF_INF);
    ok = FALSE;
  }
  if (!ok) {
    engine_mcf_free(st.mcf);
    return NULL;
  }
  return st.mcf;
}

char *engine_dimacs_format(const EngineMcf *mcf, const char *comment) {
  g_return_val_if_fail(mcf != NULL, NULL);
  GString *out = g_string_new(NULL);
  if (comment != NULL) {
    g_auto(GStrv) lines = g_strsplit(comment, "\n", -1);
    for (gsize i = 0; lines[i] != NULL; i++) {
      g_string_append_c(out, 'c');
      if (lines[i][0] != '\0')
        g_string_append_printf(out, " %s", lines[i]);
      g_string_append_c(out, '\n');
    }
  }
  guint n = engine_mcf_n_nodes(mcf), m = engine_mcf_n_arcs(mcf);
  g_string_append_printf(out, "p min %u %u\n", n, m);
  for (guint u = 0; u < n; u++) {
    gint64 supply = engine_mcf_supply(mcf, u);
    if (supply != 0)
      g_string_append_printf(out, "n %u %" G_GINT64_FORMAT "\n", u + 1, supply);
  }
  for (guint a = 0; a < m; a++)
    g_string_append_printf(
        out, "a %u %u %" G_GINT64_FORMAT " %" G_GINT64_FORMAT " %" G_GINT64_FORMAT "\n",
        engine_mcf_arc_source(mcf, a) + 1, engine_mcf_arc_target(mcf, a) + 1,
        engine_mcf_arc_lower(mcf, a), engine_mcf_arc_capacity(mcf, a), engine_mcf_arc_cost(mcf, a));
  return g_string_free(out, FALSE);
}

char *engine_dimacs_format_solution(const EngineMcf *mcf, gboolean flows) {
  g_return_val_if_fail(engine_mcf_has_solution(mcf), NULL);
  GString *out = g_string_new(NULL);
  g_string_append_printf(out, "s %" G_GINT64_FORMAT "\n", engine_mcf_total_cost(mcf));
  if (flows) {
    guint m = engine_mcf_n_arcs(mcf);
    for (guint a = 0; a < m; a++) {
      gint64 flow = engine_mcf_flow(mcf, a);
      if (flow != 0)
        g_string_append_printf(out, "f %u %u %" G_GINT64_FORMAT "\n",
                               engine_mcf_arc_source(mcf, a) + 1, engine_mcf_arc_target(mcf, a) + 1,
                               flow);
    }
  }
  return g_string_free(out, FALSE);
}
