/*
 * table.c — small result tables (rows = groups x items) and their output
 * formats: CSV, TSV, JSON and an aligned terminal table (the workbook is
 * xlsx-writer.c's).
 */
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* What a cell holds; numbers keep their value until they are printed. */
enum kind { K_EMPTY = 0, K_TEXT, K_COUNT, K_INT, K_NUM };

struct cell {
    unsigned char kind;
    signed char decimals; /* K_NUM: -1 = as the column says */
    union {
        char *s;
        uint64_t u;
        long long i;
        double d;
    } v;
};

/* Text of printed numbers, for sv_table_get on a const table. */
struct scratch {
    unsigned next;
    char buf[4][64];
};

struct sv_table {
    struct sv_colspec *cols; /* names owned */
    size_t ncols, col_cap;
    struct cell *cells; /* nrows x ncols */
    size_t nrows, row_cap;
    struct scratch *scr;
    struct sv_table_stream *out; /* rows written as they are flushed */
};

enum sv_status sv_format_parse(const char *s, enum sv_format *out)
{
    static const char *const names[] = {"csv", "tsv", "json", "table",
                                        "xlsx"};

    for (int i = 0; i < 5; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum sv_format)i;
            return SV_OK;
        }
    return SV_ERR_USAGE;
}

struct sv_table *sv_table_new(void)
{
    struct sv_table *t = calloc(1, sizeof *t);

    if (t && !(t->scr = calloc(1, sizeof *t->scr))) {
        free(t);
        return NULL;
    }
    return t;
}

static void cell_clear(struct cell *c)
{
    if (c->kind == K_TEXT)
        free(c->v.s);
    memset(c, 0, sizeof *c);
}

void sv_table_free(struct sv_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        cell_clear(&t->cells[i]);
    for (size_t i = 0; i < t->ncols; i++) {
        free((char *)t->cols[i].name);
        free((char *)t->cols[i].zh);
    }
    free(t->cells);
    free(t->cols);
    free(t->scr);
    free(t);
}

enum sv_status sv_table_add_col(struct sv_table *t, const struct sv_colspec *c)
{
    struct sv_colspec *col;

    if (t->nrows)
        return SV_ERR_USAGE;
    if (t->ncols == t->col_cap) {
        size_t cap = t->col_cap ? t->col_cap * 2 : 16;
        struct sv_colspec *n = realloc(t->cols, cap * sizeof *n);
        if (!n)
            return SV_ERR_NOMEM;
        t->cols = n;
        t->col_cap = cap;
    }
    col = &t->cols[t->ncols];
    *col = *c;
    col->name = strdup(c->name);
    col->zh = c->zh ? strdup(c->zh) : NULL;
    if (!col->name || (c->zh && !col->zh)) {
        free((char *)col->name);
        free((char *)col->zh);
        return SV_ERR_NOMEM;
    }
    t->ncols++;
    return SV_OK;
}

enum sv_status sv_table_add_column(struct sv_table *t, const char *name,
                                   int numeric)
{
    struct sv_colspec c = {name, NULL, numeric ? SV_TYPE_NUM : SV_TYPE_TEXT,
                          2};

    return sv_table_add_col(t, &c);
}

enum sv_status sv_table_add_row(struct sv_table *t)
{
    if (t->nrows == t->row_cap) {
        size_t cap = t->row_cap ? t->row_cap * 2 : 32;
        struct cell *c = realloc(t->cells, cap * t->ncols * sizeof *c);
        if (!c && t->ncols)
            return SV_ERR_NOMEM;
        t->cells = c;
        t->row_cap = cap;
    }
    memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof *t->cells);
    t->nrows++;
    return SV_OK;
}

/* Cell COL of the last row, emptied, or NULL when there is none. */
static struct cell *last_cell(struct sv_table *t, size_t col)
{
    struct cell *c;

    if (!t->nrows || col >= t->ncols)
        return NULL;
    c = &t->cells[(t->nrows - 1) * t->ncols + col];
    cell_clear(c);
    return c;
}

enum sv_status sv_table_set(struct sv_table *t, size_t col, const char *s)
{
    struct cell *c = last_cell(t, col);

    if (!c)
        return SV_ERR_USAGE;
    if (!(c->v.s = strdup(s)))
        return SV_ERR_NOMEM;
    c->kind = K_TEXT;
    return SV_OK;
}

enum sv_status sv_table_setf(struct sv_table *t, size_t col, const char *fmt,
                             ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return sv_table_set(t, col, buf);
}

enum sv_status sv_table_set_count(struct sv_table *t, size_t col, uint64_t n)
{
    struct cell *c = last_cell(t, col);

    if (!c)
        return SV_ERR_USAGE;
    c->kind = K_COUNT;
    c->v.u = n;
    return SV_OK;
}

enum sv_status sv_table_set_int(struct sv_table *t, size_t col, long long i)
{
    struct cell *c = last_cell(t, col);

    if (!c)
        return SV_ERR_USAGE;
    c->kind = K_INT;
    c->v.i = i;
    return SV_OK;
}

/* Sets a number printed with DECIMALS (-1: the column's, -2: a p-value). */
static enum sv_status set_number(struct sv_table *t, size_t col, double x,
                                 int decimals)
{
    struct cell *c = last_cell(t, col);

    if (!c)
        return SV_ERR_USAGE;
    if (isnan(x))
        return SV_OK;
    c->kind = K_NUM;
    c->decimals = (signed char)decimals;
    c->v.d = x;
    return SV_OK;
}

enum sv_status sv_table_set_double(struct sv_table *t, size_t col, double x)
{
    return set_number(t, col, x, -1);
}

enum sv_status sv_table_set_num(struct sv_table *t, size_t col, double x,
                                int decimals)
{
    return set_number(t, col, x, decimals < 0 ? 0 : decimals > 17 ? 17
                                                                  : decimals);
}

enum sv_status sv_table_set_p(struct sv_table *t, size_t col, double p)
{
    return set_number(t, col, p, -2);
}

long sv_table_column(const struct sv_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return (long)i;
    return -1;
}

size_t sv_table_ncols(const struct sv_table *t)
{
    return t->ncols;
}

size_t sv_table_nrows(const struct sv_table *t)
{
    return t->nrows;
}

const char *sv_table_name(const struct sv_table *t, size_t col)
{
    return col < t->ncols ? t->cols[col].name : "";
}

const struct sv_colspec *sv_table_col(const struct sv_table *t, size_t col)
{
    return col < t->ncols ? &t->cols[col] : NULL;
}

/* Chinese names of the key and frequency columns, which have no colspec. */
static const char *const zh_names[][2] = {
    {"site", "管理处"},    {"period", "期间"},   {"month", "月份"},
    {"quarter", "季度"},   {"half", "半年"},     {"year", "年度"},
    {"item", "分项"},      {"role", "类型"},     {"scale", "量表"},
    {"level", "等级"},     {"label", "选项"},    {"score", "分值"},
    {"sat", "满意"},       {"count", "人数"},    {"pct", "占比"},
    {"column", "列"},      {"measure", "指标"},  {"file", "文件"},
    {"line", "行"},        {"reason", "原因"}};

const char *sv_table_header(const struct sv_table *t, size_t col,
                            enum sv_header h)
{
    if (col >= t->ncols)
        return "";
    if (h != SV_HEADER_ZH)
        return t->cols[col].name;
    if (t->cols[col].zh)
        return t->cols[col].zh;
    for (size_t i = 0; i < sizeof zh_names / sizeof zh_names[0]; i++)
        if (strcmp(t->cols[col].name, zh_names[i][0]) == 0)
            return zh_names[i][1];
    return t->cols[col].name;
}

static const struct cell *cell_at(const struct sv_table *t, size_t row,
                                  size_t col)
{
    if (row >= t->nrows || col >= t->ncols)
        return NULL;
    return &t->cells[row * t->ncols + col];
}

double sv_table_num(const struct sv_table *t, size_t row, size_t col)
{
    const struct cell *c = cell_at(t, row, col);
    double v;

    if (!c)
        return NAN;
    switch ((enum kind)c->kind) {
    case K_COUNT:
        return (double)c->v.u;
    case K_INT:
        return (double)c->v.i;
    case K_NUM:
        return c->v.d;
    case K_TEXT:
        return sv_parse_double(c->v.s, &v) == SV_OK ? v : NAN;
    case K_EMPTY:
        break;
    }
    return NAN;
}

int sv_table_empty(const struct sv_table *t, size_t row, size_t col)
{
    const struct cell *c = cell_at(t, row, col);

    return !c || c->kind == K_EMPTY;
}

/* Prints number cell C of column COL into BUF (the one rounding step). */
static void format_num(const struct sv_colspec *col, const struct cell *c,
                       char *buf, size_t cap)
{
    int dec = c->decimals;
    double x = c->v.d;

    if (dec == -1 && col->type == SV_TYPE_P) {
        dec = -2;
    } else if (dec == -1 && col->type == SV_TYPE_NUM &&
               col->decimals == SV_DECIMALS_EXACT) {
        snprintf(buf, cap, "%.15g", x);
        return;
    } else if (dec == -1) {
        dec = col->type == SV_TYPE_NUM ? col->decimals : 0;
    }
    if (dec == -2) {
        snprintf(buf, cap, "%.4g", x);
        return;
    }
    if (fabs(x) < 0.5 * pow(10, -dec))
        x = 0; /* no "-0.00" */
    snprintf(buf, cap, "%.*f", dec, x);
}

/* Cell text: a text cell's own, or a number printed into BUF. */
static const char *cell_text(const struct sv_table *t, const struct cell *c,
                             size_t col, char *buf, size_t cap)
{
    switch ((enum kind)c->kind) {
    case K_TEXT:
        return c->v.s;
    case K_COUNT:
        snprintf(buf, cap, "%" PRIu64, c->v.u);
        return buf;
    case K_INT:
        snprintf(buf, cap, "%lld", c->v.i);
        return buf;
    case K_NUM:
        format_num(&t->cols[col], c, buf, cap);
        return buf;
    case K_EMPTY:
        break;
    }
    return "";
}

const char *sv_table_get(const struct sv_table *t, size_t row, size_t col)
{
    const struct cell *c = cell_at(t, row, col);
    char *buf;

    if (!c)
        return "";
    buf = t->scr->buf[t->scr->next++ % 4];
    return cell_text(t, c, col, buf, sizeof t->scr->buf[0]);
}

int sv_table_numeric(const struct sv_table *t, size_t col)
{
    return t->cols[col].type != SV_TYPE_TEXT;
}

/* TSV cannot quote: tabs and newlines in a cell become spaces. */
static void put_tsv(FILE *fp, const char *s)
{
    for (; *s; s++)
        putc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, fp);
}

static void put_json_string(FILE *fp, const char *s)
{
    putc('"', fp);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", fp);
        else if (c < 0x20)
            fprintf(fp, "\\u%04x", c);
        else
            putc(c, fp);
    }
    putc('"', fp);
}

/* Row R of T as a CSV or TSV line (R == -1: the header under H). */
static void delimited_row(const struct sv_table *t, long r, FILE *fp,
                          int tsv, enum sv_header h)
{
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = r >= 0 ? sv_table_get(t, (size_t)r, c)
                               : sv_table_header(t, c, h);
        if (c)
            putc(tsv ? '\t' : ',', fp);
        if (tsv)
            put_tsv(fp, s);
        else
            sv_csv_write_field(fp, s);
    }
    putc('\n', fp);
}

void sv_table_write_delimited(const struct sv_table *t, FILE *fp, int tsv,
                              enum sv_header h, int header)
{
    if (header)
        delimited_row(t, -1, fp, tsv, h);
    for (size_t r = 0; r < t->nrows; r++)
        delimited_row(t, (long)r, fp, tsv, h);
}

static void json_row(const struct sv_table *t, size_t r, FILE *fp,
                     enum sv_header h, size_t written)
{
    fputs(written ? ",\n  {" : "[\n  {", fp);
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = sv_table_get(t, r, c);
        if (c)
            fputs(", ", fp);
        put_json_string(fp, sv_table_header(t, c, h));
        fputs(": ", fp);
        if (sv_table_numeric(t, c) && !*s)
            fputs("null", fp);
        else if (sv_table_numeric(t, c))
            fputs(s, fp);
        else
            put_json_string(fp, s);
    }
    putc('}', fp);
}

/*
 * A cell for the terminal (--format table): tabs and newlines become
 * spaces, other control characters (C0, DEL, C1) '?', so that a cell
 * holding an escape sequence cannot drive the terminal.
 */
static void put_terminal(FILE *fp, const char *str)
{
    for (const unsigned char *s = (const unsigned char *)str; *s; s++) {
        if (s[0] == 0xC2 && s[1] >= 0x80 && s[1] <= 0x9F) {
            putc('?', fp);
            s++;
        } else if (*s == '\t' || *s == '\n' || *s == '\r') {
            putc(' ', fp);
        } else {
            putc(*s < 0x20 || *s == 0x7F ? '?' : *s, fp);
        }
    }
}

static void pad(FILE *fp, size_t n)
{
    while (n--)
        putc(' ', fp);
}

/* Row R of T aligned to WIDTH (R == -1: the header). */
static void aligned_row(const struct sv_table *t, long r, FILE *fp,
                        const size_t *width, enum sv_header h)
{
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s = r >= 0 ? sv_table_get(t, (size_t)r, c)
                               : sv_table_header(t, c, h);
        size_t w = sv_display_width(s);
        if (c)
            fputs("  ", fp);
        if (sv_table_numeric(t, c))
            pad(fp, width[c] - w);
        put_terminal(fp, s);
        if (!sv_table_numeric(t, c) && c + 1 < t->ncols)
            pad(fp, width[c] - w);
    }
    putc('\n', fp);
}

/* Widens S's columns to row R of T (R == -1: the header). */
static void measure_row(struct sv_table_stream *s, const struct sv_table *t,
                        long r)
{
    for (size_t c = 0; c < t->ncols && c < s->ncols; c++) {
        size_t w = sv_display_width(r >= 0 ? sv_table_get(t, (size_t)r, c)
                                           : sv_table_header(t, c, s->h));
        if (w > s->width[c])
            s->width[c] = w;
    }
}

static enum sv_status stream_nomem(struct sv_table_stream *s)
{
    return sv_error_set(s->err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

/* The header, once T's columns are known. */
static enum sv_status stream_begin(struct sv_table_stream *s,
                                   const struct sv_table *t)
{
    enum sv_status st = SV_OK;

    if (s->began)
        return SV_OK;
    s->began = 1;
    s->written = 0;
    if ((s->f == SV_FORMAT_TABLE || s->f == SV_FORMAT_XLSX) && !s->width) {
        if (!(s->width = calloc(t->ncols + 1, sizeof *s->width)))
            return stream_nomem(s);
        s->ncols = t->ncols;
    }
    switch (s->f) {
    case SV_FORMAT_CSV:
    case SV_FORMAT_TSV:
        delimited_row(t, -1, s->fp, s->f == SV_FORMAT_TSV, s->h);
        break;
    case SV_FORMAT_JSON:
        break;
    case SV_FORMAT_TABLE:
        if (s->measuring)
            measure_row(s, t, -1);
        else
            aligned_row(t, -1, s->fp, s->width, s->h);
        break;
    case SV_FORMAT_XLSX:
        measure_row(s, t, -1);
        st = sv_xlsx_stream_begin(s, t);
        break;
    }
    return st;
}

enum sv_status sv_table_stream_rows(struct sv_table_stream *s,
                                    const struct sv_table *t)
{
    enum sv_status st = stream_begin(s, t);

    for (size_t r = 0; r < t->nrows && !st; r++, s->written++)
        switch (s->f) {
        case SV_FORMAT_CSV:
        case SV_FORMAT_TSV:
            delimited_row(t, (long)r, s->fp, s->f == SV_FORMAT_TSV, s->h);
            break;
        case SV_FORMAT_JSON:
            json_row(t, r, s->fp, s->h, s->written);
            break;
        case SV_FORMAT_TABLE:
            if (s->measuring)
                measure_row(s, t, (long)r);
            else
                aligned_row(t, (long)r, s->fp, s->width, s->h);
            break;
        case SV_FORMAT_XLSX:
            measure_row(s, t, (long)r);
            st = sv_xlsx_stream_row(s, t, r);
            break;
        }
    return st;
}

enum sv_status sv_table_stream_end(struct sv_table_stream *s,
                                   const struct sv_table *t)
{
    enum sv_status st = stream_begin(s, t);

    if (st)
        return st;
    if (s->f == SV_FORMAT_JSON)
        fputs(s->written ? "\n]\n" : "[]\n", s->fp);
    else if (s->f == SV_FORMAT_XLSX)
        st = sv_xlsx_stream_end(s, t);
    s->began = 0;
    return st;
}

void sv_table_stream_release(struct sv_table_stream *s)
{
    sv_xlsx_stream_abandon(s);
    free(s->width);
    s->width = NULL;
    s->ncols = 0;
}

void sv_table_attach(struct sv_table *t, struct sv_table_stream *s)
{
    t->out = s;
}

enum sv_status sv_table_flush(struct sv_table *t)
{
    enum sv_status st;

    if (!t->out)
        return SV_OK;
    st = sv_table_stream_rows(t->out, t);
    while (t->nrows)
        sv_table_drop_row(t);
    return st;
}

enum sv_status sv_table_write_as(const struct sv_table *t, enum sv_format f,
                                 enum sv_header h, FILE *fp,
                                 struct sv_error *err)
{
    struct sv_table_stream s = {.f = f, .h = h, .fp = fp, .err = err};
    enum sv_status st = SV_OK;

    if (f == SV_FORMAT_XLSX && t->nrows >= SV_XLSX_MAX_ROWS)
        return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                            "%zu rows do not fit in a worksheet (at most "
                            "%d)", t->nrows, SV_XLSX_MAX_ROWS - 1);
    if (f == SV_FORMAT_TABLE) {
        s.measuring = 1;
        if (!(st = sv_table_stream_rows(&s, t)))
            st = sv_table_stream_end(&s, t);
        s.measuring = 0;
    }
    if (!st && !(st = sv_table_stream_rows(&s, t)))
        st = sv_table_stream_end(&s, t);
    sv_table_stream_release(&s);
    return st;
}

enum sv_status sv_table_write(const struct sv_table *t, enum sv_format f,
                              FILE *fp, struct sv_error *err)
{
    return sv_table_write_as(t, f, SV_HEADER_EN, fp, err);
}

void sv_table_drop_row(struct sv_table *t)
{
    if (!t->nrows)
        return;
    for (size_t c = 0; c < t->ncols; c++)
        cell_clear(&t->cells[(t->nrows - 1) * t->ncols + c]);
    t->nrows--;
}
