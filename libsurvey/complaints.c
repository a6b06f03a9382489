/*
 * complaints.c — the complaint register (PRODUCT.md 3.3, 4): reads the
 * normalised register stream written by survey-import and computes, per
 * group x period, complaints, complaints per 100 households, repeats
 * (same site, household and category within the previous W days,
 * inclusive), resolution and timeliness rates and the median time to
 * close, with change since the previous period and trends.
 *
 * Every complaint is kept in memory (a few dozen bytes plus its key text):
 * repeats look back across periods and the input need not be sorted, and
 * the median needs every closing time of a group.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SEP '\x1f'

struct complaint {
    long long recv, closed; /* seconds since 1970; closed -1 while open */
    char *hkey;             /* site SEP household SEP category; NULL: none */
    char *category;
    const char **keys;      /* group key values (into keybuf) */
    char *keybuf;
    long pord;              /* period ordinal (with a period key) */
    int urgent;             /* 1, 0, -1 unknown */
    int history;            /* look-back only: not counted */
    size_t seq, group;
};

struct cgroup {
    const char **keys; /* borrowed from its first complaint */
    size_t first, n;   /* range in sv_complaints.order */
};

struct sv_complaints {
    char **dims;
    size_t ndims;
    long period_dim;
    enum sv_period period;
    struct complaint *v;
    size_t n, cap, counted;
    size_t *order; /* counted complaints sorted by group */
    struct cgroup *groups;
    size_t ngroups;
};

struct sv_deadlines {
    char **keys;
    double *hours;
    size_t n, cap;
};

static enum sv_status nomem(struct sv_error *err)
{
    return sv_error_set(err, SV_ERR_NOMEM, NULL, 0, NULL, "out of memory");
}

/* ---- deadlines ---------------------------------------------------- */

void sv_deadlines_free(struct sv_deadlines *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->keys[i]);
    free(d->keys);
    free(d->hours);
    free(d);
}

static long deadline_find(const struct sv_deadlines *d, const char *key)
{
    for (size_t i = 0; d && i < d->n; i++)
        if (strcmp(d->keys[i], key) == 0)
            return (long)i;
    return -1;
}

static enum sv_status deadline_push(struct sv_deadlines *d, const char *key,
                                    double hours)
{
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 16;
        char **k = realloc(d->keys, cap * sizeof *k);
        double *h;
        if (!k)
            return SV_ERR_NOMEM;
        d->keys = k;
        if (!(h = realloc(d->hours, cap * sizeof *h)))
            return SV_ERR_NOMEM;
        d->hours = h;
        d->cap = cap;
    }
    if (!(d->keys[d->n] = strdup(key)))
        return SV_ERR_NOMEM;
    d->hours[d->n++] = hours;
    return SV_OK;
}

static enum sv_status deadline_add(struct sv_deadlines *d, struct sv_csv *csv,
                                   struct sv_error *err)
{
    const char *key = sv_csv_field(csv, 0), *h = sv_csv_field(csv, 1);
    double hours;

    if (sv_csv_nfields(csv) != 2 || !*key)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                            sv_csv_line(csv), NULL,
                            "expected 2 fields: category_or_urgency,hours");
    if (sv_parse_double(h, &hours) != SV_OK || hours <= 0 || hours > 1e6)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                            sv_csv_line(csv), "hours",
                            "invalid deadline '%s' (expected hours > 0)", h);
    if (deadline_find(d, key) >= 0)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                            sv_csv_line(csv), "category_or_urgency",
                            "'%s' listed twice", key);
    return deadline_push(d, key, hours) ? nomem(err) : SV_OK;
}

struct sv_deadlines *sv_deadlines_load(const char *path, struct sv_error *err)
{
    struct sv_deadlines *d = calloc(1, sizeof *d);
    struct sv_csv *csv = sv_csv_open(path, NULL, NULL, err);
    enum sv_status st = SV_ERR_NOMEM;
    size_t nf;

    if (!d || !csv)
        goto out;
    st = sv_csv_next(csv, &nf, err);
    if (!st && (nf != 2 || strcmp(sv_csv_field(csv, 0), "category_or_urgency") ||
                strcmp(sv_csv_field(csv, 1), "hours")))
        st = sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 1, NULL,
                          "expected the header category_or_urgency,hours");
    while (!st && !(st = sv_csv_next(csv, &nf, err)) && nf > 0)
        st = deadline_add(d, csv, err);
out:
    if (st == SV_ERR_NOMEM && err && !err->msg[0])
        nomem(err);
    sv_csv_free(csv);
    if (st || !csv) {
        sv_deadlines_free(d);
        return NULL;
    }
    return d;
}

/*
 * Deadline of a complaint in seconds: urgent ones use "urgent" (default
 * 0.5 h); others their category's entry, else "normal" (default 24 h).
 */
static long long deadline_of(const struct sv_deadlines *d,
                             const struct complaint *c)
{
    long i = c->urgent == 1 ? deadline_find(d, "urgent")
                            : deadline_find(d, c->category);
    double h = c->urgent == 1 ? 0.5 : 24.0;

    if (i < 0 && c->urgent != 1)
        i = deadline_find(d, "normal");
    if (i >= 0)
        h = d->hours[i];
    return llround(h * 3600.0);
}

/* ---- the register --------------------------------------------------- */

struct sv_complaints *sv_complaints_new(const char *const *dims, size_t ndims,
                                        enum sv_period period,
                                        struct sv_error *err)
{
    struct sv_complaints *r = calloc(1, sizeof *r);

    if (!r || sv_dims_copy(dims, ndims, &r->dims, &r->ndims, &r->period_dim))
        goto fail;
    r->period = period ? period : SV_PERIOD_QUARTER;
    return r;
fail:
    sv_complaints_free(r);
    nomem(err);
    return NULL;
}

void sv_complaints_free(struct sv_complaints *r)
{
    if (!r)
        return;
    for (size_t d = 0; d < r->ndims; d++)
        free(r->dims[d]);
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].hkey);
        free(r->v[i].category);
        free(r->v[i].keys);
        free(r->v[i].keybuf);
    }
    free(r->dims);
    free(r->v);
    free(r->order);
    free(r->groups);
    free(r);
}

/* Column positions of a register stream header. */
struct layout {
    long received, closed, household, category, urgent, site;
    long *dim;  /* per dimension: its column (-1 for the period) */
    size_t nf;
};

static long header_col(struct sv_csv *csv, const char *name)
{
    for (size_t i = 0; i < sv_csv_nfields(csv); i++)
        if (strcmp(sv_csv_field(csv, i), name) == 0)
            return (long)i;
    return -1;
}

static enum sv_status bad_header(struct sv_csv *csv, struct sv_error *err)
{
    if (header_col(csv, "item") >= 0 && header_col(csv, "level") >= 0)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 1, NULL,
                            "this is a questionnaire stream or cube, not a "
                            "complaint register: use survey-score or "
                            "survey-nps");
    return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 1, NULL,
                        "not a complaint-register stream (a raw register "
                        "needs survey-import -c CODEBOOK first)");
}

static enum sv_status read_layout(const struct sv_complaints *r,
                                  struct sv_csv *csv, int history,
                                  struct layout *l, struct sv_error *err)
{
    l->received = header_col(csv, "received");
    l->closed = header_col(csv, "closed");
    l->household = header_col(csv, "household");
    l->category = header_col(csv, "category");
    l->urgent = header_col(csv, "urgent");
    l->site = header_col(csv, "site");
    l->nf = sv_csv_nfields(csv);
    if (l->received < 0 || l->closed < 0 || l->household < 0 ||
        l->category < 0 || l->urgent < 0 || l->site < 0)
        return bad_header(csv, err);
    for (size_t d = 0; d < r->ndims && !history; d++) {
        l->dim[d] = -1;
        if ((long)d != r->period_dim &&
            (l->dim[d] = header_col(csv, r->dims[d])) < 0)
            return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 1, NULL,
                                "no key column '%s' in this register stream",
                                r->dims[d]);
    }
    return SV_OK;
}

/* A data error at the current line: "WHAT 'VALUE' HINT". */
static enum sv_status bad(struct sv_csv *csv, const char *col,
                          struct sv_error *err, const char *what,
                          const char *value, const char *hint)
{
    return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), sv_csv_line(csv),
                        col, "%s '%s'%s", what, value, hint);
}

/* Parses the time in column COL into seconds (*SECS) and *D. */
static enum sv_status parse_time(struct sv_csv *csv, long col,
                                 const char *name, long long *secs,
                                 struct sv_date *d, struct sv_error *err)
{
    const char *s = sv_csv_field(csv, (size_t)col);

    if (sv_date_parse(s, d) != SV_OK)
        return bad(csv, name, err, "invalid time", s,
                   " (expected YYYY-MM-DD HH:MM:SS)");
    *secs = sv_date_seconds(d);
    return SV_OK;
}

static struct complaint *push(struct sv_complaints *r)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        struct complaint *v = realloc(r->v, cap * sizeof *v);
        if (!v)
            return NULL;
        r->v = v;
        r->cap = cap;
    }
    memset(&r->v[r->n], 0, sizeof r->v[r->n]);
    r->v[r->n].seq = r->n;
    return &r->v[r->n++];
}

/* site SEP household SEP category, or NULL without a household. */
static char *household_key(struct sv_csv *csv, const struct layout *l)
{
    const char *p[3] = {sv_csv_field(csv, (size_t)l->site),
                        sv_csv_field(csv, (size_t)l->household),
                        sv_csv_field(csv, (size_t)l->category)};
    size_t n[3] = {strlen(p[0]), strlen(p[1]), strlen(p[2])};
    char *k;

    if (!n[1] || !(k = malloc(n[0] + n[1] + n[2] + 3)))
        return NULL;
    memcpy(k, p[0], n[0]);
    k[n[0]] = SEP;
    memcpy(k + n[0] + 1, p[1], n[1]);
    k[n[0] + 1 + n[1]] = SEP;
    memcpy(k + n[0] + n[1] + 2, p[2], n[2] + 1);
    return k;
}

/* The group key values of C, copied into one buffer. */
static enum sv_status set_keys(struct sv_complaints *r, struct complaint *c,
                               struct sv_csv *csv, const struct layout *l,
                               const struct sv_date *recv)
{
    char period[16] = "";
    size_t need = 1, o = 0;

    sv_period_key(recv, r->period, period, sizeof period);
    sv_period_ordinal(period, &c->pord);
    for (size_t d = 0; d < r->ndims; d++)
        need += strlen(l->dim[d] < 0 ? period
                                     : sv_csv_field(csv, (size_t)l->dim[d])) + 1;
    c->keybuf = malloc(need);
    c->keys = calloc(r->ndims + 1, sizeof *c->keys);
    if (!c->keybuf || !c->keys)
        return SV_ERR_NOMEM;
    for (size_t d = 0; d < r->ndims; d++) {
        const char *s = l->dim[d] < 0 ? period
                                      : sv_csv_field(csv, (size_t)l->dim[d]);
        size_t n = strlen(s) + 1;
        memcpy(c->keybuf + o, s, n);
        c->keys[d] = c->keybuf + o;
        o += n;
    }
    return SV_OK;
}

static enum sv_status parse_urgent(struct sv_csv *csv, const struct layout *l,
                                   int *urgent, struct sv_error *err)
{
    const char *u = sv_csv_field(csv, (size_t)l->urgent);

    if (!*u)
        *urgent = -1;
    else if (strcmp(u, "1") == 0 || strcmp(u, "0") == 0)
        *urgent = u[0] == '1';
    else
        return bad(csv, "urgent", err, "invalid urgent flag", u,
                   " (expected 1, 0 or empty)");
    return SV_OK;
}

static enum sv_status read_line(struct sv_complaints *r, struct sv_csv *csv,
                                const struct layout *l, int history,
                                struct sv_error *err)
{
    struct complaint c = {.closed = -1, .history = history};
    struct sv_date recv, closed;
    struct complaint *slot;
    enum sv_status st;

    if (sv_csv_nfields(csv) != l->nf)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                            sv_csv_line(csv), NULL,
                            "expected %zu fields as in the header, found %zu",
                            l->nf, sv_csv_nfields(csv));
    if ((st = parse_time(csv, l->received, "received", &c.recv, &recv, err)) ||
        (*sv_csv_field(csv, (size_t)l->closed) &&
         (st = parse_time(csv, l->closed, "closed", &c.closed, &closed, err))) ||
        (st = parse_urgent(csv, l, &c.urgent, err)))
        return st;
    if (c.closed >= 0 && c.closed < c.recv)
        return bad(csv, "closed", err, "closed time",
                   sv_csv_field(csv, (size_t)l->closed),
                   " is before the received time");
    if (!(slot = push(r)))
        return nomem(err);
    c.seq = slot->seq;
    *slot = c;
    slot->hkey = household_key(csv, l);
    slot->category = strdup(sv_csv_field(csv, (size_t)l->category));
    if (!slot->category ||
        (!slot->hkey && *sv_csv_field(csv, (size_t)l->household)) ||
        (!history && set_keys(r, slot, csv, l, &recv)))
        return nomem(err);
    r->counted += !history;
    return SV_OK;
}

enum sv_status sv_complaints_read(struct sv_complaints *r, struct sv_csv *csv,
                                  int history, struct sv_error *err)
{
    struct layout l = {0};
    enum sv_status st;
    size_t nf;

    if ((st = sv_csv_next(csv, &nf, err)))
        return st;
    if (nf == 0)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 0, NULL,
                            "empty input (no header line)");
    if (!(l.dim = calloc(r->ndims + 1, sizeof *l.dim)))
        return nomem(err);
    st = read_layout(r, csv, history, &l, err);
    while (!st && !(st = sv_csv_next(csv, &nf, err)) && nf > 0) {
        if (strcmp(sv_csv_field(csv, (size_t)l.received), "received") == 0)
            continue; /* the header again: concatenated streams */
        st = read_line(r, csv, &l, history, err);
    }
    free(l.dim);
    return st;
}

/* ---- grouping ------------------------------------------------------- */

static int group_cmp_r(const struct sv_complaints *r, const struct complaint *a,
                       const struct complaint *b)
{
    for (size_t d = 0; d < r->ndims; d++) {
        int c;
        if ((long)d == r->period_dim && a->pord != b->pord)
            return a->pord < b->pord ? -1 : 1;
        if ((c = strcmp(a->keys[d], b->keys[d])))
            return c;
    }
    return 0;
}

/* qsort has no context argument: sort pointers paired with their owner. */
struct ref {
    const struct sv_complaints *r;
    const struct complaint *c;
};

static int ref_cmp(const void *pa, const void *pb)
{
    const struct ref *a = pa, *b = pb;
    int c = group_cmp_r(a->r, a->c, b->c);

    return c ? c : (a->c->seq < b->c->seq ? -1 : a->c->seq > b->c->seq);
}

static enum sv_status make_groups(struct sv_complaints *r, struct ref *refs)
{
    size_t k = 0;

    for (size_t i = 0; i < r->n; i++)
        if (!r->v[i].history)
            refs[k++] = (struct ref){r, &r->v[i]};
    if (k)
        qsort(refs, k, sizeof *refs, ref_cmp);
    r->order = malloc((k + 1) * sizeof *r->order);
    r->groups = malloc((k + 1) * sizeof *r->groups);
    if (!r->order || !r->groups)
        return SV_ERR_NOMEM;
    for (size_t i = 0; i < k; i++) {
        r->order[i] = (size_t)(refs[i].c - r->v);
        if (i == 0 || group_cmp_r(r, refs[i - 1].c, refs[i].c)) {
            r->groups[r->ngroups].keys = refs[i].c->keys;
            r->groups[r->ngroups].first = i;
            r->groups[r->ngroups++].n = 0;
        }
        r->groups[r->ngroups - 1].n++;
        r->v[r->order[i]].group = r->ngroups - 1;
    }
    return SV_OK;
}

enum sv_status sv_complaints_finish(struct sv_complaints *r,
                                    struct sv_error *err)
{
    struct ref *refs = malloc((r->n + 1) * sizeof *refs);
    enum sv_status st = refs ? make_groups(r, refs) : SV_ERR_NOMEM;

    free(refs);
    return st ? nomem(err) : SV_OK;
}

static const char *group_key(const void *src, size_t g, size_t d)
{
    return ((const struct sv_complaints *)src)->groups[g].keys[d];
}

static void keyview(const struct sv_complaints *r, struct sv_keyview *v)
{
    v->src = r;
    v->ngroups = r->ngroups;
    v->ndims = r->ndims;
    v->period_dim = r->period_dim;
    v->key = group_key;
}

/* ---- figures -------------------------------------------------------- */

void sv_complaints_options_init(struct sv_complaints_options *o)
{
    memset(o, 0, sizeof *o);
    o->window_days = 90;
}

struct gstats {
    uint64_t complaints, repeats, closed, timely;
    double median_hours;
};

static int hkey_cmp(const void *pa, const void *pb)
{
    const struct complaint *a = *(const struct complaint *const *)pa;
    const struct complaint *b = *(const struct complaint *const *)pb;
    int c = strcmp(a->hkey, b->hkey);

    if (c)
        return c;
    if (a->recv != b->recv)
        return a->recv < b->recv ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * Sets REP[i] when complaint i follows an earlier complaint (history
 * included) of the same household key by at most WINDOW seconds.  Sorted
 * by time, the nearest earlier complaint is the predecessor.
 */
static enum sv_status mark_repeats(const struct sv_complaints *r,
                                   long long window, unsigned char *rep)
{
    const struct complaint **p = malloc((r->n + 1) * sizeof *p);
    size_t k = 0;

    if (!p)
        return SV_ERR_NOMEM;
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].hkey)
            p[k++] = &r->v[i];
    if (k)
        qsort(p, k, sizeof *p, hkey_cmp);
    for (size_t i = 1; i < k; i++)
        if (strcmp(p[i]->hkey, p[i - 1]->hkey) == 0 &&
            p[i]->recv - p[i - 1]->recv <= window)
            rep[p[i] - r->v] = 1;
    free(p);
    return SV_OK;
}

static void group_stats(const struct sv_complaints *r,
                        const struct sv_complaints_options *o,
                        const unsigned char *rep, size_t g, double *hours,
                        struct gstats *s)
{
    const struct cgroup *grp = &r->groups[g];

    memset(s, 0, sizeof *s);
    for (size_t j = grp->first; j < grp->first + grp->n; j++) {
        const struct complaint *c = &r->v[r->order[j]];
        s->complaints++;
        s->repeats += rep[r->order[j]];
        if (c->closed < 0)
            continue;
        hours[s->closed++] = (double)(c->closed - c->recv) / 3600.0;
        s->timely += c->closed - c->recv <= deadline_of(o->deadlines, c);
    }
    s->median_hours = sv_median(hours, s->closed);
}

/* Figures of every group into a new array (caller frees), NULL: no memory. */
static struct gstats *all_stats(const struct sv_complaints *r,
                                const struct sv_complaints_options *o)
{
    struct gstats *s = calloc(r->ngroups + 1, sizeof *s);
    unsigned char *rep = calloc(r->n + 1, 1);
    double *hours = malloc((r->counted + 1) * sizeof *hours);

    if (!s || !rep || !hours ||
        mark_repeats(r, (long long)o->window_days * 86400, rep)) {
        free(s);
        s = NULL;
    }
    for (size_t g = 0; s && g < r->ngroups; g++)
        group_stats(r, o, rep, g, hours, &s[g]);
    free(rep);
    free(hours);
    return s;
}

/* ---- tables --------------------------------------------------------- */

/* The three rates: name, and numerator / denominator of a group. */
enum measure { M_REPEAT, M_RESOLUTION, M_TIMELY, M_COUNT };

static const char *const measure_names[M_COUNT] = {
    "repeat_pct", "resolution_pct", "timely_pct"};

static void rate(const struct gstats *s, enum measure m, uint64_t *num,
                 uint64_t *den)
{
    *num = m == M_REPEAT ? s->repeats : m == M_RESOLUTION ? s->closed
                                                          : s->timely;
    *den = m == M_TIMELY ? s->closed : s->complaints;
}

static double pct(uint64_t num, uint64_t den)
{
    return den ? 100.0 * (double)num / (double)den : NAN;
}

struct ctx {
    const struct sv_complaints *r;
    const struct sv_complaints_options *o;
    struct gstats *s;
    struct sv_table *t;
    struct sv_keyview kv;
    long site_dim;
};

static const char *const base_cols[] = {
    "complaints", "repeats", "repeat_pct", "closed", "open",
    "resolution_pct", "timely", "timely_pct", "median_hours_to_close", NULL};
static const char *const household_cols[] = {"households",
                                             "complaints_per_100", NULL};
static const char *const compare_cols[] = {
    "prev_period", "delta_repeat_pct", "delta_repeat_p",
    "delta_resolution_pct", "delta_resolution_p", "delta_timely_pct",
    "delta_timely_p", NULL};
static const char *const trend_cols[] = {
    "measure", "periods", "first_period", "last_period", "first_pct",
    "last_pct", "slope", "slope_p", NULL};

/* Appends the key columns (all dimensions but SKIP) when KEYS, then NAMES. */
static enum sv_status add_cols(struct ctx *x, int keys, long skip,
                               const char *const *names)
{
    enum sv_status st = SV_OK;

    for (size_t d = 0; keys && d < x->r->ndims && !st; d++)
        if ((long)d != skip)
            st = sv_table_add_column(x->t, x->r->dims[d], 0);
    for (size_t i = 0; names[i] && !st; i++)
        st = sv_table_add_column(x->t, names[i],
                                 strcmp(names[i], "measure") &&
                                     !strstr(names[i], "_period"));
    return st;
}

static size_t col(const struct ctx *x, const char *name)
{
    return (size_t)sv_table_column(x->t, name);
}

static enum sv_status set_num(struct ctx *x, const char *name, double v,
                              int decimals)
{
    return sv_table_set_num(x->t, col(x, name), v, decimals);
}

/* A new row with the keys of group G but dimension SKIP. */
static enum sv_status put_keys(struct ctx *x, size_t g, long skip)
{
    enum sv_status st = sv_table_add_row(x->t);

    for (size_t d = 0, o = 0; d < x->r->ndims && !st; d++)
        if ((long)d != skip)
            st = sv_table_set(x->t, o++, x->r->groups[g].keys[d]);
    return st;
}

static enum sv_status put_households(struct ctx *x, size_t g,
                                     struct sv_error *err)
{
    const char *site = x->r->groups[g].keys[x->site_dim];
    long h = sv_households_get(x->o->households, site);
    enum sv_status st;

    if (h <= 0)
        return sv_error_set(err, SV_ERR_DATA, NULL, 0, NULL,
                            "no households for site '%s' in the households "
                            "file", site);
    if ((st = set_num(x, "households", (double)h, 0)))
        return st;
    return set_num(x, "complaints_per_100",
                   100.0 * (double)x->s[g].complaints / (double)h, 2);
}

static int has_complaints(const void *p, size_t h)
{
    return ((const struct ctx *)p)->s[h].complaints > 0;
}

static enum sv_status put_change(struct ctx *x, size_t g)
{
    long prev = sv_keyview_previous(&x->kv, g, has_complaints, x);
    static const char *const delta[M_COUNT] = {
        "delta_repeat_pct", "delta_resolution_pct", "delta_timely_pct"};
    static const char *const p_col[M_COUNT] = {
        "delta_repeat_p", "delta_resolution_p", "delta_timely_p"};
    enum sv_status st;

    if (prev < 0)
        return SV_OK;
    st = sv_table_set(x->t, col(x, "prev_period"),
                      x->r->groups[prev].keys[x->r->period_dim]);
    for (int m = 0; m < M_COUNT && !st; m++) {
        uint64_t x1, n1, x2, n2;
        rate(&x->s[prev], (enum measure)m, &x1, &n1);
        rate(&x->s[g], (enum measure)m, &x2, &n2);
        if (!n1 || !n2)
            continue;
        st = set_num(x, delta[m], pct(x2, n2) - pct(x1, n1), 2);
        st = st ? st : sv_table_set_p(x->t, col(x, p_col[m]),
                                      sv_two_prop_p(x1, n1, x2, n2));
    }
    return st;
}

static enum sv_status put_row(struct ctx *x, size_t g, struct sv_error *err)
{
    const struct gstats *s = &x->s[g];
    enum sv_status st = put_keys(x, g, -1);

    st = st ? st : set_num(x, "complaints", (double)s->complaints, 0);
    st = st ? st : set_num(x, "repeats", (double)s->repeats, 0);
    st = st ? st : set_num(x, "repeat_pct", pct(s->repeats, s->complaints), 2);
    st = st ? st : set_num(x, "closed", (double)s->closed, 0);
    st = st ? st : set_num(x, "open", (double)(s->complaints - s->closed), 0);
    st = st ? st : set_num(x, "resolution_pct",
                           pct(s->closed, s->complaints), 2);
    st = st ? st : set_num(x, "timely", (double)s->timely, 0);
    st = st ? st : set_num(x, "timely_pct", pct(s->timely, s->closed), 2);
    st = st ? st : set_num(x, "median_hours_to_close", s->median_hours, 2);
    if (!st && x->o->households)
        st = put_households(x, g, err);
    if (!st && x->o->compare)
        st = put_change(x, g);
    return st;
}

static enum sv_status check_keys(const struct ctx *x, int compare,
                                 struct sv_error *err)
{
    if (x->o->window_days < 0)
        return sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                            "the repeat window must not be negative");
    if (x->o->households && x->site_dim < 0)
        return sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                            "--households needs 'site' among the keys");
    if (compare && x->r->period_dim < 0)
        return sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                            "--%s needs a period key (--period)",
                            compare == 2 ? "trend" : "compare");
    return SV_OK;
}

static enum sv_status fill(struct ctx *x, struct sv_error *err)
{
    enum sv_status st = add_cols(x, 1, -1, base_cols);

    if (!st && x->o->households)
        st = add_cols(x, 0, -1, household_cols);
    if (!st && x->o->compare)
        st = add_cols(x, 0, -1, compare_cols);
    for (size_t g = 0; g < x->r->ngroups && !st; g++)
        st = put_row(x, g, err);
    if (st == SV_ERR_NOMEM)
        nomem(err);
    return st;
}

static enum sv_status put_trend(struct ctx *x, size_t g0, enum measure m,
                                const struct sv_series *s)
{
    size_t pd = (size_t)x->r->period_dim;
    double slope, p;
    enum sv_status st = put_keys(x, g0, x->r->period_dim);

    sv_series_trend(s, &slope, &p);
    st = st ? st : sv_table_set(x->t, col(x, "measure"), measure_names[m]);
    st = st ? st : set_num(x, "periods", (double)s->k, 0);
    st = st ? st : sv_table_set(x->t, col(x, "first_period"),
                                x->r->groups[s->first].keys[pd]);
    st = st ? st : sv_table_set(x->t, col(x, "last_period"),
                                x->r->groups[s->last].keys[pd]);
    st = st ? st : set_num(x, "first_pct", s->y[0], 2);
    st = st ? st : set_num(x, "last_pct", s->y[s->k - 1], 2);
    st = st ? st : set_num(x, "slope", slope, 2);
    return st ? st : sv_table_set_p(x->t, col(x, "slope_p"), p);
}

/* A measure of one context, as a series value callback's context. */
struct measure_ref {
    struct ctx *x;
    enum measure m;
};

static double measure_value(const void *ctx, size_t g)
{
    const struct measure_ref *r = ctx;
    uint64_t num, den;

    rate(&r->x->s[g], r->m, &num, &den);
    return den ? pct(num, den) : NAN;
}

/* Rate M per period for the groups like G0 but for the period. */
static enum sv_status trend_row(struct ctx *x, size_t g0, enum measure m)
{
    struct measure_ref ref = {x, m};
    struct sv_series s;
    enum sv_status st = sv_keyview_series(&x->kv, g0, measure_value, &ref, &s);

    if (!st && s.k)
        st = put_trend(x, g0, m, &s);
    sv_series_release(&s);
    return st;
}

static enum sv_status fill_trend(struct ctx *x, struct sv_error *err)
{
    enum sv_status st = add_cols(x, 1, x->r->period_dim, trend_cols);

    for (size_t g = 0; g < x->r->ngroups && !st; g++) {
        if (!sv_keyview_first(&x->kv, g, x->r->period_dim))
            continue;
        for (int m = 0; m < M_COUNT && !st; m++)
            st = trend_row(x, g, (enum measure)m);
    }
    return st ? nomem(err) : SV_OK;
}

/* Runs FILL (TREND: the trend table) over register R with options O. */
static struct sv_table *make_table(const struct sv_complaints *r,
                                   const struct sv_complaints_options *o,
                                   int trend, struct sv_error *err)
{
    struct ctx x = {.r = r, .o = o};
    enum sv_status st;

    keyview(r, &x.kv);
    x.site_dim = -1;
    for (size_t d = 0; d < r->ndims; d++)
        if (strcmp(r->dims[d], "site") == 0)
            x.site_dim = (long)d;
    if ((st = check_keys(&x, trend ? 2 : o->compare, err)))
        return NULL;
    x.s = all_stats(r, o);
    x.t = sv_table_new();
    if (!x.s || !x.t)
        st = nomem(err);
    else
        st = trend ? fill_trend(&x, err) : fill(&x, err);
    free(x.s);
    if (st) {
        sv_table_free(x.t);
        return NULL;
    }
    return x.t;
}

struct sv_table *sv_complaints_table(const struct sv_complaints *r,
                                     const struct sv_complaints_options *o,
                                     struct sv_error *err)
{
    return make_table(r, o, 0, err);
}

struct sv_table *
sv_complaints_trend_table(const struct sv_complaints *r,
                          const struct sv_complaints_options *o,
                          struct sv_error *err)
{
    return make_table(r, o, 1, err);
}
