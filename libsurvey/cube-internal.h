/*
 * cube-internal.h — the frequency cube's representation, shared by its
 * modules only: cube.c (the cube, its items and levels, counting a
 * respondent, raw files, the frequency table), cube-index.c (the group
 * index), cube-read.c (reading streams and cube files) and
 * cube-parallel.c (one raw file read by several threads).
 */
#ifndef SV_CUBE_INTERNAL_H
#define SV_CUBE_INTERNAL_H

#include <stdint.h>

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
    int small;   /* fx_ok and |fx| < 2^31: products fit in 64 bits */
    unsigned char kind; /* LV_NONE (no score: no answer, or beyond
                           SCORE_LIMIT), LV_SMALL or LV_BIG (fx_ok, not small) */
};

enum { LV_NONE, LV_SMALL, LV_BIG };

/* The sums of struct sums, in order. */
enum { S_PX, S_PY, S_PXX, S_PYY, S_PXY, S_AX, S_AXX, S_N };

/*
 * The multi-item sums of one group x dimension item (README), or of the
 * group's totals (only an, v[S_AX], v[S_AXX]).  A sum is v[f] plus, once
 * v[f] would have overflowed 64 bits, the group's 128-bit spill (most
 * groups never need one, so a group costs 72 bytes per dimension item).
 */
struct sums {
    uint64_t pn;      /* pairs: item and outcome answered */
    uint64_t an;      /* complete respondents */
    int64_t v[S_N];   /* px, py, pxx, pyy, pxy; ax, axx over complete ones */
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

/* A scored dimension answer of a respondent: its sums and score. */
struct scored {
    long dim;
    int64_t x;
};

/*
 * A multi-select item (cube-multi.c): its options in the order met, the
 * allowed ones first when its scale is an options= list (FIXED).
 */
struct mitem {
    char *label, *scale;
    char **opt;
    size_t nopt, opt_cap;
    int fixed;
    size_t *order; /* the options in output order, NULL when stale */
};

/* One group's counts of a multi-select item. */
struct mcount {
    uint64_t missing, answered; /* respondents without and with an answer */
    uint64_t *n;                /* per option: respondents who chose it */
    size_t cap;
};

/* A raw file's multi-select column: importer item and cube multi item. */
struct mraw {
    size_t item, m;
};

struct item {
    char *label, *scale;
    enum sv_role role;
    long dim; /* index among the dimension items (their sums), or -1 */
    size_t base, nslot; /* its counts: group counts[base .. base+nslot-1] */
    struct level_meta lv[SLOTS];
};

struct group {
    const struct sv_cube *owner; /* for the sort comparator */
    char *joined;      /* key values separated by KEY_SEP */
    const char **keys; /* pointers into a split copy */
    char *split;
    long period_ord;
    uint64_t responses;
    /*
     * Terms, each at most c->fx_max^2 in size, that every item sum of the
     * group can take without overflowing 64 bits (see make_room() in
     * cube.c); any other change of an item sum sets it to 0.
     */
    uint64_t room;
    uint64_t *counts; /* count_cap: each item's slots (struct item.base) */
    struct sums *sums; /* dim_cap: one per dimension item */
    struct sums total; /* complete respondents' totals over the dimensions */
    wide *spill;       /* NULL, or (dim_cap + 1) x S_N: see struct sums */
    struct mcount *multi; /* per multi-select item (cube-multi.c) */
    size_t nmulti;        /* of them allocated */
};

struct sv_cube {
    char **dims;
    size_t ndims;
    long period_dim;
    enum sv_period period;
    struct item *items;
    size_t nitems, item_cap;
    size_t ndim_items, dim_cap; /* dimension items (struct item.dim) */
    size_t ncount, count_cap;   /* count slots of all items, per group */
    int64_t fx_max;             /* largest |fx| of a small level */
    struct group *groups;
    size_t ngroups, group_cap;
    size_t *hash; /* open addressing: group index + 1, 0 = empty */
    size_t hash_cap;
    char *key;    /* scratch: the joined key being looked up */
    size_t key_cap;
    long memo_ym;        /* year * 12 + month of memo_period, 0 = none */
    char memo_period[16]; /* period key of the last raw date */
    char *keep_site;     /* read only this site's lines, or NULL */
    struct answer *ans;  /* scratch: one respondent's answers */
    struct scored *sc;   /* scratch: its scored dimension answers */
    size_t ans_cap;      /* of both */
    struct mitem *multi; /* the multi-select items (cube-multi.c) */
    size_t nmulti, multi_cap;
    struct mraw *mraw;   /* the current raw file's multi-select columns */
    size_t nmraw;
    sv_error_cb on_error; /* header errors of raw files but the last */
    void *on_error_ctx;
    int lane_off;         /* raw rows all go the ordinary way (tests) */
    uint64_t lane_rows;   /* raw rows the fast lane counted */
};


/* *ACC += V; nonzero on overflow. */
static inline int wadd(wide *acc, wide v)
{
    return __builtin_add_overflow(*acc, v, acc);
}


/* Results of adding to a sum; they combine with |. */
enum { SUM_OK = 0, SUM_OVERFLOW = 1, SUM_NOMEM = 2 };

/*
 * Moves sum F of dimension DIM (-1: the totals) of group GR into its
 * spill and adds V there.  Returns SUM_OK, SUM_OVERFLOW (beyond 128
 * bits) or SUM_NOMEM.
 */
int sv_cube_spill(const struct sv_cube *c, struct group *gr, long dim, int f,
                  wide v);

/* Sum F of dimension DIM (-1: the totals) of GR, in full. */
wide sv_cube_sum(const struct group *gr, long dim, int f);

/* The sums of dimension DIM of GR, or its totals when DIM < 0. */
static inline struct sums *sums_of(struct group *gr, long dim)
{
    return dim >= 0 ? &gr->sums[dim] : &gr->total;
}

/* Adds V to sum F of dimension DIM of GR (see sv_cube_spill). */
static inline int sum_add(const struct sv_cube *c, struct group *gr, long dim,
                          int f, int64_t v)
{
    int64_t *a = &sums_of(gr, dim)->v[f], r;

    if (dim >= 0)
        gr->room = 0;
    if (__builtin_add_overflow(*a, v, &r))
        return sv_cube_spill(c, gr, dim, f, v);
    *a = r;
    return 0;
}

/* sum_add of a 128-bit V. */
static inline int sum_add_wide(const struct sv_cube *c, struct group *gr,
                               long dim, int f, wide v)
{
    if (v >= INT64_MIN && v <= INT64_MAX)
        return sum_add(c, gr, dim, f, (int64_t)v);
    return sv_cube_spill(c, gr, dim, f, v);
}

static inline enum sv_status nomem(struct sv_error *err)
{
    return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

static inline enum sv_status sum_overflow(struct sv_error *err, const char *file,
                                   unsigned long line)
{
    return sv_error_set(err, SV_ERR_LIMIT, file, line, NULL,
                        "overflow of the cube's multi-item sums (beyond "
                        "128-bit integers)");
}

/* The counts of item I in group GR (slot 0: no answer; c+1: code c). */
static inline uint64_t *counts_of(const struct sv_cube *c,
                                  const struct group *gr, size_t i)
{
    return gr->counts + c->items[i].base;
}

/* --- the group index (cube-index.c) --------------------------------------- */

/* Joins VALS[0..ndims-1] into c->key; -1 on no memory. */
int sv_cube_join_key(struct sv_cube *c, const char *const *vals);

/* Index of the group with joined key KEY, or -1. */
long sv_cube_find_key(const struct sv_cube *c, const char *key);

/* Index of the group with key c->key, created when new; -1 on no memory. */
long sv_cube_group_of(struct sv_cube *c);

/* Rebuilds the hash table with CAP (a power of two) slots; -1 on no memory. */
int sv_cube_rehash(struct sv_cube *c, size_t cap);

/* --- items and counting (cube.c) -------------------------------------------- */

/* Index of item (LABEL, ROLE, SCALE), created when new; -1 on no memory. */
long sv_cube_item_of(struct sv_cube *c, const char *label, enum sv_role role,
                     const char *scale);

/*
 * Records the meaning of level CODE of item I; a different meaning for
 * the same code is an error (returns 1), no memory returns -1.
 */
int sv_cube_define_level(struct sv_cube *c, size_t i, int code,
                         const char *label, double score, int sat);

/*
 * Adds one returned questionnaire with answers A[0..N-1] to group G (its
 * counts and multi-item sums).  Returns SV_OK, SV_ERR_LIMIT (a sum beyond
 * 128 bits) or SV_ERR_NOMEM.
 */
enum sv_status sv_cube_add_respondent(struct sv_cube *c, long g,
                                      const struct answer *a, size_t n);

/* Room for N answers in c->ans; -1 on no memory. */
int sv_cube_reserve_answers(struct sv_cube *c, size_t n);

/*
 * Counts the rows of raw SRC into C through IMP; the header is read from
 * SRC, or, with LIKE, mapped as LIKE mapped it (a later range of a file).
 */
enum sv_status sv_cube_read_rows(struct sv_cube *c, struct sv_source *src,
                                 const struct sv_codebook *cb,
                                 struct sv_import *imp,
                                 const struct sv_import *like,
                                 struct sv_error *err);

/* --- the fast lane (cube-lane.c) ----------------------------------------- */

struct sv_lane;

/* A stream's item column: where it is and which cube item it counts. */
struct scol {
    long col;
    size_t item;
    int lo, hi; /* its valid levels */
};

/*
 * A fast lane for the rows of a raw file whose header IMP mapped, MAP
 * giving each importer item's cube item; NULL when the cube's groups are
 * not sites and periods, the file has multi-select columns, or no memory.
 */
struct sv_lane *sv_lane_new(struct sv_cube *c, struct sv_import *imp,
                            const long *map);

/*
 * Counts the next line of SRC into C when the lane can: 1 with *ST (and
 * ERR on error); 0 when the ordinary path must read it.
 */
int sv_lane_count(struct sv_cube *c, struct sv_lane *l, struct sv_source *src,
                  enum sv_status *st, struct sv_error *err);

/* Remembers the site of REC, just read from SRC the ordinary way, as G's. */
void sv_lane_learn(struct sv_lane *l, struct sv_source *src,
                   const struct sv_record *rec, long g);

/*
 * A fast lane for the lines of a stream of NF fields: its DATE column,
 * the column DIM[d] of each cube dimension and its item columns LEVELS
 * (borrowed); NULL when the cube reads one site only, or no memory.
 */
struct sv_lane *sv_lane_new_stream(struct sv_cube *c, size_t nf,
                                   size_t date, const long *dim,
                                   const struct scol *levels, size_t nlevels);

/* sv_lane_count() of the next line of stream CSV. */
int sv_lane_count_stream(struct sv_cube *c, struct sv_lane *l,
                         struct sv_csv *csv, enum sv_status *st,
                         struct sv_error *err);

/* Remembers the key values VALS of a stream line as group G's. */
void sv_lane_learn_keys(struct sv_lane *l, const char *const *vals, long g);

void sv_lane_free(struct sv_lane *l);

/* Lets the fast lane count C's raw rows (the default) or not (tests). */
void sv_cube_use_lane(struct sv_cube *c, int on);

/* Raw rows the fast lane counted into C. */
uint64_t sv_cube_lane_rows(const struct sv_cube *c);

/* --- multi-select items (cube-multi.c) ------------------------------------ */

/* Most distinct options a multi-select item holds (README). */
#define SV_CUBE_MAX_OPTIONS 64

/*
 * Index of multi-select item (LABEL, SCALE: "" or options=A|B|...),
 * created when new; -1 on no memory.
 */
long sv_cube_multi_of(struct sv_cube *c, const char *label, const char *scale);

/*
 * The count cell of option OPT (LEN bytes) of multi item M in group G, the
 * option added when new: NULL with *WHY set when it is not among a fixed
 * list ("unknown") or would be one too many ("limit"), or on no memory
 * (*WHY "nomem").
 */
uint64_t *sv_cube_multi_cell(struct sv_cube *c, size_t g, size_t m,
                             const char *opt, size_t len, const char **why);

/* Group G's counts of multi item M; NULL on no memory. */
struct mcount *sv_cube_mcount(struct sv_cube *c, size_t g, size_t m);

/*
 * Counts one respondent's answer TEXT (options joined by |, NULL or ""
 * when none) to multi item M in group G.  Returns SV_OK, or an error
 * naming FILE:LINE (an unknown option, too many options, no memory).
 */
enum sv_status sv_cube_multi_add(struct sv_cube *c, size_t g, size_t m,
                                 const char *text, const char *file,
                                 unsigned long line, struct sv_error *err);

/* The multi-select columns of a raw file's importer IMP (c->mraw). */
enum sv_status sv_cube_multi_raw_items(struct sv_cube *c,
                                       const struct sv_import *imp,
                                       struct sv_error *err);

/*
 * True when the multi-select items of the cubes X[0..N-1] added up keep
 * within SV_CUBE_MAX_OPTIONS options each.
 */
int sv_cube_multi_fits(const struct sv_cube *const *x, size_t n);

/*
 * Adds T's multi-select items and group FROM's counts to group TO of C:
 * 0, -1 on no memory, 2 when an option does not fit (sv_cube_multi_fits).
 */
int sv_cube_multi_merge(struct sv_cube *c, size_t to, const struct sv_cube *t,
                        const struct group *from);

/* The frequency-table rows of group G's multi-select items. */
enum sv_status sv_cube_multi_freq(struct sv_table *t, const struct sv_cube *c,
                                  size_t g);

/* What is wrong with the multi-select counts of group G, or NULL. */
const char *sv_cube_multi_fault(const struct sv_cube *c, size_t g,
                                const char **item);

void sv_cube_multi_free(struct sv_cube *c);

#endif
