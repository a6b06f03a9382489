/*
 * cube-index.c — the cube's group index: key values joined into one key,
 * found through an open-addressing hash table, and the groups sorted by
 * key (periods in time order) once reading is done.
 */
#include <stdlib.h>
#include <string.h>

#include "cube-internal.h"

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

/* Joins VALS[0..ndims-1] into c->key. */
/* Bytes of the joined key of VALS (with its NUL). */
static size_t joined_len(const struct sv_cube *c, const char *const *vals)
{
    size_t need = 1;

    for (size_t d = 0; d < c->ndims; d++)
        need += strlen(vals[d]) + 1;
    return need;
}

/* Joins VALS into KEY, which has room for joined_len() bytes. */
static void join_into(const struct sv_cube *c, const char *const *vals,
                      char *key)
{
    key[0] = '\0';
    for (size_t d = 0, o = 0; d < c->ndims; d++) {
        size_t n = strlen(vals[d]);
        memcpy(key + o, vals[d], n);
        o += n;
        key[o++] = d + 1 < c->ndims ? KEY_SEP : '\0';
    }
}

int sv_cube_join_key(struct sv_cube *c, const char *const *vals)
{
    size_t need = joined_len(c, vals);

    if (need > c->key_cap) {
        char *k = realloc(c->key, need * 2);
        if (!k)
            return -1;
        c->key = k;
        c->key_cap = need * 2;
    }
    join_into(c, vals, c->key);
    return 0;
}

long sv_cube_find_key(const struct sv_cube *c, const char *key)
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

int sv_cube_rehash(struct sv_cube *c, size_t cap)
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
long sv_cube_group_of(struct sv_cube *c)
{
    long g = sv_cube_find_key(c, c->key);
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
    n->counts = calloc(c->count_cap ? c->count_cap : 1, sizeof *n->counts);
    n->sums = calloc(c->dim_cap ? c->dim_cap : 1, sizeof *n->sums);
    c->ngroups++;
    if (!n->joined || !n->counts || !n->sums || split_keys(c, n))
        return -1;
    if (c->ngroups * 2 > c->hash_cap)
        return sv_cube_rehash(c, c->hash_cap ? c->hash_cap * 2 : 64)
                   ? -1
                   : (long)c->ngroups - 1;
    insert_hash(c, c->ngroups - 1);
    return (long)c->ngroups - 1;
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
    if (c->hash_cap && sv_cube_rehash(c, c->hash_cap))
        return nomem(err);
    return SV_OK;
}

long sv_cube_lookup(const struct sv_cube *c, const char *const *keys)
{
    char small[512], *key = small;
    size_t need = joined_len(c, keys);
    long g;

    /* a key of its own: C is only read (several threads may look up) */
    if (need > sizeof small && !(key = malloc(need)))
        return -1;
    join_into(c, keys, key);
    g = sv_cube_find_key(c, key);
    if (key != small)
        free(key);
    return g;
}
