/* routes.c: the table of the API's resource routes under /v1 (health and the OpenAPI
 * document are the router's own).  Every route here needs a bearer token (but the
 * exchange of an invitation's one-time code and a subscribed calendar feed, whose
 * secrets are their own credentials); the
 * handlers check the role and the scope.  The router prefers literal segments over
 * {parameters}, so /v1/assignments.csv is never read as an assignment id.  Each
 * route lists the query parameters it takes; any other is refused by the router.
 */
#include "handlers.h"

/* The four routes of a collection an API user writes to: list (taking `query`) and
 * create at PATH, read and change (a merge patch) at PATH/{id}; the handlers are
 * api_handle_NAMEs_list, _NAMEs_create, _NAME_get and _NAME_update. */
// clang-format off
#define COLLECTION(path, name, query)                                                              \
  {"GET", path, api_handle_##name##s_list, FALSE, query},                                          \
  {"POST", path, api_handle_##name##s_create, FALSE},                                              \
  {"GET", path "/{id}", api_handle_##name##_get, FALSE},                                           \
  {"PATCH", path "/{id}", api_handle_##name##_update, FALSE}
// clang-format on

static const ApiRoute routes[] = {
    {"GET", "/v1/me", api_handle_me, FALSE},
    {"GET", "/v1/districts", api_handle_districts, FALSE, "limit cursor"},
    {"GET", "/v1/schools", api_handle_schools, FALSE, "limit cursor district"},
    {"GET", "/v1/schools/{id}", api_handle_school, FALSE},
    {"GET", "/v1/schools/{id}/calendar.ics", api_handle_school_calendar, FALSE},
    {"GET", "/v1/organisations", api_handle_organisations, FALSE, "limit cursor"},

    COLLECTION("/v1/requests", request, "limit cursor status school district"),
    {"POST", "/v1/requests/{id}/cancel", api_handle_request_cancel, FALSE},

    COLLECTION("/v1/employees", employee, "limit cursor active organisation district"),
    {"POST", "/v1/employees/import", api_handle_employees_import, FALSE, "preview organisation",
     TRUE},
    {"GET", "/v1/employees/import/template", api_handle_employees_import_template, FALSE},
    {"POST", "/v1/employees/{id}/deactivate", api_handle_employee_deactivate, FALSE},
    {"PUT", "/v1/employees/{id}/availability", api_handle_employee_availability, FALSE},
    {"POST", "/v1/employees/{id}/confirm", api_handle_employee_confirm, FALSE},
    {"GET", "/v1/employees/{id}/calendar.ics", api_handle_employee_calendar, FALSE},

    {"GET", "/v1/locations", api_handle_locations_list, FALSE, "limit cursor organisation"},
    {"GET", "/v1/locations/{id}", api_handle_location_get, FALSE},
    {"PUT", "/v1/locations/{id}/load", api_handle_location_load, FALSE},

    {"GET", "/v1/rounds", api_handle_rounds_list, FALSE, "limit cursor"},
    {"POST", "/v1/rounds", api_handle_rounds_start, FALSE},
    {"GET", "/v1/rounds/{id}", api_handle_round_get, FALSE},

    {"GET", "/v1/proposals", api_handle_proposals_list, FALSE,
     "limit cursor status round district school request from to part priority"},
    {"POST", "/v1/proposals/{id}/approve", api_handle_proposal_approve, FALSE},
    {"POST", "/v1/proposals/{id}/reject", api_handle_proposal_reject, FALSE},
    {"GET", "/v1/proposals/{id}/alternatives", api_handle_proposal_alternatives, FALSE, "limit"},
    {"POST", "/v1/proposals/{id}/swap", api_handle_proposal_swap, FALSE},

    {"GET", "/v1/assignments", api_handle_assignments_list, FALSE,
     "limit cursor from to school employee district"},
    {"GET", "/v1/assignments.csv", api_handle_assignments_csv, FALSE,
     "from to school employee district dialect"},
    {"POST", "/v1/assignments/{id}/cancel", api_handle_assignment_cancel, FALSE},

    {"GET", "/v1/audit", api_handle_audit, FALSE, "limit cursor order actor action"},
    {"GET", "/v1/outbox", api_handle_outbox, FALSE, "limit cursor"},
    {"GET", "/v1/invitations", api_handle_invitations_list, FALSE, "limit cursor"},
    {"POST", "/v1/invitations", api_handle_invitation_create, FALSE},
    /* The one-time code in the body is the credential. */
    {"POST", "/v1/invitations/accept", api_handle_invitation_accept, TRUE},
    {"GET", "/v1/subscriptions", api_handle_subscriptions_list, FALSE},
    {"POST", "/v1/subscriptions", api_handle_subscription_create, FALSE},
    {"POST", "/v1/subscriptions/{id}/revoke", api_handle_subscription_revoke, FALSE},
    /* The secret in the path is the credential: calendar apps send no token. */
    {"GET", "/v1/feeds/{secret}/calendar.ics", api_handle_feed, TRUE},
    {"GET", "/v1/summary", api_handle_summary, FALSE, "district"},
    {NULL, NULL, NULL, FALSE, NULL},
};

const ApiRoute *api_routes(void) {
  return routes;
}
