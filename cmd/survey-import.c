/*
 * survey-import — validates raw questionnaires or a complaint register
 * against a codebook and writes the normalised stream.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "rejects.h"

enum { OPT_REJECTS = 256, OPT_REDACT, OPT_TEMPLATE };

static const struct cli_opt opts[] = {
    {'c', "codebook", "FILE",
     "codebook CSV (column,role,scale,label); required"},
    {'o', "output", "FILE", "write the stream to FILE (atomically)"},
    {OPT_REJECTS, "rejects", "FILE",
     "write bad rows there (with the reason) and go on"},
    {OPT_REDACT, "rejects-redact", NULL,
     "blank the pii columns in the rejects file and\n"
     "mask phone, ID and e-mail numbers in its cells"},
    CLI_OPTS_INPUT,
    {OPT_TEMPLATE, "template", "FILE",
     "write a codebook skeleton for raw FILE and exit"},
    CLI_OPTS_OUTPUT,
    {CLI_OPT_LANG, "lang", "L", "rejects header: en (default) or zh"},
    {'q', "quiet", NULL, "no summary line, no progress line"},
    CLI_OPTS_END};

static const struct cli_tool tool = {
    "Usage: survey-import -c CODEBOOK [OPTION]... [FILE]...\n"
    "Validate raw questionnaire (or complaint-register) CSV files against a\n"
    "codebook and write the normalised stream; with no FILE, or -, read stdin.\n",
    opts,
    "survey-import -c codebook-6item.csv cuihu-2026Q3.csv > q3.stream.csv"};

struct options {
    struct cli_inputs in;
    const char *output, *rejects, *template_of;
    int redact, quiet;
    int rejects_xlsx;      /* --rejects FILE.xlsx: a workbook */
    enum sv_header header; /* --lang */
};

struct run {
    const struct options *opt;
    struct sv_import *imp;
    FILE *out, *rej;
    FILE *rej_csv; /* the rejects as CSV until the workbook is made */
    struct rejects *rejects; /* with --rejects: the rows, until the end */
    uint64_t read, imported, rejected;
    char failure[SV_ERR_FILE_MAX + SV_ERR_COLUMN_MAX + SV_ERR_MSG_MAX + 64];
};

static int import_option(void *ctx, int c, const char *arg)
{
    struct options *o = ctx;

    switch (c) {
    case 'o': o->output = arg; return 0;
    case 'q': o->quiet = 1; cli_set_quiet(1); return 0;
    case OPT_TEMPLATE:
        o->template_of = arg;
        cli_note_input(arg);
        return 0;
    case CLI_OPT_BOM:
    case CLI_OPT_OUTPUT_ENCODING: return cli_io_option(c, arg);
    case OPT_REJECTS:
        o->rejects = arg;
        o->rejects_xlsx = strlen(arg) > 5
                          && strcasecmp(arg + strlen(arg) - 5, ".xlsx") == 0;
        return 0;
    case CLI_OPT_LANG: return cli_lang_parse(arg, &o->header);
    case OPT_REDACT: o->redact = 1; return 0;
    default: return cli_inputs_option(&o->in, c, arg);
    }
}

/* Reports ERR and keeps its text for the failure mark of the stream. */
static int fail(struct run *r, const struct sv_error *err)
{
    cli_error_text(err, r->failure, sizeof r->failure);
    return cli_error(err);
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int st = cli_parse(argc, argv, &tool, import_option, o);

    if (!st && !o->in.codebook && !o->template_of)
        return cli_usage("missing -c CODEBOOK");
    return st;
}

/* Imports the rows of one open input; returns an exit status. */
static int import_rows(struct run *r, struct sv_source *src)
{
    struct sv_error err = {0};
    struct sv_record rec;
    size_t nf;

    if (sv_import_header(r->imp, src, &err) != SV_OK)
        return fail(r, &err);
    if (r->rejects && rejects_header(r->rejects, src, r->imp))
        return CLI_DATA;
    for (;;) {
        if (sv_source_next(src, &nf, &err) != SV_OK) {
            r->read++;
            r->rejected++;
            if (!r->rejects || !sv_source_resumable(src))
                return fail(r, &err);
            if (rejects_row(r->rejects, src, r->imp, &err))
                return CLI_DATA;
            continue;
        }
        if (nf == 0)
            return 0;
        r->read++;
        if (sv_import_row(r->imp, src, &rec, &err) == SV_OK) {
            sv_stream_write_record(r->imp, &rec, r->out);
            r->imported++;
            continue;
        }
        r->rejected++;
        if (!r->rejects)
            return fail(r, &err);
        if (rejects_row(r->rejects, src, r->imp, &err))
            return CLI_DATA;
    }
}

static int import_file(struct run *r, const char *path)
{
    struct sv_error err = {0};
    struct sv_source *src = cli_source_open(path, &r->opt->in.src, &err);
    int status;

    if (!src)
        return fail(r, &err);
    status = import_rows(r, src);
    cli_source_free(src);
    return status;
}

static int run_all(struct run *r, char **files, int nfiles)
{
    int status = 0;

    sv_stream_write_header(r->imp, r->out);
    for (int i = 0; i < nfiles && !status; i++)
        status = import_file(r, files[i]);
    if (!nfiles)
        status = import_file(r, "-");
    if (status) /* the readers of the stream fail too (README) */
        sv_stream_write_failure(r->imp, r->failure[0] ? r->failure
                                                      : "an error", r->out);
    if (!status && r->rejects)
        status = rejects_write(r->rejects, r->rej);
    if (!r->opt->quiet || status || r->rejected)
        cli_msg("%" PRIu64 " rows read, %" PRIu64 " imported, %" PRIu64
                " rejected", r->read, r->imported, r->rejected);
    return status;
}

/* Neither output may be an input or the other output. */
static int check_outputs(const struct options *o, char **files, int nfiles)
{
    const char *outs[] = {o->output, o->rejects};
    static const char *const what[] = {"-o", "--rejects"};

    return cli_outputs_distinct(outs, what, 2, files, nfiles);
}

/* --template: a codebook skeleton guessed from the first 1000 rows. */
static int write_template(const struct options *o)
{
    struct sv_error err = {0};
    struct sv_source *src =
        sv_source_open(o->template_of, NULL, &o->in.src, &err);
    struct sv_table *t;
    int status;

    if (!src)
        return cli_error(&err);
    t = sv_template_guess_with(src, 1000, cli_warning_cb, NULL, &err);
    status = t ? cli_write_table(t, SV_FORMAT_CSV, o->output)
               : cli_error(&err);
    sv_table_free(t);
    sv_source_free(src);
    return status;
}

/* Columns of the rejects workbook: the header of CSV, NF of them. */
static enum sv_status rejects_columns(struct sv_table *t, struct sv_csv *csv,
                                      size_t nf)
{
    static const char *const zh[] = {"文件", "行", "原因"};
    enum sv_status st = SV_OK;

    for (size_t i = 0; i < nf && !st; i++) {
        const char *name = sv_csv_field(csv, i);
        /* a raw column keeps its own name under --lang zh */
        struct sv_colspec c = {name, i < 3 ? zh[i] : name,
                               i == 1 ? SV_TYPE_COUNT : SV_TYPE_TEXT, 0};
        st = sv_table_add_col(t, &c);
    }
    return st;
}

/* A workbook cell holds at most this many characters (Excel's limit). */
#define CELL_CHARS 32767

/*
 * Sets cell I of T's last row to S, cut to CELL_CHARS characters ending in
 * "…" when longer (a field over 1 MiB is kept whole in a CSV rejects file
 * only); *CUT counts the cells cut.
 */
static enum sv_status rejects_cell(struct sv_table *t, size_t i,
                                   const char *s, size_t *cut)
{
    size_t chars = 0, b = 0, keep = 0;
    enum sv_status st;
    char *c;

    for (; s[b]; b++)
        if (((unsigned char)s[b] & 0xC0) != 0x80 && ++chars == CELL_CHARS)
            keep = b; /* the last character's first byte */
    if (chars <= CELL_CHARS)
        return sv_table_set(t, i, s);
    if (!(c = malloc(keep + 4)))
        return SV_ERR_NOMEM;
    memcpy(c, s, keep);
    memcpy(c + keep, "\xe2\x80\xa6", 4);
    st = sv_table_set(t, i, c);
    free(c);
    (*cut)++;
    return st;
}

/* The rejects CSV in FP as a table; NULL (message printed) on failure. */
static struct sv_table *rejects_table(FILE *fp)
{
    struct sv_csv_options co = {.max_field = 16u << 20};
    struct sv_table *t = sv_table_new();
    struct sv_csv *csv = NULL;
    struct sv_error err = {0};
    enum sv_status st = t ? SV_OK : SV_ERR_NOMEM;
    size_t nf, width = 0, cut = 0;

    /* the widest record first: a row may hold more cells than the header */
    for (int pass = 0; pass < 2 && !st; pass++) {
        rewind(fp);
        sv_csv_free(csv);
        if (!(csv = sv_csv_open_stream(fp, "rejects", &co, &err)))
            st = err.code;
        for (size_t row = 0; !st && !(st = sv_csv_next(csv, &nf, &err)) && nf;
             row++) {
            if (!pass) {
                width = nf > width ? nf : width;
                continue;
            }
            if (!row) {
                st = rejects_columns(t, csv, width);
                continue;
            }
            st = sv_table_add_row(t);
            for (size_t i = 0; i < nf && !st; i++)
                st = rejects_cell(t, i, sv_csv_field(csv, i), &cut);
        }
    }
    sv_csv_free(csv);
    if (st == SV_OK && cut)
        cli_msg("warning: %zu cells of the rejects workbook cut to %d "
                "characters (a workbook cell holds no more; a .csv rejects "
                "file keeps them whole)", cut, CELL_CHARS);
    if (st == SV_OK)
        return t;
    if (err.code)
        cli_error(&err);
    else
        cli_msg("out of memory");
    sv_table_free(t);
    return NULL;
}

/* Writes the rejects gathered in R's CSV as a workbook; 0 or 1. */
static int rejects_workbook(struct run *r)
{
    struct sv_table *t = rejects_table(r->rej_csv);
    struct sv_error err = {0};
    int status = 0;

    if (!t)
        return CLI_DATA;
    if (sv_table_write_as(t, SV_FORMAT_XLSX, r->opt->header, r->rej,
                          &err) != SV_OK)
        status = cli_error(&err);
    sv_table_free(t);
    return status;
}

/* Opens the rejects output: a workbook is gathered as CSV first. */
static int open_rejects(struct run *r)
{
    if (!r->opt->rejects_xlsx) {
        r->rej = cli_output_open(r->opt->rejects);
        return r->rej ? 0 : CLI_DATA;
    }
    if (!(r->rej_csv = tmpfile())) {
        cli_msg("cannot make a temporary file for the rejects");
        return CLI_DATA;
    }
    r->rej = cli_output_open_plain(r->opt->rejects);
    return r->rej ? 0 : CLI_DATA;
}

int main(int argc, char **argv)
{
    struct options opt = {0};
    struct run r = {.opt = &opt};
    struct sv_error err = {0};
    struct sv_codebook *cb;
    int status;

    cli_init(argv[0]);
    if ((status = parse_options(argc, argv, &opt)))
        return status;
    if ((status = check_outputs(&opt, argv + optind, argc - optind)))
        return status;
    if (opt.template_of)
        return cli_finish(write_template(&opt));
    if (!(cb = cli_codebook_load(&opt.in, &err)) ||
        !(r.imp = sv_import_new(cb, opt.in.flags, &err))) {
        status = fail(&r, &err);
        if (!opt.output)
            sv_stream_write_failure(NULL, r.failure, stdout);
        sv_codebook_free(cb);
        return cli_finish(status);
    }
    sv_import_set_error_cb(r.imp, cli_error_cb, NULL);
    r.out = cli_output_open(opt.output);
    status = !r.out ? CLI_DATA : opt.rejects ? open_rejects(&r) : 0;
    if (!status && opt.rejects &&
        !(r.rejects = rejects_new(opt.redact, opt.rejects_xlsx,
                                  opt.header == SV_HEADER_ZH &&
                                      !opt.rejects_xlsx)))
        status = CLI_DATA;
    if (!status) {
        FILE *rej = r.rej;
        if (r.rej_csv) /* the rows go to the CSV, the workbook to REJ */
            r.rej = r.rej_csv;
        status = run_all(&r, argv + optind, argc - optind);
        r.rej = rej;
    }
    if (r.rej_csv && !status)
        status = rejects_workbook(&r);
    if (r.rej_csv)
        fclose(r.rej_csv);
    if (cli_outputs_commit((FILE *[]){r.out, r.rej}, 2, status == 0))
        status = CLI_DATA;
    rejects_free(r.rejects);
    sv_import_free(r.imp);
    sv_codebook_free(cb);
    return cli_finish(status);
}
