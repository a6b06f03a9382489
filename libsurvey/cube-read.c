/*
 * cube-read.c — reading normalised streams and cube files (--freq output)
 * into a cube: the header's layout, then one questionnaire per stream
 * line, or one count or sum per cube line up to the cube's (end) line.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cube-internal.h"


static enum sv_status bad(struct sv_csv *csv, const char *col,
                          struct sv_error *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static enum sv_status bad(struct sv_csv *csv, const char *col,
                          struct sv_error *err, const char *fmt, ...)
{
    char msg[SV_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), sv_csv_line(csv),
                        col, "%s", msg);
}

/* Column index of NAME in the header record of CSV, or -1. */
static long header_col(struct sv_csv *csv, const char *name)
{
    for (size_t i = 0; i < sv_csv_nfields(csv); i++)
        if (strcmp(sv_csv_field(csv, i), name) == 0)
            return (long)i;
    return -1;
}

/* The level numbers of scale S: LO (0 for nps11 and yesno, else 1) to HI. */
static void scale_range(const struct sv_scale *s, int *lo, int *hi)
{
    *lo = sv_scale_kind(s) == SV_SCALE_ORDINAL ? 1 : 0;
    *hi = *lo + sv_scale_levels(s) - 1;
}

/* Column positions of a stream or cube header. */
struct layout {
    int is_cube;
    long col[SV_CCOL_N];     /* cube: its columns */
    long date, site;         /* stream: two of its fixed columns; a cube's
                                site key (-1: none) */
    long *dim;               /* per cube dimension: column of its value */
    size_t nf;               /* fields per record */
    struct scol *items;      /* stream: the item columns but comments */
    size_t nitems;
    struct mraw *multi;      /* stream: its multi-select columns (their
                                field, their cube multi item) */
    size_t nmulti;
    uint64_t rows;           /* cube: data lines since its header */
    int ended;               /* cube: its (end) line was read */
    unsigned long last_line; /* physical line of the last record read */
    unsigned long *resp_line; /* cube: per group, its (responses) line */
    size_t resp_cap;
    unsigned long zero_line; /* cube: a (responses) 0 row of this run */
    char *zero_key;          /* ... and the key fields of its group */
};

/*
 * Writes the keys a header offers into BUF ("site, period, 楼栋"): a
 * cube's columns before item; a stream's site, period and group columns.
 */
static void offered_keys(struct sv_csv *csv, const struct layout *l,
                         char *buf, size_t cap)
{
    size_t used = 0, first = 0, end = sv_csv_nfields(csv);

    buf[0] = '\0';
    if (l->is_cube) {
        end = (size_t)l->col[SV_CCOL_ITEM];
    } else {
        used = (size_t)snprintf(buf, cap, "site, period");
        first = SV_SCOL_NFIXED;
    }
    for (size_t i = first; i < end && used < cap; i++) {
        const char *name = sv_csv_field(csv, i);
        if (!l->is_cube && strchr(name, '{'))
            break; /* the item columns follow the groups */
        used += (size_t)snprintf(buf + used, cap - used, "%s%s",
                                 used ? ", " : "", name);
    }
}

static enum sv_status find_dims(struct sv_cube *c, struct sv_csv *csv,
                                struct layout *l, struct sv_error *err)
{
    for (size_t d = 0; d < c->ndims; d++) {
        const char *name = c->dims[d];
        char keys[256];
        if (d == (size_t)c->period_dim && !l->is_cube)
            name = sv_stream_period_col(c->period);
        l->dim[d] = header_col(csv, name);
        if (l->dim[d] < 0 ||
            (l->is_cube && l->dim[d] >= l->col[SV_CCOL_ITEM])) {
            offered_keys(csv, l, keys, sizeof keys);
            sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                         sv_csv_line(csv), NULL,
                         "no key column '%s' in this %s (its keys: %s)",
                         name, l->is_cube ? "cube" : "stream",
                         keys[0] ? keys : "none");
            if (strcmp(name, "site") == 0)
                sv_error_hint(err, SV_HINT_NO_SITE_KEY);
            return SV_ERR_DATA;
        }
    }
    return SV_OK;
}

/* Maps multi-select column I (LABEL{multi:SPEC}) to a cube multi item. */
static enum sv_status stream_multi(struct sv_cube *c, struct layout *l,
                                   size_t i, const char *label,
                                   const char *spec, struct sv_error *err)
{
    long m = sv_cube_multi_of(c, label, spec);

    if (m < 0)
        return nomem(err);
    l->multi[l->nmulti++] = (struct mraw){i, (size_t)m};
    return SV_OK;
}

/*
 * Maps item column I of a stream header (LABEL{ROLE:SPEC}) to a cube item,
 * defining every level of its scale.
 */
static enum sv_status stream_item(struct sv_cube *c, struct sv_csv *csv,
                                  struct layout *l, size_t i,
                                  struct sv_error *err)
{
    const char *name = sv_csv_field(csv, i), *spec;
    size_t len, slen;
    enum sv_role role;
    char label[SV_VALUE_MAX + 1], sp[4096];
    struct sv_scale *s;
    struct sv_error e;
    struct scol *sc;
    long item;
    int r = 0;

    if (!sv_stream_item_parse(name, &len, &role, &spec, &slen) ||
        role == SV_ROLE_COMMENT)
        return SV_OK;
    if (len > SV_VALUE_MAX || slen >= sizeof sp)
        return sv_error_set(err, SV_ERR_LIMIT, sv_csv_name(csv),
                            sv_csv_line(csv), "item",
                            "value longer than %d bytes", SV_VALUE_MAX);
    memcpy(label, name, len);
    label[len] = '\0';
    memcpy(sp, spec, slen);
    sp[slen] = '\0';
    if (role == SV_ROLE_MULTI)
        return stream_multi(c, l, i, label, sp, err);
    if (!(s = sv_scale_parse(sp, &e)))
        return sv_error_set(err, e.code, sv_csv_name(csv), sv_csv_line(csv),
                            label, "bad scale in the header: %s", e.msg);
    sc = &l->items[l->nitems];
    sc->col = (long)i;
    scale_range(s, &sc->lo, &sc->hi);
    if ((item = sv_cube_item_of(c, label, role, sv_scale_name(s))) < 0)
        r = -1;
    for (int k = sc->lo; k <= sc->hi && r == 0; k++)
        r = sv_cube_define_level(c, (size_t)item, k, sv_scale_label(s, k),
                         sv_scale_score(s, k), sv_scale_sat(s, k));
    sv_scale_free(s);
    if (r < 0)
        return nomem(err);
    if (r > 0)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                            sv_csv_line(csv), label,
                            "item '%s' has two different definitions of its "
                            "levels", label);
    sc->item = (size_t)item;
    l->nitems++;
    return SV_OK;
}

static enum sv_status read_layout(struct sv_cube *c, struct sv_csv *csv,
                                  struct layout *l, struct sv_error *err)
{
    size_t nf = sv_csv_nfields(csv);
    struct scol *sc;
    struct mraw *mr;
    enum sv_status st;

    if ((st = sv_stream_check_failure(csv, err)))
        return st;
    l->nf = nf;
    l->nitems = 0;
    l->nmulti = 0;
    l->rows = 0;
    l->zero_line = 0;
    if (l->resp_cap)
        memset(l->resp_line, 0, l->resp_cap * sizeof *l->resp_line);
    l->ended = 0;
    for (int k = 0; k < SV_CCOL_N; k++)
        l->col[k] = header_col(csv, sv_cube_col_name(k));
    l->is_cube = l->col[SV_CCOL_COUNT] >= 0;
    if (header_col(csv, sv_reg_col_name(SV_RCOL_RECEIVED)) >= 0) {
        bad(csv, NULL, err, "%s", "this is a complaint-register stream");
        sv_error_hint(err, SV_HINT_REGISTER);
        return SV_ERR_DATA;
    }
    if (l->is_cube) {
        for (int k = 0; k < SV_CCOL_PCT; k++) /* pct is not read */
            if (l->col[k] < 0)
                return bad(csv, NULL, err, "not a cube: no '%s' column",
                           sv_cube_col_name(k));
        l->site = header_col(csv, sv_stream_col_name(SV_SCOL_SITE));
        if (l->site > l->col[SV_CCOL_ITEM])
            l->site = -1;
        if (c->keep_site && l->site < 0)
            return bad(csv, NULL, err, "this cube has no site key, so site "
                       "'%s' cannot be kept apart (it must be counted by "
                       "site)", c->keep_site);
        return find_dims(c, csv, l, err);
    }
    if (header_col(csv, "resp") >= 0 && l->col[SV_CCOL_ITEM] >= 0)
        return bad(csv, NULL, err, "%s", "a one-line-per-answer stream of "
                   "an earlier version: import the raw file again");
    for (int k = 0; k < SV_SCOL_NFIXED; k++)
        if (header_col(csv, sv_stream_col_name(k)) < 0) {
            bad(csv, NULL, err, "%s", "not a normalised stream or a cube");
            sv_error_hint(err, SV_HINT_RAW_QUESTIONNAIRE);
            return SV_ERR_DATA;
        }
    l->date = header_col(csv, sv_stream_col_name(SV_SCOL_DATE));
    l->site = header_col(csv, sv_stream_col_name(SV_SCOL_SITE));
    if (!(sc = realloc(l->items, (nf + 1) * sizeof *sc)))
        return nomem(err);
    l->items = sc;
    if (!(mr = realloc(l->multi, (nf + 1) * sizeof *mr)))
        return nomem(err);
    l->multi = mr;
    for (size_t i = 0; i < nf; i++)
        if ((st = stream_item(c, csv, l, i, err)))
            return st;
    return find_dims(c, csv, l, err);
}

static enum sv_status parse_count(struct sv_csv *csv, long col, uint64_t *out,
                                  struct sv_error *err)
{
    const char *s = sv_csv_field(csv, (size_t)col);
    char *end;

    if (*s < '0' || *s > '9')
        return bad(csv, "count", err, "invalid count '%s' (expected a "
                   "non-negative integer)", s);
    errno = 0;
    *out = strtoull(s, &end, 10);
    if (errno || *end)
        return bad(csv, "count", err, "invalid count '%s' (expected a "
                   "non-negative integer)", s);
    return SV_OK;
}

/* Parses a sum of the count column (an integer, maybe negative). */
static enum sv_status parse_sum(struct sv_csv *csv, long col, wide *out,
                                struct sv_error *err)
{
    const char *s = sv_csv_field(csv, (size_t)col), *p = s;
    int neg = *p == '-';
    wide v = 0;

    p += neg;
    if (!*p)
        return bad(csv, "count", err, "invalid sum '%s' (expected an "
                   "integer)", s);
    for (; *p; p++)
        if (*p < '0' || *p > '9' || __builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, neg ? -(*p - '0') : *p - '0', &v))
            return bad(csv, "count", err, "invalid sum '%s' (expected an "
                       "integer of at most 38 digits)", s);
    *out = v;
    return SV_OK;
}

/*
 * A level not met before for ITEM must be one of its scale's (when the
 * cube's scale cell is one we can read): level 11 on nps11 or 4 on abc3
 * would otherwise be counted as answers no figure uses, or as a fourth
 * level of abc3.  Scores are 0-100 scale scores.
 */
static enum sv_status check_level(struct sv_cube *c, struct sv_csv *csv,
                                  size_t item, long k, const char *score_s,
                                  double score, struct sv_error *err)
{
    const char *name = c->items[item].scale;
    struct sv_scale *s;
    int lo, hi;

    if (!(score >= 0 && score <= 100))
        return bad(csv, "score", err, "score '%s' out of range 0-100",
                   score_s);
    if (c->items[item].lv[k + 1].set || !*name ||
        !(s = sv_scale_parse(name, NULL)))
        return SV_OK;
    scale_range(s, &lo, &hi);
    sv_scale_free(s);
    if (k >= lo && k <= hi)
        return SV_OK;
    return bad(csv, "level", err, "level %ld is beyond the scale %s of item "
               "'%s' (expected %d-%d)", k, name, c->items[item].label, lo,
               hi);
}

/*
 * Defines every level of item I when its scale NAME is a built-in one, so
 * that a cube counted from a stream lists the levels nobody chose, as one
 * counted from raw files does.  Returns -1 on no memory.
 */
static int define_builtin_levels(struct sv_cube *c, size_t i, const char *name)
{
    static const char *const builtin[] = {"abc3", "likert5", "nps11", "yesno"};
    struct sv_scale *s = NULL;
    int lo, hi, r = 0;

    for (size_t b = 0; b < sizeof builtin / sizeof *builtin && !s; b++)
        if (strcmp(name, builtin[b]) == 0 && !(s = sv_scale_parse(name, NULL)))
            return -1;
    if (!s)
        return 0;
    scale_range(s, &lo, &hi);
    for (int k = lo; k <= hi && r == 0; k++)
        r = sv_cube_define_level(c, i, k, sv_scale_label(s, k), sv_scale_score(s, k),
                         sv_scale_sat(s, k));
    sv_scale_free(s);
    return r < 0 ? -1 : 0;
}

/*
 * Adds a cube count N to *CELL.  Cells stay at or below 2^53, the largest
 * integer a double holds exactly, so merged cubes never wrap around and
 * every statistic computed from them is exact in its counts.
 */
static enum sv_status add_checked(struct sv_csv *csv, uint64_t *cell,
                                  uint64_t n, struct sv_error *err)
{
    if (n > SV_CUBE_MAX_COUNT - *cell)
        return sv_error_set(err, SV_ERR_LIMIT, sv_csv_name(csv),
                            sv_csv_line(csv), "count",
                            "count overflow: %" PRIu64 " + %" PRIu64
                            " exceeds the limit 2^53", *cell, n);
    *cell += n;
    return SV_OK;
}

/* Reads level, label, score and sat of a cube line; CODE -1: no answer. */
static enum sv_status parse_level(struct sv_cube *c, struct sv_csv *csv,
                                  const struct layout *l, size_t item,
                                  int *code, struct sv_error *err)
{
    const char *lv = sv_csv_field(csv, (size_t)l->col[SV_CCOL_LEVEL]);
    const char *sc = sv_csv_field(csv, (size_t)l->col[SV_CCOL_SCORE]);
    long k;
    double score;
    int r;
    enum sv_status st;

    *code = -1;
    if (!*lv)
        return SV_OK;
    if (sv_parse_long(lv, 0, SV_CUBE_MAX_CODE, &k) != SV_OK)
        return bad(csv, "level", err, "invalid level '%s' (expected 0-16)",
                   lv);
    if (sv_parse_double(sc, &score))
        return bad(csv, "score", err, "invalid score '%s'", sc);
    if ((st = check_level(c, csv, item, k, sc, score, err)))
        return st;
    *code = (int)k;
    r = sv_cube_define_level(c, item, *code,
                     sv_csv_field(csv, (size_t)l->col[SV_CCOL_LABEL]), score,
                     strcmp(sv_csv_field(csv, (size_t)l->col[SV_CCOL_SAT]),
                            "1") == 0);
    if (r < 0)
        return nomem(err);
    if (r > 0)
        return bad(csv, "level", err, "level %s of this item was defined "
                   "differently before (label, score or sat)", lv);
    return SV_OK;
}

/* The error for cube period key KEY that cannot be re-keyed to c->period. */
static enum sv_status coarse_period(const struct sv_cube *c,
                                    struct sv_csv *csv, const char *key,
                                    struct sv_error *err)
{
    long ord;
    enum sv_period have = sv_period_ordinal(key, &ord);
    const char *want = sv_stream_period_col(c->period);

    if (have == SV_PERIOD_NONE)
        return bad(csv, "period", err, "invalid period key '%s'", key);
    bad(csv, "period", err, "period '%s' is a %s and cannot be split into "
        "%s periods (count the cube by %s or finer)", key,
        sv_stream_period_col(have), want, want);
    sv_error_hint(err, SV_HINT_PERIOD_COARSE);
    return SV_ERR_DATA;
}

/* The group of the current line; cube period keys are coarsened. */
static enum sv_status line_group(struct sv_cube *c, struct sv_csv *csv,
                                 const struct layout *l, const char **vals,
                                 long *g, struct sv_error *err)
{
    char period[16];

    for (size_t d = 0; d < c->ndims; d++)
        vals[d] = sv_csv_field(csv, (size_t)l->dim[d]);
    if (l->is_cube && c->period_dim >= 0 && *vals[c->period_dim]) {
        if (sv_period_rekey(vals[c->period_dim], c->period, period,
                            sizeof period) != SV_OK)
            return coarse_period(c, csv, vals[c->period_dim], err);
        vals[c->period_dim] = period;
    }
    /* one key (--by site): its value is the joined key */
    if (c->ndims == 1 && (*g = sv_cube_find_key(c, vals[0])) >= 0)
        return SV_OK;
    if (sv_cube_join_key(c, vals) || (*g = sv_cube_group_of(c)) < 0)
        return nomem(err);
    return SV_OK;
}

/* Keys and item labels obey the import's 200-byte limit: never truncated. */
static enum sv_status check_lengths(const struct sv_cube *c,
                                    struct sv_csv *csv, const struct layout *l,
                                    struct sv_error *err)
{
    for (size_t d = 0; d <= c->ndims; d++) {
        if (d == c->ndims && !l->is_cube)
            break;
        size_t col = (size_t)(d < c->ndims ? l->dim[d] : l->col[SV_CCOL_ITEM]);
        if (sv_csv_field_len(csv, col) > SV_VALUE_MAX)
            return sv_error_set(err, SV_ERR_LIMIT, sv_csv_name(csv),
                                sv_csv_line(csv),
                                d < c->ndims ? c->dims[d] : "item",
                                "value longer than %d bytes", SV_VALUE_MAX);
    }
    return SV_OK;
}

/* The level in a stream's item cell V: "" is no answer (-1). */
static enum sv_status stream_level(struct sv_cube *c, struct sv_csv *csv,
                                   const struct scol *sc, const char *v,
                                   int *code, struct sv_error *err)
{
    int k = 0;

    *code = -1;
    if (!*v)
        return SV_OK;
    if (v[0] >= '0' && v[0] <= '9' && !v[1]) /* most levels: one digit */
        k = v[0] - '0';
    else
        for (const char *p = v; *p; p++)
            if (*p < '0' || *p > '9' || p - v > 2 ||
                (k = k * 10 + *p - '0') < 0)
                goto bad_level;
    if (k >= sc->lo && k <= sc->hi) {
        *code = k;
        return SV_OK;
    }
bad_level:
    return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), sv_csv_line(csv),
                        c->items[sc->item].label,
                        "invalid level '%s' (expected %d-%d or empty)", v,
                        sc->lo, sc->hi);
}

/* One questionnaire of a stream. */
static enum sv_status stream_line(struct sv_cube *c, struct sv_csv *csv,
                                  const struct layout *l, const char **vals,
                                  long *gout, struct sv_error *err)
{
    const char *const *field;
    const size_t *len;
    enum sv_status st;
    long g;

    if ((st = check_lengths(c, csv, l, err)) ||
        (st = line_group(c, csv, l, vals, &g, err)))
        return st;
    if (sv_cube_reserve_answers(c, l->nitems + 1))
        return nomem(err);
    sv_csv_record(csv, &field, &len); /* the line has the header's fields */
    for (size_t k = 0; k < l->nitems; k++) {
        const struct scol *sc = &l->items[k];
        c->ans[k].item = sc->item;
        if ((st = stream_level(c, csv, sc, field[sc->col], &c->ans[k].code,
                               err)))
            return st;
    }
    *gout = g;
    if ((st = sv_cube_add_respondent(c, g, c->ans, l->nitems)))
        return st == SV_ERR_NOMEM
                   ? nomem(err)
                   : sum_overflow(err, sv_csv_name(csv), sv_csv_line(csv));
    for (size_t k = 0; k < l->nmulti && !st; k++)
        st = sv_cube_multi_add(c, (size_t)g, l->multi[k].m,
                               sv_csv_field(csv, l->multi[k].item),
                               sv_csv_name(csv), sv_csv_line(csv), err);
    return st;
}

/* Index of LABEL among the sum rows, or -1. */
static int sum_field(const char *label)
{
    for (int f = 0; f < F_N; f++)
        if (strcmp(label, sum_labels[f]) == 0)
            return f;
    return -1;
}

/* A sum row of item ITEM (or of the group's totals, ITEM < 0). */
static enum sv_status sum_line(struct sv_cube *c, struct sv_csv *csv,
                               const struct layout *l, long g, long item,
                               int f, struct sv_error *err)
{
    struct group *gr = &c->groups[g];
    long dim = item >= 0 ? c->items[item].dim : -1;
    struct sums *s = sums_of(gr, dim);
    uint64_t n;
    wide v = 0;
    int r;
    enum sv_status st;

    if (f == F_PN || f == F_AN) {
        if ((st = parse_count(csv, l->col[SV_CCOL_COUNT], &n, err)))
            return st;
        if (item >= 0 && dim < 0)
            return SV_OK; /* sums of an item that has none: not kept */
        return add_checked(csv, dim >= 0 && f == F_PN ? &s->pn : &s->an, n,
                           err);
    }
    if (dim < 0 && item < 0 && f != F_AX && f != F_AXX)
        return bad(csv, "label", err, "'%s' is not a row of the totals",
                   sum_labels[f]);
    if ((st = parse_sum(csv, l->col[SV_CCOL_COUNT], &v, err)))
        return st;
    if (v < 0) /* sums of 0-100 scores and of their products */
        return bad(csv, "count", err, "negative sum '%s' in row '%s' "
                   "(sums of scores are never negative)",
                   sv_csv_field(csv, (size_t)l->col[SV_CCOL_COUNT]),
                   sum_labels[f]);
    if (item >= 0 && dim < 0)
        return SV_OK;
    r = sum_add_wide(c, gr, dim,
                     f == F_AX ? S_AX : f == F_AXX ? S_AXX : S_PX + (f - F_PX),
                     v);
    if (r & SUM_NOMEM)
        return nomem(err);
    if (r)
        return sum_overflow(err, sv_csv_name(csv), sv_csv_line(csv));
    return SV_OK;
}

/* Remembers that group G's (responses) row of this cube is on LINE. */
static enum sv_status note_responses(struct layout *l, size_t g,
                                     unsigned long line, struct sv_error *err)
{
    if (g >= l->resp_cap) {
        size_t cap = l->resp_cap ? l->resp_cap : 64;
        unsigned long *p;
        while (cap <= g)
            cap *= 2;
        if (!(p = realloc(l->resp_line, cap * sizeof *p)))
            return nomem(err);
        memset(p + l->resp_cap, 0, (cap - l->resp_cap) * sizeof *p);
        l->resp_line = p;
        l->resp_cap = cap;
    }
    l->resp_line[g] = line;
    return SV_OK;
}

/* Roles whose every questionnaire gives one answer or none. */
static int one_answer_each(enum sv_role r)
{
    return r == SV_ROLE_DIMENSION || r == SV_ROLE_OVERALL ||
           r == SV_ROLE_NPS || r == SV_ROLE_COMPLAINT ||
           r == SV_ROLE_REPEAT_COMPLAINT;
}

/* A centred sum of squares below zero beyond rounding: sums that disagree. */
static int negative_ss(double ss)
{
    return ss < -1e-6;
}

/*
 * What is wrong with item I of group G (NULL when nothing): answers and
 * missing cells outnumbering the questionnaires, pairs or complete
 * respondents outnumbering the answers, sums no set of 0-100 scores gives.
 */
static const char *item_fault(const struct sv_cube *c, size_t g, size_t i,
                              uint64_t *answered)
{
    struct sv_cube_pair p;
    struct sv_cube_moments m;
    uint64_t resp = sv_cube_responses(c, g), n = 0;

    for (int k = 0; k <= SV_CUBE_MAX_CODE; k++)
        n += sv_cube_count(c, g, i, k);
    *answered = n;
    if (n + sv_cube_count(c, g, i, -1) > resp)
        return "answers and missing cells outnumber the questionnaires";
    if (sv_cube_pair(c, g, i, &p) &&
        (p.n > n || negative_ss(p.sxx) || negative_ss(p.syy) ||
         (p.n && (p.mean_x > 100 + 1e-9 || p.mean_y > 100 + 1e-9))))
        return p.n > n ? "its (pairs) outnumber its answers"
                       : "its pair sums are not sums of 0-100 scores";
    if (sv_cube_alpha_item(c, g, i, &m) &&
        (m.n > n || negative_ss(m.ss) || (m.n && m.mean > 100 + 1e-9)))
        return m.n > n ? "its (complete) outnumber its answers"
                       : "its complete sums are not sums of 0-100 scores";
    return NULL;
}

/* "A, 2026Q3": the key values of group G, for messages. */
static void group_text(const struct sv_cube *c, size_t g, char *buf,
                       size_t cap)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t d = 0; d < sv_cube_ndims(c) && used < cap; d++)
        used += (size_t)snprintf(buf + used, cap - used, "%s%s",
                                 d ? ", " : "", sv_cube_key(c, g, d));
}

/*
 * At a cube's (end) line, each group (with the cubes read before) must be
 * a possible count of questionnaires: (responses) 0 with answers present,
 * or pairs above the answers, is a damaged or hand-edited cube.
 */
static enum sv_status check_groups(const struct sv_cube *c,
                                   struct sv_csv *csv, const struct layout *l,
                                   struct sv_error *err)
{
    struct sv_cube_moments t;
    const char *mwhy, *mitem;
    char key[256];

    for (size_t g = 0; g < sv_cube_ngroups(c); g++) {
        unsigned long line = g < l->resp_cap && l->resp_line[g]
                                 ? l->resp_line[g] : sv_csv_line(csv);
        uint64_t resp = sv_cube_responses(c, g), n;
        for (size_t i = 0; i < sv_cube_nitems(c); i++) {
            struct sv_cube_item it = sv_cube_item(c, i);
            const char *why;
            if (!one_answer_each(it.role) || !(why = item_fault(c, g, i, &n)))
                continue;
            group_text(c, g, key, sizeof key);
            return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), line,
                                "count", "inconsistent cube: item '%s' of "
                                "group '%s': %s ((responses) %" PRIu64
                                ", answers %" PRIu64 ")", it.label,
                                key[0] ? key : "(all)", why, resp, n);
        }
        if ((mwhy = sv_cube_multi_fault(c, g, &mitem))) {
            group_text(c, g, key, sizeof key);
            return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), line,
                                "count", "inconsistent cube: multi-select "
                                "item '%s' of group '%s': %s ((responses) %"
                                PRIu64 ")", mitem, key[0] ? key : "(all)",
                                mwhy, resp);
        }
        if (sv_cube_alpha_total(c, g, &t) &&
            (t.n > resp || negative_ss(t.ss))) {
            group_text(c, g, key, sizeof key);
            return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), line,
                                "count", "inconsistent cube: the (total) "
                                "rows of group '%s' do not fit its %" PRIu64
                                " questionnaires", key[0] ? key : "(all)",
                                resp);
        }
    }
    return SV_OK;
}

/* The (end) line of a cube: it counts the lines since the header. */
static enum sv_status end_line(const struct sv_cube *c, struct sv_csv *csv,
                               struct layout *l, struct sv_error *err)
{
    uint64_t n;
    enum sv_status st = parse_count(csv, l->col[SV_CCOL_COUNT], &n, err);

    if (st || (st = check_groups(c, csv, l, err)))
        return st;
    if (n != l->rows)
        return bad(csv, "count", err, "the cube's (end) line counts %" PRIu64
                   " lines, but %" PRIu64 " were read (lines removed or "
                   "added?)", n, l->rows);
    l->ended = 1;
    return SV_OK;
}

/* The key fields of the current cube line (those before item), joined. */
static char *run_key(struct sv_csv *csv, const struct layout *l)
{
    size_t len = 1, end = (size_t)l->col[SV_CCOL_ITEM];
    char *k, *w;

    for (size_t i = 0; i < end; i++)
        len += sv_csv_field_len(csv, i) + 1;
    if (!(k = w = malloc(len)))
        return NULL;
    for (size_t i = 0; i < end; i++) {
        memcpy(w, sv_csv_field(csv, i), sv_csv_field_len(csv, i));
        w += sv_csv_field_len(csv, i);
        *w++ = KEY_SEP;
    }
    *w = '\0';
    return k;
}

/* After a (responses) row of N: remembers a 0 and its group's key. */
static enum sv_status note_zero(struct sv_csv *csv, struct layout *l,
                                uint64_t n, struct sv_error *err)
{
    free(l->zero_key);
    l->zero_key = NULL;
    l->zero_line = 0;
    if (n)
        return SV_OK;
    if (!(l->zero_key = run_key(csv, l)))
        return nomem(err);
    l->zero_line = sv_csv_line(csv);
    return SV_OK;
}

/* True when the current line belongs to the group of the (responses) 0. */
static int same_run(struct sv_csv *csv, const struct layout *l)
{
    char *k = run_key(csv, l);
    int same = !k || strcmp(k, l->zero_key) == 0;

    free(k);
    return same;
}

/*
 * A row of a multi-select item: one option's count, or its (answered) or
 * (missing) respondents (sv_cube_multi_freq).
 */
static enum sv_status multi_line(struct sv_cube *c, struct sv_csv *csv,
                                 const struct layout *l, size_t g,
                                 struct sv_error *err)
{
    const char *item = sv_csv_field(csv, (size_t)l->col[SV_CCOL_ITEM]);
    const char *label = sv_csv_field(csv, (size_t)l->col[SV_CCOL_LABEL]);
    long m = sv_cube_multi_of(c, item,
                              sv_csv_field(csv, (size_t)l->col[SV_CCOL_SCALE]));
    struct mcount *mc;
    uint64_t n, *cell;
    const char *why = "nomem";
    enum sv_status st;

    if (m < 0 || !(mc = sv_cube_mcount(c, g, (size_t)m)))
        return nomem(err);
    if (*sv_csv_field(csv, (size_t)l->col[SV_CCOL_LEVEL]))
        return bad(csv, "level", err, "a multi-select row has no level "
                   "(found '%s')",
                   sv_csv_field(csv, (size_t)l->col[SV_CCOL_LEVEL]));
    if ((st = parse_count(csv, l->col[SV_CCOL_COUNT], &n, err)))
        return st;
    if (n && l->zero_line && same_run(csv, l))
        return bad(csv, "count", err, "item '%s' counts %" PRIu64 " answers "
                   "or missing cells, but this group's (responses) on line "
                   "%lu is 0", item, n, l->zero_line);
    if (strcmp(label, "(answered)") == 0)
        return add_checked(csv, &mc->answered, n, err);
    if (strcmp(label, "(missing)") == 0)
        return add_checked(csv, &mc->missing, n, err);
    if (!*label)
        return bad(csv, "label", err, "%s", "a multi-select row without "
                   "its option");
    cell = sv_cube_multi_cell(c, g, (size_t)m, label, strlen(label), &why);
    if (cell)
        return add_checked(csv, cell, n, err);
    if (strcmp(why, "unknown") == 0)
        return bad(csv, "label", err, "unknown option '%s' of item '%s' (not "
                   "in its options= list)", label, item);
    if (strcmp(why, "limit") == 0)
        return sv_error_set(err, SV_ERR_LIMIT, sv_csv_name(csv),
                            sv_csv_line(csv), "label", "option '%s' is one "
                            "too many for multi-select item '%s' (at most %d "
                            "different options)", label, item,
                            SV_CUBE_MAX_OPTIONS);
    return nomem(err);
}

static enum sv_status cube_line(struct sv_cube *c, struct sv_csv *csv,
                                struct layout *l, const char **vals,
                                struct sv_error *err)
{
    const char *role_s = sv_csv_field(csv, (size_t)l->col[SV_CCOL_ROLE]);
    const char *item_s = sv_csv_field(csv, (size_t)l->col[SV_CCOL_ITEM]);
    const char *label_s = sv_csv_field(csv, (size_t)l->col[SV_CCOL_LABEL]);
    const char *level_s = sv_csv_field(csv, (size_t)l->col[SV_CCOL_LEVEL]);
    enum sv_role role = SV_ROLE_NONE;
    uint64_t n;
    size_t nitems;
    long g = -1, item;
    int code, f;
    enum sv_status st;

    if (l->ended)
        return bad(csv, NULL, err, "%s", "a line after the cube's (end) "
                   "line");
    if (strcmp(item_s, "(end)") == 0)
        return end_line(c, csv, l, err);
    l->rows++;
    if ((st = check_lengths(c, csv, l, err)) ||
        (st = line_group(c, csv, l, vals, &g, err)))
        return st;
    if (strcmp(item_s, "(responses)") == 0) {
        if ((st = parse_count(csv, l->col[SV_CCOL_COUNT], &n, err)) ||
            (st = note_responses(l, (size_t)g, sv_csv_line(csv), err)) ||
            (st = note_zero(csv, l, n, err)))
            return st;
        return add_checked(csv, &c->groups[g].responses, n, err);
    }
    f = *level_s ? -1 : sum_field(label_s);
    if (strcmp(item_s, "(total)") == 0 && f >= 0)
        return sum_line(c, csv, l, g, -1, f, err);
    if (sv_role_parse(role_s, &role) != SV_OK)
        return bad(csv, "role", err, "unknown role '%s'", role_s);
    if (role == SV_ROLE_COMMENT)
        return SV_OK;
    if (role == SV_ROLE_MULTI)
        return multi_line(c, csv, l, (size_t)g, err);
    nitems = c->nitems;
    if ((item = sv_cube_item_of(c, item_s, role,
                        sv_csv_field(csv, (size_t)l->col[SV_CCOL_SCALE]))) < 0 ||
        ((size_t)item == nitems &&
         define_builtin_levels(c, (size_t)item, c->items[item].scale) < 0))
        return nomem(err);
    if (f >= 0)
        return sum_line(c, csv, l, g, item, f, err);
    if (!*level_s && strcmp(label_s, "(missing)") != 0)
        return bad(csv, "label", err, "unknown cube row '%s' (a level, "
                   "(missing) or a sum)", label_s);
    if ((st = parse_count(csv, l->col[SV_CCOL_COUNT], &n, err)) ||
        (st = parse_level(c, csv, l, (size_t)item, &code, err)))
        return st;
    if (n && l->zero_line && same_run(csv, l))
        return bad(csv, "count", err, "item '%s' counts %" PRIu64 " answers "
                   "or missing cells, but this group's (responses) on line "
                   "%lu is 0", item_s, n, l->zero_line);
    return add_checked(csv, &counts_of(c, &c->groups[g], (size_t)item)[
                                                 (size_t)(code + 1)], n, err);
}

/*
 * True when the current record is a header line (concatenated files): the
 * same header, or another one (streams of other codebooks have other
 * group and item columns).
 */
static int is_header(struct sv_csv *csv, const struct layout *l)
{
    if (sv_csv_nfields(csv) == l->nf) {
        if (l->is_cube)
            return strcmp(sv_csv_field(csv, (size_t)l->col[SV_CCOL_ITEM]),
                          "item") == 0 &&
                   strcmp(sv_csv_field(csv, (size_t)l->col[SV_CCOL_LEVEL]),
                          "level") == 0;
        return strcmp(sv_csv_field(csv, (size_t)l->date), "date") == 0 &&
               strcmp(sv_csv_field(csv, (size_t)l->site), "site") == 0;
    }
    return (header_col(csv, "item") >= 0 && header_col(csv, "level") >= 0 &&
            header_col(csv, "count") >= 0) ||
           (header_col(csv, "date") >= 0 && header_col(csv, "site") >= 0 &&
            header_col(csv, "month") >= 0);
}

/* A cube must end with its (end) line: else it was cut off. */
static enum sv_status check_ended(struct sv_csv *csv, const struct layout *l,
                                  struct sv_error *err)
{
    if (!l->is_cube || l->ended)
        return SV_OK;
    return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), l->last_line,
                        NULL, "the cube is incomplete: no (end) line after "
                        "line %lu (cut off?)", l->last_line);
}

/*
 * True when the current line belongs to another site than the one kept
 * (sv_cube_keep_site); a cube's skipped lines still count for its (end).
 */
static int skipped(const struct sv_cube *c, struct sv_csv *csv,
                   struct layout *l)
{
    if (!c->keep_site
        || (l->is_cube && strcmp(sv_csv_field(csv,
                                              (size_t)l->col[SV_CCOL_ITEM]),
                                 "(end)") == 0)
        || strcmp(sv_csv_field(csv, (size_t)l->site), c->keep_site) == 0)
        return 0;
    if (l->is_cube)
        l->rows++;
    return 1;
}

/* The fast lane of a stream's lines (none for cubes and multi-selects). */
static struct sv_lane *stream_lane(struct sv_cube *c, const struct layout *l)
{
    if (l->is_cube || l->nmulti || l->date < 0)
        return NULL;
    return sv_lane_new_stream(c, l->nf, (size_t)l->date, l->dim, l->items,
                              l->nitems);
}

static enum sv_status read_lines(struct sv_cube *c, struct sv_csv *csv,
                                 struct sv_error *err)
{
    struct layout l = {0};
    struct sv_lane *lane = NULL;
    const char **vals = calloc(c->ndims + 1, sizeof *vals);
    enum sv_status st = SV_ERR_NOMEM;
    size_t nf;

    l.dim = calloc(c->ndims + 1, sizeof *l.dim);
    if (!vals || !l.dim) {
        nomem(err);
        goto out;
    }
    l.last_line = sv_csv_line(csv);
    if ((st = read_layout(c, csv, &l, err)))
        goto out;
    lane = stream_lane(c, &l);
    for (;;) {
        long g = -1;
        if (lane && sv_lane_count_stream(c, lane, csv, &st, err)) {
            if (st)
                break;
            continue;
        }
        if ((st = sv_csv_next(csv, &nf, err)) || nf == 0)
            break;
        if ((st = sv_stream_check_failure(csv, err)))
            break;
        if (is_header(csv, &l)) {
            sv_lane_free(lane);
            lane = NULL;
            if ((st = check_ended(csv, &l, err)) ||
                (st = read_layout(c, csv, &l, err)))
                break;
            lane = stream_lane(c, &l);
            l.last_line = sv_csv_line(csv);
            continue;
        }
        l.last_line = sv_csv_line(csv);
        if (nf != l.nf) {
            st = sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                              sv_csv_line(csv), NULL,
                              "expected %zu fields as in the header, found "
                              "%zu", l.nf, nf);
            break;
        }
        if (skipped(c, csv, &l))
            continue;
        st = l.is_cube ? cube_line(c, csv, &l, vals, err)
                       : stream_line(c, csv, &l, vals, &g, err);
        if (st)
            break;
        if (lane)
            sv_lane_learn_keys(lane, vals, g);
    }
    if (!st)
        st = check_ended(csv, &l, err);
out:
    sv_lane_free(lane);
    free(vals);
    free(l.dim);
    free(l.items);
    free(l.multi);
    free(l.resp_line);
    free(l.zero_key);
    return st;
}

/* A raw CSV file opened by the caller, through a source over it. */
static enum sv_status read_raw(struct sv_cube *c, struct sv_csv *csv,
                               const struct sv_codebook *cb,
                               enum sv_import_flags flags,
                               struct sv_error *err)
{
    struct sv_source *src = sv_source_from_csv(csv, err);
    enum sv_status st = src ? sv_cube_read_raw(c, src, cb, flags, err)
                            : SV_ERR_NOMEM;

    sv_source_free(src);
    return st;
}

enum sv_status sv_cube_read(struct sv_cube *c, struct sv_csv *csv,
                            const struct sv_codebook *cb,
                            enum sv_import_flags flags, struct sv_error *err)
{
    size_t nf;
    enum sv_status st;

    if (cb)
        return read_raw(c, csv, cb, flags, err);
    if ((st = sv_csv_next(csv, &nf, err)))
        return st;
    if (nf == 0)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 0, NULL,
                            "empty input (no header line)");
    return read_lines(c, csv, err);
}
