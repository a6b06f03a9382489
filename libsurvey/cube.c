/*
 * cube.c — the frequency cube: counts per group x item x level and the
 * multi-item sums (co-moments of each dimension item with the outcome,
 * moments of complete respondents).  This file holds the cube itself, its
 * items and levels, the counting of one respondent, the raw-file reader
 * (through the importer), the accessors and the frequency table; the
 * group index, the stream and cube reader and the threaded reader have
 * their own files (cube-internal.h).  Memory grows with the number of
 * groups and items, never with rows.
 *
 * The sums are exact integers: a score s is held as round(s * 10^6)
 * (SV_CUBE_SCORE_UNIT) and summed in 128-bit integers with every addition
 * and product checked, so a cube is the same bytes whatever the order in
 * which its respondents were added (raw file, -j N, stream, merged cubes).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cube-internal.h"


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

enum sv_status sv_cube_keep_site(struct sv_cube *c, const char *site,
                                 struct sv_error *err)
{
    char *copy = NULL;

    if (site && !(copy = strdup(site)))
        return nomem(err);
    free(c->keep_site);
    c->keep_site = copy;
    return SV_OK;
}

void sv_cube_free(struct sv_cube *c)
{
    if (!c)
        return;
    sv_cube_multi_free(c);
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
        free(c->groups[g].spill);
    }
    free(c->ans);
    free(c->keep_site);
    free(c->sc);
    free(c->dims);
    free(c->items);
    free(c->groups);
    free(c->hash);
    free(c->key);
    free(c);
}

/*
 * The next capacity of the per-group item or dimension arrays: exact
 * while there is at most one group (items come before groups, or with
 * the first one), doubling afterwards (every group is reallocated).
 */
static size_t next_cap(const struct sv_cube *c, size_t cap)
{
    /* never 0: realloc(p, 0) frees P (groups before the first item) */
    return c->ngroups <= 1 || cap == 0 ? cap + 1 : cap * 2;
}

static int grow_items(struct sv_cube *c)
{
    size_t cap = next_cap(c, c->item_cap);
    struct item *it = realloc(c->items, cap * sizeof *it);

    if (!it)
        return -1;
    c->items = it;
    c->item_cap = cap;
    return 0;
}

/*
 * Gives item I at least NSLOT count slots in every group (a level code
 * NSLOT - 2 was defined): exactly that while there is at most one group,
 * all SLOTS afterwards, so that each item moves the counts of many groups
 * once at most.
 */
static int widen_item(struct sv_cube *c, size_t i, size_t nslot)
{
    struct item *it = &c->items[i];
    size_t add, tail;

    if (nslot <= it->nslot)
        return 0;
    add = (c->ngroups <= 1 ? nslot : SLOTS) - it->nslot;
    if (c->ncount + add > c->count_cap) {
        size_t cap = c->ngroups <= 1 ? c->ncount + add
                                     : (c->ncount + add) * 2;
        for (size_t g = 0; g < c->ngroups; g++) {
            uint64_t *n = realloc(c->groups[g].counts, cap * sizeof *n);
            if (!n)
                return -1;
            c->groups[g].counts = n;
        }
        c->count_cap = cap;
    }
    tail = c->ncount - it->base - it->nslot;
    for (size_t g = 0; g < c->ngroups; g++) {
        uint64_t *n = c->groups[g].counts + it->base + it->nslot;
        memmove(n + add, n, tail * sizeof *n);
        memset(n, 0, add * sizeof *n);
    }
    for (size_t k = 0; k < c->nitems; k++)
        if (c->items[k].base > it->base)
            c->items[k].base += add;
    it->nslot += add;
    c->ncount += add;
    return 0;
}

/* Room for one more dimension item's sums in every group. */
static int grow_dims(struct sv_cube *c)
{
    size_t cap = next_cap(c, c->dim_cap);

    for (size_t g = 0; g < c->ngroups; g++) {
        struct group *gr = &c->groups[g];
        struct sums *m = realloc(gr->sums, cap * sizeof *m);
        wide *sp;
        if (!m)
            return -1;
        memset(m + c->dim_cap, 0, (cap - c->dim_cap) * sizeof *m);
        gr->sums = m;
        if (!gr->spill)
            continue;
        if (!(sp = realloc(gr->spill, (cap + 1) * S_N * sizeof *sp)))
            return -1;
        memset(sp + (c->dim_cap + 1) * S_N, 0,
               (cap - c->dim_cap) * S_N * sizeof *sp);
        gr->spill = sp;
    }
    c->dim_cap = cap;
    return 0;
}

/* Index of item (LABEL, ROLE, SCALE), created when new; -1 on no memory. */
long sv_cube_item_of(struct sv_cube *c, const char *label, enum sv_role role,
                    const char *scale)
{
    struct item *it;

    for (size_t i = c->nitems; i-- > 0;)
        if (c->items[i].role == role && strcmp(c->items[i].label, label) == 0 &&
            strcmp(c->items[i].scale, scale) == 0)
            return (long)i;
    if ((c->nitems == c->item_cap && grow_items(c)) ||
        (role == SV_ROLE_DIMENSION && c->ndim_items == c->dim_cap &&
         grow_dims(c)))
        return -1;
    it = &c->items[c->nitems];
    memset(it, 0, sizeof *it);
    it->label = strdup(label);
    it->scale = strdup(scale);
    it->role = role;
    it->dim = role == SV_ROLE_DIMENSION ? (long)c->ndim_items++ : -1;
    it->base = c->ncount;
    c->nitems++;
    if (widen_item(c, c->nitems - 1, 1)) /* the no-answer slot */
        return -1;
    return it->label && it->scale ? (long)c->nitems - 1 : -1;
}

/*
 * Records the meaning of level CODE of item I; a different meaning for
 * the same code is an error (returns 1), no memory returns -1.
 */
int sv_cube_define_level(struct sv_cube *c, size_t i, int code,
                        const char *label, double score, int sat)
{
    struct level_meta *m = &c->items[i].lv[code + 1];

    if (widen_item(c, i, (size_t)code + 2))
        return -1;
    if (m->set)
        return strcmp(m->label, label) != 0 || !sv_near(m->score, score) ||
               m->sat != sat;
    m->label = strdup(label);
    m->score = score;
    m->sat = sat;
    m->set = 1;
    m->fx_ok = fabs(score) <= SCORE_LIMIT;
    m->fx = m->fx_ok ? llround(score * SV_CUBE_SCORE_UNIT) : 0;
    m->small = m->fx_ok && m->fx > -((int64_t)1 << 31) &&
               m->fx < (int64_t)1 << 31;
    m->kind = m->small ? LV_SMALL : m->fx_ok ? LV_BIG : LV_NONE;
    if (m->small && llabs(m->fx) > c->fx_max) {
        /* the groups' room was counted in terms of the old bound */
        c->fx_max = llabs(m->fx);
        for (size_t g = 0; g < c->ngroups; g++)
            c->groups[g].room = 0;
    }
    return m->label ? 0 : -1;
}


__extension__ typedef unsigned __int128 uwide;

/* Largest number of answers counted on the 64-bit path of a respondent. */
#define FAST_ANSWERS 16384

/* |V| < 2^31: the product of two such values fits in 63 bits. */
static int small(wide v)
{
    return v > -((wide)1 << 31) && v < (wide)1 << 31;
}

/* Adds X * Y to sum F of dimension DIM (-1: totals) of GR. */
static int sum_addmul(const struct sv_cube *c, struct group *gr, long dim,
                      int f, wide x, wide y)
{
    wide p;

    if (small(x) && small(y))
        return sum_add(c, gr, dim, f, (int64_t)x * (int64_t)y);
    if (__builtin_mul_overflow(x, y, &p))
        return SUM_OVERFLOW;
    return sum_add_wide(c, gr, dim, f, p);
}

/*
 * Moves sum F of dimension DIM (-1: the totals) of group GR into its
 * spill and adds V there (cube-internal.h).
 */
int sv_cube_spill(const struct sv_cube *c, struct group *gr, long dim, int f,
                  wide v)
{
    int64_t *a = &sums_of(gr, dim)->v[f];
    wide *sp;
    int ovf;

    if (dim >= 0)
        gr->room = 0;
    if (!gr->spill &&
        !(gr->spill = calloc((c->dim_cap + 1) * S_N, sizeof *gr->spill)))
        return SUM_NOMEM;
    sp = &gr->spill[(size_t)(dim + 1) * S_N + (size_t)f];
    ovf = wadd(sp, *a) | wadd(sp, v);
    *a = 0;
    return ovf ? SUM_OVERFLOW : SUM_OK;
}

wide sv_cube_sum(const struct group *gr, long dim, int f)
{
    const struct sums *s = dim >= 0 ? &gr->sums[dim] : &gr->total;
    wide v = s->v[f];

    if (gr->spill)
        v += gr->spill[(size_t)(dim + 1) * S_N + (size_t)f];
    return v;
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

/*
 * div_round(NUM, D) for |NUM| < 2^47 and 1 <= D <= FAST_ANSWERS, where
 * MAGIC = 2^64 / D rounded up (D > 1): for NUM >= 0 the quotient
 * floor((NUM + D / 2) / D) is a multiplication, exact because
 * (NUM + D / 2) * D < 2^64 (the error of MAGIC stays below 1 / D).
 */
static int64_t mean_others(int64_t num, uint64_t d, uint64_t magic)
{
    if (d == 1)
        return num;
    if (num < 0)
        return (int64_t)div_round(num, (wide)d);
    return (int64_t)(((uwide)((uint64_t)num + d / 2) * magic) >> 64);
}

/* What the first pass over a respondent's answers found. */
struct resp {
    size_t ndim, nover, m; /* dimension items, overall items, answered */
    long over;             /* the overall answer with a score, or -1 */
    wide total;            /* sum of the answered dimension scores */
    int fast;              /* every score small: the 64-bit path */
};

/*
 * Counts the answers A[0..N-1] into GR by level and fills R; on the
 * 64-bit path the scored dimension answers go to c->sc[0..R->m-1].
 */
static void count_answers(struct sv_cube *c, struct group *gr,
                          const struct answer *a, size_t n, struct resp *r)
{
    /* in locals: the stores to c->sc might alias the fields of R */
    size_t ndim = 0, nover = 0, m = 0;
    long over = -1;
    int64_t small_total = 0; /* at most 16384 answers of |fx| < 2^31 */
    wide big_total = 0;      /* at most 16384 x 10^15: no overflow */
    int fast = n <= FAST_ANSWERS && n <= c->ans_cap;
    struct scored *sc = c->sc;
    uint64_t *counts = gr->counts;

    for (size_t k = 0; k < n; k++) {
        const struct item *it = &c->items[a[k].item];
        size_t slot = (size_t)(a[k].code + 1);
        const struct level_meta *lv = &it->lv[slot];
        counts[it->base + slot]++;
        if (it->role == SV_ROLE_DIMENSION) {
            ndim++;
            if (lv->kind == LV_SMALL) {
                if (fast)
                    sc[m] = (struct scored){it->dim, lv->fx};
                m++;
                small_total += lv->fx;
            } else if (lv->kind == LV_BIG) {
                fast = 0;
                m++;
                big_total += lv->fx;
            }
        } else if (it->role == SV_ROLE_OVERALL) {
            nover++;
            over = lv->kind != LV_NONE ? (long)k : -1;
            fast &= lv->kind != LV_BIG;
        }
    }
    r->ndim = ndim;
    r->nover = nover;
    r->m = m;
    r->over = over;
    r->total = (wide)small_total + big_total;
    r->fast = fast;
}

static int pair_add(const struct sv_cube *c, struct group *gr, long dim,
                    wide x, wide y)
{
    gr->sums[dim].pn++;
    return sum_add_wide(c, gr, dim, S_PX, x) |
           sum_add_wide(c, gr, dim, S_PY, y) |
           sum_addmul(c, gr, dim, S_PXX, x, x) |
           sum_addmul(c, gr, dim, S_PYY, y, y) |
           sum_addmul(c, gr, dim, S_PXY, x, y);
}

static int complete_add(const struct sv_cube *c, struct group *gr, long dim,
                        wide x)
{
    sums_of(gr, dim)->an++;
    return sum_add_wide(c, gr, dim, S_AX, x) |
           sum_addmul(c, gr, dim, S_AXX, x, x);
}

/*
 * pair_add of scores below 2^31 (every product fits in 64 bits): the five
 * sums are added at once, and only when one of them would overflow does
 * pair_add spill it.
 */
static int pair_add_small(const struct sv_cube *c, struct group *gr, long dim,
                          int64_t x, int64_t y)
{
    struct sums *s = &gr->sums[dim];
    int64_t v[5];

    if (__builtin_add_overflow(s->v[S_PX], x, &v[0]) |
        __builtin_add_overflow(s->v[S_PY], y, &v[1]) |
        __builtin_add_overflow(s->v[S_PXX], x * x, &v[2]) |
        __builtin_add_overflow(s->v[S_PYY], y * y, &v[3]) |
        __builtin_add_overflow(s->v[S_PXY], x * y, &v[4]))
        return pair_add(c, gr, dim, x, y);
    s->pn++;
    s->v[S_PX] = v[0]; /* one by one: a block copy stalls on the stores */
    s->v[S_PY] = v[1];
    s->v[S_PXX] = v[2];
    s->v[S_PYY] = v[3];
    s->v[S_PXY] = v[4];
    return SUM_OK;
}

/* complete_add of a score below 2^31. */
static int complete_add_small(const struct sv_cube *c, struct group *gr,
                              long dim, int64_t x)
{
    struct sums *s = sums_of(gr, dim);
    int64_t ax, axx;

    if (__builtin_add_overflow(s->v[S_AX], x, &ax) |
        __builtin_add_overflow(s->v[S_AXX], x * x, &axx))
        return complete_add(c, gr, dim, x);
    s->an++;
    s->v[S_AX] = ax;
    s->v[S_AXX] = axx;
    return SUM_OK;
}

/* The outcome's score when the form has one overall item answered. */
static wide overall_of(const struct sv_cube *c, const struct answer *a,
                       const struct resp *r)
{
    return r->nover == 1 && r->over >= 0
               ? c->items[a[r->over].item].lv[a[r->over].code + 1].fx
               : 0;
}

/*
 * Sets GR's room (struct group): how many more terms of at most F^2
 * (F = c->fx_max) each of its item sums takes without overflowing 64
 * bits.  When a sum is past half the 64-bit range, the item sums move
 * to the group's 128-bit spill first (so the room is at least 2).
 */
static int make_room(const struct sv_cube *c, struct group *gr)
{
    uint64_t f = c->fx_max > 0 ? (uint64_t)c->fx_max : 1, step = f * f;
    uint64_t big = 0;
    int st = SUM_OK;

    for (size_t d = 0; d < c->ndim_items; d++)
        for (int k = 0; k < S_N; k++) {
            int64_t v = gr->sums[d].v[k];
            uint64_t a = v < 0 ? -(uint64_t)v : (uint64_t)v;
            big = a > big ? a : big;
        }
    if (big > (uint64_t)INT64_MAX / 2) {
        for (size_t d = 0; d < c->ndim_items; d++)
            for (int k = 0; k < S_N; k++)
                if (gr->sums[d].v[k])
                    st |= sv_cube_spill(c, gr, (long)d, k, 0);
        big = 0;
    }
    gr->room = st ? 0 : ((uint64_t)INT64_MAX - big) / step;
    return st;
}

/*
 * The item sums of a respondent whose scores are all small (c->sc): each
 * of its R->M scores adds at most one term of at most F^2 to a sum (x,
 * y, x^2, y^2, xy with |x|, |y| <= F), so with room for R->M terms the
 * sums are added without a test.
 */
static int add_item_sums_fast(const struct sv_cube *c, struct group *gr,
                              const struct answer *a, const struct resp *r)
{
    int paired = r->nover == 1 ? r->over >= 0 : r->m >= 2;
    int complete = r->m == r->ndim, st = SUM_OK;
    int64_t y = (int64_t)overall_of(c, a, r), total = (int64_t)r->total;
    uint64_t d = r->m > 1 ? r->m - 1 : 1;
    uint64_t magic = d > 1 ? UINT64_MAX / d + 1 : 0;

    if (gr->room < r->m && (st = make_room(c, gr)))
        return st;
    if (gr->room < r->m) {
        for (size_t k = 0; paired && k < r->m; k++)
            st |= pair_add_small(c, gr, c->sc[k].dim, c->sc[k].x,
                                 r->nover == 1
                                     ? y
                                     : mean_others(total - c->sc[k].x, d,
                                                   magic));
        for (size_t k = 0; complete && k < r->m; k++)
            st |= complete_add_small(c, gr, c->sc[k].dim, c->sc[k].x);
        return st;
    }
    gr->room -= r->m;
    for (size_t k = 0; paired && k < r->m; k++) {
        struct sums *s = &gr->sums[c->sc[k].dim];
        int64_t x = c->sc[k].x;
        int64_t yk = r->nover == 1 ? y : mean_others(total - x, d, magic);
        s->pn++;
        s->v[S_PX] += x;
        s->v[S_PY] += yk;
        s->v[S_PXX] += x * x;
        s->v[S_PYY] += yk * yk;
        s->v[S_PXY] += x * yk;
    }
    for (size_t k = 0; complete && k < r->m; k++) {
        struct sums *s = &gr->sums[c->sc[k].dim];
        int64_t x = c->sc[k].x;
        s->an++;
        s->v[S_AX] += x;
        s->v[S_AXX] += x * x;
    }
    return SUM_OK;
}

/* The item sums of any respondent, in 128 bits. */
static int add_item_sums(const struct sv_cube *c, struct group *gr,
                         const struct answer *a, size_t n,
                         const struct resp *r)
{
    wide y = overall_of(c, a, r);
    int st = SUM_OK;

    for (size_t k = 0; k < n; k++) {
        const struct item *it = &c->items[a[k].item];
        const struct level_meta *lv = &it->lv[a[k].code + 1];
        if (it->role != SV_ROLE_DIMENSION || a[k].code < 0 || !lv->fx_ok)
            continue;
        if (r->nover == 1 && r->over >= 0)
            st |= pair_add(c, gr, it->dim, lv->fx, y);
        else if (r->nover != 1 && r->m >= 2)
            st |= pair_add(c, gr, it->dim, lv->fx,
                           div_round(r->total - lv->fx, (wide)(r->m - 1)));
        if (r->m == r->ndim)
            st |= complete_add(c, gr, it->dim, lv->fx);
    }
    return st;
}

/*
 * Adds one returned questionnaire to group G: its answers A[0..N-1] (every
 * non-comment item of its form, -1 for no answer) are counted by level,
 * and the multi-item sums are updated (README "The frequency cube"): for
 * each answered dimension item, its score x with the outcome y (the
 * form's one `overall` item, else the mean of the respondent's other
 * answered dimension items, rounded to the fixed-point unit); and when
 * every dimension item is answered, each x and the total.  The raw path
 * and the stream path both count through here, so scores of 0-100 take
 * the 64-bit path (sums spill into 128 bits only when a 64-bit sum would
 * overflow).  Returns SV_ERR_LIMIT on overflow of a sum.
 */
enum sv_status sv_cube_add_respondent(struct sv_cube *c, long g,
                                     const struct answer *a, size_t n)
{
    struct group *gr = &c->groups[g];
    struct resp r = {0, 0, 0, -1, 0, 1};
    int st;

    gr->responses++;
    count_answers(c, gr, a, n, &r);
    st = r.fast ? add_item_sums_fast(c, gr, a, &r)
                : add_item_sums(c, gr, a, n, &r);
    if (r.ndim > 0 && r.m == r.ndim)
        st |= r.fast && small(r.total)
                  ? complete_add_small(c, gr, -1, (int64_t)r.total)
                  : complete_add(c, gr, -1, r.total);
    return st & SUM_NOMEM ? SV_ERR_NOMEM : st ? SV_ERR_LIMIT : SV_OK;
}

/* Room for N answers in c->ans (and c->sc); -1 on no memory. */
int sv_cube_reserve_answers(struct sv_cube *c, size_t n)
{
    struct answer *a;
    struct scored *sc;

    if (n <= c->ans_cap)
        return 0;
    if (!(a = realloc(c->ans, n * sizeof *a)))
        return -1;
    c->ans = a;
    if (!(sc = realloc(c->sc, n * sizeof *sc)))
        return -1;
    c->sc = sc;
    c->ans_cap = n;
    return 0;
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
        map[i] = sv_cube_item_of(c, col->label, col->role, sv_scale_name(s));
        if (map[i] < 0)
            return nomem(err);
        for (int k = lo; k <= hi; k++)
            if (sv_cube_define_level(c, (size_t)map[i], k, sv_scale_label(s, k),
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

/* Counts REC into its group, which *G tells. */
static enum sv_status raw_row(struct sv_cube *c, const struct sv_record *rec,
                              const long *src, const long *map,
                              const char **vals, long *gout)
{
    const char *period = c->period_dim >= 0 ? raw_period(c, rec) : "";
    size_t n = 0;
    long g;

    for (size_t d = 0; d < c->ndims; d++)
        vals[d] = src[d] == SRC_SITE     ? rec->site
                  : src[d] == SRC_PERIOD ? period
                                         : rec->groups[src[d]];
    /* one key (--by site): its value is the joined key */
    if (((c->ndims != 1 || (g = sv_cube_find_key(c, vals[0])) < 0) &&
         (sv_cube_join_key(c, vals) || (g = sv_cube_group_of(c)) < 0)) ||
        sv_cube_reserve_answers(c, rec->nitems + 1))
        return SV_ERR_NOMEM;
    for (size_t i = 0; i < rec->nitems; i++)
        if (map[i] >= 0)
            c->ans[n++] = (struct answer){(size_t)map[i], rec->codes[i]};
    *gout = g;
    return sv_cube_add_respondent(c, g, c->ans, n);
}

/*
 * Counts the rows of raw SRC into C through IMP; the header is read from
 * SRC, or, with LIKE, mapped as LIKE mapped it (a later range of a file).
 */
enum sv_status sv_cube_read_rows(struct sv_cube *c, struct sv_source *src,
                                const struct sv_codebook *cb,
                                struct sv_import *imp,
                                const struct sv_import *like,
                                struct sv_error *err)
{
    long *from = calloc(c->ndims + 1, sizeof *from);
    long *map = calloc(sv_codebook_count(cb) + 1, sizeof *map);
    const char **vals = calloc(c->ndims + 1, sizeof *vals);
    struct sv_lane *lane = NULL;
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
        (st = raw_items(c, imp, map, err)) ||
        (st = sv_cube_multi_raw_items(c, imp, err)))
        goto out;
    lane = sv_lane_new(c, imp, map);
    for (;;) {
        long g = -1;
        if (lane && sv_lane_count(c, lane, src, &st, err)) {
            if (st)
                break;
            continue;
        }
        if ((st = sv_source_next(src, &nf, err)) || nf == 0)
            break;
        if ((st = sv_import_row(imp, src, &rec, err)))
            break;
        if ((st = raw_row(c, &rec, from, map, vals, &g))) {
            if (st == SV_ERR_LIMIT)
                sum_overflow(err, sv_source_name(src), rec.line);
            else
                nomem(err);
            break;
        }
        for (size_t k = 0; k < c->nmraw && !st; k++)
            st = sv_cube_multi_add(c, (size_t)g, c->mraw[k].m,
                                   rec.texts[c->mraw[k].item],
                                   sv_source_name(src), rec.line, err);
        if (st)
            break;
        if (lane)
            sv_lane_learn(lane, src, &rec, g);
    }
out:
    sv_lane_free(lane);
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
    enum sv_status st = SV_ERR_NOMEM;

    if (imp) {
        sv_import_set_error_cb(imp, c->on_error, c->on_error_ctx);
        st = sv_cube_read_rows(c, src, cb, imp, NULL, err);
    }

    sv_import_free(imp);
    return st;
}

void sv_cube_set_error_cb(struct sv_cube *c, sv_error_cb on_error, void *ctx)
{
    c->on_error = on_error;
    c->on_error_ctx = ctx;
}

size_t sv_cube_ndims(const struct sv_cube *c)
{
    return c->ndims;
}

const char *sv_cube_dim(const struct sv_cube *c, size_t d)
{
    return d < c->ndims ? c->dims[d] : "";
}

const char *const *sv_cube_dims(const struct sv_cube *c)
{
    return (const char *const *)c->dims;
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
    if ((size_t)(code + 1) >= c->items[i].nslot)
        return 0;
    return counts_of(c, &c->groups[g], i)[code + 1];
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
    for (; v <= INT64_MIN || v >= INT64_MAX; v /= 10) {
        int r = (int)(v % 10);
        d[--i] = (char)('0' + (r < 0 ? -r : r));
    }
    /* the rest in 64 bits: a 128-bit division is a library call */
    for (int64_t w = (int64_t)v; w != 0 || i == sizeof d - 1; w /= 10) {
        int r = (int)(w % 10);
        d[--i] = (char)('0' + (r < 0 ? -r : r));
    }
    if (neg)
        d[--i] = '-';
    snprintf(buf, cap, "%s", d + i);
    return buf;
}

/* A new row of the --freq table with group G's keys and the item's names. */
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

/* A row of item IT (or of the group, IT NULL) holding only a count. */
static enum sv_status freq_count_row(struct sv_table *t,
                                     const struct sv_cube *c, size_t g,
                                     const struct item *it, const char *item,
                                     const char *label, uint64_t n)
{
    enum sv_status st = it ? freq_row(t, c, g, it->label,
                                      sv_role_name(it->role), it->scale)
                           : freq_row(t, c, g, item, "", "");

    if (!st && label)
        st = sv_table_set(t, c->ndims + SV_CCOL_LABEL, label);
    return st ? st : sv_table_set_count(t, c->ndims + SV_CCOL_COUNT, n);
}

/* Sum row F (F_*) of dimension DIM of GR (-1: the totals). */
static wide sum_row(const struct group *gr, long dim, int f)
{
    const struct sums *s = dim >= 0 ? &gr->sums[dim] : &gr->total;

    switch (f) {
    case F_PN: return s->pn;
    case F_AN: return s->an;
    case F_AX: return sv_cube_sum(gr, dim, S_AX);
    case F_AXX: return sv_cube_sum(gr, dim, S_AXX);
    default: return sv_cube_sum(gr, dim, S_PX + (f - F_PX));
    }
}

/*
 * The sum rows of item IT (or of the group's totals, IT NULL).  A sum is
 * a 128-bit integer, wider than a count cell: it is kept as its exact
 * decimal text in the count column.
 */
static enum sv_status freq_sums(struct sv_table *t, const struct sv_cube *c,
                                size_t g, const struct item *it)
{
    const struct group *gr = &c->groups[g];
    size_t k = c->ndims;
    char buf[64];
    enum sv_status st = SV_OK;

    for (int f = 0; f < F_N && !st; f++) {
        if (!it && f < F_AN)
            continue;
        st = it ? freq_row(t, c, g, it->label, sv_role_name(it->role),
                           it->scale)
                : freq_row(t, c, g, "(total)", "", "");
        st = st ? st : sv_table_set(t, k + SV_CCOL_LABEL, sum_labels[f]);
        st = st ? st : sv_table_set(t, k + SV_CCOL_COUNT,
                                    wide_str(sum_row(gr, it ? it->dim : -1,
                                                     f),
                                             buf, sizeof buf));
    }
    return st;
}

/* The row of level slot S of item IT: its meta, count and share. */
static enum sv_status freq_level(struct sv_table *t, const struct sv_cube *c,
                                 size_t g, const struct item *it, int s,
                                 uint64_t valid)
{
    const uint64_t n = counts_of(c, &c->groups[g], (size_t)(it - c->items))[s];
    size_t k = c->ndims;
    enum sv_status st = freq_count_row(t, c, g, it, NULL, it->lv[s].label, n);

    st = st ? st : sv_table_set_int(t, k + SV_CCOL_LEVEL, s - 1);
    st = st ? st : sv_table_set_double(t, k + SV_CCOL_SCORE, it->lv[s].score);
    st = st ? st : sv_table_set_int(t, k + SV_CCOL_SAT, it->lv[s].sat != 0);
    return st ? st : sv_table_set_double(t, k + SV_CCOL_PCT,
                                         valid ? 100.0 * (double)n /
                                                     (double)valid
                                               : NAN);
}

static enum sv_status freq_item(struct sv_table *t, const struct sv_cube *c,
                                size_t g, size_t i)
{
    const struct item *it = &c->items[i];
    const uint64_t *n = counts_of(c, &c->groups[g], i);
    uint64_t valid = 0;
    /* ordinal levels best first, as on the form; nps and yes/no upwards */
    int best_first = it->role == SV_ROLE_DIMENSION || it->role == SV_ROLE_OVERALL;
    enum sv_status st = SV_OK;

    for (size_t s = 1; s < it->nslot; s++)
        valid += n[s];
    for (int o = 1; o < SLOTS && !st; o++) {
        int s = best_first ? SLOTS - o : o;
        if (it->lv[s].set)
            st = freq_level(t, c, g, it, s, valid);
    }
    st = st ? st : freq_count_row(t, c, g, it, NULL, "(missing)", n[0]);
    if (!st && it->role == SV_ROLE_DIMENSION)
        st = freq_sums(t, c, g, it);
    return st;
}

/* The key columns and the typed cube columns (sv_cube_colspec). */
static enum sv_status freq_columns(struct sv_table *t, const struct sv_cube *c)
{
    enum sv_status st = SV_OK;

    for (size_t d = 0; d < c->ndims && !st; d++)
        st = sv_table_add_column(t, c->dims[d], 0);
    for (int j = 0; j < SV_CCOL_N && !st; j++)
        st = sv_table_add_col(t, sv_cube_colspec((enum sv_cube_col)j));
    return st;
}

/* The rows of group G; TOTALS when the cube has dimension items. */
static enum sv_status freq_group(struct sv_table *t, const struct sv_cube *c,
                                 size_t g, int totals)
{
    enum sv_status st = freq_count_row(t, c, g, NULL, "(responses)", NULL,
                                       c->groups[g].responses);

    for (size_t i = 0; i < c->nitems && !st; i++)
        st = freq_item(t, c, g, i);
    if (!st)
        st = sv_cube_multi_freq(t, c, g);
    if (!st && totals)
        st = freq_sums(t, c, g, NULL);
    return st;
}

/* The trailer: a cube without it was cut off (README). */
static enum sv_status freq_end(struct sv_table *t, const struct sv_cube *c,
                               size_t rows)
{
    enum sv_status st = sv_table_add_row(t);

    st = st ? st : sv_table_set(t, c->ndims + SV_CCOL_ITEM, "(end)");
    return st ? st : sv_table_set_count(t, c->ndims + SV_CCOL_COUNT, rows);
}

/* ERR for a frequency table that could not be built (status ST). */
static enum sv_status freq_fail(enum sv_status st, struct sv_error *err)
{
    if (st == SV_ERR_NOMEM)
        return nomem(err);
    return sv_error_set(err, st, NULL, 0, NULL,
                        "cannot build the frequency table: %s",
                        sv_strerror(st));
}

struct sv_table *sv_cube_freq_table(const struct sv_cube *c,
                                    struct sv_error *err)
{
    struct sv_table *t = sv_table_new();
    enum sv_status st = t ? freq_columns(t, c) : SV_ERR_NOMEM;
    int totals = c->ndim_items > 0;

    for (size_t g = 0; g < c->ngroups && !st; g++)
        st = freq_group(t, c, g, totals);
    if (!st)
        st = freq_end(t, c, sv_table_nrows(t));
    if (st) {
        sv_table_free(t);
        freq_fail(st, err);
        return NULL;
    }
    return t;
}

/* One pass of the frequency table of C onto S, a group at a time. */
static enum sv_status freq_pass(const struct sv_cube *c,
                                struct sv_table_stream *s)
{
    struct sv_table *t = sv_table_new();
    enum sv_status st = t ? freq_columns(t, c) : SV_ERR_NOMEM;
    int totals = c->ndim_items > 0;
    size_t rows = 0;

    if (t)
        sv_table_attach(t, s);
    for (size_t g = 0; g < c->ngroups && !st; g++) {
        st = freq_group(t, c, g, totals);
        rows += sv_table_nrows(t);
        st = st ? st : sv_table_flush(t);
    }
    st = st ? st : freq_end(t, c, rows);
    st = st ? st : sv_table_flush(t);
    st = st ? st : sv_table_stream_end(s, t);
    sv_table_free(t);
    return st == SV_ERR_NOMEM ? nomem(s->err) : st;
}

enum sv_status sv_cube_write_freq(const struct sv_cube *c, enum sv_format f,
                                  enum sv_header h, FILE *fp,
                                  struct sv_error *err)
{
    struct sv_table_stream s = {.f = f, .h = h, .fp = fp, .err = err};
    enum sv_status st = SV_OK;

    /* The aligned table is made twice: its widths, then its lines. */
    for (int pass = f == SV_FORMAT_TABLE ? 0 : 1; pass < 2 && !st; pass++) {
        s.measuring = pass == 0;
        st = freq_pass(c, &s);
    }
    sv_table_stream_release(&s);
    return st;
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
    const struct group *gr;
    long d;
    uint64_t n;
    wide px, py;

    if (g >= c->ngroups || i >= c->nitems ||
        c->items[i].role != SV_ROLE_DIMENSION)
        return 0;
    gr = &c->groups[g];
    d = c->items[i].dim;
    n = gr->sums[d].pn;
    px = sv_cube_sum(gr, d, S_PX);
    py = sv_cube_sum(gr, d, S_PY);
    out->n = n;
    out->mean_x = n ? (double)((long double)px / n / SV_CUBE_SCORE_UNIT)
                    : NAN;
    out->mean_y = n ? (double)((long double)py / n / SV_CUBE_SCORE_UNIT)
                    : NAN;
    out->sxx = centred(n, px, sv_cube_sum(gr, d, S_PXX), px);
    out->syy = centred(n, py, sv_cube_sum(gr, d, S_PYY), py);
    out->sxy = centred(n, px, sv_cube_sum(gr, d, S_PXY), py);
    return 1;
}

/* The moments of the complete respondents in sums DIM (-1: totals). */
static void moments(const struct group *gr, long dim,
                    struct sv_cube_moments *out)
{
    uint64_t n = dim >= 0 ? gr->sums[dim].an : gr->total.an;
    wide sx = sv_cube_sum(gr, dim, S_AX);

    out->n = n;
    out->mean = n ? (double)((long double)sx / n / SV_CUBE_SCORE_UNIT) : NAN;
    out->ss = centred(n, sx, sv_cube_sum(gr, dim, S_AXX), sx);
}

int sv_cube_alpha_item(const struct sv_cube *c, size_t g, size_t i,
                       struct sv_cube_moments *out)
{
    if (g >= c->ngroups || i >= c->nitems ||
        c->items[i].role != SV_ROLE_DIMENSION)
        return 0;
    moments(&c->groups[g], c->items[i].dim, out);
    return 1;
}

int sv_cube_alpha_total(const struct sv_cube *c, size_t g,
                        struct sv_cube_moments *out)
{
    if (g >= c->ngroups)
        return 0;
    moments(&c->groups[g], -1, out);
    return 1;
}
