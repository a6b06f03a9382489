/*
 * cli.h — helpers shared by the command-line tools only: program name,
 * messages, exit codes, opening "-" and atomic -o output.
 */
#ifndef CLI_H
#define CLI_H

#include <stdio.h>

#include "survey.h"

enum { CLI_OK = 0, CLI_DATA = 1, CLI_USAGE = 2 };

/* Records the program name, turns GSL's abort handler off. */
void cli_init(const char *argv0);

/* The program name (borrowed). */
const char *cli_name(void);

/* Prints "prog: message" to stderr. */
void cli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Prints ERR as "prog: FILE:LINE: column C: message" (parts omitted when
 * unknown) and returns the exit code for its status (1, or 2 for usage).
 */
int cli_error(const struct sv_error *err);

/* Prints a usage error and the try-help line; returns 2. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "prog (survey toolkit) VERSION" to stdout. */
void cli_version(void);

/*
 * Opens the output: stdout for NULL or "-", else a temporary file beside
 * PATH that cli_output_commit() renames into place.  Only one output may be
 * open at a time.  Returns NULL (message printed) on failure.
 */
FILE *cli_output_open(const char *path);

/*
 * Flushes and closes the output; renames the temporary file into place
 * when OK is true, removes it otherwise.  Returns 0, or 1 on a write error
 * (message printed).
 */
int cli_output_commit(FILE *fp, int ok);

/* Flushes stdout at the end; returns STATUS, or 1 on a write error. */
int cli_finish(int status);

/* Parses a --format value; returns -1 (message printed) on failure. */
int cli_parse_format(const char *s);

/* Parses a single-character delimiter ("," "tab" ";" "\t"); 0 on error. */
int cli_parse_delimiter(const char *s);

#endif
