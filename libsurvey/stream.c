/*
 * stream.c — the schema of the intermediate formats (the column names of
 * streams and cubes, one table for every writer and reader) and the
 * stream writer: one CSV line per returned questionnaire, or one per
 * complaint (README "The normalised stream", survey-stream(5)).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const stream_cols[SV_SCOL_NFIXED] = {
    [SV_SCOL_DATE] = "date",       [SV_SCOL_MONTH] = "month",
    [SV_SCOL_QUARTER] = "quarter", [SV_SCOL_HALF] = "half",
    [SV_SCOL_YEAR] = "year",       [SV_SCOL_SITE] = "site"};

static const char *const reg_cols[SV_RCOL_N] = {
    [SV_RCOL_RECEIVED] = "received", [SV_RCOL_CLOSED] = "closed",
    [SV_RCOL_MONTH] = "month",       [SV_RCOL_QUARTER] = "quarter",
    [SV_RCOL_HALF] = "half",         [SV_RCOL_YEAR] = "year",
    [SV_RCOL_SITE] = "site",         [SV_RCOL_HOUSEHOLD] = "household",
    [SV_RCOL_CATEGORY] = "category", [SV_RCOL_URGENT] = "urgent",
    [SV_RCOL_STATUS] = "status",     [SV_RCOL_TEXT] = "text"};

/*
 * The cube's columns with their types: the level, flag, count and share
 * print as numbers, the score exactly as stored (%.15g: a custom scale's
 * 66.6666666666667 must read back as it was written).
 */
static const struct sv_colspec cube_cols[SV_CCOL_N] = {
    [SV_CCOL_ITEM] = {"item", "分项", SV_TYPE_TEXT, 0},
    [SV_CCOL_ROLE] = {"role", "类型", SV_TYPE_TEXT, 0},
    [SV_CCOL_SCALE] = {"scale", "量表", SV_TYPE_TEXT, 0},
    [SV_CCOL_LEVEL] = {"level", "等级", SV_TYPE_INT, 0},
    [SV_CCOL_LABEL] = {"label", "选项", SV_TYPE_TEXT, 0},
    [SV_CCOL_SCORE] = {"score", "分值", SV_TYPE_NUM, SV_DECIMALS_EXACT},
    [SV_CCOL_SAT] = {"sat", "满意", SV_TYPE_INT, 0},
    [SV_CCOL_COUNT] = {"count", "计数", SV_TYPE_COUNT, 0},
    [SV_CCOL_PCT] = {"pct", "占比", SV_TYPE_NUM, 2}};

/* Other names a group label may not take (keys and metric columns). */
static const char *const other_reserved[] = {"period", "urgency", "id", "n",
                                             "missing", "responses", NULL};

/* The roles an item column of a questionnaire stream may carry. */
static const enum sv_role item_roles[] = {
    SV_ROLE_DIMENSION, SV_ROLE_OVERALL, SV_ROLE_NPS, SV_ROLE_COMPLAINT,
    SV_ROLE_REPEAT_COMPLAINT, SV_ROLE_COMMENT, SV_ROLE_MULTI};

const char *sv_stream_col_name(enum sv_stream_col c)
{
    return (unsigned)c < SV_SCOL_NFIXED ? stream_cols[c] : "";
}

const char *sv_reg_col_name(enum sv_reg_col c)
{
    return (unsigned)c < SV_RCOL_N ? reg_cols[c] : "";
}

const char *sv_cube_col_name(enum sv_cube_col c)
{
    return (unsigned)c < SV_CCOL_N ? cube_cols[c].name : "";
}

const struct sv_colspec *sv_cube_colspec(enum sv_cube_col c)
{
    return (unsigned)c < SV_CCOL_N ? &cube_cols[c] : NULL;
}

const char *sv_stream_period_col(enum sv_period p)
{
    switch (p) {
    case SV_PERIOD_MONTH: return stream_cols[SV_SCOL_MONTH];
    case SV_PERIOD_HALF: return stream_cols[SV_SCOL_HALF];
    case SV_PERIOD_YEAR: return stream_cols[SV_SCOL_YEAR];
    default: return stream_cols[SV_SCOL_QUARTER];
    }
}

int sv_stream_reserved(const char *name)
{
    for (int c = 0; c < SV_SCOL_NFIXED; c++)
        if (strcmp(name, stream_cols[c]) == 0)
            return 1;
    for (int c = 0; c < SV_RCOL_N; c++)
        if (strcmp(name, reg_cols[c]) == 0)
            return 1;
    for (int c = 0; c < SV_CCOL_N; c++)
        if (strcmp(name, cube_cols[c].name) == 0)
            return 1;
    for (size_t i = 0; other_reserved[i]; i++)
        if (strcmp(name, other_reserved[i]) == 0)
            return 1;
    return 0;
}

int sv_stream_item_parse(const char *name, size_t *label_len,
                         enum sv_role *role, const char **spec,
                         size_t *spec_len)
{
    size_t len = strlen(name);

    if (len < 3 || name[len - 1] != '}')
        return 0;
    for (const char *b = strchr(name, '{'); b; b = strchr(b + 1, '{'))
        for (size_t r = 0; r < sizeof item_roles / sizeof *item_roles; r++) {
            const char *rn = sv_role_name(item_roles[r]);
            size_t n = strlen(rn);
            const char *after = b + 1 + n;
            if (strncmp(b + 1, rn, n) != 0)
                continue;
            /* comment and multi may stand alone: {comment} {multi} */
            int bare = (item_roles[r] == SV_ROLE_COMMENT ||
                        item_roles[r] == SV_ROLE_MULTI) &&
                       *after == '}' && after + 1 == name + len;
            if (!bare && (item_roles[r] == SV_ROLE_COMMENT || *after != ':' ||
                          after + 2 >= name + len))
                continue;
            *label_len = (size_t)(b - name);
            *role = item_roles[r];
            *spec = bare ? after : after + 1;
            *spec_len = bare ? 0 : (size_t)(name + len - 1 - (after + 1));
            return 1;
        }
    return 0;
}

int sv_stream_is_failure(const char *field)
{
    return strncmp(field, SV_STREAM_FAILED, sizeof SV_STREAM_FAILED - 1) == 0;
}

enum sv_status sv_stream_check_failure(struct sv_csv *csv,
                                       struct sv_error *err)
{
    if (sv_csv_nfields(csv) == 0 || !sv_stream_is_failure(sv_csv_field(csv, 0)))
        return SV_OK;
    return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), sv_csv_line(csv),
                        NULL, "the input is incomplete: %s",
                        sv_csv_field(csv, 0));
}

/* ---- writing -------------------------------------------------------- */

/* A line being built in a fixed buffer; OVER when it did not fit. */
struct line {
    char *p;
    size_t len, cap;
    int over;
};

static void add(struct line *l, const char *s, size_t n)
{
    if (l->over || n > l->cap - l->len) {
        l->over = 1;
        return;
    }
    memcpy(l->p + l->len, s, n);
    l->len += n;
}

static void add_c(struct line *l, char ch)
{
    if (l->len < l->cap)
        l->p[l->len++] = ch;
    else
        l->over = 1;
}

static void add_s(struct line *l, const char *s)
{
    add(l, s, strlen(s));
}

/*
 * As sv_csv_write_field(), except that a line break inside the value
 * (CRLF, LF or CR) becomes one space: every record of a stream is one
 * physical line, so grep, head and sed never cut one in two.
 */
static void add_field(struct line *l, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        add_s(l, s);
        return;
    }
    add_c(l, '"');
    for (; *s; s++) {
        if (*s == '"')
            add_c(l, '"');
        if (*s == '\r' && s[1] == '\n')
            s++;
        add_c(l, *s == '\r' || *s == '\n' ? ' ' : *s);
    }
    add_c(l, '"');
}

static void add_int(struct line *l, int v)
{
    char d[16];
    size_t i = sizeof d;
    unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;

    do
        d[--i] = (char)('0' + u % 10);
    while ((u /= 10) > 0);
    if (v < 0)
        d[--i] = '-';
    add(l, d + i, sizeof d - i);
}

/* Writes V (0 <= V < 100) to P in two digits. */
static void put2(char *p, int v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";

    memcpy(p, pairs + 2 * v, 2);
}

/* Writes V (0 <= V < 10^WIDTH, WIDTH 2 or 4) to P in WIDTH digits. */
static void put_digits(char *p, int v, int width)
{
    if (width == 4) {
        put2(p, v / 100);
        p += 2;
        v %= 100;
    }
    put2(p, v);
}

/* True when D formats by hand exactly as sv_date_format() would. */
static int plain_date(const struct sv_date *d)
{
    return d->year >= 0 && d->year <= 9999 && d->month >= 1 &&
           d->month <= 12 && d->day >= 0 && d->day <= 99 &&
           (!d->has_time || (d->hour >= 0 && d->hour <= 99 && d->min >= 0 &&
                             d->min <= 99 && d->sec >= 0 && d->sec <= 99));
}

/*
 * The period keys month,quarter,half,year of REC, each followed by ','
 * (as sv_period_key(), formatted by hand: snprintf was a third of the
 * import's time).
 */
static void add_periods(struct line *l, const struct sv_record *rec)
{
    const struct sv_date *d = &rec->date;
    char key[16];

    if (rec->has_date && plain_date(d)) {
        /* YYYY-MM,YYYYQn,YYYYHn,YYYY, built in place: 27 bytes */
        char b[27];
        put_digits(b, d->year, 4);
        memcpy(b + 8, b, 4);
        memcpy(b + 15, b, 4);
        memcpy(b + 22, b, 4);
        b[4] = '-';
        put_digits(b + 5, d->month, 2);
        b[7] = b[14] = b[21] = b[26] = ',';
        b[12] = 'Q';
        b[13] = (char)('1' + (d->month - 1) / 3);
        b[19] = 'H';
        b[20] = (char)('1' + (d->month - 1) / 6);
        add(l, b, sizeof b);
        return;
    }
    for (enum sv_period p = SV_PERIOD_MONTH; p <= SV_PERIOD_YEAR; p++) {
        if (rec->has_date) {
            sv_period_key(d, p, key, sizeof key);
            add_s(l, key);
        }
        add_c(l, ',');
    }
}

/* The date D (as sv_date_format()) when HAS, then ','. */
static void add_date(struct line *l, int has, const struct sv_date *d)
{
    char buf[32];

    if (has && plain_date(d)) {
        /* YYYY-MM-DD, then " HH:MM:SS" when it has a time */
        char b[19];
        put_digits(b, d->year, 4);
        b[4] = b[7] = '-';
        put_digits(b + 5, d->month, 2);
        put_digits(b + 8, d->day, 2);
        if (d->has_time) {
            b[10] = ' ';
            put_digits(b + 11, d->hour, 2);
            b[13] = b[16] = ':';
            put_digits(b + 14, d->min, 2);
            put_digits(b + 17, d->sec, 2);
        }
        add(l, b, d->has_time ? 19 : 10);
    } else if (has) {
        sv_date_format(d, buf, sizeof buf);
        add_s(l, buf);
    }
    add_c(l, ',');
}

/* site,<groups> of REC (no comma after). */
static void add_site_groups(struct line *l, const struct sv_record *rec)
{
    add_field(l, rec->site);
    for (size_t j = 0; j < rec->ngroups; j++) {
        add_c(l, ',');
        add_field(l, rec->groups[j]);
    }
}

/* LABEL{ROLE:SCALE} of item column COL. */
static void add_item_name(struct line *l, const struct sv_column *col)
{
    char spec[2048], name[2600];
    struct line n = {name, 0, sizeof name - 1, 0};

    add_s(&n, col->label);
    add_c(&n, '{');
    add_s(&n, sv_role_name(col->role));
    if (col->role != SV_ROLE_COMMENT && col->scale) {
        add_c(&n, ':');
        if (sv_scale_spec(col->scale, spec, sizeof spec) < 0)
            n.over = 1;
        else
            add_s(&n, spec);
    } else if (col->role == SV_ROLE_MULTI && col->options) {
        add_s(&n, ":options=");
        add_s(&n, col->options);
    }
    add_c(&n, '}');
    name[n.over ? 0 : n.len] = '\0';
    add_field(l, name);
}

/* Writes L to FP, or, when it overflowed, nothing (returns -1). */
static int flush_line(const struct line *l, FILE *fp)
{
    if (l->over)
        return -1;
    fwrite(l->p, 1, l->len, fp);
    return 0;
}

/* Builds a line in BUF, or in a heap buffer big enough when BUF is not. */
#define WITH_LINE(l, body)                                                   \
    do {                                                                     \
        char buf_[4096];                                                     \
        size_t cap_ = sizeof buf_;                                           \
        char *heap_ = NULL;                                                  \
        struct line l = {buf_, 0, cap_, 0};                                  \
        for (;;) {                                                           \
            body;                                                            \
            if (!l.over || cap_ > ((size_t)1 << 30))                         \
                break;                                                       \
            cap_ *= 8;                                                       \
            free(heap_);                                                     \
            if (!(heap_ = malloc(cap_)))                                     \
                break;                                                       \
            l = (struct line){heap_, 0, cap_, 0};                            \
        }                                                                    \
        flush_line(&l, fp);                                                  \
        free(heap_);                                                         \
    } while (0)

void sv_stream_write_header(const struct sv_import *imp, FILE *fp)
{
    int reg = sv_import_is_register(imp);

    WITH_LINE(l, {
        for (int c = 0; c <= (reg ? SV_RCOL_SITE : SV_SCOL_SITE); c++) {
            add_s(&l, reg ? reg_cols[c] : stream_cols[c]);
            add_c(&l, ',');
        }
        l.len--; /* no comma after site */
        for (size_t j = 0; j < sv_import_ngroups(imp); j++) {
            add_c(&l, ',');
            add_field(&l, sv_import_group_label(imp, j));
        }
        for (int c = SV_RCOL_HOUSEHOLD; reg && c < SV_RCOL_N; c++) {
            add_c(&l, ',');
            add_s(&l, reg_cols[c]);
        }
        for (size_t i = 0; !reg && i < sv_import_nitems(imp); i++) {
            add_c(&l, ',');
            add_item_name(&l, sv_import_item(imp, i));
        }
        add_c(&l, '\n');
    });
}

static void add_register(struct line *l, const struct sv_record *rec)
{
    add_date(l, 1, &rec->date);
    add_date(l, rec->has_closed, &rec->closed);
    add_periods(l, rec);
    add_site_groups(l, rec);
    add_c(l, ',');
    add_field(l, rec->household);
    add_c(l, ',');
    add_field(l, rec->category);
    add_c(l, ',');
    if (rec->urgent >= 0)
        add_c(l, rec->urgent ? '1' : '0');
    add_c(l, ',');
    add_field(l, rec->status);
    add_c(l, ',');
    add_field(l, rec->text);
    add_c(l, '\n');
}

static void add_questionnaire(struct line *l, const struct sv_import *imp,
                              const struct sv_record *rec)
{
    const struct sv_column *const *items = sv_import_items(imp);

    add_date(l, rec->has_date, &rec->date);
    add_periods(l, rec);
    add_site_groups(l, rec);
    for (size_t i = 0; i < rec->nitems; i++) {
        enum sv_role role = items[i]->role;
        add_c(l, ',');
        if (role == SV_ROLE_COMMENT || role == SV_ROLE_MULTI) {
            if (rec->texts[i])
                add_field(l, rec->texts[i]);
        } else if (rec->codes[i] >= 0 && rec->codes[i] <= 9) {
            add_c(l, (char)('0' + rec->codes[i]));
        } else if (rec->codes[i] >= 0) {
            add_int(l, rec->codes[i]);
        }
    }
    add_c(l, '\n');
}

void sv_stream_write_record(const struct sv_import *imp,
                            const struct sv_record *rec, FILE *fp)
{
    if (sv_import_is_register(imp))
        WITH_LINE(l, add_register(&l, rec));
    else
        WITH_LINE(l, add_questionnaire(&l, imp, rec));
}

void sv_stream_write_failure(const struct sv_import *imp, const char *msg,
                             FILE *fp)
{
    size_t nf = 1;

    if (imp)
        nf = sv_import_is_register(imp)
                 ? SV_RCOL_N + sv_import_ngroups(imp)
                 : SV_SCOL_NFIXED + sv_import_ngroups(imp) +
                       sv_import_nitems(imp);
    WITH_LINE(l, {
        add_c(&l, '"');
        for (const char *s = SV_STREAM_FAILED; *s; s++)
            add_c(&l, *s);
        for (const char *s = msg; *s; s++) {
            if (*s == '"')
                add_c(&l, '"');
            add_c(&l, *s == '\n' || *s == '\r' ? ' ' : *s);
        }
        add_c(&l, '"');
        for (size_t k = 1; k < nf; k++)
            add_c(&l, ',');
        add_c(&l, '\n');
    });
}
