/*
 * cli.c — the only place that prints messages or decides exit codes.
 */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char *prog = "survey";

/* Outputs being written (the result and rejects), for the signal handler. */
static struct out_slot {
    struct sv_outfile f;
    char path[4096];
    FILE *fp;
    volatile sig_atomic_t live;
} outs[2];

static void on_signal(int sig)
{
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++)
        if (outs[i].live)
            sv_outfile_abort(&outs[i].f);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Bytes of stdout's buffer and of a pipe between two tools. */
#define PIPE_CHUNK (1 << 20)

/*
 * A stream piped from one tool to the next goes in 1 MiB writes instead of
 * stdio's 4 KiB (its buffer for a pipe), through a pipe of 1 MiB where the
 * system allows it (Linux: F_SETPIPE_SZ, up to pipe-max-size, which is
 * 1 MiB by default): 256 times fewer writes and far fewer wake-ups of the
 * reader (bench/notes.md: the system time of import | score).
 */
static void widen_pipes(void)
{
    struct stat st;

    if (fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode)) {
        setvbuf(stdout, NULL, _IOFBF, PIPE_CHUNK);
#ifdef F_SETPIPE_SZ
        (void)fcntl(STDOUT_FILENO, F_SETPIPE_SZ, PIPE_CHUNK);
#endif
    }
#ifdef F_SETPIPE_SZ
    if (fstat(STDIN_FILENO, &st) == 0 && S_ISFIFO(st.st_mode))
        (void)fcntl(STDIN_FILENO, F_SETPIPE_SZ, PIPE_CHUNK);
#endif
}

void cli_init(const char *argv0)
{
    const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

    prog = slash ? slash + 1 : argv0 ? argv0 : prog;
    opterr = 0; /* getopt would print argv[0], a path; cli_option_error does */
    gsl_set_error_handler_off();
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    signal(SIGPIPE, on_signal);
    widen_pipes();
}

const char *cli_name(void)
{
    return prog;
}

static void one_line(const char *s, char *out, size_t cap);

/*
 * Prints "prog: " and the message FMT, AP on one line with control
 * characters escaped (one_line), whatever they came from: a file name, an
 * option's argument or a cell.
 */
static void print_msg(const char *fmt, va_list ap)
{
    char raw[8192], safe[4 * sizeof raw];

    if (vsnprintf(raw, sizeof raw, fmt, ap) < 0)
        raw[0] = '\0';
    one_line(raw, safe, sizeof safe);
    fflush(stdout);
    fprintf(stderr, "%s: %s\n", prog, safe);
}

void cli_msg(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    print_msg(fmt, ap);
    va_end(ap);
}

/*
 * Copies S to OUT so that every message stays on one line and a terminal
 * shows it as it is: newlines become spaces, other control characters
 * (C0, DEL, and C1 such as U+009B, the one-byte CSI) are written as \xNN,
 * so that a cell holding ESC]52;... or ESC[2J cannot drive the terminal.
 */
static void one_line(const char *s, char *out, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    for (; *u && i + 1 < cap; u++) {
        unsigned c = *u;
        if (c == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F)
            c = *++u; /* a C1 control in UTF-8 */
        else if (c == '\n' || c == '\r') {
            out[i++] = ' ';
            continue;
        } else if (c >= 0x20 && c != 0x7F) {
            out[i++] = (char)c;
            continue;
        }
        if (i + 5 >= cap)
            break;
        out[i++] = '\\';
        out[i++] = 'x';
        out[i++] = hex[c >> 4];
        out[i++] = hex[c & 15];
    }
    out[i] = '\0';
}

/* The library's hints, in the tools' words (options and programs). */
static const char *const hint_text[] = {
    [SV_HINT_NONE] = "",
    [SV_HINT_ENCODING] = " (try --encoding gb18030)",
    [SV_HINT_UNKNOWN_COLUMN] = " (add it, e.g. as role ignore, or use "
                               "--ignore-unknown)",
    [SV_HINT_RAW_QUESTIONNAIRE] = " (a raw questionnaire needs -c CODEBOOK)",
    [SV_HINT_RAW_REGISTER] = " (a raw register needs survey-import -c "
                             "CODEBOOK first)",
    [SV_HINT_REGISTER] = ": use survey-complaints",
    [SV_HINT_QUESTIONNAIRE] = ": use survey-score or survey-nps",
    [SV_HINT_ONE_GROUP] = ": choose one group with --site or --period-key",
    [SV_HINT_NO_SITE_KEY] = "",
    [SV_HINT_PERIOD_COARSE] = "",
};

/* Why a tool reads more than --by names, per hint (cli_hint_reason). */
static const char *hint_reason[SV_HINT_PERIOD_COARSE + 1];

void cli_hint_reason(enum sv_hint hint, const char *reason)
{
    if ((size_t)hint < sizeof hint_reason / sizeof *hint_reason)
        hint_reason[hint] = reason;
}

void cli_error_text(const struct sv_error *err, char *buf, size_t cap)
{
    char msg[SV_ERR_MSG_MAX], where[SV_ERR_FILE_MAX + 32] = "";
    char col[SV_ERR_COLUMN_MAX + 16] = "";
    const char *hint = "";

    /* a failed call fills its error record (survey.h): anything else is
     * a bug in the library */
    assert(err->code != SV_OK && err->msg[0]);
    if ((size_t)err->hint < sizeof hint_text / sizeof *hint_text)
        hint = hint_text[err->hint];
    if ((size_t)err->hint < sizeof hint_reason / sizeof *hint_reason &&
        hint_reason[err->hint])
        hint = hint_reason[err->hint];

    one_line(err->msg, msg, sizeof msg);
    if (err->file[0] && err->line)
        snprintf(where, sizeof where, "%s:%lu: ", err->file, err->line);
    else if (err->file[0])
        snprintf(where, sizeof where, "%s: ", err->file);
    if (err->column[0]) {
        char c[SV_ERR_COLUMN_MAX];
        one_line(err->column, c, sizeof c);
        snprintf(col, sizeof col, "column %s: ", c);
    }
    snprintf(buf, cap, "%s%s%s%s", where, col,
             msg[0] ? msg : sv_strerror(err->code), hint);
}

int cli_error(const struct sv_error *err)
{
    char text[SV_ERR_FILE_MAX + SV_ERR_COLUMN_MAX + SV_ERR_MSG_MAX + 128];

    cli_error_text(err, text, sizeof text);
    cli_msg("%s", text);
    return err->code == SV_ERR_USAGE ? CLI_USAGE : CLI_DATA;
}

int cli_usage(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    print_msg(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try '%s --help' for more information.\n", prog);
    return CLI_USAGE;
}

void cli_version(void)
{
    printf("%s (survey toolkit) %s\n", prog, SV_VERSION);
}

static FILE *output_open(const char *path)
{
    struct out_slot *o = outs[0].live ? &outs[1] : &outs[0];
    struct sv_error err = {0};

    if (!path || strcmp(path, "-") == 0)
        return stdout;
    if (o->live || snprintf(o->path, sizeof o->path, "%s", path) >=
                       (int)sizeof o->path) {
        cli_msg("%s: file name too long", path);
        return NULL;
    }
    if (sv_outfile_open(&o->f, path, &err) != SV_OK) {
        cli_error(&err);
        return NULL;
    }
    o->live = 1;
    if (!(o->fp = fdopen(o->f.fd, "w"))) {
        cli_msg("%s: %s", path, strerror(errno));
        close(o->f.fd);
        sv_outfile_abort(&o->f);
        o->live = 0;
    }
    return o->fp;
}

FILE *cli_output_open(const char *path)
{
    return cli_output_wrap(output_open(path));
}

FILE *cli_output_open_plain(const char *path)
{
    return output_open(path);
}

/* Flushes and closes FP (an output slot's, or stdout); 1 on failure. */
static int output_close(FILE *fp, struct out_slot **slot, int ok)
{
    struct out_slot *o = NULL;
    int bad = 0;

    fp = cli_output_unwrap(fp, &bad);
    *slot = NULL;
    if (fp == stdout)
        return bad;
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++)
        if (outs[i].live && outs[i].fp == fp)
            o = &outs[i];
    if (!o)
        return 1; /* not one of ours: a programming error */
    *slot = o;
    errno = 0;
    bad |= ferror(fp) | (fflush(fp) != 0);
    bad |= !o->f.direct && fsync(fileno(fp)) != 0 && errno != EINVAL;
    bad |= fclose(fp) != 0;
    o->fp = NULL;
    if (bad && ok)
        cli_msg("%s: write error: %s", o->path,
                strerror(errno ? errno : EIO));
    return bad;
}

int cli_outputs_commit(FILE **fps, size_t n, int ok)
{
    struct out_slot *slot[2] = {NULL, NULL};
    struct sv_error err = {0};
    int bad = 0;

    for (size_t i = 0; i < n && i < 2; i++)
        if (fps[i])
            bad |= output_close(fps[i], &slot[i], ok && !bad);
    /* every output can be renamed into place before any is */
    for (size_t i = 0; i < n && i < 2 && ok && !bad; i++)
        if (slot[i] && sv_outfile_check(&slot[i]->f, slot[i]->path, &err))
            bad = cli_error(&err) != 0;
    for (size_t i = 0; i < n && i < 2; i++) {
        if (!slot[i])
            continue;
        if (ok && !bad && sv_outfile_commit(&slot[i]->f, slot[i]->path,
                                            &err) != SV_OK)
            bad = cli_error(&err) != 0;
        sv_outfile_abort(&slot[i]->f);
        slot[i]->live = 0;
    }
    return bad;
}

int cli_output_commit(FILE *fp, int ok)
{
    return cli_outputs_commit(&fp, 1, ok);
}

/* Files named by options (-c, --households, ...): inputs all the same. */
static const char *opt_inputs[8];
static size_t n_opt_inputs;

void cli_note_input(const char *path)
{
    if (n_opt_inputs < sizeof opt_inputs / sizeof *opt_inputs)
        opt_inputs[n_opt_inputs++] = path;
}

int cli_outputs_distinct(const char *const *outputs, const char *const *what,
                         size_t nout, char *const *inputs, int nin)
{
    for (size_t i = 0; i < nout; i++) {
        if (!outputs[i])
            continue;
        if (!*outputs[i])
            return cli_usage("empty file name for %s", what[i]);
        for (size_t k = 0; k < n_opt_inputs; k++)
            if (sv_same_file(outputs[i], opt_inputs[k]))
                return cli_usage("'%s' is both an input and the %s output",
                                 opt_inputs[k], what[i]);
        for (int k = 0; k < nin; k++)
            if (sv_same_file(outputs[i], inputs[k]))
                return cli_usage("'%s' is both an input and the %s output",
                                 inputs[k], what[i]);
        for (size_t j = 0; j < i; j++)
            if (outputs[j] && sv_same_file(outputs[i], outputs[j]))
                return cli_usage("'%s' is both the %s and the %s output",
                                 outputs[i], what[j], what[i]);
    }
    return 0;
}

int cli_finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            cli_msg("write error: %s", strerror(errno));
        return CLI_DATA;
    }
    return status;
}

int cli_parse_delimiter(const char *s)
{
    if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
        return '\t';
    if (strlen(s) == 1 && (s[0] == ',' || s[0] == ';' || s[0] == '\t' ||
                           s[0] == '|'))
        return s[0];
    return 0;
}

static void keys_add(struct cli_keys *k, const char *name)
{
    for (size_t i = 0; i < k->ndims; i++)
        if (strcmp(k->dims[i], name) == 0)
            return;
    if (k->ndims < sizeof k->dims / sizeof k->dims[0])
        k->dims[k->ndims++] = name;
}

int cli_keys_parse_by(struct cli_keys *k, const char *s)
{
    char *p, *tok;
    enum sv_period per;

    free(k->owned);
    k->ndims = 0;
    if (!(k->owned = strdup(s)))
        return CLI_DATA;
    for (p = k->owned; p; p = tok) {
        const char *name = p;
        tok = strchr(p, ',');
        if (tok)
            *tok++ = '\0';
        if (!*p)
            return cli_usage("empty key in --by '%s'", s);
        if (k->ndims == sizeof k->dims / sizeof k->dims[0])
            return cli_usage("too many keys in --by (limit 16)");
        if (sv_period_parse_kind(p, &per) == SV_OK) {
            k->period = per;
            name = "period";
        }
        for (size_t i = 0; i < k->ndims; i++)
            if (strcmp(k->dims[i], name) == 0)
                return cli_usage("key '%s' given twice in --by", name);
        keys_add(k, name);
    }
    return 0;
}

int cli_keys_parse_period(struct cli_keys *k, const char *s)
{
    if (sv_period_parse_kind(s, &k->period) != SV_OK)
        return cli_usage("invalid period '%s' (expected month, quarter, "
                         "half or year)", s);
    keys_add(k, "period");
    return 0;
}

void cli_keys_need_period(struct cli_keys *k)
{
    keys_add(k, "period");
}

int cli_keys_has(const struct cli_keys *k, const char *key)
{
    for (size_t i = 0; i < k->ndims; i++)
        if (strcmp(k->dims[i], key) == 0)
            return 1;
    return 0;
}

int cli_keys_require(const struct cli_keys *k, const char *key,
                     const char *option)
{
    if (cli_keys_has(k, key))
        return 0;
    cli_msg("%s needs '%s' among the keys", option, key);
    return CLI_USAGE;
}

void cli_keys_release(struct cli_keys *k)
{
    free(k->owned);
    k->owned = NULL;
}

int cli_inputs_option(struct cli_inputs *in, int c, const char *arg)
{
    switch (c) {
    case 'c':
        in->codebook = arg;
        cli_note_input(arg);
        return 0;
    case CLI_OPT_ENCODING:
        if (sv_encoding_parse(arg, &in->src.csv.encoding) != SV_OK)
            return cli_usage("invalid encoding '%s' (expected auto, utf-8 "
                             "or gb18030)", arg);
        return 0;
    case CLI_OPT_DELIMITER:
        if (!(in->src.csv.delimiter = cli_parse_delimiter(arg)))
            return cli_usage("invalid delimiter '%s' (expected , ; | or "
                             "tab)", arg);
        return 0;
    case CLI_OPT_UNKNOWN:
        in->flags |= SV_IMPORT_IGNORE_UNKNOWN;
        return 0;
    case CLI_OPT_SHEET:
        in->src.sheet = arg;
        return 0;
    case 'q':
    case CLI_OPT_BOM:
    case CLI_OPT_OUTPUT_ENCODING:
        return cli_io_option(c, arg);
    default:
        return -1;
    }
}

int cli_option_error(int c, char *const *argv)
{
    const char *arg = argv && optind > 0 ? argv[optind - 1] : NULL;

    if (c == ':' && arg)
        return cli_usage("option '%s' needs an argument", arg);
    if (c == ':')
        return cli_usage("option '-%c' needs an argument", optopt);
    if (optopt && optopt < 128 && !(arg && arg[0] == '-' && arg[1] == '-'))
        return cli_usage("invalid option '-%c'", optopt);
    if (arg)
        return cli_usage("unrecognized option '%s'", arg);
    return cli_usage("invalid option");
}

static int read_one(struct sv_cube *cube, const struct cli_inputs *in,
                    const struct sv_codebook *cb, const char *path)
{
    struct sv_error err = {0};
    struct sv_csv *csv;
    struct sv_source *src;
    int status = 0;

    if (cb && in->jobs > 1)
        return sv_cube_read_file(cube, path, &in->src, cb, in->flags, in->jobs,
                                 &err) != SV_OK ? cli_error(&err) : 0;
    if (cb) {
        if (!(src = cli_source_open(path, &in->src, &err)))
            return cli_error(&err);
        if (sv_cube_read_raw(cube, src, cb, in->flags, &err) != SV_OK)
            status = cli_error(&err);
        cli_source_free(src);
        return status;
    }
    if (!(csv = cli_csv_open(path, &in->src.csv, &err)))
        return cli_error(&err);
    if (sv_cube_read(cube, csv, NULL, in->flags, &err) != SV_OK)
        status = cli_error(&err);
    cli_csv_free(csv);
    return status;
}

void cli_error_cb(void *ctx, const struct sv_error *e)
{
    (void)ctx;
    cli_error(e);
}

void cli_warning_cb(void *ctx, const struct sv_error *e)
{
    char msg[SV_ERR_MSG_MAX], col[SV_ERR_COLUMN_MAX];
    char where[SV_ERR_FILE_MAX + 24];

    (void)ctx;
    if (e->line)
        snprintf(where, sizeof where, "%s:%lu", e->file, e->line);
    else
        snprintf(where, sizeof where, "%s", e->file);
    one_line(e->msg, msg, sizeof msg);
    one_line(e->column, col, sizeof col);
    cli_msg("%s: warning: %s%s%s%s", where, *col ? "column " : "", col,
            *col ? ": " : "", msg);
}

struct sv_codebook *cli_codebook_load(const struct cli_inputs *in,
                                      struct sv_error *err)
{
    /*
     * A codebook is saved apart from the data (a UTF-8 codebook beside a
     * GBK export is common), so its encoding is detected on its own:
     * --encoding gb18030 for the data must not garble a UTF-8 codebook.
     */
    struct sv_codebook_options o = {.encoding = SV_ENC_AUTO,
                                    .on_error = cli_error_cb};

    return sv_codebook_open(in->codebook, &o, err);
}

int cli_read_cube(const struct cli_keys *k, const struct cli_inputs *in,
                  char **files, int nfiles, struct sv_cube **out)
{
    struct sv_error err = {0};
    struct sv_codebook *cb = NULL;
    struct sv_cube *cube;
    int status = 0;

    *out = NULL;
    if (in->codebook && !(cb = cli_codebook_load(in, &err)))
        return cli_error(&err);
    cube = sv_cube_new(k->dims, k->ndims, k->period, &err);
    if (!cube)
        status = cli_error(&err);
    else
        sv_cube_set_error_cb(cube, cli_error_cb, NULL);
    for (int i = 0; i < nfiles && !status; i++)
        status = read_one(cube, in, cb, files[i]);
    if (!status && nfiles == 0)
        status = read_one(cube, in, cb, "-");
    if (!status && sv_cube_finish(cube, &err) != SV_OK)
        status = cli_error(&err);
    sv_codebook_free(cb);
    if (status)
        sv_cube_free(cube);
    else
        *out = cube;
    return status;
}

/* Writes T in format F with header H to PATH, atomically; status. */
static int write_table_as(const struct sv_table *t, enum sv_format f,
                          enum sv_header h, const char *path)
{
    struct sv_error err = {0};
    FILE *fp = f == SV_FORMAT_XLSX ? cli_output_open_plain(path)
                                   : cli_output_open(path);
    int status = 0;

    if (!fp)
        return CLI_DATA;
    if (sv_table_write_as(t, f, h, fp, &err) != SV_OK)
        status = cli_error(&err);
    if (cli_output_commit(fp, status == 0))
        status = CLI_DATA;
    return status;
}

int cli_write_table(const struct sv_table *t, enum sv_format f,
                    const char *path)
{
    return write_table_as(t, f, SV_HEADER_EN, path);
}

int cli_table_write(const struct sv_table *t, const struct cli_table_opts *o)
{
    return write_table_as(t, o->format, o->header, o->output);
}

int cli_table_stream(const struct cli_table_opts *o, cli_write_fn write,
                     const void *opts, const void *data)
{
    struct sv_error err = {0};
    FILE *fp = o->format == SV_FORMAT_XLSX ? cli_output_open_plain(o->output)
                                           : cli_output_open(o->output);
    struct sv_table_output out = {o->format, o->header, fp};
    int status = 0;

    if (!fp)
        return CLI_DATA;
    if (write(opts, data, &out, &err) != SV_OK)
        status = cli_error(&err);
    if (cli_output_commit(fp, status == 0))
        status = status ? status : CLI_DATA;
    return status;
}

int cli_lang_parse(const char *arg, enum sv_header *h)
{
    if (strcmp(arg, "en") && strcmp(arg, "zh"))
        return cli_usage("invalid --lang '%s' (expected en or zh)", arg);
    *h = strcmp(arg, "zh") == 0 ? SV_HEADER_ZH : SV_HEADER_EN;
    return 0;
}

int cli_format_check(enum sv_format f, const char *output)
{
    if (f != SV_FORMAT_XLSX)
        return 0;
    if ((!output || strcmp(output, "-") == 0) && isatty(STDOUT_FILENO))
        return cli_usage("--format xlsx writes a workbook: give -o FILE or "
                         "redirect stdout");
    if (cli_output_encoded())
        return cli_usage("--bom and --output-encoding are for text output, "
                         "not a workbook");
    return 0;
}

/* Handles C when it is a table option: 0 or 2; -1 when it is not one. */
/* ---- the option table: help and parsing ------------------------------ */

static int has_letter(const struct cli_opt *o)
{
    return o->id > 0 && o->id < 128 && isalpha(o->id);
}

/*
 * The defaults and limits help texts show, by the name they are written
 * with ("(default {target})"): each is the library's named constant.
 */
static const struct {
    const char *name;
    double value;
} help_values[] = {
    {"alpha", SV_ALPHA},
    {"target", SV_TARGET_DEFAULT},
    {"coverage", SV_COVERAGE_TARGET_DEFAULT},
    {"small_n", SV_SMALL_N},
    {"window", SV_REPEAT_WINDOW_DAYS_DEFAULT},
    {"deadline", SV_DEADLINE_HOURS_DEFAULT},
    {"urgent", SV_DEADLINE_URGENT_HOURS_DEFAULT},
};

/* Prints the value named at H ("{name}"); returns the closing brace. */
static const char *help_value(const char *h)
{
    const char *end = strchr(h, '}');

    for (size_t i = 0; end && i < sizeof help_values / sizeof *help_values;
         i++)
        if (strlen(help_values[i].name) == (size_t)(end - h - 1) &&
            strncmp(h + 1, help_values[i].name, (size_t)(end - h - 1)) == 0) {
            printf("%g", help_values[i].value);
            return end;
        }
    putchar(*h); /* not a name: printed as written (tests look for it) */
    return h;
}

/* One option's help: "  -c, --codebook FILE    text", aligned at 25. */
static void help_line(const struct cli_opt *o)
{
    int w = has_letter(o) ? printf("  -%c, --%s", o->id, o->name)
                          : printf("      --%s", o->name);

    if (o->arg)
        w += printf(" %s", o->arg);
    printf("%*s", w < 23 ? 25 - w : 2, "");
    for (const char *h = o->help; *h; h++) {
        if (*h == '\n')
            printf("\n%25s", "");
        else if (*h == '{')
            h = help_value(h);
        else
            putchar(*h);
    }
    putchar('\n');
}

void cli_help(const struct cli_tool *tool)
{
    fputs(tool->head, stdout);
    putchar('\n');
    for (const struct cli_opt *o = tool->opts; o->id; o++)
        help_line(o);
    printf("\n%s:\n  ", strchr(tool->example, '\n') ? "Examples" : "Example");
    for (const char *e = tool->example; *e; e++)
        if (*e == '\n')
            fputs("\n  ", stdout);
        else
            putchar(*e);
    fputs("\n\n", stdout);
    fputs("Exit status: 0 success, 1 bad data or I/O error, 2 usage error.\n",
          stdout);
    exit(cli_finish(0));
}

/* getopt's tables from TOOL's options (at most CLI_MAX_OPTS of them). */
enum { CLI_MAX_OPTS = 48 };

static void getopt_tables(const struct cli_tool *tool, struct option *lo,
                          char *so, size_t socap)
{
    size_t n = 0, k = 0;

    so[k++] = ':';
    for (const struct cli_opt *o = tool->opts; o->id && n < CLI_MAX_OPTS;
         o++, n++) {
        lo[n] = (struct option){o->name, o->arg ? required_argument
                                                : no_argument, NULL, o->id};
        if (has_letter(o) && k + 3 < socap) {
            so[k++] = (char)o->id;
            if (o->arg)
                so[k++] = ':';
        }
    }
    lo[n] = (struct option){NULL, 0, NULL, 0};
    so[k] = '\0';
}

int cli_parse(int argc, char **argv, const struct cli_tool *tool,
              cli_option_fn fn, void *ctx)
{
    struct option lo[CLI_MAX_OPTS + 1];
    char so[2 * CLI_MAX_OPTS + 2];
    int c, st;

    getopt_tables(tool, lo, so, sizeof so);
    while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
        if (c == ':' || c == '?')
            return cli_option_error(c, argv);
        if (c == 'h')
            cli_help(tool);
        if (c == CLI_OPT_VERSION) {
            cli_version();
            exit(cli_finish(0));
        }
        if ((st = fn(ctx, c, optarg)) < 0)
            return cli_option_error(c, argv);
        if (st)
            return st;
    }
    return 0;
}

static int table_option(struct cli_table_opts *t, int c, const char *arg)
{
    switch (c) {
    case CLI_OPT_BY: return cli_keys_parse_by(&t->keys, arg);
    case CLI_OPT_PERIOD: return cli_keys_parse_period(&t->keys, arg);
    case CLI_OPT_COMPARE: t->compare = 1; return 0;
    case CLI_OPT_TREND: t->trend = 1; return 0;
    case CLI_OPT_FORMAT:
        if (sv_format_parse(arg, &t->format) != SV_OK)
            return cli_usage("invalid format '%s' (expected csv, tsv, json, "
                             "table or xlsx)", arg);
        return 0;
    case CLI_OPT_LANG: return cli_lang_parse(arg, &t->header);
    case 'o': t->output = arg; return 0;
    case 'q':
    case CLI_OPT_BOM:
    case CLI_OPT_OUTPUT_ENCODING: return cli_io_option(c, arg);
    default: return -1;
    }
}

/* The metric tools' handler: the table options first, then the tool's. */
struct table_ctx {
    struct cli_table_opts *t;
    cli_option_fn own;
    void *ctx;
};

static int table_or_own(void *p, int c, const char *arg)
{
    struct table_ctx *x = p;
    int st = table_option(x->t, c, arg);

    return st < 0 ? x->own(x->ctx, c, arg) : st;
}

int cli_table_parse(int argc, char **argv, const struct cli_tool *tool,
                    struct cli_table_opts *t, cli_option_fn own, void *ctx)
{
    struct table_ctx x = {t, own, ctx};
    int st = cli_parse(argc, argv, tool, table_or_own, &x);

    if (st)
        return st;
    if (t->trend || t->compare)
        cli_keys_need_period(&t->keys);
    if ((st = cli_format_check(t->format, t->output)))
        return st;
    return cli_outputs_distinct(&t->output, (const char *const[]){"-o"}, 1,
                                argv + optind, argc - optind);
}
