/* test-decode-invalid.c: the dataset decoder refuses every kind of bad input with
 * exactly one problem at the right JSON Pointer and with the exact message, one table
 * row per rule (syntax, structure, types, vocabularies, and the model rules reached
 * through JSON); a document with several errors reports all of them in document order.
 * Documents are written with ' for " to stay readable; json_test_tojson() swaps them back.
 */
#include "dataset-json.h"
#include "json-private.h"
#include "json-test.h"

#include <string.h>
#include <unistd.h>
#include "../test-table.h"

typedef struct {
  const char *name;    /* test path below /json/decode-invalid/ */
  const char *json;    /* the document, ' standing for " */
  gsize length;        /* bytes of `json` to decode; 0 means strlen() */
  const char *pointer; /* the one expected problem */
  const char *message; /* ' standing for " as well */
} InvalidCase;

/* Valid building blocks. */
#define DISTRICT "{'id':'d1','name':'Stad','lat':52.3796,'lon':5.2167}"
#define SCHOOL "{'id':'s1','brin':'24EJ00','name':'Al Iman','district':'d1','lat':52.36,'lon':5.2}"
#define ORGANISATION "{'id':'o1','name':'De Boerderij','lrk':'205592041'}"
#define EMPLOYEE_WITH(extra)                                                                       \
  "{'id':'e1','organisation':'o1','name':'Sanne','district':'d1'" extra "}"
#define SLOT "{'date':'2020-04-14','part':'morning'}"
#define REQUEST_WITH(extra) "{'id':'r1','school':'s1','staff_needed':2" extra "}"
#define ASSIGNMENT_WITH(extra) "{'id':'a1','request':'r1','employee':'e1'" extra "}"
#define SLOT_KEYS ",'date':'2020-04-14','part':'morning'"
#define PROPOSED SLOT_KEYS ",'status':'proposed'"
/* A whole valid dataset with the given employee, request and assignment extras. */
#define DOC(employee, request, assignment)                                                         \
  "{'districts':[" DISTRICT "],'schools':[" SCHOOL "],'organisations':[" ORGANISATION              \
  "],'employees':[" EMPLOYEE_WITH(employee) "],'requests':[" REQUEST_WITH(                         \
      request) "],'assignments':[" ASSIGNMENT_WITH(assignment) "]}"
/* The whole dataset with one entity varied. */
#define SLOTS ",'slots':[" SLOT "]"
#define DOC_E(employee) DOC(employee, SLOTS, PROPOSED)
#define DOC_R(request) DOC("", SLOTS request, PROPOSED)
#define DOC_A(assignment) DOC("", SLOTS, assignment)
#define APPROVED                                                                                   \
  ",'status':'approved','decided_by':'coordinator','decided_at':'2020-04-14T09:30:00Z'"
/* An assignment decided with `status` at `time`, and a row refusing `time`. */
#define DECIDED(status, time)                                                                      \
  DOC_A(SLOT_KEYS ",'status':'" status "','decided_by':'x','decided_at':'" time "'")
#define BAD_TIME(name, time)                                                                       \
  {                                                                                                \
    name, DECIDED("approved", time), 0, "assignments/0/decided_at",                                \
        "'" time                                                                                   \
        "' is not an RFC 3339 UTC time from 1970 on (expected YYYY-MM-DDTHH:MM:SSZ, e.g. "         \
        "2020-04-14T09:30:00Z)"                                                                    \
  }
/* A document with one location (`location` its extra keys, `load` its load entries) and
 * one employee (`employee` its extra keys). */
#define LOCATION_WITH(extra)                                                                       \
  "{'id':'l1','organisation':'o1','name':'BSO De Boerderij','lat':52.37,'lon':5.22" extra "}"
#define DOC_L(location, employee)                                                                  \
  "{'districts':[" DISTRICT "],'organisations':[" ORGANISATION                                     \
  ",{'id':'o2','name':'Partou'}],'locations':[" LOCATION_WITH(                                     \
      location) "],'employees':[" EMPLOYEE_WITH(employee) "]}"
#define LOAD(entry) ",'load':[" entry "]"
#define FIGURES_EXPECTED "no figures (expected children_expected and staff_present, or max_lend)"
#define QUALS "one of vog, pm, bso, kdv, first-aid, special-needs"
#define RULE_EXPECTED "date and part, or from, to, weekdays and parts"
#define SURROGATE(escape)                                                                          \
  "lone surrogate " escape " (expected a high surrogate \\uD800-\\uDBFF followed by a low one "    \
  "\\uDC00-\\uDFFF)"
/* A district with an outline of the given points, and one point of it. */
#define OUTLINE(points)                                                                            \
  "{'districts':[{'id':'d1','name':'Stad','lat':52.3796,'lon':5.2167,'outline':" points "}]}"
#define POINT "{'lat':52.38,'lon':5.21}"
#define DEEP "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["

static const InvalidCase cases[] = {
    /* ---- bytes and syntax ---- */
    {"syntax-error", "{'districts': [}", 0, "", "invalid JSON at byte 15: unexpected character"},
    {"trailing-comma", "{'districts': [],}", 0, "",
     "invalid JSON at byte 17: unexpected character"},
    {"trailing-garbage", "{'districts': []} x", 0, "",
     "invalid JSON at byte 18: unexpected character"},
    {"second-document", "{}{}", 0, "", "invalid JSON at byte 2: unexpected character"},
    {"empty", "", 0, "", "invalid JSON at byte 0: unexpected end of data"},
    {"truncated", "{'districts': [", 0, "", "invalid JSON at byte 15: unexpected end of data"},
    {"deep-nesting", "{'districts':" DEEP, 0, "", "invalid JSON at byte 44: nesting too deep"},
    {"invalid-utf8", "{'districts':[{'id':'\xff'}]}", 0, "",
     "invalid UTF-8 at byte 21 (expected UTF-8 text)"},
    {"overlong-utf8", "{'districts':[{'id':'\xc0\xaf'}]}", 0, "",
     "invalid UTF-8 at byte 21 (expected UTF-8 text)"},
    {"nul-byte", "{'districts':[]}\0", 17, "",
     "NUL byte at byte 16 (expected text without NUL bytes)"},
    {"raw-control-character", "{'districts':[{'id':'d\n1'}]}", 0, "",
     "invalid JSON at byte 22: control character in a string (expected it escaped, e.g. \\n)"},
    {"nul-escape", "{'districts':[{'id':'d\\u0000','name':'x','lat':1,'lon':1}]}", 0,
     "districts/0/id",
     "'d\\u0000' contains a NUL character (expected text without NUL characters)"},
    /* ---- lone surrogates (json-c would store U+FFFD silently) ---- */
    {"lone-high-surrogate", "{'districts':[{'id':'d1','name':'\\ud800','lat':1,'lon':1}]}", 0,
     "districts/0/name", SURROGATE("\\ud800")},
    {"lone-low-surrogate", "{'districts':[{'id':'d1','name':'a\\uDC00b','lat':1,'lon':1}]}", 0,
     "districts/0/name", SURROGATE("\\uDC00")},
    {"high-surrogate-then-other-escape",
     "{'districts':[{'id':'d1','name':'\\ud83d\\u0041','lat':1,'lon':1}]}", 0, "districts/0/name",
     SURROGATE("\\ud83d")},
    {"high-surrogate-then-high",
     "{'districts':[{'id':'d1','name':'\\ud83d\\ud83d\\ude00',"
     "'lat':1,'lon':1}]}",
     0, "districts/0/name", SURROGATE("\\ud83d")},
    {"high-surrogate-at-end", DOC_R(",'note':'x\\uD800'"), 0, "requests/0/note",
     SURROGATE("\\uD800")},
    {"lone-surrogate-in-key", "{'districts':[{'id':'d1','name':'x','lat':1,'lon':1,'\\udfff':1}]}",
     0, "districts/0", SURROGATE("\\udfff")},
    {"lone-surrogate-in-array", DOC_R(",'required':['pm','\\ud800']"), 0, "requests/0/required/1",
     SURROGATE("\\ud800")},
    /* ---- repeated keys (json-c would keep the last value silently) ---- */
    {"repeated-key", DOC_R(",'staff_needed':3"), 0, "requests/0/staff_needed",
     "repeated key (expected each key once in an object)"},
    {"repeated-key-escaped",
     "{'districts':[{'id':'d1','name':'x','lat':1,'lon':1,'\\u006eame':'y'}]}", 0,
     "districts/0/name", "repeated key (expected each key once in an object)"},
    {"repeated-key-top", "{'districts':[],'districts':[]}", 0, "districts",
     "repeated key (expected each key once in an object)"},
    {"repeated-key-slot",
     DOC("", ",'slots':[{'date':'2020-04-14','part':'afternoon','part':'morning'}]", PROPOSED), 0,
     "requests/0/slots/0/part", "repeated key (expected each key once in an object)"},
    /* ---- structure ---- */
    {"not-an-object", "[]", 0, "", "found an array (expected an object)"},
    {"top-level-string", "'districts'", 0, "", "found 'districts' (expected an object)"},
    {"top-level-number", "42", 0, "", "found 42 (expected an object)"},
    {"unknown-top-level-key", "{'district':[]}", 0, "district",
     "unknown key (expected one of districts, schools, organisations, locations, employees, "
     "requests, assignments)"},
    {"top-level-not-array", "{'schools':{}}", 0, "schools", "found an object (expected an array)"},
    {"element-not-object", "{'districts':[5]}", 0, "districts/0", "found 5 (expected an object)"},
    {"unknown-key",
     "{'districts':[" DISTRICT ",{'id':'d2','name':'Haven','lat':1,'lon':2,"
     "'colour':'red'}]}",
     0, "districts/1/colour",
     "unknown key (expected one of id, name, lat, lon, neighbours, outline)"},
    {"unknown-key-escaped", "{'organisations':[{'id':'o1','name':'x','a/b~c':1}]}", 0,
     "organisations/0/a~1b~0c", "unknown key (expected one of id, name, lrk, district, contact)"},
    {"missing-key",
     "{'districts':[" DISTRICT "],'schools':[" SCHOOL "],'requests':[{'id':'r1',"
     "'staff_needed':1,'slots':[" SLOT "]}]}",
     0, "requests/0/school", "missing (expected a school id)"},
    {"missing-id", "{'organisations':[{'name':'x'}]}", 0, "organisations/0/id",
     "missing (expected an id)"},
    {"missing-slots",
     "{'districts':[" DISTRICT "],'schools':[" SCHOOL "],'requests':[{'id':'r1',"
     "'school':'s1','staff_needed':1}]}",
     0, "requests/0/slots", "missing (expected an array of slot rules)"},
    {"missing-district-lat", "{'districts':[{'id':'d1','name':'x','lon':5}]}", 0, "districts/0/lat",
     "missing (expected a number)"},
    /* ---- types ---- */
    {"wrong-type-string", "{'districts':[{'id':'d1','name':5,'lat':1,'lon':1}]}", 0,
     "districts/0/name", "found 5 (expected a string)"},
    {"wrong-type-null", "{'districts':[{'id':null,'name':'x','lat':1,'lon':1}]}", 0,
     "districts/0/id", "found null (expected a string)"},
    {"wrong-type-integer",
     "{'districts':[" DISTRICT "],'schools':[{'id':'s1','brin':'24EJ00',"
     "'name':'x','district':'d1','lat':1,'lon':1,'pupils':'many'}]}",
     0, "schools/0/pupils", "found 'many' (expected an integer)"},
    {"wrong-type-number", "{'districts':[{'id':'d1','name':'x','lat':'52.1','lon':1}]}", 0,
     "districts/0/lat", "found '52.1' (expected a number)"},
    {"wrong-type-boolean", DOC_E(",'active':1"), 0, "employees/0/active",
     "found 1 (expected a boolean)"},
    {"wrong-type-array", DOC_E(",'qualifications':'vog'"), 0, "employees/0/qualifications",
     "found 'vog' (expected an array)"},
    {"wrong-type-object", DOC_E(",'availability':[['2020-04-14']]"), 0,
     "employees/0/availability/0", "found an array (expected an object)"},
    {"integer-given-fraction", DOC_E(",'max_parts_per_week':2.5"), 0,
     "employees/0/max_parts_per_week", "found 2.5 (expected an integer)"},
    {"integer-given-string", DOC_E(",'max_parts_per_week':'3'"), 0,
     "employees/0/max_parts_per_week", "found '3' (expected an integer)"},
    {"integer-given-exponent", DOC_E(",'max_parts_per_week':1e1"), 0,
     "employees/0/max_parts_per_week", "found 1e1 (expected an integer)"},
    {"int32-overflow", DOC_E(",'max_travel_km':3000000000"), 0, "employees/0/max_travel_km",
     "3000000000 is out of range (expected an integer from 0 to 300)"},
    {"int64-overflow", DOC_E(",'max_travel_km':-99999999999999999999"), 0,
     "employees/0/max_travel_km",
     "-9223372036854775808 is out of range (expected an integer from 0 to 300)"},
    {"number-nan", "{'districts':[{'id':'d1','name':'x','lat':NaN,'lon':1}]}", 0, "districts/0/lat",
     "found NaN (expected a finite number)"},
    {"number-overflow", "{'districts':[{'id':'d1','name':'x','lat':1e400,'lon':1}]}", 0,
     "districts/0/lat", "found 1e400 (expected a finite number)"},
    /* ---- vocabularies and formats ---- */
    {"invalid-date",
     "{'districts':[" DISTRICT "],'schools':[" SCHOOL "],'requests':[{'id':'r1',"
     "'school':'s1','staff_needed':1,'slots':[{'date':'2020-02-30','part':"
     "'morning'}]}]}",
     0, "requests/0/slots/0/date", "'2020-02-30' is not a valid date (expected YYYY-MM-DD)"},
    {"bad-part", DOC_E(",'availability':[{'date':'2020-04-14','part':'evening'}]"), 0,
     "employees/0/availability/0/part",
     "'evening' is not a day part (expected morning or afternoon)"},
    {"bad-pattern-part",
     DOC_E(",'availability':[{'from':'2020-04-14','to':'2020-04-20',"
           "'weekdays':['mon'],'parts':['night']}]"),
     0, "employees/0/availability/0/parts/0",
     "'night' is not a day part (expected morning or afternoon)"},
    {"bad-weekday",
     DOC_E(",'availability':[{'from':'2020-04-14','to':'2020-04-20',"
           "'weekdays':['mon','monday'],'parts':['morning']}]"),
     0, "employees/0/availability/0/weekdays/1",
     "'monday' is not a weekday (expected one of mon, tue, wed, thu, fri, sat, sun)"},
    {"repeated-weekday",
     DOC_E(",'availability':[{'from':'2020-04-14','to':'2020-04-20',"
           "'weekdays':['mon','tue','mon'],'parts':['morning']}]"),
     0, "employees/0/availability/0/weekdays/2",
     "repeated 'mon' (first at employees/0/availability/0/weekdays/0)"},
    {"repeated-part",
     DOC_E(",'availability':[{'from':'2020-04-14','to':'2020-04-20',"
           "'weekdays':['mon'],'parts':['morning','morning']}]"),
     0, "employees/0/availability/0/parts/1",
     "repeated 'morning' (first at employees/0/availability/0/parts/0)"},
    {"unknown-tag", DOC_E(",'qualifications':['vog','pm','ehbo']"), 0,
     "employees/0/qualifications/2", "'ehbo' is not a qualification (expected " QUALS ")"},
    {"repeated-tag", DOC_R(",'required':['pm','bso','pm']"), 0, "requests/0/required/2",
     "repeated 'pm' (first at requests/0/required/0)"},
    {"bad-school-type",
     "{'districts':[" DISTRICT "],'schools':[{'id':'s1','brin':'24EJ00',"
     "'name':'x','type':'bo','district':'d1','lat':1,'lon':1}]}",
     0, "schools/0/type", "'bo' is not a school type (expected one of po, so, vo)"},
    {"bad-priority", DOC_R(",'priority':'urgent'"), 0, "requests/0/priority",
     "'urgent' is not a priority (expected normal or high)"},
    {"bad-request-status", DOC_R(",'status':'done'"), 0, "requests/0/status",
     "'done' is not a request status (expected open or cancelled)"},
    {"bad-assignment-status", DECIDED("done", "2020-04-14T09:30:00Z"), 0, "assignments/0/status",
     "'done' is not an assignment status (expected one of proposed, approved, rejected, "
     "cancelled)"},
    {"missing-assignment-status", DOC_A(SLOT_KEYS), 0, "assignments/0/status",
     "missing (expected one of proposed, approved, rejected, cancelled)"},
    {"lat-without-lon", DOC_E(",'lat':52.3"), 0, "employees/0/lon",
     "missing (expected a number: lat given without lon)"},
    {"lon-without-lat", DOC_E(",'lon':5.2"), 0, "employees/0/lat",
     "missing (expected a number: lon given without lat)"},
    BAD_TIME("bad-rfc3339-space", "2020-04-14 09:30:00Z"),
    BAD_TIME("bad-rfc3339-offset", "2020-04-14T09:30:00+02:00"),
    BAD_TIME("bad-rfc3339-hour", "2020-04-14T25:30:00Z"),
    BAD_TIME("rfc3339-before-1970", "1969-12-31T23:59:59Z"),
    {"mixed-slot-rule-keys",
     DOC_E(",'availability':[{'date':'2020-04-14','part':'morning',"
           "'weekdays':['mon']}]"),
     0, "employees/0/availability/0/weekdays",
     "not allowed with 'date' (expected either " RULE_EXPECTED ")"},
    {"mixed-slot-rule-pattern-first",
     DOC_E(",'availability':[{'from':'2020-04-14','to':"
           "'2020-04-20','part':'morning','weekdays':['mon'],"
           "'parts':['morning']}]"),
     0, "employees/0/availability/0/part",
     "not allowed with 'from' (expected either " RULE_EXPECTED ")"},
    {"empty-slot-rule", DOC_E(",'availability':[{}]"), 0, "employees/0/availability/0",
     "no date or from (expected " RULE_EXPECTED ")"},
    {"slot-rule-unknown-key",
     DOC_E(",'availability':[{'date':'2020-04-14','part':'morning',"
           "'day':'tue'}]"),
     0, "employees/0/availability/0/day",
     "unknown key (expected one of date, part, from, to, weekdays, parts)"},
    {"pattern-missing-to",
     DOC_E(",'availability':[{'from':'2020-04-14','weekdays':['mon'],"
           "'parts':['morning']}]"),
     0, "employees/0/availability/0/to", "missing (expected a date YYYY-MM-DD)"},
    /* ---- model rules reached through JSON ---- */
    {"duplicate-id",
     "{'districts':[" DISTRICT ",{'id':'d2','name':'x','lat':1,'lon':1}," DISTRICT "]}", 0,
     "districts/2/id", "duplicate id 'd1' (first at districts/0)"},
    {"invalid-id", "{'districts':[{'id':'d 1','name':'x','lat':1,'lon':1}]}", 0, "districts/0/id",
     "'d 1' is not a valid id (expected 1 to 64 characters of A-Z a-z 0-9 . _ : -)"},
    {"dangling-reference",
     "{'districts':[" DISTRICT "],'schools':[" SCHOOL "],'requests':[{"
     "'id':'r1','school':'s-99','staff_needed':1,'slots':[" SLOT "]}]}",
     0, "requests/0/school", "no school with id 's-99'"},
    {"dangling-neighbour",
     "{'districts':[{'id':'d1','name':'x','lat':1,'lon':1,"
     "'neighbours':['d9']}]}",
     0, "districts/0/neighbours/0", "no district with id 'd9'"},
    {"brin",
     "{'districts':[" DISTRICT "],'schools':[{'id':'s1','brin':'7NU','name':'x',"
     "'district':'d1','lat':1,'lon':1}]}",
     0, "schools/0/brin",
     "'7NU' is not a BRIN code (expected two digits and two capital letters, optionally two "
     "more digits: 07NU or 07NU00)"},
    {"contact-email", "{'organisations':[{'id':'o1','name':'x','contact':{'email':'jan@'}}]}", 0,
     "organisations/0/contact/email",
     "'jan@' is not an e-mail address (expected name@domain.nl, without spaces)"},
    {"contact-email-header",
     "{'organisations':[{'id':'o1','name':'x','contact':{'email':'a@b.nl\\r\\nBcc: c@d.nl'}}]}", 0,
     "organisations/0/contact/email",
     "'a@b.nl\\r\\nBcc: c@d.nl' is not an e-mail address (expected name@domain.nl, without "
     "spaces)"},
    {"contact-phone",
     "{'districts':[" DISTRICT "],'schools':[{'id':'s1','brin':'24EJ00','name':'x',"
     "'district':'d1','lat':1,'lon':1,'contact':{'name':'Jan','phone':'12-34'}}]}",
     0, "schools/0/contact/phone",
     "'12-34' is not a telephone number (expected 8 to 15 digits, optionally with a leading + "
     "and spaces or hyphens: 06-12345678)"},
    {"contact-name-blank", "{'organisations':[{'id':'o1','name':'x','contact':{'name':' '}}]}", 0,
     "organisations/0/contact/name",
     "' ' is only white space (expected a name with at least one character that is not white "
     "space)"},
    {"contact-not-object", "{'organisations':[{'id':'o1','name':'x','contact':'Jan'}]}", 0,
     "organisations/0/contact", "found 'Jan' (expected an object)"},
    {"contact-unknown-key",
     "{'organisations':[{'id':'o1','name':'x','contact':{'mail':'a@b.nl'}}]}", 0,
     "organisations/0/contact/mail", "unknown key (expected one of name, email, phone)"},
    {"employee-email", DOC_E(",'email':'sanne at boerderij.nl'"), 0, "employees/0/email",
     "'sanne at boerderij.nl' is not an e-mail address (expected name@domain.nl, without "
     "spaces)"},
    {"employee-phone-plus", DOC_E(",'phone':'06+12345678'"), 0, "employees/0/phone",
     "'06+12345678' is not a telephone number (expected 8 to 15 digits, optionally with a "
     "leading + and spaces or hyphens: 06-12345678)"},
    {"lrk", "{'organisations':[{'id':'o1','name':'x','lrk':'12345'}]}", 0, "organisations/0/lrk",
     "'12345' is not an LRK number (expected nine digits)"},
    {"empty-weekdays",
     DOC_E(",'availability':[{'from':'2020-04-14','to':'2020-04-20',"
           "'weekdays':[],'parts':['morning']}]"),
     0, "employees/0/availability/0/weekdays",
     "[] is empty (expected at least one of mon, tue, wed, thu, fri, sat, sun)"},
    {"empty-pattern",
     "{'districts':[" DISTRICT "],'schools':[" SCHOOL "],'requests':[{"
     "'id':'r1','school':'s1','staff_needed':1,'slots':[" SLOT ",{'from':"
     "'2020-04-18','to':'2020-04-19','weekdays':['mon'],'parts':['morning']}]}]}",
     0, "requests/0/slots/1",
     "pattern from 2020-04-18 to 2020-04-19 on mon expands to no day part"},
    {"staff-needed-and-children", DOC_R(",'children_expected':24"), 0,
     "requests/0/children_expected",
     "24 given together with staff_needed (expected exactly one of staff_needed and "
     "children_expected)"},
    {"range", DOC_E(",'max_parts_per_week':15"), 0, "employees/0/max_parts_per_week",
     "15 is out of range (expected an integer from 1 to 14)"},
    {"assignment-outside-request",
     DOC_A(",'date':'2020-04-15','part':'morning','status':"
           "'proposed'"),
     0, "assignments/0/date",
     "'2020-04-15' morning is not a slot of request 'r1' (expected a date and part the request "
     "asks for)"},
    {"decided-by-missing",
     DOC_A(SLOT_KEYS ",'status':'rejected','decided_at':"
                     "'2020-04-14T09:30:00Z'"),
     0, "assignments/0/decided_by", "missing (expected who decided, as the status is 'rejected')"},
    {"approved-twice",
     "{'districts':[" DISTRICT "],'schools':[" SCHOOL "],'organisations':[" ORGANISATION
     "],'employees':[" EMPLOYEE_WITH("") "],'requests':[" REQUEST_WITH(
         SLOTS) "],'assignments':[" ASSIGNMENT_WITH(SLOT_KEYS APPROVED) ",{'id':'a2','request':'r1'"
                                                                        ",'employee':'e1'" SLOT_KEYS
                                                                            APPROVED "}]}",
     0, "assignments/1/status",
     "employee 'e1' already has an approved assignment on 2020-04-14 morning (first at "
     "assignments/0)"},
    /* ---- a bad value is reported once, not echoed by the model check ---- */
    {"no-echo-staff-needed",
     "{'districts':[" DISTRICT "],'schools':[" SCHOOL "],'requests':[{"
     "'id':'r1','school':'s1','staff_needed':'2','slots':[" SLOT "]}]}",
     0, "requests/0/staff_needed", "found '2' (expected an integer)"},
    {"no-echo-children",
     "{'districts':[" DISTRICT "],'schools':[" SCHOOL "],'requests':[{"
     "'id':'r1','school':'s1','children_expected':2.5,'own_staff':1,"
     "'slots':[" SLOT "]}]}",
     0, "requests/0/children_expected", "found 2.5 (expected an integer)"},
    {"no-echo-slots",
     "{'districts':[" DISTRICT "],'schools':[" SCHOOL "],'requests':[{"
     "'id':'r1','school':'s1','staff_needed':1,'slots':{}}]}",
     0, "requests/0/slots", "found an object (expected an array)"},
    {"no-echo-rule", DOC("", ",'slots':[{'date':'2020-04-14','part':'noon'}]", PROPOSED), 0,
     "requests/0/slots/0/part", "'noon' is not a day part (expected morning or afternoon)"},
    {"no-echo-decided-by",
     DOC_A(SLOT_KEYS ",'status':'approved','decided_by':7,"
                     "'decided_at':'2020-04-14T09:30:00Z'"),
     0, "assignments/0/decided_by", "found 7 (expected a string)"},
    {"no-echo-status", DOC_A(SLOT_KEYS ",'status':'sure','decided_by':'x'"), 0,
     "assignments/0/status",
     "'sure' is not an assignment status (expected one of proposed, approved, rejected, "
     "cancelled)"},
    {"no-echo-part", DOC_A(",'date':'2020-04-14','part':'noon'" APPROVED), 0, "assignments/0/part",
     "'noon' is not a day part (expected morning or afternoon)"},
    /* ---- locations and their load (H7) ---- */
    {"location-unknown-organisation",
     "{'districts':[" DISTRICT "],'locations':[" LOCATION_WITH("") "]}", 0,
     "locations/0/organisation", "no organisation with id 'o1'"},
    {"location-missing-name",
     "{'organisations':[" ORGANISATION "],'locations':[{'id':'l1','organisation':'o1','lat':52.37,"
     "'lon':5.22}]}",
     0, "locations/0/name", "missing (expected a name)"},
    {"location-bad-lrk", DOC_L(",'lrk':'12345'", ""), 0, "locations/0/lrk",
     "'12345' is not an LRK number (expected nine digits)"},
    {"location-lat-range",
     "{'organisations':[" ORGANISATION "],'locations':[{'id':'l1','organisation':'o1','name':'L',"
     "'lat':91,'lon':5.22}]}",
     0, "locations/0/lat", "91 is out of range (expected a number from -90 to 90)"},
    {"location-unknown-district", DOC_L(",'district':'d9'", ""), 0, "locations/0/district",
     "no district with id 'd9'"},
    {"location-load-not-array", DOC_L(",'load':{}", ""), 0, "locations/0/load",
     "found an object (expected an array)"},
    {"location-load-no-figures", DOC_L(LOAD(SLOT), ""), 0, "locations/0/load/0", FIGURES_EXPECTED},
    {"location-load-children-without-staff",
     DOC_L(LOAD("{'date':'2020-04-14','part':'morning','children_expected':30}"), ""), 0,
     "locations/0/load/0/staff_present",
     "missing (expected staff_present together with children_expected)"},
    {"location-load-staff-without-children",
     DOC_L(LOAD("{'date':'2020-04-14','part':'morning','staff_present':3}"), ""), 0,
     "locations/0/load/0/children_expected",
     "missing (expected children_expected together with staff_present)"},
    {"location-load-negative",
     DOC_L(LOAD("{'date':'2020-04-14','part':'morning','max_lend':-1}"), ""), 0,
     "locations/0/load/0/max_lend", "-1 is out of range (expected an integer from 0 to 1000)"},
    {"location-load-too-many-children",
     DOC_L(LOAD("{'date':'2020-04-14','part':'morning','children_expected':10001,"
                "'staff_present':3}"),
           ""),
     0, "locations/0/load/0/children_expected",
     "10001 is out of range (expected an integer from 0 to 10000)"},
    {"location-load-not-integer",
     DOC_L(LOAD("{'date':'2020-04-14','part':'morning','max_lend':'2'}"), ""), 0,
     "locations/0/load/0/max_lend", "found '2' (expected an integer)"},
    {"location-load-unknown-key",
     DOC_L(LOAD("{'date':'2020-04-14','part':'morning','max_lend':1,'spare':1}"), ""), 0,
     "locations/0/load/0/spare",
     "unknown key (expected one of date, part, from, to, weekdays, parts, children_expected, "
     "staff_present, max_lend)"},
    {"location-load-bad-part", DOC_L(LOAD("{'date':'2020-04-14','part':'noon','max_lend':1}"), ""),
     0, "locations/0/load/0/part", "'noon' is not a day part (expected morning or afternoon)"},
    {"location-load-twice",
     DOC_L(LOAD("{'date':'2020-04-14','part':'morning','max_lend':1},"
                "{'from':'2020-04-13','to':'2020-04-17','weekdays':['tue'],'parts':['morning'],"
                "'max_lend':2}"),
           ""),
     0, "locations/0/load/1",
     "2020-04-14 morning already has figures in locations/0/load/0 (expected each day part "
     "once)"},
    {"employee-unknown-location", DOC_L("", ",'location':'l2'"), 0, "employees/0/location",
     "no location with id 'l2'"},
    {"employee-location-of-other-organisation",
     "{'districts':[" DISTRICT "],'organisations':[" ORGANISATION
     ",{'id':'o2','name':'Partou'}],'locations':[" LOCATION_WITH(
         "") "],'employees':["
             "{'id':'e1','organisation':'o2','name':'Sanne','district':'d1','location':'l1'}]}",
     0, "employees/0/location",
     "'l1' is a location of organisation 'o1' (expected a location of its "
     "own organisation)"},
    {"employee-location-not-string", DOC_L("", ",'location':3"), 0, "employees/0/location",
     "found 3 (expected a string)"},
    /* ---- a district's outline ---- */
    {"outline-not-array", OUTLINE("{'lat':1,'lon':2}"), 0, "districts/0/outline",
     "found an object (expected an array of points)"},
    {"outline-null", OUTLINE("null"), 0, "districts/0/outline",
     "found null (expected an array of points)"},
    {"outline-empty", OUTLINE("[]"), 0, "districts/0/outline",
     "0 points (expected from 3 to 5000 points)"},
    {"outline-two-points", OUTLINE("[" POINT "," POINT "]"), 0, "districts/0/outline",
     "2 points (expected from 3 to 5000 points)"},
    {"outline-point-not-object", OUTLINE("[" POINT "," POINT ",[52.4,5.2]]"), 0,
     "districts/0/outline/2", "found an array (expected an object)"},
    {"outline-point-unknown-key", OUTLINE("[" POINT "," POINT ",{'lat':1,'lon':2,'alt':3}]"), 0,
     "districts/0/outline/2/alt", "unknown key (expected one of lat, lon)"},
    {"outline-lat-missing", OUTLINE("[" POINT ",{'lon':5.2}," POINT "]"), 0,
     "districts/0/outline/1/lat", "missing (expected a number)"},
    {"outline-lon-missing", OUTLINE("[" POINT ",{'lat':52.4}," POINT "]"), 0,
     "districts/0/outline/1/lon", "missing (expected a number)"},
    {"outline-lat-string", OUTLINE("[" POINT ",{'lat':'52.4','lon':5.2}," POINT "]"), 0,
     "districts/0/outline/1/lat", "found '52.4' (expected a number)"},
    {"outline-lat-nan", OUTLINE("[" POINT ",{'lat':NaN,'lon':5.2}," POINT "]"), 0,
     "districts/0/outline/1/lat", "found NaN (expected a finite number)"},
    {"outline-lon-infinite", OUTLINE("[" POINT "," POINT ",{'lat':52.4,'lon':-1e999}]"), 0,
     "districts/0/outline/2/lon", "found -1e999 (expected a finite number)"},
    {"outline-lat-range", OUTLINE("[" POINT ",{'lat':91,'lon':5.2}," POINT "]"), 0,
     "districts/0/outline/1/lat", "91 is out of range (expected a number from -90 to 90)"},
    {"outline-lat-range-low", OUTLINE("[{'lat':-90.5,'lon':5.2}," POINT "," POINT "]"), 0,
     "districts/0/outline/0/lat", "-90.5 is out of range (expected a number from -90 to 90)"},
    {"outline-lon-range", OUTLINE("[" POINT "," POINT ",{'lat':52.4,'lon':180.25}]"), 0,
     "districts/0/outline/2/lon", "180.25 is out of range (expected a number from -180 to 180)"},
    {"outline-lon-range-low", OUTLINE("[" POINT "," POINT ",{'lat':52.4,'lon':-181}]"), 0,
     "districts/0/outline/2/lon", "-181 is out of range (expected a number from -180 to 180)"},
};
static void test_invalid(gconstpointer data) {
  const InvalidCase *c = data;
  gsize length = c->length != 0 ? c->length : strlen(c->json);
  g_autofree char *json = json_test_tojson(c->json, (gssize)length);
  g_autofree char *message = json_test_tojson(c->message, -1);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) dataset = model_json_decode_dataset(json, length, problems);
  g_autofree char *all = model_problems_to_string(problems);
  if (problems->len != 1)
    g_test_message("problems:\n%s", all);
  g_assert_null(dataset);
  g_assert_cmpuint(problems->len, ==, 1);
  const ModelProblem *problem = g_ptr_array_index(problems, 0);
  g_assert_cmpstr(problem->pointer, ==, c->pointer);
  g_assert_cmpstr(problem->message, ==, message);
  /* The quick reading, or the whole tree when it cannot say: the same either way. */
  g_autoptr(GPtrArray) whole_problems = model_problems_new();
  g_autoptr(ModelDataset) whole = model_json_decode_dataset_whole(json, length, whole_problems);
  g_autofree char *whole_all = model_problems_to_string(whole_problems);
  g_assert_null(whole);
  g_assert_cmpstr(whole_all, ==, all);
}

/* The building blocks are valid on their own, so each row fails for its own reason. */
static void test_base_is_valid(void) {
  static const char *const documents[] = {
      DOC_E(""),
      DOC_A(SLOT_KEYS APPROVED),
      "{}",
      " {\n'districts': []\n}\n\t ",
  };
  for (gsize i = 0; i < G_N_ELEMENTS(documents); i++) {
    g_autofree char *json = json_test_tojson(documents[i], -1);
    g_autoptr(GPtrArray) problems = model_problems_new();
    g_autoptr(ModelDataset) dataset = model_json_decode_dataset(json, strlen(json), problems);
    g_autofree char *all = model_problems_to_string(problems);
    g_assert_cmpstr(all, ==, "");
    g_assert_nonnull(dataset);
  }
}

/* Three independent errors, written out of order in the file's arrays, come back all
 * three and in document order; problems already in the list are kept before them. */
static void test_three_errors(void) {
  const char *text =
      "{'requests':[{'id':'r1','school':'s-99','staff_needed':1,'slots':[" SLOT "]}],"
      "'districts':[" DISTRICT ",{'id':'d2','name':'x','lat':1,'lon':1,'colour':'red'}],"
      "'schools':[" SCHOOL "],"
      "'organisations':[" ORGANISATION "],"
      "'employees':[" EMPLOYEE_WITH("") ",{'id':'e2','organisation':'o1','name':'Joost',"
                                        "'district':'d1','max_parts_per_week':'3'}]}";
  g_autofree char *document = json_test_tojson(text, -1);
  g_autoptr(GPtrArray) problems = model_problems_new();
  model_problems_add(problems, "earlier", "kept");
  g_autoptr(ModelDataset) dataset = model_json_decode_dataset(document, strlen(document), problems);
  g_assert_null(dataset);
  g_autofree char *all = model_problems_to_string(problems);
  g_assert_cmpstr(all, ==,
                  "earlier: kept\n"
                  "districts/1/colour: unknown key (expected one of id, name, lat, lon, "
                  "neighbours, outline)\n"
                  "employees/1/max_parts_per_week: found \"3\" (expected an integer)\n"
                  "requests/0/school: no school with id \"s-99\"");
}

/* A request of a thousand year-long patterns is refused with one problem at its slot
 * list, before anything expands it (the assignment on it is not judged). */
static void test_expansion_cap(void) {
  GString *slots = g_string_new(",'slots':[" SLOT);
  for (int i = 0; i < 1000; i++)
    g_string_append(slots, ",{'from':'2020-01-01','to':'2020-12-31','weekdays':['mon','tue',"
                           "'wed','thu','fri','sat','sun'],'parts':['morning','afternoon']}");
  g_string_append(slots, "]");
  g_autofree char *text = g_strdup_printf(DOC("", "%s", PROPOSED), slots->str);
  g_string_free(slots, TRUE);
  g_autofree char *document = json_test_tojson(text, -1);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) dataset = model_json_decode_dataset(document, strlen(document), problems);
  g_assert_null(dataset);
  g_autofree char *all = model_problems_to_string(problems);
  g_assert_cmpstr(all, ==,
                  "requests/0/slots: 1001 rules expand to 732001 day parts (expected at most "
                  "2000 day parts in one list, overlaps counted)");
}

/* A district's outline of `n` points (the point `bad`, if below n, at lat 95) as the
 * fourth district of a document (transfer full, real JSON). */
static char *outline_document(guint n, guint bad) {
  GString *text = g_string_new("{'districts':[");
  for (guint d = 0; d < 3; d++)
    g_string_append_printf(text, "{'id':'d%u','name':'x','lat':52,'lon':5},", d);
  g_string_append(text, "{'id':'d3','name':'Poort','lat':52.35,'lon':5.15,'outline':[");
  for (guint i = 0; i < n; i++)
    g_string_append_printf(text, "%s{'lat':%s,'lon':5.1}", i > 0 ? "," : "",
                           i == bad ? "95" : "52.3");
  g_string_append(text, "]}]}");
  g_autofree char *quoted = g_string_free(text, FALSE);
  return json_test_tojson(quoted, -1);
}

/* The problems of decoding `document`, one per line. */
static char *decode_problems(const char *document) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) dataset = model_json_decode_dataset(document, strlen(document), problems);
  g_assert_true((dataset == NULL) == (problems->len > 0));
  return model_problems_to_string(problems);
}

/* An outline's size is judged as a whole, its points one by one, at their pointers: 3
 * and 5000 points are fine, 5001 are not. */
static void test_outline_size(void) {
  g_autofree char *bad_point = outline_document(8, 7);
  g_autofree char *found = decode_problems(bad_point);
  g_assert_cmpstr(found, ==,
                  "districts/3/outline/7/lat: 95 is out of range (expected a number from -90 to "
                  "90)");
  static const struct {
    guint n;
    const char *problems;
  } sizes[] = {
      {3, ""},
      {MODEL_OUTLINE_MAX_POINTS, ""},
      {MODEL_OUTLINE_MAX_POINTS + 1,
       "districts/3/outline: 5001 points (expected from 3 to 5000 points)"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(sizes); i++) {
    g_autofree char *document = outline_document(sizes[i].n, G_MAXUINT);
    g_autofree char *all = decode_problems(document);
    g_assert_cmpstr(all, ==, sizes[i].problems);
  }
}

/* Unreadable files: one problem at "" naming the file. */

static void test_load_missing(void) {
  g_autofree char *path = g_build_filename(json_test_dir(), "no-such-dataset.json", NULL);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_assert_null(model_json_load_dataset(path, problems));
  g_assert_cmpuint(problems->len, ==, 1);
  const ModelProblem *problem = g_ptr_array_index(problems, 0);
  g_assert_cmpstr(problem->pointer, ==, "");
  g_autofree char *expected =
      g_strdup_printf("cannot read \"%s\": No such file or directory", path);
  g_assert_cmpstr(problem->message, ==, expected);

  g_autoptr(GPtrArray) dir_problems = model_problems_new();
  g_assert_null(model_json_load_dataset(json_test_dir(), dir_problems));
  g_assert_cmpuint(dir_problems->len, ==, 1);
  problem = g_ptr_array_index(dir_problems, 0);
  g_autofree char *dir_expected =
      g_strdup_printf("cannot read \"%s\": not a regular file", json_test_dir());
  g_assert_cmpstr(problem->message, ==, dir_expected);
}

/* A file over the size cap is refused before it is read (a sparse file costs nothing). */
static void test_load_too_large(void) {
  g_autofree char *path = g_build_filename(json_test_dir(), "huge.json", NULL);
  g_autoptr(GError) error = NULL;
  g_assert_true(g_file_set_contents(path, "{}", -1, &error));
  g_assert_no_error(error);
  g_assert_cmpint(truncate(path, (off_t)MODEL_JSON_MAX_BYTES + 1), ==, 0);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_assert_null(model_json_load_dataset(path, problems));
  g_assert_cmpuint(problems->len, ==, 1);
  const ModelProblem *problem = g_ptr_array_index(problems, 0);
  g_assert_cmpstr(problem->pointer, ==, "");
  g_autofree char *expected = g_strdup_printf(
      "cannot read \"%s\": 536870913 bytes is too large (expected at most 536870912 bytes)", path);
  g_assert_cmpstr(problem->message, ==, expected);
}

/* No text at all is an empty document. */
static void test_null_text(void) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_assert_null(model_json_decode_dataset(NULL, 0, problems));
  g_autofree char *all = model_problems_to_string(problems);
  g_assert_cmpstr(all, ==, ": invalid JSON at byte 0: unexpected end of data");
}

/* A file with a problem reports it like the text would. */
static void test_load_invalid(void) {
  g_autofree char *path = g_build_filename(json_test_dir(), "bad.json", NULL);
  static const char text[] = "{'districts':[{'id':'d1'}]}";
  g_autofree char *json = json_test_tojson(text, -1);
  g_autoptr(GError) error = NULL;
  g_assert_true(g_file_set_contents(path, json, -1, &error));
  g_assert_no_error(error);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_assert_null(model_json_load_dataset(path, problems));
  g_autofree char *all = model_problems_to_string(problems);
  g_assert_cmpstr(all, ==,
                  "districts/0/name: missing (expected a name)\n"
                  "districts/0/lat: missing (expected a number)\n"
                  "districts/0/lon: missing (expected a number)");
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  TEST_ADD_TABLE("/json/decode-invalid", cases, name, test_invalid);
  g_test_add_func("/json/decode/base-is-valid", test_base_is_valid);
  g_test_add_func("/json/decode/three-errors", test_three_errors);
  g_test_add_func("/json/decode/expansion-cap", test_expansion_cap);
  g_test_add_func("/json/decode/outline-size", test_outline_size);
  g_test_add_func("/json/decode/load-missing", test_load_missing);
  g_test_add_func("/json/decode/load-invalid", test_load_invalid);
  g_test_add_func("/json/decode/load-too-large", test_load_too_large);
  g_test_add_func("/json/decode/null-text", test_null_text);
  return g_test_run();
}
