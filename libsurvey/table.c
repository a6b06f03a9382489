/*
 * table.c — small result tables (rows = groups x items) and their four
 * output formats: CSV, TSV, JSON and an aligned terminal table.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "survey.h"

struct sv_table {
    char **names;
    int *numeric;
    size_t ncols, col_cap;
    char **cells; /* nrows x ncols */
    size_t nrows, row_cap;
};

enum sv_status sv_format_parse(const char *s, enum sv_format *out)
{
    static const char *const names[] = {"csv", "tsv", "json", "table"};

    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (enum sv_format)i;
            return SV_OK;
        }
    return SV_ERR_USAGE;
}

struct sv_table *sv_table_new(void)
{
    return calloc(1, sizeof(struct sv_table));
}

void sv_table_free(struct sv_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    for (size_t i = 0; i < t->ncols; i++)
        free(t->names[i]);
    free(t->cells);
    free(t->names);
    free(t->numeric);
    free(t);
}

enum sv_status sv_table_add_column(struct sv_table *t, const char *name,
                                   int numeric)
{
    if (t->nrows)
        return SV_ERR_USAGE;
    if (t->ncols == t->col_cap) {
        size_t cap = t->col_cap ? t->col_cap * 2 : 16;
        char **n = realloc(t->names, cap * sizeof *n);
        int *k;
        if (!n)
            return SV_ERR_NOMEM;
        t->names = n;
        k = realloc(t->numeric, cap * sizeof *k);
        if (!k)
            return SV_ERR_NOMEM;
        t->numeric = k;
        t->col_cap = cap;
    }
    t->names[t->ncols] = strdup(name);
    if (!t->names[t->ncols])
        return SV_ERR_NOMEM;
    t->numeric[t->ncols++] = numeric;
    return SV_OK;
}

enum sv_status sv_table_add_row(struct sv_table *t)
{
    if (t->nrows == t->row_cap) {
        size_t cap = t->row_cap ? t->row_cap * 2 : 32;
        char **c = realloc(t->cells, cap * t->ncols * sizeof *c);
        if (!c)
            return SV_ERR_NOMEM;
        t->cells = c;
        t->row_cap = cap;
    }
    memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof *t->cells);
    t->nrows++;
    return SV_OK;
}

enum sv_status sv_table_set(struct sv_table *t, size_t col, const char *s)
{
    char **cell;

    if (!t->nrows || col >= t->ncols)
        return SV_ERR_USAGE;
    cell = &t->cells[(t->nrows - 1) * t->ncols + col];
    free(*cell);
    *cell = strdup(s);
    return *cell ? SV_OK : SV_ERR_NOMEM;
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

enum sv_status sv_table_set_num(struct sv_table *t, size_t col, double x,
                                int decimals)
{
    if (isnan(x))
        return sv_table_set(t, col, "");
    if (fabs(x) < 0.5 * pow(10, -decimals))
        x = 0; /* no "-0.00" */
    return sv_table_setf(t, col, "%.*f", decimals, x);
}

enum sv_status sv_table_set_p(struct sv_table *t, size_t col, double p)
{
    if (isnan(p))
        return sv_table_set(t, col, "");
    return sv_table_setf(t, col, "%.4g", p);
}

long sv_table_column(const struct sv_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->names[i], name) == 0)
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
    return col < t->ncols ? t->names[col] : "";
}

const char *sv_table_get(const struct sv_table *t, size_t row, size_t col)
{
    const char *s;

    if (row >= t->nrows || col >= t->ncols)
        return "";
    s = t->cells[row * t->ncols + col];
    return s ? s : "";
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

static void write_delimited(const struct sv_table *t, FILE *fp, int tsv)
{
    for (size_t r = 0; r <= t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = r ? sv_table_get(t, r - 1, c) : t->names[c];
            if (c)
                putc(tsv ? '\t' : ',', fp);
            if (tsv)
                put_tsv(fp, s);
            else
                sv_csv_write_field(fp, s);
        }
        putc('\n', fp);
    }
}

static void write_json(const struct sv_table *t, FILE *fp)
{
    fputs("[", fp);
    for (size_t r = 0; r < t->nrows; r++) {
        fputs(r ? ",\n  {" : "\n  {", fp);
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = sv_table_get(t, r, c);
            if (c)
                fputs(", ", fp);
            put_json_string(fp, t->names[c]);
            fputs(": ", fp);
            if (t->numeric[c] && !*s)
                fputs("null", fp);
            else if (t->numeric[c])
                fputs(s, fp);
            else
                put_json_string(fp, s);
        }
        putc('}', fp);
    }
    fputs(t->nrows ? "\n]\n" : "]\n", fp);
}

static void pad(FILE *fp, size_t n)
{
    while (n--)
        putc(' ', fp);
}

static void write_aligned(const struct sv_table *t, FILE *fp,
                          const size_t *width)
{
    for (size_t r = 0; r <= t->nrows; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = r ? sv_table_get(t, r - 1, c) : t->names[c];
            size_t w = sv_display_width(s);
            if (c)
                fputs("  ", fp);
            if (t->numeric[c])
                pad(fp, width[c] - w);
            put_tsv(fp, s);
            if (!t->numeric[c] && c + 1 < t->ncols)
                pad(fp, width[c] - w);
        }
        putc('\n', fp);
    }
}

static enum sv_status write_table(const struct sv_table *t, FILE *fp)
{
    size_t *width = calloc(t->ncols ? t->ncols : 1, sizeof *width);

    if (!width)
        return SV_ERR_NOMEM;
    for (size_t c = 0; c < t->ncols; c++) {
        width[c] = sv_display_width(t->names[c]);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t w = sv_display_width(sv_table_get(t, r, c));
            if (w > width[c])
                width[c] = w;
        }
    }
    write_aligned(t, fp, width);
    free(width);
    return SV_OK;
}

enum sv_status sv_table_write(const struct sv_table *t, enum sv_format f,
                              FILE *fp, struct sv_error *err)
{
    enum sv_status st = SV_OK;

    switch (f) {
    case SV_FORMAT_CSV:
    case SV_FORMAT_TSV:
        write_delimited(t, fp, f == SV_FORMAT_TSV);
        break;
    case SV_FORMAT_JSON:
        write_json(t, fp);
        break;
    case SV_FORMAT_TABLE:
        st = write_table(t, fp);
        break;
    }
    if (st)
        return sv_error_set(err, st, NULL, 0, NULL, "out of memory");
    return SV_OK;
}
