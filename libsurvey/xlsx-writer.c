/*
 * xlsx-writer.c — a result table as an Excel workbook (--format xlsx),
 * written with libxlsxwriter: numbers stay numbers and show the decimals
 * the CSV prints, the header row is bold and frozen, columns fit their
 * widest cell.  Text is written as text, so no cell ever runs as a formula
 * (PRODUCT.md 5).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "internal.h"

enum { MAX_DECIMALS = 17, MAX_WIDTH = 60, MAX_ROWS = 1048576 };

struct book {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold;
    lxw_format *dec[MAX_DECIMALS + 1]; /* "0", "0.0", "0.00" ... */
};

/* The decimals printed in S ("85.95" 2, "12" 0); -1 for "1.2e-05". */
static int printed_decimals(const char *s)
{
    const char *dot = strchr(s, '.');

    if (strpbrk(s, "eE"))
        return -1;
    return dot ? (int)strlen(dot + 1) : 0;
}

/* The number format showing D decimals (made once per workbook). */
static lxw_format *decimals_format(struct book *b, int d)
{
    char code[MAX_DECIMALS + 3] = "0.";

    if (d < 0)
        return NULL; /* General shows 1.2E-05 as it is */
    if (d > MAX_DECIMALS)
        d = MAX_DECIMALS;
    if (!b->dec[d] && (b->dec[d] = workbook_add_format(b->wb))) {
        memset(code + 2, '0', (size_t)d);
        code[d ? d + 2 : 1] = '\0';
        format_set_num_format(b->dec[d], code);
    }
    return b->dec[d];
}

/* Writes cell (R, C) of T into row R + 1; an lxw_error. */
static lxw_error put_cell(struct book *b, const struct sv_table *t, size_t r,
                          size_t c)
{
    const char *s = sv_table_get(t, r, c);
    double x;

    if (!*s)
        return LXW_NO_ERROR;
    if (sv_table_numeric(t, c) && sv_parse_double(s, &x) == SV_OK)
        return worksheet_write_number(b->ws, (lxw_row_t)(r + 1),
                                      (lxw_col_t)c, x,
                                      decimals_format(b, printed_decimals(s)));
    return worksheet_write_string(b->ws, (lxw_row_t)(r + 1), (lxw_col_t)c, s,
                                  NULL);
}

/* Column widths in Excel's character units: the widest cell plus a margin. */
static lxw_error set_widths(struct book *b, const struct sv_table *t,
                            enum sv_header h)
{
    lxw_error e = LXW_NO_ERROR;

    for (size_t c = 0; c < sv_table_ncols(t) && !e; c++) {
        size_t w = sv_display_width(sv_table_header(t, c, h));
        for (size_t r = 0; r < sv_table_nrows(t); r++) {
            size_t cw = sv_display_width(sv_table_get(t, r, c));
            w = cw > w ? cw : w;
        }
        w = w + 2 > MAX_WIDTH ? MAX_WIDTH : w + 2;
        e = worksheet_set_column(b->ws, (lxw_col_t)c, (lxw_col_t)c,
                                 (double)w, NULL);
    }
    return e;
}

static lxw_error fill(struct book *b, const struct sv_table *t,
                      enum sv_header h)
{
    size_t nr = sv_table_nrows(t), nc = sv_table_ncols(t);
    lxw_error e = set_widths(b, t, h);

    for (size_t c = 0; c < nc && !e; c++)
        e = worksheet_write_string(b->ws, 0, (lxw_col_t)c,
                                   sv_table_header(t, c, h), b->bold);
    for (size_t r = 0; r < nr && !e; r++)
        for (size_t c = 0; c < nc && !e; c++)
            e = put_cell(b, t, r, c);
    if (!e)
        worksheet_freeze_panes(b->ws, 1, 0);
    if (!e && nc)
        e = worksheet_autofilter(b->ws, 0, 0, (lxw_row_t)nr,
                                 (lxw_col_t)(nc - 1));
    return e;
}

/* Makes the workbook of T at PATH; an lxw_error. */
static lxw_error make_book(const struct sv_table *t, enum sv_header h,
                           const char *path, const char *tmpdir)
{
    lxw_workbook_options wo = {.constant_memory = LXW_TRUE,
                               .tmpdir = (char *)tmpdir};
    struct book b = {0};
    lxw_error e, ce;

    if (!(b.wb = workbook_new_opt(path, &wo)))
        return LXW_ERROR_CREATING_XLSX_FILE;
    b.ws = workbook_add_worksheet(b.wb, NULL);
    b.bold = workbook_add_format(b.wb);
    if (b.bold)
        format_set_bold(b.bold);
    e = b.ws && b.bold ? fill(&b, t, h) : LXW_ERROR_MEMORY_MALLOC_FAILED;
    ce = workbook_close(b.wb);
    return e ? e : ce;
}

/* Copies the file at PATH to FP; 0 or -1 (errno set). */
static int copy_out(const char *path, FILE *fp)
{
    FILE *in = fopen(path, "rb");
    char buf[65536];
    size_t n;
    int bad = 0;

    if (!in)
        return -1;
    while (!bad && (n = fread(buf, 1, sizeof buf, in)) > 0)
        bad = fwrite(buf, 1, n, fp) != n;
    bad |= ferror(in);
    fclose(in);
    return bad ? -1 : 0;
}

enum sv_status sv_table_write_xlsx(const struct sv_table *t, enum sv_header h,
                                   FILE *fp, struct sv_error *err)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    lxw_error e;
    int fd, r;

    if (sv_table_nrows(t) >= MAX_ROWS)
        return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                            "%zu rows do not fit in a worksheet (at most "
                            "%d)", sv_table_nrows(t), MAX_ROWS - 1);
    if (!dir || !*dir)
        dir = P_tmpdir;
    if (snprintf(path, sizeof path, "%s/sv-xlsx.XXXXXX", dir) >=
            (int)sizeof path || (fd = mkstemp(path)) < 0)
        return sv_error_set(err, SV_ERR_IO, NULL, 0, NULL,
                            "cannot make a temporary workbook in '%s': %s",
                            dir, strerror(errno));
    close(fd);
    e = make_book(t, h, path, dir);
    r = e ? 0 : copy_out(path, fp);
    unlink(path);
    if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
        return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                            "a cell is longer than a workbook cell may be "
                            "(32767 characters)");
    if (e)
        return sv_error_set(err, SV_ERR_IO, NULL, 0, NULL,
                            "cannot write the workbook: %s", lxw_strerror(e));
    if (r)
        return sv_error_set(err, SV_ERR_IO, NULL, 0, NULL,
                            "cannot copy the workbook: %s", strerror(errno));
    return SV_OK;
}
