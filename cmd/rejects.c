/*
 * The rejects file (see rejects.h).  Each row is spooled to an unlinked
 * temporary file as length-prefixed cells, each with the union column it
 * belongs to; rejects_write() lays them out once every header is known.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rejects.h"

/* Fields beyond their header's width are spooled as EXTRA + k. */
#define EXTRA 0x80000000u

struct rejects {
    FILE *spool;
    int redact, xlsx, zh;
    char **names; /* the union of the headers, in order of appearance */
    size_t nnames, cap;
    uint32_t *map; /* the current header's field i -> union column */
    size_t nmap;
    size_t extra; /* most fields any row had beyond its header */
};

static int nomem(void)
{
    cli_msg("out of memory");
    return 1;
}

struct rejects *rejects_new(int redact, int xlsx, int zh)
{
    struct rejects *r = calloc(1, sizeof *r);

    if (!r) {
        nomem();
        return NULL;
    }
    r->redact = redact;
    r->xlsx = xlsx;
    r->zh = zh;
    if (!(r->spool = tmpfile())) {
        cli_msg("cannot create a temporary file: %s", strerror(errno));
        free(r);
        return NULL;
    }
    return r;
}

void rejects_free(struct rejects *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nnames; i++)
        free(r->names[i]);
    free(r->names);
    free(r->map);
    if (r->spool)
        fclose(r->spool);
    free(r);
}

/* The union column of the K-th (0-based) field called NAME, added if new. */
static long column_of(struct rejects *r, const char *name, size_t k)
{
    char **p;

    for (size_t i = 0; i < r->nnames; i++)
        if (!strcmp(r->names[i], name) && k-- == 0)
            return (long)i;
    if (r->nnames == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        if (!(p = realloc(r->names, r->cap * sizeof *p)))
            return -1;
        r->names = p;
    }
    if (!(r->names[r->nnames] = strdup(name)))
        return -1;
    return (long)r->nnames++;
}

int rejects_header(struct rejects *r, const struct sv_source *src,
                   const struct sv_import *imp)
{
    size_t nf = sv_source_nfields(src);
    uint32_t *map = malloc((nf ? nf : 1) * sizeof *map);

    (void)imp;
    if (!map)
        return nomem();
    for (size_t i = 0; i < nf; i++) {
        const char *name = sv_source_field(src, i);
        size_t k = 0;
        long col;
        for (size_t j = 0; j < i; j++)
            k += !strcmp(sv_source_field(src, j), name);
        if ((col = column_of(r, name, k)) < 0) {
            free(map);
            return nomem();
        }
        map[i] = (uint32_t)col;
    }
    free(r->map);
    r->map = map;
    r->nmap = nf;
    return 0;
}

/* Length of the valid UTF-8 sequence at S[0..N), 0 when invalid or NUL. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t k = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2
                         : (s[0] & 0xF0) == 0xE0 ? 3
                         : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    unsigned cp;

    if (!s[0] || !k || k > n)
        return 0;
    cp = k == 1 ? s[0] : s[0] & (0x7F >> k);
    for (size_t j = 1; j < k; j++) {
        if ((s[j] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[j] & 0x3Fu);
    }
    if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) ||
        (k == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k;
}

/*
 * A copy of the N bytes at S as text: each NUL byte and each byte of an
 * invalid UTF-8 sequence becomes U+FFFD, so the rejects file stays valid
 * UTF-8 whatever the record held.  Caller frees; NULL when out of memory.
 */
static char *clean_text(const char *s, size_t n)
{
    char *out = malloc(3 * n + 1), *w = out;
    const unsigned char *u = (const unsigned char *)s;

    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_len(u + i, n - i);
        if (k) {
            memcpy(w, s + i, k);
            w += k;
            i += k;
        } else {
            memcpy(w, "\xEF\xBF\xBD", 3);
            w += 3;
            i++;
        }
    }
    *w = '\0';
    return out;
}

static void put_u32(FILE *fp, uint32_t v)
{
    fwrite(&v, sizeof v, 1, fp);
}

static void put_str(FILE *fp, const char *s, size_t n)
{
    put_u32(fp, (uint32_t)n);
    fwrite(s, 1, n, fp);
}

/* Spools field I of SRC: redacted, masked, cleaned as the options say. */
static int put_field(struct rejects *r, const struct sv_source *src,
                     const struct sv_import *imp, size_t i)
{
    char *t, *m;
    size_t len;

    put_u32(r->spool, i < r->nmap ? r->map[i] : EXTRA + (uint32_t)(i - r->nmap));
    if (r->redact && imp && i < r->nmap && sv_import_field_is_pii(imp, i)) {
        put_str(r->spool, "", 0);
        return 0;
    }
    if (!(t = clean_text(sv_source_field(src, i), sv_source_field_len(src, i))))
        return nomem();
    if (r->redact) {
        len = strlen(t);
        if (!(m = malloc(len + 1)) ||
            sv_mask_pii(t, m, len + 1) == (size_t)-1) {
            free(m);
            free(t);
            return nomem();
        }
        free(t);
        t = m;
    }
    put_str(r->spool, t, strlen(t));
    free(t);
    return 0;
}

int rejects_row(struct rejects *r, const struct sv_source *src,
                const struct sv_import *imp, const struct sv_error *err)
{
    char reason[SV_ERR_MSG_MAX + SV_ERR_COLUMN_MAX + 16];
    const char *name = sv_source_name(src);
    size_t nf = sv_source_nfields(src);
    uint64_t line = sv_source_line(src);

    snprintf(reason, sizeof reason, "%s%s%s%s",
             err->column[0] ? "column " : "", err->column,
             err->column[0] ? ": " : "", err->msg);
    fwrite(&line, sizeof line, 1, r->spool);
    put_str(r->spool, name, strlen(name));
    put_str(r->spool, reason, strlen(reason));
    put_u32(r->spool, (uint32_t)nf);
    if (nf > r->nmap && nf - r->nmap > r->extra)
        r->extra = nf - r->nmap;
    for (size_t i = 0; i < nf; i++)
        if (put_field(r, src, imp, i))
            return 1;
    if (ferror(r->spool)) {
        cli_msg("cannot write a temporary file: %s", strerror(errno));
        return 1;
    }
    return 0;
}

/*
 * Writes a raw cell to the rejects file, which is opened in Excel: a cell
 * starting with = + - @ gets a leading "'" so that it is never run as a
 * formula, unless it is a number (-3.5) or a lone "-" (PRODUCT.md 5).
 */
static void write_cell(FILE *fp, const char *cell, int xlsx)
{
    double x;
    char *q;

    if (xlsx || !strchr("=+-@", cell[0]) || !cell[0] || !strcmp(cell, "-")
        || sv_parse_double(cell, &x) == SV_OK
        || !(q = malloc(strlen(cell) + 2))) {
        sv_csv_write_field(fp, cell);
        return;
    }
    q[0] = '\'';
    memcpy(q + 1, cell, strlen(cell) + 1);
    sv_csv_write_field(fp, q);
    free(q);
}

/* Reads a spooled string into a new NUL-terminated buffer; NULL on error. */
static char *get_str(FILE *fp)
{
    uint32_t n;
    char *s;

    if (fread(&n, sizeof n, 1, fp) != 1 || !(s = malloc((size_t)n + 1)))
        return NULL;
    if (fread(s, 1, n, fp) != n) {
        free(s);
        return NULL;
    }
    s[n] = '\0';
    return s;
}

static void free_cells(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(cells[i]);
        cells[i] = NULL;
    }
}

/* Reads one spooled row's cells into CELLS (width W); 1 at the end, -1. */
static int read_row(struct rejects *r, char **cells, size_t w,
                    uint64_t *line)
{
    uint32_t nf, col;

    if (fread(line, sizeof *line, 1, r->spool) != 1)
        return 1;
    if (!(cells[0] = get_str(r->spool)) || !(cells[1] = get_str(r->spool)) ||
        fread(&nf, sizeof nf, 1, r->spool) != 1)
        return -1;
    for (uint32_t i = 0; i < nf; i++) {
        size_t at;
        char *s;
        if (fread(&col, sizeof col, 1, r->spool) != 1 ||
            !(s = get_str(r->spool)))
            return -1;
        at = 2 + (col >= EXTRA ? r->nnames + (col - EXTRA) : col);
        if (at >= w || cells[at]) {
            free(s);
            return -1;
        }
        cells[at] = s;
    }
    return 0;
}

static void write_row(FILE *fp, char **cells, size_t w, uint64_t line,
                      int xlsx)
{
    sv_csv_write_field(fp, cells[0]);
    fprintf(fp, ",%llu,", (unsigned long long)line);
    sv_csv_write_field(fp, cells[1]);
    for (size_t i = 2; i < w; i++) {
        putc(',', fp);
        write_cell(fp, cells[i] ? cells[i] : "", xlsx);
    }
    putc('\n', fp);
}

int rejects_write(struct rejects *r, FILE *fp)
{
    size_t w = 2 + r->nnames + r->extra;
    char **cells = calloc(w, sizeof *cells);
    uint64_t line;
    int st = 0;

    if (!cells)
        return nomem();
    fputs(r->zh ? "文件,行,原因" : "file,line,reason", fp);
    for (size_t i = 0; i < r->nnames + r->extra; i++) {
        putc(',', fp);
        sv_csv_write_field(fp, i < r->nnames ? r->names[i] : "");
    }
    putc('\n', fp);
    rewind(r->spool);
    while (!(st = read_row(r, cells, w, &line))) {
        write_row(fp, cells, w, line, r->xlsx);
        free_cells(cells, w);
    }
    free_cells(cells, w);
    free(cells);
    if (st < 0) {
        cli_msg("cannot read back a temporary file");
        return 1;
    }
    return 0;
}
