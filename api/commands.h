/* commands.h: the entry points of the `handen` commands, one per subcommand.  Each
 * takes the arguments after "handen" (argv[0] is the command name) and returns a
 * CLI_EXIT_* status. */
#pragma once

int cmd_validate(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_import_csv(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_match(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_mcf(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_backup(int argc, char **argv);
