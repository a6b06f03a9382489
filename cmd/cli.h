/*
 * cli.h — helpers shared by the command-line tools only: program name,
 * messages, exit codes, opening "-" and atomic -o output.
 */
#ifndef CLI_H
#define CLI_H

#include <getopt.h>
#include <stdio.h>

#include "survey.h"

enum { CLI_OK = 0, CLI_DATA = 1, CLI_USAGE = 2 };

/* getopt codes of the input options every reading tool shares. */
enum { CLI_OPT_ENCODING = 200, CLI_OPT_DELIMITER, CLI_OPT_UNKNOWN,
       CLI_OPT_BOM, CLI_OPT_OUTPUT_ENCODING, CLI_OPT_BY, CLI_OPT_PERIOD,
       CLI_OPT_COMPARE, CLI_OPT_TREND, CLI_OPT_FORMAT, CLI_OPT_VERSION,
       CLI_OPT_SHEET, CLI_OPT_LANG };

/*
 * One option of a tool, as git's OPT_* entries: what getopt needs and the
 * help line, in one place.  A tool lists its options in one table, ended
 * by an entry with ID 0; cli_parse() builds getopt's tables from it and
 * --help prints it.  ID is the short letter when the option has one (a
 * letter below 128), else a CLI_OPT_* or tool code of 256 and above.
 */
struct cli_opt {
    int id;
    const char *name; /* long name, without "--" */
    const char *arg;  /* argument name (FILE, KEYS ...), NULL: no argument */
    const char *help; /* '\n' starts a continuation line; "{target}" and
                         the like print a named constant (cli.c), so that
                         a default shown is the one in force */
};

/* A tool's command line: help text around its option table. */
struct cli_tool {
    const char *head;           /* synopsis and purpose, ending in "\n" */
    const struct cli_opt *opts; /* ended by {0} */
    const char *example;        /* one command line */
};

/* Options every tool shares, for the end of its table. */
#define CLI_OPTS_OUTPUT                                                      \
    {CLI_OPT_BOM, "bom", NULL, "start the output with a UTF-8 BOM (Excel)"}, \
    {CLI_OPT_OUTPUT_ENCODING, "output-encoding", "ENC",                      \
     "utf-8 (default) or gb18030 (for Excel)"}
#define CLI_OPTS_INPUT                                                       \
    {CLI_OPT_ENCODING, "encoding", "ENC",                                    \
     "raw input encoding: auto (default), utf-8 or gb18030"},                \
    {CLI_OPT_SHEET, "sheet", "NAME|N",                                       \
     "sheet of an .xlsx input (default: the first)"},                        \
    {CLI_OPT_DELIMITER, "delimiter", "D",                                    \
     "raw input delimiter: , ; | or tab (default: detected)"},              \
    {CLI_OPT_UNKNOWN, "ignore-unknown", NULL,                                \
     "drop raw columns the codebook does not name"}
#define CLI_OPTS_END                                                         \
    {'h', "help", NULL, "show this help and exit"},                          \
    {CLI_OPT_VERSION, "version", NULL, "show the version and exit"},         \
    {0, NULL, NULL, NULL}

/* Prints TOOL's help to stdout; exits 0, or 1 when it cannot be written. */
void cli_help(const struct cli_tool *tool) __attribute__((noreturn));

/* A tool's handler of its options: 0, 2 after a usage message, -1: not
 * its option. */
typedef int (*cli_option_fn)(void *ctx, int c, const char *arg);

/*
 * The one option parser: parses ARGV against TOOL's table with
 * getopt_long, handles --help and --version, and hands every other option
 * to FN(CTX, ID, ARG).  Returns 0 or 2 (message printed).
 */
int cli_parse(int argc, char **argv, const struct cli_tool *tool,
              cli_option_fn fn, void *ctx);

/* Handles -q, --bom and --output-encoding; 0, or 2 (message printed). */
int cli_io_option(int c, const char *arg);

/* Turns the progress line off (-q). */
void cli_set_quiet(int q);

/*
 * Wraps the output stream REAL when --bom or --output-encoding asked for
 * it (REAL itself otherwise).  cli_output_open() and cli_output_commit()
 * call these; tools do not.
 */
FILE *cli_output_wrap(FILE *real);
FILE *cli_output_unwrap(FILE *fp, int *bad);

/* True when --bom or --output-encoding gb18030 was given. */
int cli_output_encoded(void);

/*
 * Opens PATH ("-" or NULL: stdin) like sv_csv_open(); when stderr is a
 * terminal and not -q, a progress line shows while it is read.  Close
 * with cli_csv_free().
 */
struct sv_csv *cli_csv_open(const char *path,
                            const struct sv_csv_options *opts,
                            struct sv_error *err);
void cli_csv_free(struct sv_csv *csv);

/*
 * Opens PATH ("-" or NULL: stdin) like sv_source_open(), with the
 * progress line of cli_csv_open().  Close with cli_source_free().
 */
struct sv_source *cli_source_open(const char *path,
                                  const struct sv_source_options *opts,
                                  struct sv_error *err);
void cli_source_free(struct sv_source *src);

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

/* The text cli_error() prints after the program name, into BUF (CAP). */
void cli_error_text(const struct sv_error *err, char *buf, size_t cap);

/*
 * Sets the text printed after a message with HINT: why the tool reads
 * more than --by names (the site key for --pool sites, quarters for
 * coverage by half or year), e.g. ": --pool sites weighs offices ...".
 */
void cli_hint_reason(enum sv_hint hint, const char *reason);

/* Prints a usage error and the try-help line; returns 2. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reports getopt's result C (':' missing argument, '?' unknown option;
 * use ":" first in the short-option string) as a usage error naming the
 * option; ARGV may be NULL.  Returns 2.
 */
int cli_option_error(int c, char *const *argv);

/* Prints "prog (survey toolkit) VERSION" to stdout. */
void cli_version(void);

/*
 * Opens the output: stdout for NULL or "-", else a temporary file beside
 * PATH that cli_output_commit() renames into place.  Returns NULL
 * (message printed) on failure.
 */
FILE *cli_output_open(const char *path);

/*
 * Like cli_output_open() without the --bom / --output-encoding wrapping
 * (for a workbook).  At most two outputs are open at a time; close with
 * cli_output_commit().
 */
FILE *cli_output_open_plain(const char *path);

/*
 * Flushes and closes the output; renames the temporary file into place
 * when OK is true, removes it otherwise.  Returns 0, or 1 on a write error
 * (message printed).
 */
int cli_output_commit(FILE *fp, int ok);

/*
 * Commits the N outputs FPS (NULL entries are skipped) together: all are
 * flushed and closed, then, when OK and every one was written and can be
 * renamed into place, each is renamed; otherwise every temporary is
 * removed.  Returns 0, or 1 (message printed).
 */
int cli_outputs_commit(FILE **fps, size_t n, int ok);

/*
 * Notes PATH, named by an option (-c, --households, --history ...), as an
 * input that cli_outputs_distinct() keeps every output off.
 */
void cli_note_input(const char *path);

/*
 * Checks that none of the NOUT OUTPUTS (NULL entries skipped; WHAT names
 * each, e.g. "-o", "--rejects") is empty, one of the NIN INPUTS, an input
 * noted by cli_note_input(), or another output.  Returns 0, or 2 after a
 * usage message.
 */
int cli_outputs_distinct(const char *const *outputs, const char *const *what,
                         size_t nout, char *const *inputs, int nin);

/* Flushes stdout at the end; returns STATUS, or 1 on a write error. */
int cli_finish(int status);

/* Parses a single-character delimiter ("," "tab" ";" "\t"); 0 on error. */
int cli_parse_delimiter(const char *s);

/* Group keys from --by and --period, shared by the metric tools. */
struct cli_keys {
    const char *dims[16];
    char *owned;          /* copy of the --by text that dims point into */
    size_t ndims;
    enum sv_period period; /* SV_PERIOD_NONE: not given */
};

/* Parses --by KEYS (site, period, month..year, group labels); 0 or 2. */
int cli_keys_parse_by(struct cli_keys *k, const char *s);

/* Parses --period P; adds the period key if absent.  0 or 2. */
int cli_keys_parse_period(struct cli_keys *k, const char *s);

/* Adds the period key (quarterly unless --period said otherwise). */
void cli_keys_need_period(struct cli_keys *k);

/* True when KEY is among K's keys. */
int cli_keys_has(const struct cli_keys *k, const char *key);

/* 0 when KEY is among K's keys, else 2 after "OPTION needs 'KEY' ...". */
int cli_keys_require(const struct cli_keys *k, const char *key,
                     const char *option);

void cli_keys_release(struct cli_keys *k);

/* Input options shared by the tools reading questionnaires. */
struct cli_inputs {
    const char *codebook;
    enum sv_import_flags flags;
    struct sv_source_options src; /* how raw files are read */
    int jobs; /* threads per raw file (-j); 0 or 1: one */
};

/* An sv_error_cb that prints each error with cli_error(). */
void cli_error_cb(void *ctx, const struct sv_error *e);

/* An sv_error_cb printing "prog: FILE[:LINE]: warning: column C: msg". */
void cli_warning_cb(void *ctx, const struct sv_error *e);

/*
 * Loads IN's codebook (UTF-8 or GB18030, detected by itself), printing
 * every error of it; NULL and the last error in ERR on failure.
 */
struct sv_codebook *cli_codebook_load(const struct cli_inputs *in,
                                      struct sv_error *err);

/*
 * Handles -c, --encoding, --ignore-unknown, --delimiter, --sheet; else
 * usage (2).
 */
int cli_inputs_option(struct cli_inputs *in, int c, const char *arg);

/*
 * Reads FILES (stdin when none) into a new cube grouped by K; returns an
 * exit status, the cube in *OUT (caller frees).
 */
int cli_read_cube(const struct cli_keys *k, const struct cli_inputs *in,
                  char **files, int nfiles, struct sv_cube **out);

/* Writes T in format F to PATH (stdout for NULL), atomically; status. */
int cli_write_table(const struct sv_table *t, enum sv_format f,
                    const char *path);

/*
 * The options of the tools that print a metrics table (survey-score,
 * survey-nps, survey-complaints): --by, --period, --compare, --trend,
 * --format, -o, the output options, --help and --version.
 */
struct cli_table_opts {
    struct cli_keys keys;
    const char *output;
    enum sv_format format;
    enum sv_header header; /* --lang */
    int compare, trend;
};

/* Parses --lang ARG (en or zh) into *H; 0, or 2 (message printed). */
int cli_lang_parse(const char *arg, enum sv_header *h);

/* Writes T as O says (format, --lang, -o), atomically; an exit status. */
int cli_table_write(const struct sv_table *t, const struct cli_table_opts *o);

/*
 * Writes the table of DATA (a cube, a register ...) under the tool's
 * options OPTS onto OUT as it is made (sv_score_write() ...).
 */
typedef enum sv_status (*cli_write_fn)(const void *opts, const void *data,
                                       const struct sv_table_output *out,
                                       struct sv_error *err);

/*
 * Opens the output O names, lets WRITE(OPTS, DATA) write the table onto
 * it as it is made (a table of many groups is never held whole) and
 * commits it only on success; an exit status.
 */
int cli_table_stream(const struct cli_table_opts *o, cli_write_fn write,
                     const void *opts, const void *data);

/*
 * 0 when format F may go to OUTPUT: a workbook needs -o or a stdout that
 * is no terminal, and no --bom or --output-encoding; else 2 (message).
 */
int cli_format_check(enum sv_format f, const char *output);

/* The grouping options of the metric tools (CLI_OPT_BY, _PERIOD). */
#define CLI_OPTS_KEYS                                                        \
    {CLI_OPT_BY, "by", "KEYS",                                               \
     "group keys: site, period, month, quarter, half,\n"                     \
     "year or a group label (comma-separated)"},                             \
    {CLI_OPT_PERIOD, "period", "P", "month, quarter (default), half or year"}
/* The output options of the metric tools (CLI_OPT_FORMAT, -o, -q). */
#define CLI_OPTS_TABLE_OUTPUT                                                \
    {CLI_OPT_FORMAT, "format", "F",                                          \
     "csv (default), tsv, json, table or xlsx (a\n"                          \
     "workbook: needs -o or a redirected stdout)"},                          \
    {CLI_OPT_LANG, "lang", "L", "column headers: en (default) or zh"},       \
    CLI_OPTS_OUTPUT,                                                         \
    {'q', "quiet", NULL, "no progress line on a terminal"},                  \
    {'o', "output", "FILE", "write to FILE (atomically)"}

/*
 * cli_parse() for the metric tools: the table options (--by, --period,
 * --compare, --trend, --format, -o, the output options) into T, every
 * other option through OWN(CTX, ...).  With --trend or --compare the
 * period key is added.  Returns 0 or 2.
 */
int cli_table_parse(int argc, char **argv, const struct cli_tool *tool,
                    struct cli_table_opts *t, cli_option_fn own, void *ctx);

#endif
