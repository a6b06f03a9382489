/*
 * cube.c — the frequency cube: counts per group x item x level, filled from
 * raw files (through the importer), normalised streams or other cubes.
 * Memory grows with the number of groups and items, never with rows.
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

#define VALUE_LIMIT 200 /* bytes: longest key value or item label */
#define SLOTS (SV_CUBE_MAX_CODE + 2) /* slot 0: no answer; slot c+1: code c */
#define KEY_SEP '\x1f'

struct level_meta {
    char *label;
    double score;
    int sat, set;
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
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
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
    }
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
    for (h = fnv1a(key) & mask; c->hash[h]; h = (h + 1) & mask)
        if (strcmp(c->groups[c->hash[h] - 1].joined, key) == 0)
            return (long)(c->hash[h] - 1);
    return -1;
}

/* Puts group G into the hash table (which has room). */
static void insert_hash(struct sv_cube *c, size_t g)
{
    size_t k = fnv1a(c->groups[g].joined) & (c->hash_cap - 1);

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
    c->ngroups++;
    if (!n->joined || !n->counts || split_keys(c, n))
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
        if (!n)
            return -1;
        memcpy(n, c->groups[g].counts,
               c->item_cap * SLOTS * sizeof *n);
        free(c->groups[g].counts);
        c->groups[g].counts = n;
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
    return m->label ? 0 : -1;
}

static void add_count(struct sv_cube *c, long g, size_t i, int code,
                      uint64_t n)
{
    c->groups[g].counts[i * SLOTS + (size_t)(code + 1)] += n;
}


static enum sv_status nomem(struct sv_error *err)
{
    return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
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

static const char *const period_names[] = {"", "month", "quarter", "half",
                                           "year"};

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
    long g;

    for (size_t d = 0; d < c->ndims; d++)
        vals[d] = src[d] == SRC_SITE     ? rec->site
                  : src[d] == SRC_PERIOD ? period
                                         : rec->groups[src[d]];
    if (join_key(c, vals) || (g = group_of(c)) < 0)
        return SV_ERR_NOMEM;
    c->groups[g].responses++;
    for (size_t i = 0; i < rec->nitems; i++)
        if (map[i] >= 0)
            add_count(c, g, (size_t)map[i], rec->codes[i], 1);
    return SV_OK;
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

/* Column positions of a stream or cube header. */
struct layout {
    long resp, item, role, scale, level, label, score, sat, count;
    long *dim;  /* per cube dimension: column of its value */
    size_t nf;  /* fields per record */
    int is_cube;
};

static enum sv_status find_dims(struct sv_cube *c, struct sv_csv *csv,
                                struct layout *l, struct sv_error *err)
{
    for (size_t d = 0; d < c->ndims; d++) {
        const char *name = c->dims[d];
        if (d == (size_t)c->period_dim && !l->is_cube)
            name = period_names[c->period];
        l->dim[d] = header_col(csv, name);
        if (l->dim[d] < 0 || (l->is_cube && l->dim[d] >= l->item))
            return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                                sv_csv_line(csv), NULL,
                                "no key column '%s' in this %s", name,
                                l->is_cube ? "cube" : "stream");
    }
    return SV_OK;
}

static enum sv_status read_layout(struct sv_cube *c, struct sv_csv *csv,
                                  struct layout *l, struct sv_error *err)
{
    l->resp = header_col(csv, "resp");
    l->item = header_col(csv, "item");
    l->role = header_col(csv, "role");
    l->scale = header_col(csv, "scale");
    l->level = header_col(csv, "level");
    l->label = header_col(csv, "label");
    l->score = header_col(csv, "score");
    l->sat = header_col(csv, "sat");
    l->count = header_col(csv, "count");
    l->nf = sv_csv_nfields(csv);
    l->is_cube = l->count >= 0;
    if (header_col(csv, "received") >= 0) {
        bad(csv, NULL, err, "%s", "this is a complaint-register stream");
        sv_error_hint(err, SV_HINT_REGISTER);
        return SV_ERR_DATA;
    }
    if (l->item < 0 || l->role < 0 || l->scale < 0 || l->level < 0 ||
        l->label < 0 || l->score < 0 || l->sat < 0 ||
        (l->resp < 0 && !l->is_cube)) {
        bad(csv, NULL, err, "%s", "not a normalised stream or a cube");
        sv_error_hint(err, SV_HINT_RAW_QUESTIONNAIRE);
        return SV_ERR_DATA;
    }
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

/* Reads level, label, score and sat of a line; CODE -1 for no answer. */
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

static enum sv_status parse_level(struct sv_cube *c, struct sv_csv *csv,
                                  const struct layout *l, size_t item,
                                  int *code, struct sv_error *err)
{
    const char *lv = sv_csv_field(csv, (size_t)l->level);
    long k;
    double score;
    int r;

    *code = -1;
    if (!*lv)
        return SV_OK;
    if (sv_parse_long(lv, 0, SV_CUBE_MAX_CODE, &k) != SV_OK)
        return bad(csv, "level", err, "invalid level '%s' (expected 0-16)",
                   lv);
    if (sv_parse_double(sv_csv_field(csv, (size_t)l->score), &score))
        return bad(csv, "score", err, "invalid score '%s'",
                   sv_csv_field(csv, (size_t)l->score));
    *code = (int)k;
    r = define_level(c, item, *code, sv_csv_field(csv, (size_t)l->label),
                     score, strcmp(sv_csv_field(csv, (size_t)l->sat), "1") == 0);
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
        size_t col = (size_t)(d < c->ndims ? l->dim[d] : l->item);
        if (sv_csv_field_len(csv, col) > VALUE_LIMIT)
            return sv_error_set(err, SV_ERR_LIMIT, sv_csv_name(csv),
                                sv_csv_line(csv),
                                d < c->ndims ? c->dims[d] : "item",
                                "value longer than %d bytes", VALUE_LIMIT);
    }
    return SV_OK;
}

static enum sv_status read_line(struct sv_cube *c, struct sv_csv *csv,
                                const struct layout *l, const char **vals,
                                char **last_resp, struct sv_error *err)
{
    const char *role_s = sv_csv_field(csv, (size_t)l->role);
    const char *item_s = sv_csv_field(csv, (size_t)l->item);
    enum sv_role role = SV_ROLE_NONE;
    uint64_t n = 1;
    size_t nitems;
    long g = -1, item;
    int code;
    enum sv_status st;

    if (sv_csv_nfields(csv) != l->nf)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                            sv_csv_line(csv), NULL,
                            "expected %zu fields as in the header, found %zu",
                            l->nf, sv_csv_nfields(csv));
    if ((st = check_lengths(c, csv, l, err)) ||
        (st = line_group(c, csv, l, vals, &g, err)))
        return st;
    if (l->is_cube && (st = parse_count(csv, l->count, &n, err)))
        return st;
    if (l->is_cube && strcmp(item_s, "(responses)") == 0)
        return add_checked(csv, &c->groups[g].responses, n, err);
    if (!l->is_cube && (!*last_resp ||
                        strcmp(*last_resp, sv_csv_field(csv, (size_t)l->resp)))) {
        free(*last_resp);
        if (!(*last_resp = strdup(sv_csv_field(csv, (size_t)l->resp))))
            return nomem(err);
        c->groups[g].responses++;
    }
    if (sv_role_parse(role_s, &role) != SV_OK)
        return bad(csv, "role", err, "unknown role '%s'", role_s);
    if (role == SV_ROLE_COMMENT)
        return SV_OK;
    nitems = c->nitems;
    if ((item = item_of(c, item_s, role, sv_csv_field(csv, (size_t)l->scale))) < 0 ||
        ((size_t)item == nitems &&
         define_builtin_levels(c, (size_t)item, c->items[item].scale) < 0))
        return nomem(err);
    if ((st = parse_level(c, csv, l, (size_t)item, &code, err)))
        return st;
    return add_checked(csv, &c->groups[g].counts[(size_t)item * SLOTS +
                                                 (size_t)(code + 1)], n, err);
}

/*
 * True when the current record is a header line (concatenated files): the
 * same header, or another one (streams of other codebooks have other group
 * columns) with its own "item" and "level" columns.
 */
static int is_header(struct sv_csv *csv, const struct layout *l)
{
    if (strcmp(sv_csv_field(csv, (size_t)l->item), "item") == 0 &&
        strcmp(sv_csv_field(csv, (size_t)l->level), "level") == 0)
        return 1;
    return sv_csv_nfields(csv) != l->nf && header_col(csv, "item") >= 0 &&
           header_col(csv, "level") >= 0 && header_col(csv, "role") >= 0;
}

static enum sv_status read_lines(struct sv_cube *c, struct sv_csv *csv,
                                 struct sv_error *err)
{
    struct layout l = {0};
    const char **vals = calloc(c->ndims + 1, sizeof *vals);
    char *last_resp = NULL;
    enum sv_status st = SV_ERR_NOMEM;
    size_t nf;

    l.dim = calloc(c->ndims + 1, sizeof *l.dim);
    if (!vals || !l.dim) {
        nomem(err);
        goto out;
    }
    if ((st = read_layout(c, csv, &l, err)))
        goto out;
    while ((st = sv_csv_next(csv, &nf, err)) == SV_OK && nf > 0) {
        if (is_header(csv, &l)) {
            free(last_resp);
            last_resp = NULL;
            if ((st = read_layout(c, csv, &l, err)))
                break;
            continue;
        }
        if ((st = read_line(c, csv, &l, vals, &last_resp, err)))
            break;
    }
out:
    free(last_resp);
    free(vals);
    free(l.dim);
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

static const char *const freq_cols[] = {"item",  "role", "scale", "level",
                                        "label", "score", "sat", "count",
                                        "pct"};

static enum sv_status freq_row(struct sv_table *t, const struct sv_cube *c,
                               size_t g, const char *item, const char *role,
                               const char *scale)
{
    size_t k = c->ndims;
    enum sv_status st = sv_table_add_row(t);

    for (size_t d = 0; d < c->ndims && !st; d++)
        st = sv_table_set(t, d, c->groups[g].keys[d]);
    if (!st)
        st = sv_table_set(t, k, item);
    if (!st)
        st = sv_table_set(t, k + 1, role);
    if (!st)
        st = sv_table_set(t, k + 2, scale);
    return st;
}

static enum sv_status freq_item(struct sv_table *t, const struct sv_cube *c,
                                size_t g, size_t i)
{
    const struct item *it = &c->items[i];
    const uint64_t *n = c->groups[g].counts + i * SLOTS;
    uint64_t valid = 0;
    size_t k = c->ndims;
    enum sv_status st = SV_OK;

    for (int s = 1; s < SLOTS; s++)
        valid += n[s];
    for (int s = 1; s < SLOTS && !st; s++) {
        if (!it->lv[s].set)
            continue;
        st = freq_row(t, c, g, it->label, sv_role_name(it->role), it->scale);
        st = st ? st : sv_table_setf(t, k + 3, "%d", s - 1);
        st = st ? st : sv_table_set(t, k + 4, it->lv[s].label);
        st = st ? st : sv_table_setf(t, k + 5, "%.15g", it->lv[s].score);
        st = st ? st : sv_table_set(t, k + 6, it->lv[s].sat ? "1" : "0");
        st = st ? st : sv_table_setf(t, k + 7, "%" PRIu64, n[s]);
        st = st ? st : sv_table_set_num(t, k + 8, valid ? 100.0 * (double)n[s] / (double)valid : NAN, 2);
    }
    st = st ? st : freq_row(t, c, g, it->label, sv_role_name(it->role), it->scale);
    st = st ? st : sv_table_set(t, k + 4, "(missing)");
    return st ? st : sv_table_setf(t, k + 7, "%" PRIu64, n[0]);
}

struct sv_table *sv_cube_freq_table(const struct sv_cube *c,
                                    struct sv_error *err)
{
    struct sv_table *t = sv_table_new();
    enum sv_status st = t ? SV_OK : SV_ERR_NOMEM;

    for (size_t d = 0; d < c->ndims && !st; d++)
        st = sv_table_add_column(t, c->dims[d], 0);
    for (size_t j = 0; j < sizeof freq_cols / sizeof *freq_cols && !st; j++)
        st = sv_table_add_column(t, freq_cols[j], j >= 3 && j != 4);
    for (size_t g = 0; g < c->ngroups && !st; g++) {
        st = freq_row(t, c, g, "(responses)", "", "");
        st = st ? st : sv_table_setf(t, c->ndims + 7, "%" PRIu64,
                                     c->groups[g].responses);
        for (size_t i = 0; i < c->nitems && !st; i++)
            st = freq_item(t, c, g, i);
    }
    if (st) {
        sv_table_free(t);
        nomem(err);
        return NULL;
    }
    return t;
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
    return 0;
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
