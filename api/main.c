/* main.c: the `handen` command line: dispatches "handen COMMAND ..." to the command
 * table in cli.c.  The only place that decides the process's exit status. */
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void print_usage(FILE *out) {
  fprintf(out, "Usage: handen COMMAND [OPTION...]\n\n"
               "Matches childcare staff to schools that need extra hands.\n\n"
               "Commands:\n");
  for (const CliCommand *c = cli_commands(); c->name; c++)
    fprintf(out, "  %-10s %s\n", c->name, c->summary);
  fprintf(out, "\nRun 'handen COMMAND --help' for the options of a command.\n");
}

/* Blocks of at least this size are mapped on their own and go back to the system when
 * freed.  glibc raises the bound on its own after the first such block is freed, and
 * a round's per-component arrays (megabytes each, freed component by component) then
 * stay in the heap as free space the process still holds: a fixed bound took the
 * national round's peak memory from 400 to 342 MB at the same speed. */
#define MALLOC_MAP_BYTES (1024 * 1024)

int main(int argc, char **argv) {
  setlocale(LC_ALL, "");
  mallopt(M_MMAP_THRESHOLD, MALLOC_MAP_BYTES);
  if (argc < 2) {
    print_usage(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (g_str_equal(name, "--help") || g_str_equal(name, "-h") || g_str_equal(name, "help")) {
    print_usage(stdout);
    return CLI_EXIT_OK;
  }
  if (g_str_equal(name, "--version")) {
    printf("handen %s\n", HANDEN_VERSION);
    return CLI_EXIT_OK;
  }
  for (const CliCommand *c = cli_commands(); c->name; c++)
    if (g_str_equal(name, c->name)) {
      /* So that --help and option errors read "handen COMMAND". */
      g_autofree char *prgname = g_strdup_printf("handen %s", c->name);
      g_set_prgname(prgname);
      return c->run(argc - 1, argv + 1);
    }
  fprintf(stderr, "handen: unknown command '%s'\n\n", name);
  print_usage(stderr);
  return CLI_EXIT_USAGE;
}
