/*
 * cube-multi.c — multi-select items in the cube (PRODUCT.md 4): per group
 * and item, the respondents who chose each option, who answered the
 * question (the denominator of an option's share) and who did not.  An
 * option is its label: cubes of other files, quarters or threads add up
 * option by option, whatever order the options were met in.  Options are
 * written in one order whatever path filled the cube: an options= list's
 * own order, else the byte order of their labels.  Kept apart from the
 * level counts (at most SV_CUBE_MAX_CODE levels per item) because a
 * question may offer more options than a scale has levels.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cube-internal.h"


/* Index of option OPT (LEN bytes) of M, or -1. */
static long find_option(const struct mitem *m, const char *opt, size_t len)
{
    for (size_t o = 0; o < m->nopt; o++)
        if (strncmp(m->opt[o], opt, len) == 0 && !m->opt[o][len])
            return (long)o;
    return -1;
}

/*
 * Adds option OPT (LEN bytes) to M, keeping m->order sorted by label
 * unless the options are a fixed list.  Returns its index, -1 on no
 * memory.
 */
static long add_option(struct mitem *m, const char *opt, size_t len)
{
    size_t at = m->nopt;

    if (m->nopt == m->opt_cap) {
        size_t cap = m->opt_cap ? m->opt_cap * 2 : 8;
        char **o = realloc(m->opt, cap * sizeof *o);
        size_t *ord = o ? realloc(m->order, cap * sizeof *ord) : NULL;
        if (o)
            m->opt = o;
        if (!ord)
            return -1;
        m->order = ord;
        m->opt_cap = cap;
    }
    if (!(m->opt[m->nopt] = strndup(opt, len)))
        return -1;
    while (!m->fixed && at > 0 &&
           strcmp(m->opt[m->order[at - 1]], m->opt[m->nopt]) > 0)
        at--;
    memmove(m->order + at + 1, m->order + at,
            (m->nopt - at) * sizeof *m->order);
    m->order[at] = m->nopt;
    return (long)m->nopt++;
}

/* The options of an options=A|B|... scale, in the list's order. */
static int add_listed(struct mitem *m)
{
    const char *p = m->scale + strlen("options=");

    m->fixed = 1;
    while (*p) {
        size_t len = strcspn(p, "|");
        if (len && find_option(m, p, len) < 0 && add_option(m, p, len) < 0)
            return -1;
        p += len + (p[len] == '|');
    }
    return 0;
}

long sv_cube_multi_of(struct sv_cube *c, const char *label, const char *scale)
{
    struct mitem *m;

    for (size_t i = 0; i < c->nmulti; i++)
        if (strcmp(c->multi[i].label, label) == 0 &&
            strcmp(c->multi[i].scale, scale) == 0)
            return (long)i;
    if (c->nmulti == c->multi_cap) {
        size_t cap = c->multi_cap ? c->multi_cap * 2 : 4;
        if (!(m = realloc(c->multi, cap * sizeof *m)))
            return -1;
        c->multi = m;
        c->multi_cap = cap;
    }
    m = &c->multi[c->nmulti++];
    memset(m, 0, sizeof *m);
    m->label = strdup(label);
    m->scale = strdup(scale);
    if (!m->label || !m->scale ||
        (strncmp(scale, "options=", 8) == 0 && add_listed(m)))
        return -1;
    return (long)c->nmulti - 1;
}

struct mcount *sv_cube_mcount(struct sv_cube *c, size_t g, size_t m)
{
    struct group *gr = &c->groups[g];

    if (m >= gr->nmulti) {
        struct mcount *p = realloc(gr->multi, c->multi_cap * sizeof *p);
        if (!p)
            return NULL;
        memset(p + gr->nmulti, 0, (c->multi_cap - gr->nmulti) * sizeof *p);
        gr->multi = p;
        gr->nmulti = c->multi_cap;
    }
    return &gr->multi[m];
}

int sv_cube_reserved_option(const char *opt, size_t len)
{
    return (len == strlen("(answered)") &&
            memcmp(opt, "(answered)", len) == 0) ||
           (len == strlen("(missing)") && memcmp(opt, "(missing)", len) == 0);
}

uint64_t *sv_cube_multi_cell(struct sv_cube *c, size_t g, size_t m,
                             const char *opt, size_t len, const char **why)
{
    struct mitem *it = &c->multi[m];
    long o = find_option(it, opt, len);
    struct mcount *mc;

    if (sv_cube_reserved_option(opt, len)) {
        *why = "reserved";
        return NULL;
    }
    *why = "nomem";
    if (o < 0) {
        if (it->fixed || it->nopt >= SV_CUBE_MAX_OPTIONS) {
            *why = it->fixed ? "unknown" : "limit";
            return NULL;
        }
        if ((o = add_option(it, opt, len)) < 0)
            return NULL;
    }
    if (!(mc = sv_cube_mcount(c, g, m)))
        return NULL;
    if ((size_t)o >= mc->cap) {
        size_t cap = it->opt_cap;
        uint64_t *n = realloc(mc->n, cap * sizeof *n);
        if (!n)
            return NULL;
        memset(n + mc->cap, 0, (cap - mc->cap) * sizeof *n);
        mc->n = n;
        mc->cap = cap;
    }
    return &mc->n[o];
}

/* True when the option at P (LEN bytes) came before P in TEXT. */
static int seen_before(const char *text, const char *p, size_t len)
{
    for (const char *q = text; q < p;) {
        size_t n = strcspn(q, "|");
        if (n == len && strncmp(q, p, len) == 0)
            return 1;
        q += n + (q[n] == '|');
    }
    return 0;
}

/* The message of a failed sv_cube_multi_cell. */
static enum sv_status cell_error(const struct mitem *m, const char *why,
                                 const char *opt, size_t len, const char *file,
                                 unsigned long line, struct sv_error *err)
{
    if (strcmp(why, "unknown") == 0)
        return sv_error_set(err, SV_ERR_DATA, file, line, m->label,
                            "unknown option \"%.*s\" (%s)", (int)len, opt,
                            m->scale);
    if (strcmp(why, "reserved") == 0)
        return sv_error_set(err, SV_ERR_DATA, file, line, m->label,
                            "option \"%.*s\" is a name the cube keeps for "
                            "its own rows", (int)len, opt);
    if (strcmp(why, "limit") == 0)
        return sv_error_set(err, SV_ERR_LIMIT, file, line, m->label,
                            "multi-select item '%s' has more than %d "
                            "different options (list the options in the "
                            "codebook: options=A|B|...)", m->label,
                            SV_CUBE_MAX_OPTIONS);
    return nomem(err);
}

enum sv_status sv_cube_multi_add(struct sv_cube *c, size_t g, size_t m,
                                 const char *text, const char *file,
                                 unsigned long line, struct sv_error *err)
{
    struct mcount *mc = sv_cube_mcount(c, g, m);
    const char *why, *p = text;

    if (!mc)
        return nomem(err);
    if (!text || !*text) {
        mc->missing++;
        return SV_OK;
    }
    while (*p) {
        size_t len = strcspn(p, "|");
        uint64_t *cell;
        if (len && !seen_before(text, p, len)) {
            if (!(cell = sv_cube_multi_cell(c, g, m, p, len, &why)))
                return cell_error(&c->multi[m], why, p, len, file, line, err);
            (*cell)++;
        }
        p += len + (p[len] == '|');
    }
    /* the cells may have moved the group's counts: look them up again */
    sv_cube_mcount(c, g, m)->answered++;
    return SV_OK;
}

enum sv_status sv_cube_multi_raw_items(struct sv_cube *c,
                                       const struct sv_import *imp,
                                       struct sv_error *err)
{
    size_t n = sv_import_nitems(imp);
    struct mraw *r = realloc(c->mraw, (n + 1) * sizeof *r);

    if (!r)
        return nomem(err);
    c->mraw = r;
    c->nmraw = 0;
    for (size_t i = 0; i < n; i++) {
        const struct sv_column *col = sv_import_item(imp, i);
        char scale[4096];
        long m;
        if (col->role != SV_ROLE_MULTI)
            continue;
        if (col->options)
            snprintf(scale, sizeof scale, "options=%s", col->options);
        else
            scale[0] = '\0';
        if ((m = sv_cube_multi_of(c, col->label, scale)) < 0)
            return nomem(err);
        c->mraw[c->nmraw++] = (struct mraw){i, (size_t)m};
    }
    return SV_OK;
}

int sv_cube_multi_merge(struct sv_cube *c, size_t to, const struct sv_cube *t,
                        const struct group *from)
{
    for (size_t i = 0; i < t->nmulti; i++) {
        const struct mitem *tm = &t->multi[i];
        const struct mcount *f = i < from->nmulti ? &from->multi[i] : NULL;
        long m = sv_cube_multi_of(c, tm->label, tm->scale);
        struct mcount *mc;
        const char *why;
        if (m < 0 || !(mc = sv_cube_mcount(c, to, (size_t)m)))
            return -1;
        if (!f)
            continue;
        mc->missing += f->missing;
        mc->answered += f->answered;
        /* the cells below may move the group's counts, not MC's fields */
        for (size_t o = 0; o < tm->nopt && o < f->cap; o++) {
            uint64_t *cell = sv_cube_multi_cell(c, to, (size_t)m, tm->opt[o],
                                                strlen(tm->opt[o]), &why);
            if (!cell)
                return strcmp(why, "nomem") == 0 ? -1 : 2;
            *cell += f->n[o];
        }
    }
    return 0;
}

/* The count of option O (an index in the order met) of M in GR. */
static uint64_t option_count(const struct group *gr, size_t m, size_t o)
{
    if (m >= gr->nmulti || o >= gr->multi[m].cap)
        return 0;
    return gr->multi[m].n[o];
}

/* A --freq row of multi item M in group G: LABEL and its count N. */
static enum sv_status multi_row(struct sv_table *t, const struct sv_cube *c,
                                size_t g, const struct mitem *m,
                                const char *label, uint64_t n)
{
    size_t k = c->ndims;
    enum sv_status st = sv_table_add_row(t);

    for (size_t d = 0; d < k && !st; d++)
        st = sv_table_set(t, d, c->groups[g].keys[d]);
    st = st ? st : sv_table_set(t, k + SV_CCOL_ITEM, m->label);
    st = st ? st : sv_table_set(t, k + SV_CCOL_ROLE,
                                sv_role_name(SV_ROLE_MULTI));
    st = st ? st : sv_table_set(t, k + SV_CCOL_SCALE, m->scale);
    st = st ? st : sv_table_set(t, k + SV_CCOL_LABEL, label);
    return st ? st : sv_table_set_count(t, k + SV_CCOL_COUNT, n);
}

enum sv_status sv_cube_multi_freq(struct sv_table *t, const struct sv_cube *c,
                                  size_t g)
{
    const struct group *gr = &c->groups[g];
    enum sv_status st = SV_OK;

    for (size_t m = 0; m < c->nmulti && !st; m++) {
        const struct mitem *it = &c->multi[m];
        const struct mcount *mc = m < gr->nmulti ? &gr->multi[m] : NULL;
        uint64_t answered = mc ? mc->answered : 0;
        for (size_t k = 0; k < it->nopt && !st; k++) {
            uint64_t n = option_count(gr, m, it->order[k]);
            st = multi_row(t, c, g, it, it->opt[it->order[k]], n);
            st = st ? st : sv_table_set_double(
                               t, c->ndims + SV_CCOL_PCT,
                               answered ? 100.0 * (double)n / (double)answered
                                        : NAN);
        }
        st = st ? st : multi_row(t, c, g, it, "(answered)", answered);
        st = st ? st : multi_row(t, c, g, it, "(missing)",
                                 mc ? mc->missing : 0);
    }
    return st;
}

/* The multi item of X that is M (label and scale), or NULL. */
static const struct mitem *same_item(const struct sv_cube *x,
                                     const struct mitem *m)
{
    for (size_t i = 0; i < x->nmulti; i++)
        if (strcmp(x->multi[i].label, m->label) == 0 &&
            strcmp(x->multi[i].scale, m->scale) == 0)
            return &x->multi[i];
    return NULL;
}

/* Distinct options of item M over the cubes X[0..N-1]. */
static size_t union_size(const struct sv_cube *const *x, size_t n,
                         const struct mitem *m)
{
    size_t total = 0;

    for (size_t s = 0; s < n; s++) {
        const struct mitem *a = same_item(x[s], m);
        for (size_t o = 0; a && o < a->nopt; o++) {
            int found = 0;
            for (size_t r = 0; r < s && !found; r++) {
                const struct mitem *b = same_item(x[r], m);
                found = b && find_option(b, a->opt[o], strlen(a->opt[o])) >= 0;
            }
            total += !found;
        }
    }
    return total;
}

int sv_cube_multi_fits(const struct sv_cube *const *x, size_t n)
{
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < x[k]->nmulti; i++)
            if (!x[k]->multi[i].fixed &&
                union_size(x, n, &x[k]->multi[i]) > SV_CUBE_MAX_OPTIONS)
                return 0;
    return 1;
}

const char *sv_cube_multi_fault(const struct sv_cube *c, size_t g,
                                const char **item)
{
    const struct group *gr = &c->groups[g];

    for (size_t m = 0; m < gr->nmulti && m < c->nmulti; m++) {
        const struct mcount *mc = &gr->multi[m];
        *item = c->multi[m].label;
        if (mc->answered + mc->missing > gr->responses)
            return "answered and missing outnumber the questionnaires";
        for (size_t o = 0; o < mc->cap; o++)
            if (mc->n[o] > mc->answered)
                return "an option outnumbers the respondents who answered";
    }
    return NULL;
}

void sv_cube_multi_free(struct sv_cube *c)
{
    for (size_t m = 0; m < c->nmulti; m++) {
        for (size_t o = 0; o < c->multi[m].nopt; o++)
            free(c->multi[m].opt[o]);
        free(c->multi[m].opt);
        free(c->multi[m].order);
        free(c->multi[m].label);
        free(c->multi[m].scale);
    }
    for (size_t g = 0; g < c->ngroups; g++) {
        for (size_t m = 0; m < c->groups[g].nmulti; m++)
            free(c->groups[g].multi[m].n);
        free(c->groups[g].multi);
    }
    free(c->multi);
    free(c->mraw);
}

/* --- the public accessors ------------------------------------------------- */

size_t sv_cube_nmulti(const struct sv_cube *c)
{
    return c->nmulti;
}

struct sv_cube_item sv_cube_multi(const struct sv_cube *c, size_t m)
{
    struct sv_cube_item r = {"", SV_ROLE_NONE, ""};

    if (m < c->nmulti) {
        r.label = c->multi[m].label;
        r.role = SV_ROLE_MULTI;
        r.scale = c->multi[m].scale;
    }
    return r;
}

size_t sv_cube_multi_noptions(const struct sv_cube *c, size_t m)
{
    return m < c->nmulti ? c->multi[m].nopt : 0;
}

const char *sv_cube_multi_option(const struct sv_cube *c, size_t m, size_t o)
{
    if (m >= c->nmulti || o >= c->multi[m].nopt)
        return "";
    return c->multi[m].opt[c->multi[m].order[o]];
}

uint64_t sv_cube_multi_count(const struct sv_cube *c, size_t g, size_t m,
                             size_t o)
{
    if (g >= c->ngroups || m >= c->nmulti || o >= c->multi[m].nopt)
        return 0;
    return option_count(&c->groups[g], m, c->multi[m].order[o]);
}

uint64_t sv_cube_multi_answered(const struct sv_cube *c, size_t g, size_t m)
{
    if (g >= c->ngroups || m >= c->groups[g].nmulti)
        return 0;
    return c->groups[g].multi[m].answered;
}
