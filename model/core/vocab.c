/* vocab.c: the fixed vocabularies of the format (qualification tags, school types,
 * priorities, statuses, roles), the identifier validators and the MODEL_ERROR domain.
 * Each vocabulary is one table indexed by its enum, so name and parse can never
 * disagree; parse functions write *out only on success and accept NULL input.
 */
#include "model.h"

#include <string.h>

/* Spelled out rather than G_DEFINE_QUARK, whose argument a formatter would split. */
GQuark model_error_quark(void) {
  return g_quark_from_static_string("model-error-quark");
}

/* Index of `text` in `names`, or -1. */
static int lookup(const char *const *names, int count, const char *text) {
  if (text == NULL)
    return -1;
  for (int i = 0; i < count; i++) {
    if (strcmp(names[i], text) == 0)
      return i;
  }
  return -1;
}

/* ---- qualifications ----------------------------------------------------- */

/* The one table of qualification tags, in enum order. */
#define MODEL_QUAL_TABLE(X)                                                                        \
  X(MODEL_QUAL_VOG, "vog")                                                                         \
  X(MODEL_QUAL_PM, "pm")                                                                           \
  X(MODEL_QUAL_BSO, "bso")                                                                         \
  X(MODEL_QUAL_KDV, "kdv")                                                                         \
  X(MODEL_QUAL_FIRST_AID, "first-aid")                                                             \
  X(MODEL_QUAL_SPECIAL_NEEDS, "special-needs")

#define QUAL_NAME(value, tag) [value] = tag,
static const char *const qual_names[MODEL_N_QUALS] = {MODEL_QUAL_TABLE(QUAL_NAME)};

/* ", vog, pm, ..." built at compile time; the leading ", " is skipped. */
#define QUAL_LIST(value, tag) ", " tag
static const char qual_list[] = MODEL_QUAL_TABLE(QUAL_LIST);

const char *model_qual_name(ModelQual qual) {
  g_return_val_if_fail((int)qual >= 0 && qual < MODEL_N_QUALS, NULL);
  return qual_names[qual];
}

gboolean model_qual_parse(const char *text, ModelQual *out) {
  int i = lookup(qual_names, MODEL_N_QUALS, text);
  if (i < 0)
    return FALSE;
  if (out != NULL)
    *out = (ModelQual)i;
  return TRUE;
}

const char *model_qual_vocabulary(void) {
  return qual_list + 2;
}

/* ---- enumerations ------------------------------------------------------- */

static const char *const school_type_names[] = {"po", "so", "vo"};
static const char *const priority_names[MODEL_N_PRIORITIES] = {"normal", "high"};
static const char *const request_status_names[] = {"open", "cancelled"};
static const char *const assignment_status_names[] = {"proposed", "approved", "rejected",
                                                      "cancelled"};
static const char *const role_names[MODEL_N_ROLES] = {"coordinator", "school", "organisation"};

#define NAME_AND_PARSE(Type, prefix, names)                                                        \
  const char *prefix##_name(Type value) {                                                          \
    g_return_val_if_fail((int)value >= 0 && (int)value < (int)G_N_ELEMENTS(names), NULL);          \
    return names[value];                                                                           \
  }                                                                                                \
  gboolean prefix##_parse(const char *text, Type *out) {                                           \
    int i = lookup(names, (int)G_N_ELEMENTS(names), text);                                         \
    if (i < 0)                                                                                     \
      return FALSE;                                                                                \
    if (out != NULL)                                                                               \
      *out = (Type)i;                                                                              \
    return TRUE;                                                                                   \
  }

NAME_AND_PARSE(ModelSchoolType, model_school_type, school_type_names)
NAME_AND_PARSE(ModelPriority, model_priority, priority_names)
NAME_AND_PARSE(ModelRequestStatus, model_request_status, request_status_names)
NAME_AND_PARSE(ModelAssignmentStatus, model_assignment_status, assignment_status_names)
NAME_AND_PARSE(ModelRole, model_role, role_names)

/* ---- identifiers -------------------------------------------------------- */

gboolean model_id_is_valid(const char *id) {
  if (id == NULL)
    return FALSE;
  gsize n = 0;
  for (; id[n] != '\0'; n++) {
    char c = id[n];
    if (n >= MODEL_ID_MAX)
      return FALSE;
    if (!g_ascii_isalnum(c) && c != '.' && c != '_' && c != ':' && c != '-')
      return FALSE;
  }
  return n >= 1;
}

static gboolean all_digits(const char *s, gsize n) {
  for (gsize i = 0; i < n; i++) {
    if (!g_ascii_isdigit(s[i]))
      return FALSE;
  }
  return TRUE;
}

gboolean model_brin_is_valid(const char *brin) {
  if (brin == NULL)
    return FALSE;
  gsize n = strlen(brin);
  if (n != 4 && n != 6)
    return FALSE;
  return all_digits(brin, 2) && g_ascii_isupper(brin[2]) && g_ascii_isupper(brin[3]) &&
         all_digits(brin + 4, n - 4);
}

gboolean model_lrk_is_valid(const char *lrk) {
  return lrk != NULL && strlen(lrk) == 9 && all_digits(lrk, 9);
}

gboolean model_postcode_is_valid(const char *postcode) {
  if (postcode == NULL)
    return FALSE;
  gsize n = strlen(postcode);
  if (n < 4 || !all_digits(postcode, 4))
    return FALSE;
  const char *letters = postcode + 4;
  if (n == 4)
    return TRUE;
  if (n == 7 && *letters == ' ')
    letters++;
  else if (n != 6)
    return FALSE;
  return g_ascii_isupper(letters[0]) && g_ascii_isupper(letters[1]);
}

/* A label of a domain: 1 to 63 letters, digits and hyphens, no hyphen at either end. */
static gboolean domain_label_is_valid(const char *label, gsize n) {
  if (n < 1 || n > 63 || label[0] == '-' || label[n - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum(label[i]) && label[i] != '-')
      return FALSE;
  return TRUE;
}

gboolean model_email_is_valid(const char *email) {
  if (email == NULL)
    return FALSE;
  gsize n = strlen(email);
  const char *at = strchr(email, '@');
  if (n > 254 || at == NULL || at == email || at - email > 64 || strchr(at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = email; p < at; p++)
    if (!g_ascii_isgraph(*p) || strchr("\"(),:;<>[\\]", *p) != NULL)
      return FALSE;
  if (email[0] == '.' || at[-1] == '.' || strstr(email, "..") != NULL)
    return FALSE;
  guint labels = 0;
  for (const char *label = at + 1;; labels++) {
    const char *dot = strchr(label, '.');
    gsize len = dot != NULL ? (gsize)(dot - label) : strlen(label);
    if (!domain_label_is_valid(label, len))
      return FALSE;
    if (dot == NULL)
      break;
    label = dot + 1;
  }
  return labels >= 1;
}

gboolean model_phone_is_valid(const char *phone) {
  if (phone == NULL)
    return FALSE;
  guint digits = 0;
  for (const char *p = phone; *p != '\0'; p++) {
    if (g_ascii_isdigit(*p))
      digits++;
    else if (*p == '+' && p != phone)
      return FALSE;
    else if (*p != '+' && *p != ' ' && *p != '-' && *p != '(' && *p != ')')
      return FALSE;
  }
  return digits >= 8 && digits <= 15 && strlen(phone) <= 30;
}
