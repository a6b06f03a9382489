/*
 * xlsx-reader.c — one worksheet of an Excel workbook (Office Open XML) as
 * a record source (source.c): import, template and counting read its rows
 * as they read CSV records, with "file.xlsx:SHEET" and the row number as
 * the location.
 *
 * libzip opens the package and libxml2's xmlTextReader streams the XML, so
 * the sheet is read row by row: memory holds the shared-string table and
 * the styles, never the rows.  Cells become the text a CSV export by Excel
 * would hold: shared and inline strings as they are, numbers in their
 * shortest form, booleans TRUE/FALSE, and date-formatted numbers as
 * YYYY-MM-DD (with HH:MM:SS when there is a time of day), in the 1900 or
 * the 1904 date system of the workbook.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <zip.h>

#include "internal.h"

#define MAX_SHEETS 256
#define MAX_COLUMN 16384 /* XFD, Excel's last column */

#define DEFAULT_MAX_FIELD (1u << 20)
/* The shared-string table is held whole: its bounds (about 400 MiB). */
#define SST_MAX_STRINGS (16u << 20)
#define SST_MAX_BYTES (256u << 20)
#define DEFAULT_MAX_FIELDS 16384u
#define ROW_BYTES_MAX (16u << 20) /* a long cell kept for the rejects */

/* A cell's text is handed on as it is read. */
typedef void (*put_fn)(void *ctx, const char *s, size_t len);

struct sv_xlsx {
    zip_t *zip;
    zip_file_t *sheet_file;
    xmlTextReaderPtr reader;
    char *sst_text;  /* shared strings, NUL-terminated, one after another */
    size_t sst_len, sst_cap;
    size_t *sst_off; /* where each begins in sst_text */
    size_t nsst;
    unsigned char *date_style; /* per cellXfs index: 1 when a date format */
    size_t nstyles;
    int date1904;
    int done;
    unsigned long row; /* the last row number read */
    char *text; /* the current cell's text */
    size_t text_len, text_cap;
    char path[SV_ERR_FILE_MAX];
    /* the current record: NUL-terminated cells in rbuf */
    char *rbuf;
    size_t rbuf_len, rbuf_cap;
    size_t *off, *len, nf, nf_cap, width;
    const char **field;
    size_t max_field, max_fields;
    enum sv_status row_status;
    const char *row_msg;
    size_t bad_cell; /* the cell the row's fault is about, or SIZE_MAX */
    int row_full;    /* no more cells are kept for this row */
    char *hdr;       /* the header's cells, NUL-separated (for messages) */
    size_t *hdr_off, hdr_n;
};

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */
/* ------------------------------------------------------------------ */

static int append(char **buf, size_t *len, size_t *cap, const char *s,
                  size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap : 64;
        char *p;
        while (c < *len + n + 1)
            c *= 2;
        if (!(p = realloc(*buf, c)))
            return -1;
        *buf = p;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

static int is_name(xmlTextReaderPtr r, const char *local)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);

    return n && strcmp((const char *)n, local) == 0;
}

/* Attribute NAME of the current element as a malloc'ed string, or NULL. */
static char *attr(xmlTextReaderPtr r, const char *name)
{
    return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

static int zip_read_cb(void *ctx, char *buf, int len)
{
    zip_int64_t n = zip_fread(ctx, buf, (zip_uint64_t)len);

    return n < 0 ? -1 : (int)n;
}

static int zip_close_cb(void *ctx)
{
    (void)ctx;
    return 0;
}

/* A streaming reader over the package part NAME (NULL when it is absent). */
static xmlTextReaderPtr open_part(struct sv_xlsx *x, const char *name,
                                  zip_file_t **file)
{
    xmlTextReaderPtr r;

    *file = zip_fopen(x->zip, name, 0);
    if (!*file)
        return NULL;
    r = xmlReaderForIO(zip_read_cb, zip_close_cb, *file, name, NULL,
                       XML_PARSE_NONET | XML_PARSE_NOERROR |
                           XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    if (!r) {
        zip_fclose(*file);
        *file = NULL;
    }
    return r;
}

static void close_part(xmlTextReaderPtr r, zip_file_t *file)
{
    if (r)
        xmlFreeTextReader(r);
    if (file)
        zip_fclose(file);
}

static enum sv_status bad_xml(const struct sv_xlsx *x, const char *part,
                              struct sv_error *err)
{
    return sv_error_set(err, SV_ERR_DATA, x->path, 0, NULL,
                        "malformed workbook: bad XML in %s", part);
}

/* ------------------------------------------------------------------ */
/* Rich text: the <t> runs of an <si> or <is> element                 */
/* ------------------------------------------------------------------ */

/* The value of the hex digit C, or -1. */
static int hex_value(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/*
 * Decodes in place the _xHHHH_ escapes with which Excel writes characters
 * XML cannot hold (a CR is _x000D_, ESC _x001B_, a literal "_x" is
 * _x005F_x): ECMA-376 ST_Xstring.  _x0000_ and surrogate halves stay as
 * they are.  Returns the new length.
 */
static size_t decode_xstring(char *s, size_t n)
{
    size_t r = 0, w = 0;

    while (r < n) {
        unsigned u = 0;
        int ok = r + 7 <= n && s[r] == '_' && s[r + 1] == 'x' &&
                 s[r + 6] == '_';
        for (size_t k = 2; ok && k < 6; k++) {
            int h = hex_value(s[r + k]);
            ok = h >= 0;
            u = u << 4 | (unsigned)(h < 0 ? 0 : h);
        }
        if (!ok || u == 0 || (u >= 0xD800 && u <= 0xDFFF)) {
            s[w++] = s[r++];
            continue;
        }
        if (u < 0x80) {
            s[w++] = (char)u;
        } else if (u < 0x800) {
            s[w++] = (char)(0xC0 | u >> 6);
            s[w++] = (char)(0x80 | (u & 0x3F));
        } else {
            s[w++] = (char)(0xE0 | u >> 12);
            s[w++] = (char)(0x80 | (u >> 6 & 0x3F));
            s[w++] = (char)(0x80 | (u & 0x3F));
        }
        r += 7;
    }
    s[w] = '\0';
    return w;
}

/*
 * Collects the text of the <t> elements inside the current element (an
 * <si> or <is>), leaving out phonetic runs (<rPh>), into x->text.
 */
static int read_runs(struct sv_xlsx *x, xmlTextReaderPtr r)
{
    int depth = xmlTextReaderDepth(r), in_t = 0, in_rph = 0, ret;

    x->text_len = 0;
    if (append(&x->text, &x->text_len, &x->text_cap, "", 0))
        return -1;
    if (xmlTextReaderIsEmptyElement(r))
        return 0;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_END_ELEMENT &&
            xmlTextReaderDepth(r) == depth) {
            x->text_len = decode_xstring(x->text, x->text_len);
            return 0;
        }
        if (type == XML_READER_TYPE_ELEMENT && is_name(r, "rPh"))
            in_rph = !xmlTextReaderIsEmptyElement(r);
        else if (type == XML_READER_TYPE_END_ELEMENT && is_name(r, "rPh"))
            in_rph = 0;
        else if (type == XML_READER_TYPE_ELEMENT && is_name(r, "t"))
            in_t = !xmlTextReaderIsEmptyElement(r);
        else if (type == XML_READER_TYPE_END_ELEMENT && is_name(r, "t"))
            in_t = 0;
        else if ((type == XML_READER_TYPE_TEXT ||
                  type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                  type == XML_READER_TYPE_WHITESPACE) &&
                 in_t && !in_rph) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (v && append(&x->text, &x->text_len, &x->text_cap, v,
                            strlen(v)))
                return -1;
        }
    }
    return -1;
}

/* ------------------------------------------------------------------ */
/* Shared strings, styles, workbook                                    */
/* ------------------------------------------------------------------ */

/*
 * Adds x->text to the shared strings; 1 when the table would pass its
 * limits (a workbook of a few hundred kilobytes can hold millions of
 * strings: a zip bomb), -1 when out of memory.
 */
static int add_sst(struct sv_xlsx *x, size_t *cap)
{
    size_t *p;

    if (x->nsst >= SST_MAX_STRINGS ||
        x->sst_len + x->text_len + 1 > SST_MAX_BYTES)
        return 1;
    if (x->nsst == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        if (!(p = realloc(x->sst_off, *cap * sizeof *p)))
            return -1;
        x->sst_off = p;
    }
    x->sst_off[x->nsst++] = x->sst_len;
    return append(&x->sst_text, &x->sst_len, &x->sst_cap, x->text,
                  x->text_len + 1) ? -1 : 0;
}

static enum sv_status load_sst(struct sv_xlsx *x, struct sv_error *err)
{
    zip_file_t *f;
    xmlTextReaderPtr r = open_part(x, "xl/sharedStrings.xml", &f);
    size_t cap = 0;
    int ret, full = 0;

    if (!r)
        return SV_OK; /* a workbook without strings has no such part */
    while ((ret = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
            !is_name(r, "si"))
            continue;
        if (read_runs(x, r)) {
            ret = -1;
            break;
        }
        if ((full = add_sst(x, &cap)))
            break;
    }
    close_part(r, f);
    if (full < 0)
        return sv_error_set(err, SV_ERR_NOMEM, x->path, 0, NULL,
                            "out of memory");
    if (full)
        return sv_error_set(err, SV_ERR_LIMIT, x->path, 0, NULL,
                            "more shared strings than the limit (%u "
                            "strings, %u MiB)", SST_MAX_STRINGS,
                            SST_MAX_BYTES >> 20);
    return ret == 0 ? SV_OK : bad_xml(x, "xl/sharedStrings.xml", err);
}

/* Built-in number formats 14-22 and 45-47 are dates and times. */
static int builtin_date(long id)
{
    return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

/* A custom format code is a date when it has d, m, y, h or s outside
 * quotes, brackets ([Red], [$-804]) and backslash escapes. */
static int code_is_date(const char *code)
{
    int quoted = 0, bracket = 0;

    for (const char *p = code; *p; p++) {
        if (*p == '\\' && p[1]) {
            p++;
            continue;
        }
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == '[')
            bracket = 1;
        else if (!quoted && *p == ']')
            bracket = 0;
        else if (!quoted && !bracket && strchr("dmyhsDMYHS", *p))
            return 1;
    }
    return 0;
}

struct numfmts {
    long ids[512];
    unsigned char is_date[512];
    size_t n;
};

static int fmt_is_date(const struct numfmts *nf, long id)
{
    for (size_t i = 0; i < nf->n; i++)
        if (nf->ids[i] == id)
            return nf->is_date[i];
    return builtin_date(id);
}

static void style_numfmt(struct sv_xlsx *x, xmlTextReaderPtr r,
                         struct numfmts *nf)
{
    char *id = attr(r, "numFmtId"), *code = attr(r, "formatCode");
    long v;

    if (id && code && nf->n < sizeof nf->ids / sizeof nf->ids[0] &&
        sv_parse_long(id, 0, 100000, &v) == SV_OK) {
        nf->ids[nf->n] = v;
        nf->is_date[nf->n++] = (unsigned char)code_is_date(code);
    }
    (void)x;
    xmlFree(id);
    xmlFree(code);
}

static int style_xf(struct sv_xlsx *x, xmlTextReaderPtr r,
                    const struct numfmts *nf, size_t *cap)
{
    char *id = attr(r, "numFmtId");
    long v = 0;

    if (x->nstyles == *cap) {
        unsigned char *p;
        *cap = *cap ? *cap * 2 : 64;
        if (!(p = realloc(x->date_style, *cap))) {
            xmlFree(id);
            return -1;
        }
        x->date_style = p;
    }
    if (!id || sv_parse_long(id, 0, 100000, &v) != SV_OK)
        v = 0;
    x->date_style[x->nstyles++] = (unsigned char)fmt_is_date(nf, v);
    xmlFree(id);
    return 0;
}

static enum sv_status load_styles(struct sv_xlsx *x, struct sv_error *err)
{
    zip_file_t *f;
    xmlTextReaderPtr r = open_part(x, "xl/styles.xml", &f);
    struct numfmts *nf = calloc(1, sizeof *nf);
    int in_xfs = 0, ret = 0;
    size_t cap = 0;

    if (!nf) {
        close_part(r, f);
        return sv_error_set(err, SV_ERR_NOMEM, x->path, 0, NULL,
                            "out of memory");
    }
    while (r && (ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT && is_name(r, "numFmt"))
            style_numfmt(x, r, nf);
        else if (is_name(r, "cellXfs"))
            in_xfs = type == XML_READER_TYPE_ELEMENT &&
                     !xmlTextReaderIsEmptyElement(r);
        else if (in_xfs && type == XML_READER_TYPE_ELEMENT &&
                 is_name(r, "xf") && style_xf(x, r, nf, &cap)) {
            ret = -2;
            break;
        }
    }
    free(nf);
    close_part(r, f);
    if (ret == -2)
        return sv_error_set(err, SV_ERR_NOMEM, x->path, 0, NULL,
                            "out of memory");
    return ret == 0 ? SV_OK : bad_xml(x, "xl/styles.xml", err);
}

/* The sheets of xl/workbook.xml: names and relationship ids. */
struct sheets {
    char *name[MAX_SHEETS], *rid[MAX_SHEETS];
    size_t n;
};

static void sheets_free(struct sheets *s)
{
    for (size_t i = 0; i < s->n; i++) {
        xmlFree(s->name[i]);
        xmlFree(s->rid[i]);
    }
}

static enum sv_status load_workbook(struct sv_xlsx *x, struct sheets *s,
                                    struct sv_error *err)
{
    zip_file_t *f;
    xmlTextReaderPtr r = open_part(x, "xl/workbook.xml", &f);
    int ret;

    if (!r)
        return sv_error_set(err, SV_ERR_DATA, x->path, 0, NULL,
                            "not an Excel workbook (a zip file without "
                            "xl/workbook.xml)");
    while ((ret = xmlTextReaderRead(r)) == 1) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
            continue;
        if (is_name(r, "workbookPr")) {
            char *d = attr(r, "date1904");
            x->date1904 = d && (strcmp(d, "1") == 0 ||
                                strcmp(d, "true") == 0);
            xmlFree(d);
        } else if (is_name(r, "sheet") && s->n < MAX_SHEETS) {
            s->name[s->n] = attr(r, "name");
            s->rid[s->n] = (char *)xmlTextReaderGetAttributeNs(
                r, (const xmlChar *)"id",
                (const xmlChar *)"http://schemas.openxmlformats.org/"
                                 "officeDocument/2006/relationships");
            if (s->name[s->n] && s->rid[s->n]) {
                s->n++;
                continue;
            }
            xmlFree(s->name[s->n]);
            xmlFree(s->rid[s->n]);
            s->name[s->n] = s->rid[s->n] = NULL;
        }
    }
    close_part(r, f);
    if (ret != 0)
        return bad_xml(x, "xl/workbook.xml", err);
    if (s->n == 0)
        return sv_error_set(err, SV_ERR_DATA, x->path, 0, NULL,
                            "workbook without worksheets");
    return SV_OK;
}

/* The package path of relationship RID ("worksheets/sheet1.xml" → xl/…). */
static enum sv_status sheet_target(struct sv_xlsx *x, const char *rid,
                                   char *out, size_t cap,
                                   struct sv_error *err)
{
    zip_file_t *f;
    xmlTextReaderPtr r = open_part(x, "xl/_rels/workbook.xml.rels", &f);
    int ret, found = 0;

    while (r && !found && (ret = xmlTextReaderRead(r)) == 1) {
        char *id, *target;
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
            !is_name(r, "Relationship"))
            continue;
        id = attr(r, "Id");
        target = attr(r, "Target");
        if (id && target && strcmp(id, rid) == 0) {
            found = 1;
            if (target[0] == '/')
                snprintf(out, cap, "%s", target + 1);
            else
                snprintf(out, cap, "xl/%s", target);
        }
        xmlFree(id);
        xmlFree(target);
    }
    close_part(r, f);
    if (!found)
        return sv_error_set(err, SV_ERR_DATA, x->path, 0, NULL,
                            "malformed workbook: no part for sheet '%s'",
                            rid);
    return SV_OK;
}

/* Index of the sheet WANT (a name, or a number from 1), or -1. */
static long find_sheet(const struct sheets *s, const char *want)
{
    long n;

    if (!want)
        return 0;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->name[i], want) == 0)
            return (long)i;
    if (sv_parse_long(want, 1, (long)s->n, &n) == SV_OK)
        return n - 1;
    return -1;
}

static enum sv_status no_sheet(const struct sv_xlsx *x,
                               const struct sheets *s, const char *want,
                               struct sv_error *err)
{
    char list[SV_ERR_MSG_MAX / 2] = "";
    size_t used = 0;

    for (size_t i = 0; i < s->n && used < sizeof list; i++) {
        int w = snprintf(list + used, sizeof list - used, "%s'%s'",
                         i ? ", " : "", s->name[i]);
        used += w > 0 ? (size_t)w : 0;
    }
    return sv_error_set(err, SV_ERR_DATA, x->path, 0, NULL,
                        "no sheet '%s' (sheets: %s)", want, list);
}

static enum sv_status open_sheet(struct sv_xlsx *x, const char *want,
                                 char *name, size_t cap,
                                 struct sv_error *err)
{
    struct sheets s = {{0}, {0}, 0};
    char part[512];
    enum sv_status st;
    long i;

    if ((st = load_workbook(x, &s, err)))
        goto done;
    if ((i = find_sheet(&s, want)) < 0) {
        st = no_sheet(x, &s, want, err);
        goto done;
    }
    if (snprintf(name, cap, "%s:%s", x->path, s.name[i]) >= (int)cap)
        name[cap - 1] = '\0'; /* a long name is cut, as every file name is */
    snprintf(x->path, sizeof x->path, "%s", name);
    if ((st = sheet_target(x, s.rid[i], part, sizeof part, err)))
        goto done;
    x->reader = open_part(x, part, &x->sheet_file);
    if (!x->reader)
        st = sv_error_set(err, SV_ERR_DATA, x->path, 0, NULL,
                          "malformed workbook: no part %s", part);
done:
    sheets_free(&s);
    return st;
}

/* ------------------------------------------------------------------ */
/* Opening                                                             */
/* ------------------------------------------------------------------ */

static void xlsx_free(struct sv_xlsx *x)
{
    if (!x)
        return;
    close_part(x->reader, x->sheet_file);
    free(x->sst_text);
    free(x->sst_off);
    free(x->date_style);
    free(x->text);
    free(x->rbuf);
    free(x->off);
    free(x->len);
    free(x->field);
    free(x->hdr);
    free(x->hdr_off);
    if (x->zip)
        zip_discard(x->zip);
    free(x);
}

/* All of FP in memory, for a workbook that comes through a pipe. */
static zip_source_t *zip_slurp(FILE *fp, zip_error_t *ze)
{
    char *buf = NULL, *p;
    size_t n = 0, cap = 0, r;
    zip_source_t *zs;

    do {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            if (!(p = realloc(buf, cap))) {
                free(buf);
                zip_error_set(ze, ZIP_ER_MEMORY, 0);
                return NULL;
            }
            buf = p;
        }
        r = fread(buf + n, 1, cap - n, fp);
        n += r;
    } while (r > 0);
    if (!(zs = zip_source_buffer_create(buf, n, 1, ze)))
        free(buf);
    return zs;
}

/*
 * A libzip source over FP: a duplicate of its descriptor when it is a
 * regular file (libzip closes what it is given, the generic layer closes
 * FP), else the whole input read into memory.
 */
static zip_source_t *zip_input(FILE *fp, zip_error_t *ze)
{
    int fd = fileno(fp), d;
    struct stat st;
    off_t at = ftello(fp);
    FILE *copy;

    if (fd < 0 || at < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return zip_slurp(fp, ze);
    if ((d = dup(fd)) < 0) {
        zip_error_set(ze, ZIP_ER_OPEN, errno);
        return NULL;
    }
    if (!(copy = fdopen(d, "rb"))) {
        close(d);
        zip_error_set(ze, ZIP_ER_OPEN, errno);
        return NULL;
    }
    return zip_source_filep_create(copy, (zip_uint64_t)at, -1, ze);
}

/* Opens the package on FP and the sheet WANT; a message in ERR if not. */
static enum sv_status xlsx_open(struct sv_xlsx *x, FILE *fp,
                                const char *want, char *name, size_t cap,
                                struct sv_error *err)
{
    static const unsigned char cfb[] = {0xD0, 0xCF, 0x11, 0xE0};
    unsigned char head[4] = {0};
    zip_error_t ze;
    zip_source_t *zs;
    off_t at = ftello(fp);

    if (at >= 0 && fread(head, 1, sizeof head, fp) == sizeof head &&
        memcmp(head, cfb, sizeof cfb) == 0)
        return sv_error_set(err, SV_ERR_DATA, x->path, 0, NULL,
                            "an encrypted workbook or an old .xls file (save "
                            "it without a password as .xlsx, or as CSV)");
    if (at >= 0 && fseeko(fp, at, SEEK_SET) != 0)
        return sv_error_set(err, SV_ERR_IO, x->path, 0, NULL,
                            "cannot read: %s", strerror(errno));
    zip_error_init(&ze);
    if (!(zs = zip_input(fp, &ze)) ||
        !(x->zip = zip_open_from_source(zs, ZIP_RDONLY, &ze))) {
        sv_error_set(err, SV_ERR_DATA, x->path, 0, NULL,
                     "not a readable workbook: %s", zip_error_strerror(&ze));
        zip_source_free(zs);
        zip_error_fini(&ze);
        return SV_ERR_DATA;
    }
    zip_error_fini(&ze);
    if (open_sheet(x, want, name, cap, err) || load_sst(x, err) ||
        load_styles(x, err))
        return err ? err->code : SV_ERR_DATA;
    return SV_OK;
}

/* ------------------------------------------------------------------ */
/* Rows                                                                */
/* ------------------------------------------------------------------ */

/* Excel serial day number SERIAL as a date and time; 0, or -1 if none. */
static int xlsx_serial_date(const struct sv_xlsx *x, double serial,
                            struct sv_date *d)
{
    /* days from 1899-12-30 (1900 system after its fake 1900-02-29) */
    long long secs;
    long days, z, era, doe, yoe, doy, mp;

    if (!(serial >= 1 && serial < 2958466))
        return -1;
    if (x->date1904)
        serial += 1462;
    else if (serial < 61)
        serial += 1; /* before Excel's 1900-02-29 */
    secs = llround(serial * 86400.0);
    days = (long)(secs / 86400) - 25569; /* to 1970-01-01 */
    secs %= 86400;
    /* civil_from_days (H. Hinnant) */
    z = days + 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    d->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    d->year = (int)(yoe + era * 400 + (d->month <= 2));
    d->hour = (int)(secs / 3600);
    d->min = (int)(secs / 60 % 60);
    d->sec = (int)(secs % 60);
    d->has_time = secs != 0;
    return 0;
}

/* Column number (1 = A) of a cell reference like "AB12", or 0. */
static long ref_column(const char *ref)
{
    long c = 0;

    for (; ref && *ref >= 'A' && *ref <= 'Z'; ref++)
        if ((c = c * 26 + (*ref - 'A' + 1)) > MAX_COLUMN)
            return 0;
    return c;
}

/* The text of a number cell: a date when its style says so. */
static void number_text(const struct sv_xlsx *x, const char *v, long style,
                        char *out, size_t cap)
{
    struct sv_date d;
    char *end;
    double num;

    errno = 0;
    num = strtod(v, &end);
    if (end == v || *end || errno) {
        snprintf(out, cap, "%s", v);
        return;
    }
    if (style >= 0 && (size_t)style < x->nstyles && x->date_style[style] &&
        xlsx_serial_date(x, num, &d) == 0) {
        sv_date_format(&d, out, cap);
        return;
    }
    if (fabs(num) < 1e15 && fabs(num - nearbyint(num)) < 1e-9 * fabs(num) + 1e-12)
        snprintf(out, cap, "%.0f", num);
    else
        snprintf(out, cap, "%.15g", num);
}

struct cell {
    char *type, *ref, *style;
    int in_v;
};

/* Turns the collected value of a cell into its text, in x->text. */
static int cell_text(struct sv_xlsx *x, const struct cell *c, char *v)
{
    char buf[64];
    const char *t = c->type ? c->type : "n";
    long idx, style = -1;

    if (strcmp(t, "s") == 0) {
        if (sv_parse_long(v, 0, (long)x->nsst - 1, &idx) != SV_OK)
            return -1;
        v = x->sst_text + x->sst_off[idx];
    } else if (strcmp(t, "str") == 0) {
        x->text_len = 0;
        if (append(&x->text, &x->text_len, &x->text_cap, v, strlen(v)))
            return -1;
        x->text_len = decode_xstring(x->text, x->text_len);
        return 0;
    } else if (strcmp(t, "b") == 0) {
        v = strcmp(v, "1") == 0 ? (char *)"TRUE" : (char *)"FALSE";
    } else if (strcmp(t, "n") == 0 && *v) {
        if (c->style && sv_parse_long(c->style, 0, 1000000, &style) != SV_OK)
            style = -1;
        number_text(x, v, style, buf, sizeof buf);
        v = buf;
    }
    x->text_len = 0;
    return append(&x->text, &x->text_len, &x->text_cap, v, strlen(v));
}

struct row_ctx {
    put_fn put;
    void *ctx;
    long next_col; /* next column to emit (1-based) */
};

static void put_cell(struct sv_xlsx *x, struct row_ctx *rc, long col,
                     const char *s, size_t n)
{
    while (rc->next_col < col) {
        rc->put(rc->ctx, "", 0);
        rc->next_col++;
    }
    rc->put(rc->ctx, s, n);
    rc->next_col++;
    (void)x;
}

static void cell_free(struct cell *c)
{
    xmlFree(c->type);
    xmlFree(c->ref);
    xmlFree(c->style);
    memset(c, 0, sizeof *c);
}

/* Reads one <c> element (the reader is on its start tag). */
static int read_cell(struct sv_xlsx *x, struct row_ctx *rc)
{
    xmlTextReaderPtr r = x->reader;
    struct cell c = {attr(r, "t"), attr(r, "r"), attr(r, "s"), 0};
    int depth = xmlTextReaderDepth(r), ret = 1, have = 0;
    long col = c.ref ? ref_column(c.ref) : rc->next_col;
    char *v = NULL;
    size_t vlen = 0, vcap = 0;

    if (col <= 0 || col < rc->next_col)
        col = -1; /* a bad or backward reference */
    if (!xmlTextReaderIsEmptyElement(r))
        while ((ret = xmlTextReaderRead(r)) == 1) {
            int type = xmlTextReaderNodeType(r);
            if (type == XML_READER_TYPE_END_ELEMENT &&
                xmlTextReaderDepth(r) == depth)
                break;
            if (type == XML_READER_TYPE_ELEMENT && is_name(r, "is")) {
                if (read_runs(x, r) ||
                    append(&v, &vlen, &vcap, x->text, x->text_len))
                    ret = -1;
                have = 1;
            } else if (type == XML_READER_TYPE_ELEMENT && is_name(r, "v")) {
                c.in_v = !xmlTextReaderIsEmptyElement(r);
                have = 1;
            } else if (type == XML_READER_TYPE_END_ELEMENT &&
                       is_name(r, "v")) {
                c.in_v = 0;
            } else if (c.in_v && (type == XML_READER_TYPE_TEXT ||
                                  type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE)) {
                const char *t = (const char *)xmlTextReaderConstValue(r);
                if (t && append(&v, &vlen, &vcap, t, strlen(t)))
                    ret = -1;
            }
            if (ret < 0)
                break;
        }
    if (ret == 1 && col > 0 && have &&
        (v ? cell_text(x, &c, v) : cell_text(x, &c, (char *)"")) == 0)
        put_cell(x, rc, col, x->text, x->text_len);
    else if (ret == 1 && col > 0 && have)
        ret = -2;
    free(v);
    cell_free(&c);
    return ret == 1 && col > 0 ? 0 : ret == -2 ? -2 : -1;
}

/*
 * Hands the cells of the next row to PUT, with the empty cells before each
 * filled one; sets *ROW to its number (0 at the end of the sheet).
 */
static enum sv_status next_cells(struct sv_xlsx *x, put_fn put, void *ctx,
                                 unsigned long *row, struct sv_error *err)
{
    xmlTextReaderPtr r = x->reader;
    struct row_ctx rc = {put, ctx, 1};
    int ret = 0, in_row = 0;

    while (!x->done && (ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_ELEMENT && is_name(r, "row")) {
            char *n = attr(r, "r");
            long v;
            x->row = n && sv_parse_long(n, 1, 1048576, &v) == SV_OK
                         ? (unsigned long)v
                         : x->row + 1;
            xmlFree(n);
            *row = x->row;
            if (xmlTextReaderIsEmptyElement(r))
                continue; /* an empty row: a blank line */
            in_row = 1;
        } else if (in_row && type == XML_READER_TYPE_ELEMENT &&
                   is_name(r, "c")) {
            if (read_cell(x, &rc))
                return sv_error_set(err, SV_ERR_DATA, x->path, x->row, NULL,
                                    "malformed workbook: bad cell");
        } else if (in_row && type == XML_READER_TYPE_END_ELEMENT &&
                   is_name(r, "row")) {
            return SV_OK;
        } else if (type == XML_READER_TYPE_END_ELEMENT &&
                   is_name(r, "sheetData")) {
            x->done = 1;
        }
    }
    if (!x->done && ret != 0)
        return bad_xml(x, "the worksheet", err);
    x->done = 1;
    *row = 0;
    return SV_OK;
}

/* ------------------------------------------------------------------ */
/* The record source                                                   */
/* ------------------------------------------------------------------ */

static int grow_cells(struct sv_xlsx *x)
{
    size_t cap = x->nf_cap ? x->nf_cap * 2 : 64;
    size_t *o = realloc(x->off, cap * sizeof *o), *l;
    const char **f;

    if (!o)
        return -1;
    x->off = o;
    if (!(l = realloc(x->len, cap * sizeof *l)))
        return -1;
    x->len = l;
    if (!(f = realloc(x->field, cap * sizeof *f)))
        return -1;
    x->field = f;
    x->nf_cap = cap;
    return 0;
}

/* Adds one cell to the record, trimmed as Excel's CSV export is read. */
static void put_record_cell(void *ctx, const char *s, size_t n)
{
    struct sv_xlsx *x = ctx;
    size_t at = x->rbuf_len;

    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (x->row_full)
        return;
    if (x->nf >= x->max_fields) {
        x->row_status = SV_ERR_LIMIT;
        x->row_msg = "too many cells in one row";
        x->row_full = 1;
        return;
    }
    if (n > x->max_field) {
        if (!x->row_status) {
            x->row_status = SV_ERR_LIMIT;
            x->row_msg = "cell longer than the limit";
            x->bad_cell = x->nf;
        }
        /* kept whole for the rejects file, as the CSV reader keeps it,
         * while the row stays within 16 MiB */
        if (x->rbuf_len + n > ROW_BYTES_MAX)
            n = 0;
    }
    if ((x->nf == x->nf_cap && grow_cells(x)) ||
        append(&x->rbuf, &x->rbuf_len, &x->rbuf_cap, s, n) ||
        append(&x->rbuf, &x->rbuf_len, &x->rbuf_cap, "", 1)) {
        x->row_status = SV_ERR_NOMEM;
        x->row_msg = "out of memory";
        x->row_full = 1;
        return;
    }
    x->off[x->nf] = at;
    x->len[x->nf++] = n;
}

static int row_empty(const struct sv_xlsx *x)
{
    for (size_t i = 0; i < x->nf; i++)
        if (x->len[i])
            return 0;
    return 1;
}

/* Keeps the header's cell texts (the first record) for messages. */
static void keep_header(struct sv_xlsx *x)
{
    if (x->hdr || !x->nf || !(x->hdr = malloc(x->rbuf_len + 1)) ||
        !(x->hdr_off = malloc(x->nf * sizeof *x->hdr_off)))
        return;
    memcpy(x->hdr, x->rbuf, x->rbuf_len);
    memcpy(x->hdr_off, x->off, x->nf * sizeof *x->off);
    x->hdr_n = x->nf;
}

/*
 * A fault of one row (a cell or the row over the limits): the row was
 * read to its end, so the source goes on at the next row; its cells (the
 * one at fault left empty) stay readable for the rejects file.
 */
static enum sv_status row_fault(struct sv_source *src, struct sv_xlsx *x,
                                struct sv_error *err)
{
    size_t b = x->bad_cell;
    const char *col = b < x->hdr_n && x->hdr[x->hdr_off[b]]
                          ? x->hdr + x->hdr_off[b] : NULL;

    src->resumable = x->row_status != SV_ERR_NOMEM;
    for (size_t i = 0; i < x->nf; i++)
        x->field[i] = x->rbuf + x->off[i];
    src->nf = x->nf;
    src->field = x->field;
    src->len = x->len;
    return sv_error_set(err, x->row_status, x->path, src->line, col, "%s",
                        x->row_msg);
}

/* The next row with a filled cell, padded to the header's width. */
static enum sv_status xlsx_next(struct sv_source *src, struct sv_error *err)
{
    struct sv_xlsx *x = src->impl;
    enum sv_status st;

    src->nf = 0;
    src->resumable = 0;
    do {
        x->nf = x->rbuf_len = 0;
        x->row_status = SV_OK;
        x->row_full = 0;
        x->bad_cell = SIZE_MAX;
        if ((st = next_cells(x, put_record_cell, x, &src->line, err)))
            return st;
    } while (src->line && !x->row_status && row_empty(x));
    if (!src->line)
        return SV_OK;
    while (x->nf < x->width && !x->row_full)
        put_record_cell(x, "", 0);
    if (x->row_status)
        return row_fault(src, x, err);
    if (!x->width) {
        x->width = x->nf;
        keep_header(x);
    }
    for (size_t i = 0; i < x->nf; i++)
        x->field[i] = x->rbuf + x->off[i];
    src->nf = x->nf;
    src->field = x->field;
    src->len = x->len;
    return SV_OK;
}

static void xlsx_release(struct sv_source *src)
{
    xlsx_free(src->impl);
    src->impl = NULL;
}

static const struct sv_source_ops xlsx_ops = {SV_SOURCE_XLSX, xlsx_next, NULL,
                                              xlsx_release, NULL, NULL};

enum sv_status sv_xlsx_source_init(struct sv_source *src, FILE *fp,
                                   const struct sv_source_options *opts,
                                   struct sv_error *err)
{
    struct sv_xlsx *x = calloc(1, sizeof *x);
    enum sv_status st;

    if (!x)
        return sv_error_set(err, SV_ERR_NOMEM, src->name, 0, NULL,
                            "out of memory");
    snprintf(x->path, sizeof x->path, "%s", src->name);
    x->max_field = opts->csv.max_field ? opts->csv.max_field
                                       : DEFAULT_MAX_FIELD;
    x->max_fields = opts->csv.max_fields ? opts->csv.max_fields
                                         : DEFAULT_MAX_FIELDS;
    if ((st = xlsx_open(x, fp, opts->sheet, src->name, sizeof src->name,
                        err))) {
        xlsx_free(x);
        return st;
    }
    src->impl = x;
    src->ops = &xlsx_ops;
    src->enc = SV_ENC_UTF8;
    src->delim = 0;
    return SV_OK;
}

int sv_source_serial_date(const struct sv_source *src, const char *v,
                          struct sv_date *d)
{
    char *end;
    double num;

    if (!src->ops || src->ops->kind != SV_SOURCE_XLSX || !*v)
        return -1;
    errno = 0;
    num = strtod(v, &end);
    if (*end || errno)
        return -1;
    return xlsx_serial_date(src->impl, num, d);
}
