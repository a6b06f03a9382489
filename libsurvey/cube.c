/*
 * cube.c — the frequency cube: counts per group x item x level and the
 * multi-item sums (co-moments of each dimension item with the outcome,
 * moments of complete respondents), filled from raw files (through the
 * importer), normalised streams or other cubes.  Memory grows with the
 * number of groups and items, never with rows.
 *
 * The sums are exact integers: a score s is held as round(s * 10^6)
 * (SV_CUBE_SCORE_UNIT) and summed in 128-bit integers with every addition
 * and product checked, so a cube is the same bytes whatever the order in
 * which its respondents were added (raw file, -j N, stream, merged cubes).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>

#include "internal.h"

#define SLOTS (SV_CUBE_MAX_CODE + 2) /* slot 0: no answer; slot c+1: code c */
#define KEY_SEP '\x1f'

__extension__ typedef __int128 wide;

/* Largest |score| with sums: its fixed-point value stays below 10^15. */
#define SCORE_LIMIT 1e9

struct level_meta {
    char *label;
    double score;
    int64_t fx;  /* round(score * SV_CUBE_SCORE_UNIT) */
    int sat, set;
    int fx_ok;   /* |score| <= SCORE_LIMIT */
};

/* The multi-item sums of one group x dimension item (README). */
struct sums {
    uint64_t pn;                 /* pairs: item and outcome answered */
    wide px, py, pxx, pyy, pxy;  /* their sums, fixed point */
    uint64_t an;                 /* complete respondents */
    wide ax, axx;                /* the item's sums over them */
};

/* Fields of struct sums and the group totals in cube rows, in order. */
enum { F_PN, F_PX, F_PY, F_PXX, F_PYY, F_PXY, F_AN, F_AX, F_AXX, F_N };

static const char *const sum_labels[F_N] = {
    "(pairs)", "(pair x)", "(pair y)", "(pair xx)", "(pair yy)",
    "(pair xy)", "(complete)", "(complete x)", "(complete xx)"};

/* One answer of a respondent: cube item and level code (-1 = none). */
struct answer {
    size_t item;
    int code;
};

struct item {
    char *label, *scale;
    enum sv_role role;
    struct level_meta lv[SLOTS];
};

struct group {
    const struct sv_cube *owner; /* for the sort comparator */
    char *joined;      /* key values separated by KEY_SEP */
    const char **keys; /* pointers into a split copy */
    char *split;
    long period_ord;
    uint64_t responses;
    uint64_t *counts; /* item_cap x SLOTS */
    struct sums *sums; /* item_cap */
    uint64_t tn;       /* complete respondents */
    wide tx, txx;      /* sums of their totals over the dimension items */
};

struct sv_cube {
    char **dims;
    size_t ndims;
    long period_dim;
    enum sv_period period;
    struct item *items;
    size_t nitems, item_cap;
    struct group *groups;
    size_t ngroups, group_cap;
    size_t *hash; /* open addressing: group index + 1, 0 = empty */
    size_t hash_cap;
    char *key;    /* scratch: the joined key being looked up */
    size_t key_cap;
    long memo_ym;        /* year * 12 + month of memo_period, 0 = none */
    char memo_period[16]; /* period key of the last raw date */
    struct answer *ans;  /* scratch: one respondent's answers */
    size_t ans_cap;
};

/* A hash of the key S, eight bytes a step (every raw row looks one up). */
static uint64_t key_hash(const char *s)
{
    const uint64_t k = 0x9E3779B97F4A7C15ULL;
    size_t n = strlen(s);
    uint64_t h = n * k, w;

    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * k;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h = (h ^ w) * k;
    return h ^ h >> 29;
}

struct sv_cube *sv_cube_new(const char *const *dims, size_t ndims,
                            enum sv_period period, struct sv_error *err)
{
    struct sv_cube *c = calloc(1, sizeof *c);

    if (!c || sv_dims_copy(dims, ndims, &c->dims, &c->ndims, &c->period_dim))
        goto nomem;
    c->period = period ? period : SV_PERIOD_QUARTER;
    return c;
nomem:
    sv_cube_free(c);
    sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    return NULL;
}

void sv_cube_free(struct sv_cube *c)
{
    if (!c)
        return;
    for (size_t d = 0; d < c->ndims; d++)
        free(c->dims[d]);
    for (size_t i = 0; i < c->nitems; i++) {
        free(c->items[i].label);
        free(c->items[i].scale);
        for (int k = 0; k < SLOTS; k++)
            free(c->items[i].lv[k].label);
    }
    for (size_t g = 0; g < c->ngroups; g++) {
        free(c->groups[g].joined);
        free(c->groups[g].split);
        free(c->groups[g].keys);
        free(c->groups[g].counts);
        free(c->groups[g].sums);
    }
    free(c->ans);
    free(c->dims);
    free(c->items);
    free(c->groups);
    free(c->hash);
    free(c->key);
    free(c);
}

/* Joins VALS[0..ndims-1] into c->key. */
static int join_key(struct sv_cube *c, const char *const *vals)
{
    size_t need = 1;

    for (size_t d = 0; d < c->ndims; d++)
        need += strlen(vals[d]) + 1;
    if (need > c->key_cap) {
        char *k = realloc(c->key, need * 2);
        if (!k)
            return -1;
        c->key = k;
        c->key_cap = need * 2;
    }
    c->key[0] = '\0';
    for (size_t d = 0, o = 0; d < c->ndims; d++) {
        size_t n = strlen(vals[d]);
        memcpy(c->key + o, vals[d], n);
        o += n;
        c->key[o++] = d + 1 < c->ndims ? KEY_SEP : '\0';
    }
    return 0;
}

static long find_joined(const struct sv_cube *c, const char *key)
{
    size_t mask = c->hash_cap - 1, h;

    if (!c->hash_cap)
        return -1;
    for (h = key_hash(key) & mask; c->hash[h]; h = (h + 1) & mask)
        if (strcmp(c->groups[c->hash[h] - 1].joined, key) == 0)
            return (long)(c->hash[h] - 1);
    return -1;
}

/* Puts group G into the hash table (which has room). */
static void insert_hash(struct sv_cube *c, size_t g)
{
    size_t k = key_hash(c->groups[g].joined) & (c->hash_cap - 1);

    while (c->hash[k])
        k = (k + 1) & (c->hash_cap - 1);
    c->hash[k] = g + 1;
}

static int rehash(struct sv_cube *c, size_t cap)
{
    size_t *h = calloc(cap, sizeof *h);

    if (!h)
        return -1;
    free(c->hash);
    c->hash = h;
    c->hash_cap = cap;
    for (size_t g = 0; g < c->ngroups; g++)
        insert_hash(c, g);
    return 0;
}

static int split_keys(struct sv_cube *c, struct group *g)
{
    char *p;

    g->split = strdup(g->joined);
    g->keys = calloc(c->ndims + 1, sizeof *g->keys);
    if (!g->split || !g->keys)
        return -1;
    p = g->split;
    for (size_t d = 0; d < c->ndims; d++) {
        char *sep = strchr(p, KEY_SEP);
        g->keys[d] = p;
        if (sep) {
            *sep = '\0';
            p = sep + 1;
        }
    }
    if (c->period_dim >= 0)
        sv_period_ordinal(g->keys[c->period_dim], &g->period_ord);
    return 0;
}

/* Index of the group with key c->key, created when new; -1 on no memory. */
static long group_of(struct sv_cube *c)
{
    long g = find_joined(c, c->key);
    struct group *n;

    if (g >= 0)
        return g;
    if (c->ngroups == c->group_cap) {
        size_t cap = c->group_cap ? c->group_cap * 2 : 16;
        n = realloc(c->groups, cap * sizeof *n);
        if (!n)
            return -1;
        c->groups = n;
        c->group_cap = cap;
    }
    n = &c->groups[c->ngroups];
    memset(n, 0, sizeof *n);
    n->joined = strdup(c->key);
    n->counts = calloc(c->item_cap ? c->item_cap * SLOTS : 1, sizeof *n->counts);
    n->sums = calloc(c->item_cap ? c->item_cap : 1, sizeof *n->sums);
    c->ngroups++;
    if (!n->joined || !n->counts || !n->sums || split_keys(c, n))
        return -1;
    if (c->ngroups * 2 > c->hash_cap)
        return rehash(c, c->hash_cap ? c->hash_cap * 2 : 64)
                   ? -1
                   : (long)c->ngroups - 1;
    insert_hash(c, c->ngroups - 1);
    return (long)c->ngroups - 1;
}

static int grow_items(struct sv_cube *c)
{
    size_t cap = c->item_cap ? c->item_cap * 2 : 32;
    struct item *it = realloc(c->items, cap * sizeof *it);

    if (!it)
        return -1;
    c->items = it;
    for (size_t g = 0; g < c->ngroups; g++) {
        uint64_t *n = calloc(cap * SLOTS, sizeof *n);
        struct sums *m = calloc(cap, sizeof *m);
        if (!n || !m) {
            free(n);
            free(m);
            return -1;
        }
        memcpy(n, c->groups[g].counts,
               c->item_cap * SLOTS * sizeof *n);
        free(c->groups[g].counts);
        c->groups[g].counts = n;
        memcpy(m, c->groups[g].sums, c->item_cap * sizeof *m);
        free(c->groups[g].sums);
        c->groups[g].sums = m;
    }
    c->item_cap = cap;
    return 0;
}

/* Index of item (LABEL, ROLE, SCALE), created when new; -1 on no memory. */
static long item_of(struct sv_cube *c, const char *label, enum sv_role role,
                    const char *scale)
{
    struct item *it;

    for (size_t i = c->nitems; i-- > 0;)
        if (c->items[i].role == role && strcmp(c->items[i].label, label) == 0 &&
            strcmp(c->items[i].scale, scale) == 0)
            return (long)i;
    if (c->nitems == c->item_cap && grow_items(c))
        return -1;
    it = &c->items[c->nitems];
    memset(it, 0, sizeof *it);
    it->label = strdup(label);
    it->scale = strdup(scale);
    it->role = role;
    c->nitems++;
    return it->label && it->scale ? (long)c->nitems - 1 : -1;
}

/*
 * Records the meaning of level CODE of item I; a different meaning for
 * the same code is an error (returns 1), no memory returns -1.
 */
static int define_level(struct sv_cube *c, size_t i, int code,
                        const char *label, double score, int sat)
{
    struct level_meta *m = &c->items[i].lv[code + 1];

    if (m->set)
        return strcmp(m->label, label) != 0 || !sv_near(m->score, score) ||
               m->sat != sat;
    m->label = strdup(label);
    m->score = score;
    m->sat = sat;
    m->set = 1;
    m->fx_ok = fabs(score) <= SCORE_LIMIT;
    m->fx = m->fx_ok ? llround(score * SV_CUBE_SCORE_UNIT) : 0;
    return m->label ? 0 : -1;
}

/* *ACC += V; nonzero on overflow. */
static int wadd(wide *acc, wide v)
{
    return __builtin_add_overflow(*acc, v, acc);
}

/* |V| < 2^31: the product of two such values fits in 63 bits. */
static int small(wide v)
{
    return v > -((wide)1 << 31) && v < (wide)1 << 31;
}

/*
 * *ACC += A * B; nonzero on overflow.  Scores of 0-100 are below 2^31 in
 * fixed point, so the product is made in 64 bits (every raw row comes
 * here once per item).
 */
static int wmuladd(wide *acc, wide a, wide b)
{
    wide p;

    if (small(a) && small(b))
        return wadd(acc, (wide)((int64_t)a * (int64_t)b));
    return __builtin_mul_overflow(a, b, &p) || wadd(acc, p);
}

/* NUM / DEN (> 0) rounded to the nearest integer, halves away from zero. */
static wide div_round(wide num, wide den)
{
    wide q, r;

    if (num > INT64_MIN && num < INT64_MAX && den < (wide)1 << 32) {
        /* the usual case, without a 128-bit division */
        int64_t n = (int64_t)num, d = (int64_t)den, q64 = n / d, r64 = n % d;
        if (2 * (r64 < 0 ? -r64 : r64) >= d)
            q64 += n < 0 ? -1 : 1;
        return q64;
    }
    q = num / den;
    r = num % den;

    if (2 * (r < 0 ? -r : r) >= den)
        q += num < 0 ? -1 : 1;
    return q;
}

static int pair_add(struct sums *m, wide x, wide y)
{
    m->pn++;
    return wadd(&m->px, x) | wadd(&m->py, y) | wmuladd(&m->pxx, x, x) |
           wmuladd(&m->pyy, y, y) | wmuladd(&m->pxy, x, y);
}

/*
 * Adds one returned questionnaire to group G: its answers A[0..N-1] (every
 * non-comment item of its form, -1 for no answer) are counted by level,
 * and the multi-item sums are updated (README "The frequency cube"): for
 * each answered dimension item, its score x with the outcome y (the
 * form's one `overall` item, else the mean of the respondent's other
 * answered dimension items, rounded to the fixed-point unit); and when
 * every dimension item is answered, each x and the total.  The raw path
 * and the stream path both count through here.  Returns SV_ERR_LIMIT on
 * overflow of a sum.
 */
static enum sv_status add_respondent(struct sv_cube *c, long g,
                                     const struct answer *a, size_t n)
{
    struct group *gr = &c->groups[g];
    size_t ndim = 0, nover = 0, m = 0;
    long over = -1;
    wide total = 0, y = 0;
    int ovf = 0;

    gr->responses++;
    for (size_t k = 0; k < n; k++) {
        const struct item *it = &c->items[a[k].item];
        const struct level_meta *lv = &it->lv[a[k].code + 1];
        gr->counts[a[k].item * SLOTS + (size_t)(a[k].code + 1)]++;
        if (it->role == SV_ROLE_OVERALL) {
            nover++;
            over = a[k].code >= 0 && lv->fx_ok ? (long)k : -1;
        } else if (it->role == SV_ROLE_DIMENSION) {
            ndim++;
            if (a[k].code >= 0 && lv->fx_ok) {
                m++;
                total += lv->fx; /* at most 16384 x 10^15: no overflow */
            }
        }
    }
    if (nover == 1 && over >= 0)
        y = c->items[a[over].item].lv[a[over].code + 1].fx;
    for (size_t k = 0; k < n; k++) {
        const struct item *it = &c->items[a[k].item];
        const struct level_meta *lv = &it->lv[a[k].code + 1];
        struct sums *s = &gr->sums[a[k].item];
        if (it->role != SV_ROLE_DIMENSION || a[k].code < 0 || !lv->fx_ok)
            continue;
        if (nover == 1 && over >= 0)
            ovf |= pair_add(s, lv->fx, y);
        else if (nover != 1 && m >= 2)
            ovf |= pair_add(s, lv->fx, div_round(total - lv->fx,
                                                 (wide)(m - 1)));
        if (m == ndim) {
            s->an++;
            ovf |= wadd(&s->ax, lv->fx) | wmuladd(&s->axx, lv->fx, lv->fx);
        }
    }
    if (ndim > 0 && m == ndim) {
        gr->tn++;
        ovf |= wadd(&gr->tx, total) | wmuladd(&gr->txx, total, total);
    }
    return ovf ? SV_ERR_LIMIT : SV_OK;
}

/* Room for N answers in c->ans; -1 on no memory. */
static int reserve_answers(struct sv_cube *c, size_t n)
{
    struct answer *a;

    if (n <= c->ans_cap)
        return 0;
    if (!(a = realloc(c->ans, n * sizeof *a)))
        return -1;
    c->ans = a;
    c->ans_cap = n;
    return 0;
}

static enum sv_status nomem(struct sv_error *err)
{
    return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

static enum sv_status sum_overflow(struct sv_error *err, const char *file,
                                   unsigned long line)
{
    return sv_error_set(err, SV_ERR_LIMIT, file, line, NULL,
                        "overflow of the cube's multi-item sums (beyond "
                        "128-bit integers)");
}

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

/* Where each dimension's value comes from in a raw record. */
enum { SRC_SITE = -1, SRC_PERIOD = -2 };

static enum sv_status raw_dims(struct sv_cube *c, const struct sv_import *imp,
                               long *src, struct sv_error *err)
{
    for (size_t d = 0; d < c->ndims; d++) {
        src[d] = strcmp(c->dims[d], "site") == 0     ? SRC_SITE
                 : strcmp(c->dims[d], "period") == 0 ? SRC_PERIOD
                                                     : -3;
        for (size_t j = 0; src[d] == -3 && j < sv_import_ngroups(imp); j++)
            if (strcmp(sv_import_group_label(imp, j), c->dims[d]) == 0)
                src[d] = (long)j;
        if (src[d] == -3)
            return sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                                "no group column labelled '%s' in the "
                                "codebook", c->dims[d]);
    }
    return SV_OK;
}

/* Maps the importer's items to cube items, defining every scale level. */
static enum sv_status raw_items(struct sv_cube *c, const struct sv_import *imp,
                                long *map, struct sv_error *err)
{
    for (size_t i = 0; i < sv_import_nitems(imp); i++) {
        const struct sv_column *col = sv_import_item(imp, i);
        const struct sv_scale *s = col->scale;
        int lo, hi;
        map[i] = -1;
        if (col->role == SV_ROLE_COMMENT || !s)
            continue;
        lo = sv_scale_kind(s) == SV_SCALE_ORDINAL ? 1 : 0;
        hi = lo + sv_scale_levels(s) - 1;
        map[i] = item_of(c, col->label, col->role, sv_scale_name(s));
        if (map[i] < 0)
            return nomem(err);
        for (int k = lo; k <= hi; k++)
            if (define_level(c, (size_t)map[i], k, sv_scale_label(s, k),
                             sv_scale_score(s, k), sv_scale_sat(s, k)))
                return sv_error_set(err, SV_ERR_DATA, NULL, 0, col->label,
                                    "item '%s' has two different "
                                    "definitions of level %d", col->label, k);
    }
    return SV_OK;
}

/* The period key of a raw record's date, formatted once per month seen. */
static const char *raw_period(struct sv_cube *c, const struct sv_record *rec)
{
    long ym = (long)rec->date.year * 12 + rec->date.month;

    if (!rec->has_date)
        return "";
    if (ym != c->memo_ym) {
        sv_period_key(&rec->date, c->period, c->memo_period,
                      sizeof c->memo_period);
        c->memo_ym = ym;
    }
    return c->memo_period;
}

static enum sv_status raw_row(struct sv_cube *c, const struct sv_record *rec,
                              const long *src, const long *map,
                              const char **vals)
{
    const char *period = c->period_dim >= 0 ? raw_period(c, rec) : "";
    size_t n = 0;
    long g;

    for (size_t d = 0; d < c->ndims; d++)
        vals[d] = src[d] == SRC_SITE     ? rec->site
                  : src[d] == SRC_PERIOD ? period
                                         : rec->groups[src[d]];
    /* one key (--by site): its value is the joined key */
    if (((c->ndims != 1 || (g = find_joined(c, vals[0])) < 0) &&
         (join_key(c, vals) || (g = group_of(c)) < 0)) ||
        reserve_answers(c, rec->nitems + 1))
        return SV_ERR_NOMEM;
    for (size_t i = 0; i < rec->nitems; i++)
        if (map[i] >= 0)
            c->ans[n++] = (struct answer){(size_t)map[i], rec->codes[i]};
    return add_respondent(c, g, c->ans, n);
}

/*
 * Counts the rows of raw SRC into C through IMP; the header is read from
 * SRC, or, with LIKE, mapped as LIKE mapped it (a later range of a file).
 */
static enum sv_status read_rows(struct sv_cube *c, struct sv_source *src,
                                const struct sv_codebook *cb,
                                struct sv_import *imp,
                                const struct sv_import *like,
                                struct sv_error *err)
{
    long *from = calloc(c->ndims + 1, sizeof *from);
    long *map = calloc(sv_codebook_count(cb) + 1, sizeof *map);
    const char **vals = calloc(c->ndims + 1, sizeof *vals);
    struct sv_record rec;
    enum sv_status st = SV_ERR_NOMEM;
    size_t nf;

    if (!from || !map || !vals) {
        nomem(err);
        goto out;
    }
    if (sv_codebook_is_register(cb)) {
        st = sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                          "a complaint-register codebook");
        sv_error_hint(err, SV_HINT_REGISTER);
        goto out;
    }
    if ((st = raw_dims(c, imp, from, err)) ||
        (st = like ? sv_import_header_like(imp, like, err)
                   : sv_import_header(imp, src, err)) ||
        (st = raw_items(c, imp, map, err)))
        goto out;
    while ((st = sv_source_next(src, &nf, err)) == SV_OK && nf > 0) {
        if ((st = sv_import_row(imp, src, &rec, err)))
            break;
        if ((st = raw_row(c, &rec, from, map, vals))) {
            if (st == SV_ERR_LIMIT)
                sum_overflow(err, sv_source_name(src), rec.line);
            else
                nomem(err);
            break;
        }
    }
out:
    free(from);
    free(map);
    free(vals);
    return st;
}

enum sv_status sv_cube_read_raw(struct sv_cube *c, struct sv_source *src,
                                const struct sv_codebook *cb,
                                enum sv_import_flags flags,
                                struct sv_error *err)
{
    /* a cube counts answers only */
    struct sv_import *imp = sv_import_new(cb, flags | SV_IMPORT_NO_TEXT, err);
    enum sv_status st = imp ? read_rows(c, src, cb, imp, NULL, err)
                            : SV_ERR_NOMEM;

    sv_import_free(imp);
    return st;
}

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

/* A stream's item column: where it is and which cube item it counts. */
struct scol {
    long col;
    size_t item;
    int lo, hi; /* its valid levels */
};

/* Column positions of a stream or cube header. */
struct layout {
    int is_cube;
    long col[SV_CCOL_N];     /* cube: its columns */
    long date, site;         /* stream: two of its fixed columns */
    long *dim;               /* per cube dimension: column of its value */
    size_t nf;               /* fields per record */
    struct scol *items;      /* stream: the item columns but comments */
    size_t nitems;
    uint64_t rows;           /* cube: data lines since its header */
    int ended;               /* cube: its (end) line was read */
    unsigned long last_line; /* physical line of the last record read */
};

static enum sv_status find_dims(struct sv_cube *c, struct sv_csv *csv,
                                struct layout *l, struct sv_error *err)
{
    for (size_t d = 0; d < c->ndims; d++) {
        const char *name = c->dims[d];
        if (d == (size_t)c->period_dim && !l->is_cube)
            name = sv_stream_period_col(c->period);
        l->dim[d] = header_col(csv, name);
        if (l->dim[d] < 0 ||
            (l->is_cube && l->dim[d] >= l->col[SV_CCOL_ITEM]))
            return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                                sv_csv_line(csv), NULL,
                                "no key column '%s' in this %s", name,
                                l->is_cube ? "cube" : "stream");
    }
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
    if (!(s = sv_scale_parse(sp, &e)))
        return sv_error_set(err, e.code, sv_csv_name(csv), sv_csv_line(csv),
                            label, "bad scale in the header: %s", e.msg);
    sc = &l->items[l->nitems];
    sc->col = (long)i;
    sc->lo = sv_scale_kind(s) == SV_SCALE_ORDINAL ? 1 : 0;
    sc->hi = sc->lo + sv_scale_levels(s) - 1;
    if ((item = item_of(c, label, role, sv_scale_name(s))) < 0)
        r = -1;
    for (int k = sc->lo; k <= sc->hi && r == 0; k++)
        r = define_level(c, (size_t)item, k, sv_scale_label(s, k),
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
    enum sv_status st;

    if ((st = sv_stream_check_failure(csv, err)))
        return st;
    l->nf = nf;
    l->nitems = 0;
    l->rows = 0;
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
    lo = sv_scale_kind(s) == SV_SCALE_ORDINAL ? 1 : 0;
    hi = lo + sv_scale_levels(s) - 1;
    for (int k = lo; k <= hi && r == 0; k++)
        r = define_level(c, i, k, sv_scale_label(s, k), sv_scale_score(s, k),
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

    *code = -1;
    if (!*lv)
        return SV_OK;
    if (sv_parse_long(lv, 0, SV_CUBE_MAX_CODE, &k) != SV_OK)
        return bad(csv, "level", err, "invalid level '%s' (expected 0-16)",
                   lv);
    if (sv_parse_double(sc, &score))
        return bad(csv, "score", err, "invalid score '%s'", sc);
    *code = (int)k;
    r = define_level(c, item, *code,
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
            return bad(csv, "period", err, "cannot regroup period '%s' "
                       "(not a period key, or finer than asked)",
                       vals[c->period_dim]);
        vals[c->period_dim] = period;
    }
    if (join_key(c, vals) || (*g = group_of(c)) < 0)
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

/* The level in a stream's item cell: "" is no answer (-1). */
static enum sv_status stream_level(struct sv_cube *c, struct sv_csv *csv,
                                   const struct scol *sc, int *code,
                                   struct sv_error *err)
{
    const char *v = sv_csv_field(csv, (size_t)sc->col);
    int k = 0;

    *code = -1;
    if (!*v)
        return SV_OK;
    for (const char *p = v; *p; p++)
        if (*p < '0' || *p > '9' || p - v > 2 || (k = k * 10 + *p - '0') < 0)
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
                                  struct sv_error *err)
{
    enum sv_status st;
    long g;

    if ((st = check_lengths(c, csv, l, err)) ||
        (st = line_group(c, csv, l, vals, &g, err)))
        return st;
    if (reserve_answers(c, l->nitems + 1))
        return nomem(err);
    for (size_t k = 0; k < l->nitems; k++) {
        c->ans[k].item = l->items[k].item;
        if ((st = stream_level(c, csv, &l->items[k], &c->ans[k].code, err)))
            return st;
    }
    if (add_respondent(c, g, c->ans, l->nitems))
        return sum_overflow(err, sv_csv_name(csv), sv_csv_line(csv));
    return SV_OK;
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
    struct sums *s = item >= 0 ? &gr->sums[item] : NULL;
    wide *cell[F_N] = {NULL};
    uint64_t n;
    wide v = 0;
    enum sv_status st;

    if (f == F_PN || f == F_AN) {
        if ((st = parse_count(csv, l->col[SV_CCOL_COUNT], &n, err)))
            return st;
        return add_checked(csv, !s ? &gr->tn : f == F_PN ? &s->pn : &s->an,
                           n, err);
    }
    if (s) {
        cell[F_PX] = &s->px, cell[F_PY] = &s->py, cell[F_PXX] = &s->pxx;
        cell[F_PYY] = &s->pyy, cell[F_PXY] = &s->pxy;
        cell[F_AX] = &s->ax, cell[F_AXX] = &s->axx;
    } else {
        cell[F_AX] = &gr->tx, cell[F_AXX] = &gr->txx;
    }
    if (!cell[f])
        return bad(csv, "label", err, "'%s' is not a row of the totals",
                   sum_labels[f]);
    if ((st = parse_sum(csv, l->col[SV_CCOL_COUNT], &v, err)))
        return st;
    if (wadd(cell[f], v))
        return sum_overflow(err, sv_csv_name(csv), sv_csv_line(csv));
    return SV_OK;
}

/* The (end) line of a cube: it counts the lines since the header. */
static enum sv_status end_line(struct sv_csv *csv, struct layout *l,
                               struct sv_error *err)
{
    uint64_t n;
    enum sv_status st = parse_count(csv, l->col[SV_CCOL_COUNT], &n, err);

    if (st)
        return st;
    if (n != l->rows)
        return bad(csv, "count", err, "the cube's (end) line counts %" PRIu64
                   " lines, but %" PRIu64 " were read (lines removed or "
                   "added?)", n, l->rows);
    l->ended = 1;
    return SV_OK;
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
        return end_line(csv, l, err);
    l->rows++;
    if ((st = check_lengths(c, csv, l, err)) ||
        (st = line_group(c, csv, l, vals, &g, err)))
        return st;
    if (strcmp(item_s, "(responses)") == 0) {
        if ((st = parse_count(csv, l->col[SV_CCOL_COUNT], &n, err)))
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
    nitems = c->nitems;
    if ((item = item_of(c, item_s, role,
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
    return add_checked(csv, &c->groups[g].counts[(size_t)item * SLOTS +
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

static enum sv_status read_lines(struct sv_cube *c, struct sv_csv *csv,
                                 struct sv_error *err)
{
    struct layout l = {0};
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
    while ((st = sv_csv_next(csv, &nf, err)) == SV_OK && nf > 0) {
        if ((st = sv_stream_check_failure(csv, err)))
            break;
        if (is_header(csv, &l)) {
            if ((st = check_ended(csv, &l, err)) ||
                (st = read_layout(c, csv, &l, err)))
                break;
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
        st = l.is_cube ? cube_line(c, csv, &l, vals, err)
                       : stream_line(c, csv, &l, vals, err);
        if (st)
            break;
    }
    if (!st)
        st = check_ended(csv, &l, err);
out:
    free(vals);
    free(l.dim);
    free(l.items);
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

static int group_cmp(const void *a, const void *b)
{
    const struct group *x = a, *y = b;
    const struct sv_cube *c = x->owner;

    for (size_t d = 0; d < c->ndims; d++) {
        int r;
        if ((long)d == c->period_dim && x->period_ord != y->period_ord)
            return x->period_ord < y->period_ord ? -1 : 1;
        r = strcmp(x->keys[d], y->keys[d]);
        if (r)
            return r;
    }
    return 0;
}

enum sv_status sv_cube_finish(struct sv_cube *c, struct sv_error *err)
{
    for (size_t g = 0; g < c->ngroups; g++)
        c->groups[g].owner = c;
    if (c->ngroups)
        qsort(c->groups, c->ngroups, sizeof *c->groups, group_cmp);
    if (c->hash_cap && rehash(c, c->hash_cap))
        return nomem(err);
    return SV_OK;
}
size_t sv_cube_ndims(const struct sv_cube *c)
{
    return c->ndims;
}

const char *sv_cube_dim(const struct sv_cube *c, size_t d)
{
    return d < c->ndims ? c->dims[d] : "";
}

long sv_cube_dim_index(const struct sv_cube *c, const char *name)
{
    for (size_t d = 0; d < c->ndims; d++)
        if (strcmp(c->dims[d], name) == 0)
            return (long)d;
    return -1;
}

size_t sv_cube_ngroups(const struct sv_cube *c)
{
    return c->ngroups;
}

const char *sv_cube_key(const struct sv_cube *c, size_t g, size_t d)
{
    return g < c->ngroups && d < c->ndims ? c->groups[g].keys[d] : "";
}

long sv_cube_lookup(const struct sv_cube *c, const char *const *keys)
{
    struct sv_cube *m = (struct sv_cube *)c; /* scratch key buffer only */

    if (join_key(m, keys))
        return -1;
    return find_joined(c, m->key);
}

uint64_t sv_cube_responses(const struct sv_cube *c, size_t g)
{
    return g < c->ngroups ? c->groups[g].responses : 0;
}

size_t sv_cube_nitems(const struct sv_cube *c)
{
    return c->nitems;
}

struct sv_cube_item sv_cube_item(const struct sv_cube *c, size_t i)
{
    struct sv_cube_item r = {"", SV_ROLE_NONE, ""};

    if (i < c->nitems) {
        r.label = c->items[i].label;
        r.role = c->items[i].role;
        r.scale = c->items[i].scale;
    }
    return r;
}

uint64_t sv_cube_count(const struct sv_cube *c, size_t g, size_t i, int code)
{
    if (g >= c->ngroups || i >= c->nitems || code < -1 ||
        code > SV_CUBE_MAX_CODE)
        return 0;
    return c->groups[g].counts[i * SLOTS + (size_t)(code + 1)];
}

int sv_cube_level(const struct sv_cube *c, size_t i, int code,
                  const char **label, double *score, int *sat)
{
    const struct level_meta *m;

    if (i >= c->nitems || code < 0 || code > SV_CUBE_MAX_CODE)
        return 0;
    m = &c->items[i].lv[code + 1];
    if (!m->set)
        return 0;
    if (label)
        *label = m->label;
    if (score)
        *score = m->score;
    if (sat)
        *sat = m->sat;
    return 1;
}

/* Decimal text of V into BUF (at least 41 bytes). */
static const char *wide_str(wide v, char *buf, size_t cap)
{
    char d[48];
    size_t i = sizeof d;
    int neg = v < 0;

    d[--i] = '\0';
    do {
        int r = (int)(v % 10);
        d[--i] = (char)('0' + (r < 0 ? -r : r));
        v /= 10;
    } while (v != 0);
    if (neg)
        d[--i] = '-';
    snprintf(buf, cap, "%s", d + i);
    return buf;
}

static enum sv_status freq_row(struct sv_table *t, const struct sv_cube *c,
                               size_t g, const char *item, const char *role,
                               const char *scale)
{
    size_t k = c->ndims;
    enum sv_status st = sv_table_add_row(t);

    for (size_t d = 0; d < c->ndims && !st; d++)
        st = sv_table_set(t, d, c->groups[g].keys[d]);
    if (!st)
        st = sv_table_set(t, k + SV_CCOL_ITEM, item);
    if (!st)
        st = sv_table_set(t, k + SV_CCOL_ROLE, role);
    if (!st)
        st = sv_table_set(t, k + SV_CCOL_SCALE, scale);
    return st;
}

/* The sum rows of item IT (or of the group's totals, IT NULL). */
static enum sv_status freq_sums(struct sv_table *t, const struct sv_cube *c,
                                size_t g, const struct item *it,
                                const struct sums *s)
{
    const struct group *gr = &c->groups[g];
    size_t k = c->ndims;
    char buf[64];
    enum sv_status st = SV_OK;

    for (int f = 0; f < F_N && !st; f++) {
        wide v = 0;
        if (!it && f < F_AN)
            continue;
        switch (f) {
        case F_PN: v = s->pn; break;
        case F_PX: v = s->px; break;
        case F_PY: v = s->py; break;
        case F_PXX: v = s->pxx; break;
        case F_PYY: v = s->pyy; break;
        case F_PXY: v = s->pxy; break;
        case F_AN: v = it ? s->an : gr->tn; break;
        case F_AX: v = it ? s->ax : gr->tx; break;
        default: v = it ? s->axx : gr->txx; break;
        }
        st = it ? freq_row(t, c, g, it->label, sv_role_name(it->role),
                           it->scale)
                : freq_row(t, c, g, "(total)", "", "");
        st = st ? st : sv_table_set(t, k + SV_CCOL_LABEL, sum_labels[f]);
        st = st ? st : sv_table_set(t, k + SV_CCOL_COUNT,
                                    wide_str(v, buf, sizeof buf));
    }
    return st;
}

static enum sv_status freq_item(struct sv_table *t, const struct sv_cube *c,
                                size_t g, size_t i)
{
    const struct item *it = &c->items[i];
    const uint64_t *n = c->groups[g].counts + i * SLOTS;
    uint64_t valid = 0;
    size_t k = c->ndims;
    /* ordinal levels best first, as on the form; nps and yes/no upwards */
    int best_first = it->role == SV_ROLE_DIMENSION || it->role == SV_ROLE_OVERALL;
    enum sv_status st = SV_OK;

    for (int s = 1; s < SLOTS; s++)
        valid += n[s];
    for (int o = 1; o < SLOTS && !st; o++) {
        int s = best_first ? SLOTS - o : o;
        if (!it->lv[s].set)
            continue;
        st = freq_row(t, c, g, it->label, sv_role_name(it->role), it->scale);
        st = st ? st : sv_table_setf(t, k + SV_CCOL_LEVEL, "%d", s - 1);
        st = st ? st : sv_table_set(t, k + SV_CCOL_LABEL, it->lv[s].label);
        st = st ? st : sv_table_setf(t, k + SV_CCOL_SCORE, "%.15g",
                                     it->lv[s].score);
        st = st ? st : sv_table_set(t, k + SV_CCOL_SAT,
                                    it->lv[s].sat ? "1" : "0");
        st = st ? st : sv_table_setf(t, k + SV_CCOL_COUNT, "%" PRIu64, n[s]);
        st = st ? st : sv_table_set_num(t, k + SV_CCOL_PCT, valid ? 100.0 * (double)n[s] / (double)valid : NAN, 2);
    }
    st = st ? st : freq_row(t, c, g, it->label, sv_role_name(it->role), it->scale);
    st = st ? st : sv_table_set(t, k + SV_CCOL_LABEL, "(missing)");
    st = st ? st : sv_table_setf(t, k + SV_CCOL_COUNT, "%" PRIu64, n[0]);
    if (!st && it->role == SV_ROLE_DIMENSION)
        st = freq_sums(t, c, g, it, &c->groups[g].sums[i]);
    return st;
}

struct sv_table *sv_cube_freq_table(const struct sv_cube *c,
                                    struct sv_error *err)
{
    struct sv_table *t = sv_table_new();
    enum sv_status st = t ? SV_OK : SV_ERR_NOMEM;
    int dims_total = 0;

    for (size_t d = 0; d < c->ndims && !st; d++)
        st = sv_table_add_column(t, c->dims[d], 0);
    for (int j = 0; j < SV_CCOL_N && !st; j++)
        st = sv_table_add_column(t, sv_cube_col_name(j),
                                 j >= SV_CCOL_LEVEL && j != SV_CCOL_LABEL);
    for (size_t i = 0; i < c->nitems; i++)
        dims_total |= c->items[i].role == SV_ROLE_DIMENSION;
    for (size_t g = 0; g < c->ngroups && !st; g++) {
        st = freq_row(t, c, g, "(responses)", "", "");
        st = st ? st : sv_table_setf(t, c->ndims + SV_CCOL_COUNT,
                                     "%" PRIu64, c->groups[g].responses);
        for (size_t i = 0; i < c->nitems && !st; i++)
            st = freq_item(t, c, g, i);
        if (!st && dims_total)
            st = freq_sums(t, c, g, NULL, NULL);
    }
    /* the trailer: a cube without it was cut off (README) */
    if (!st) {
        size_t rows = sv_table_nrows(t);
        st = sv_table_add_row(t);
        st = st ? st : sv_table_set(t, c->ndims + SV_CCOL_ITEM, "(end)");
        st = st ? st : sv_table_setf(t, c->ndims + SV_CCOL_COUNT, "%zu", rows);
    }
    if (st) {
        sv_table_free(t);
        nomem(err);
        return NULL;
    }
    return t;
}

/* Centred sum n*SXX - SX*SY over N, in score units squared. */
static double centred(uint64_t n, wide sx, wide sxx, wide sy)
{
    wide a, b, d;
    double u2 = (double)SV_CUBE_SCORE_UNIT * SV_CUBE_SCORE_UNIT;

    if (n == 0)
        return NAN;
    if (!__builtin_mul_overflow((wide)n, sxx, &a) &&
        !__builtin_mul_overflow(sx, sy, &b) && !__builtin_sub_overflow(a, b, &d))
        return (double)((long double)d / (long double)n / (long double)u2);
    return (double)(((long double)sxx - (long double)sx * (long double)sy /
                                            (long double)n) /
                    (long double)u2);
}

int sv_cube_pair(const struct sv_cube *c, size_t g, size_t i,
                 struct sv_cube_pair *out)
{
    const struct sums *s;

    if (g >= c->ngroups || i >= c->nitems ||
        c->items[i].role != SV_ROLE_DIMENSION)
        return 0;
    s = &c->groups[g].sums[i];
    out->n = s->pn;
    out->mean_x = s->pn ? (double)((long double)s->px / s->pn /
                                   SV_CUBE_SCORE_UNIT) : NAN;
    out->mean_y = s->pn ? (double)((long double)s->py / s->pn /
                                   SV_CUBE_SCORE_UNIT) : NAN;
    out->sxx = centred(s->pn, s->px, s->pxx, s->px);
    out->syy = centred(s->pn, s->py, s->pyy, s->py);
    out->sxy = centred(s->pn, s->px, s->pxy, s->py);
    return 1;
}

static void moments(uint64_t n, wide sx, wide sxx,
                    struct sv_cube_moments *out)
{
    out->n = n;
    out->mean = n ? (double)((long double)sx / n / SV_CUBE_SCORE_UNIT) : NAN;
    out->ss = centred(n, sx, sxx, sx);
}

int sv_cube_alpha_item(const struct sv_cube *c, size_t g, size_t i,
                       struct sv_cube_moments *out)
{
    const struct sums *s;

    if (g >= c->ngroups || i >= c->nitems ||
        c->items[i].role != SV_ROLE_DIMENSION)
        return 0;
    s = &c->groups[g].sums[i];
    moments(s->an, s->ax, s->axx, out);
    return 1;
}

int sv_cube_alpha_total(const struct sv_cube *c, size_t g,
                        struct sv_cube_moments *out)
{
    if (g >= c->ngroups)
        return 0;
    moments(c->groups[g].tn, c->groups[g].tx, c->groups[g].txx, out);
    return 1;
}

/* --- reading one raw file with several threads ------------------------- */

#define PAR_MIN_BYTES (4u << 20) /* smaller files are read in one thread */
#define PAR_MAX_JOBS 64

struct job {
    struct sv_cube *cube;
    struct sv_source *src;
    struct sv_import *imp;
    const struct sv_codebook *cb;
    const struct sv_import *like;
    enum sv_status st;
    struct sv_error err;
};

static void *run_job(void *arg)
{
    struct job *j = arg;

    j->st = read_rows(j->cube, j->src, j->cb, j->imp, j->like, &j->err);
    return NULL;
}

/*
 * Offset of a line start after POS in FD, or 0.  A line start between two
 * lines without quotes is preferred: it is almost surely a record start
 * (the reader checks it, and reads the file in one thread if not).
 */
static uint64_t cut_after(int fd, uint64_t pos)
{
    char buf[1 << 16];
    ssize_t n = pread(fd, buf, sizeof buf, (off_t)pos);
    char *end = buf + (n > 0 ? n : 0);
    char *a = n > 0 ? memchr(buf, '\n', (size_t)n) : NULL, *b, *c;

    if (!a)
        return 0;
    for (b = a; (c = memchr(b + 1, '\n', (size_t)(end - b - 1))); a = b, b = c)
        if (b > a && !memchr(a, '"', (size_t)(c - a)))
            return pos + (uint64_t)(b - buf) + 1;
    return pos + (uint64_t)(a - buf) + 1;
}

/* Cuts PATH into up to JOBS ranges at line starts; returns how many. */
static int cut_file(const char *path, int jobs, uint64_t *cut)
{
    struct stat st;
    int fd = open(path, O_RDONLY), n = 1;

    if (fd < 0)
        return 1;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        (uint64_t)st.st_size < PAR_MIN_BYTES) {
        close(fd);
        return 1;
    }
    cut[0] = 0;
    for (int k = 1; k < jobs; k++) {
        uint64_t at = cut_after(fd, (uint64_t)st.st_size / (uint64_t)jobs * k);
        if (at > cut[n - 1] && at < (uint64_t)st.st_size)
            cut[n++] = at;
    }
    cut[n] = (uint64_t)st.st_size;
    close(fd);
    return n;
}

/* True when some item of T is defined differently in C (see define_level). */
static int clashes(const struct sv_cube *c, const struct sv_cube *t)
{
    for (size_t i = 0; i < t->nitems; i++)
        for (size_t k = 0; k < c->nitems; k++) {
            const struct item *a = &t->items[i], *b = &c->items[k];
            if (a->role != b->role || strcmp(a->label, b->label) ||
                strcmp(a->scale, b->scale))
                continue;
            for (int s = 0; s < SLOTS; s++)
                if (a->lv[s].set && b->lv[s].set &&
                    (strcmp(a->lv[s].label, b->lv[s].label) ||
                     !sv_near(a->lv[s].score, b->lv[s].score) ||
                     a->lv[s].sat != b->lv[s].sat))
                    return 1;
        }
    return 0;
}

/* Maps item I of T to an item of C, defining its levels there. */
static int merge_item(struct sv_cube *c, const struct sv_cube *t, size_t i,
                      long *to)
{
    const struct item *it = &t->items[i];

    *to = item_of(c, it->label, it->role, it->scale);
    if (*to < 0)
        return -1;
    for (int s = 1; s < SLOTS; s++)
        if (it->lv[s].set &&
            define_level(c, (size_t)*to, s - 1, it->lv[s].label,
                         it->lv[s].score, it->lv[s].sat))
            return -1;
    return 0;
}

/* Adds the sums of group FROM to TO, items mapped by MAP; -1 on overflow. */
static int merge_sums(struct group *to, const struct group *from,
                      size_t nitems, const long *map)
{
    int ovf = 0;

    for (size_t i = 0; i < nitems; i++) {
        struct sums *a = &to->sums[map[i]];
        const struct sums *b = &from->sums[i];
        a->pn += b->pn;
        a->an += b->an;
        ovf |= wadd(&a->px, b->px) | wadd(&a->py, b->py) |
               wadd(&a->pxx, b->pxx) | wadd(&a->pyy, b->pyy) |
               wadd(&a->pxy, b->pxy) | wadd(&a->ax, b->ax) |
               wadd(&a->axx, b->axx);
    }
    to->tn += from->tn;
    ovf |= wadd(&to->tx, from->tx) | wadd(&to->txx, from->txx);
    return ovf ? -1 : 0;
}

/* Adds group G of T to C, items mapped by MAP. */
static int merge_group(struct sv_cube *c, const struct sv_cube *t, size_t g,
                       const long *map)
{
    const struct group *from = &t->groups[g];
    size_t need = strlen(from->joined) + 1;
    long to;

    if (need > c->key_cap) {
        char *k = realloc(c->key, need);
        if (!k)
            return -1;
        c->key = k;
        c->key_cap = need;
    }
    memcpy(c->key, from->joined, need);
    if ((to = group_of(c)) < 0)
        return -1;
    c->groups[to].responses += from->responses;
    for (size_t i = 0; i < t->nitems; i++)
        for (size_t s = 0; s < SLOTS; s++)
            c->groups[to].counts[(size_t)map[i] * SLOTS + s] +=
                from->counts[i * SLOTS + s];
    return merge_sums(&c->groups[to], from, t->nitems, map);
}

/* Adds the counts of T to C; -1 on no memory. */
static int merge(struct sv_cube *c, const struct sv_cube *t)
{
    long *map = calloc(t->nitems + 1, sizeof *map);
    int r = map ? 0 : -1;

    for (size_t i = 0; !r && i < t->nitems; i++)
        r = merge_item(c, t, i, &map[i]);
    for (size_t g = 0; !r && g < t->ngroups; g++)
        r = merge_group(c, t, g, map);
    free(map);
    return r;
}

/*
 * Opens range K of the file and an importer for it; range 0 reads the
 * header into HDR, which the others copy.
 */
static enum sv_status open_job(struct job *j, const struct sv_cube *c,
                               const char *path, struct sv_source_options o,
                               const uint64_t *cut, int k,
                               struct sv_import **hdr,
                               enum sv_import_flags flags, struct sv_error *err)
{
    if (k > 0) {
        o.csv.encoding = SV_ENC_UTF8;
        o.csv.delimiter = sv_source_delimiter(j[-k].src);
    }
    j->cube = sv_cube_new((const char *const *)c->dims, c->ndims, c->period,
                          err);
    j->src = j->cube ? sv_source_open_range(path, &o, cut[k], cut[k + 1], err)
                     : NULL;
    j->imp = j->src ? sv_import_new(j->cb, flags | SV_IMPORT_NO_TEXT, err)
                    : NULL;
    if (!j->imp)
        return SV_ERR_IO;
    if (k > 0)
        return SV_OK;
    if (sv_source_encoding(j->src) != SV_ENC_UTF8 ||
        !(*hdr = sv_import_new(j->cb, flags, err)) ||
        sv_import_header(*hdr, j->src, err) != SV_OK)
        return SV_ERR_DATA;
    return SV_OK;
}

static void close_jobs(struct job *j, int n)
{
    for (int k = 0; k < n; k++) {
        sv_cube_free(j[k].cube);
        sv_source_free(j[k].src);
        sv_import_free(j[k].imp);
    }
}

/*
 * Counts the ranges of PATH in N threads and adds them to C.  Returns SV_OK,
 * SV_ERR_NOMEM, or SV_ERR_DATA when the file must be read in one thread.
 */
static enum sv_status read_parallel(struct sv_cube *c, const char *path,
                                    const struct sv_source_options *opts,
                                    const struct sv_codebook *cb,
                                    enum sv_import_flags flags,
                                    const uint64_t *cut, int n,
                                    struct sv_error *err)
{
    struct job j[PAR_MAX_JOBS] = {{0}};
    pthread_t th[PAR_MAX_JOBS];
    struct sv_import *hdr = NULL;
    struct sv_source_options o = opts ? *opts
                                      : (struct sv_source_options){{0}, 0};
    enum sv_status st = SV_OK;
    int started = 0;

    for (int k = 0; k < n && !st; k++) {
        j[k].cb = cb;
        st = open_job(&j[k], c, path, o, cut, k, &hdr, flags, err);
        j[k].like = hdr;
    }
    if (st)
        st = SV_ERR_DATA; /* read it in one thread, which reports the error */
    for (int k = 1; k < n && !st; k++) {
        if (pthread_create(&th[k], NULL, run_job, &j[k]) != 0)
            st = SV_ERR_DATA;
        else
            started = k;
    }
    if (!st)
        run_job(&j[0]);
    for (int k = 1; k <= started; k++)
        pthread_join(th[k], NULL);
    for (int k = 0; k < n && !st; k++)
        if (j[k].st || clashes(c, j[k].cube))
            st = SV_ERR_DATA;
    for (int k = 0; k < n && !st; k++)
        if (merge(c, j[k].cube))
            st = nomem(err);
    close_jobs(j, n);
    sv_import_free(hdr);
    return st;
}

enum sv_status sv_cube_read_file(struct sv_cube *c, const char *path,
                                 const struct sv_source_options *opts,
                                 const struct sv_codebook *cb,
                                 enum sv_import_flags flags, int jobs,
                                 struct sv_error *err)
{
    uint64_t cut[PAR_MAX_JOBS + 1];
    int n = 1;
    struct sv_source *src;
    enum sv_status st;

    if (jobs > PAR_MAX_JOBS)
        jobs = PAR_MAX_JOBS;
    if (jobs > 1 && cb && path && strcmp(path, "-") != 0 &&
        !sv_codebook_is_register(cb) &&
        (!opts || opts->csv.encoding != SV_ENC_GB18030))
        n = cut_file(path, jobs, cut);
    if (n > 1) {
        st = read_parallel(c, path, opts, cb, flags, cut, n, err);
        if (st != SV_ERR_DATA)
            return st;
    }
    if (!cb) {
        struct sv_csv *csv = sv_csv_open(path, NULL, opts ? &opts->csv : NULL,
                                         err);
        if (!csv)
            return err ? err->code : SV_ERR_IO;
        st = sv_cube_read(c, csv, NULL, flags, err);
        sv_csv_free(csv);
        return st;
    }
    if (!(src = sv_source_open(path, NULL, opts, err)))
        return err ? err->code : SV_ERR_IO;
    st = sv_cube_read_raw(c, src, cb, flags, err);
    sv_source_free(src);
    return st;
}
