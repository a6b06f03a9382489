/*
 * complaints.c — the complaint register (docs/metrics.md): reads the
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

#include "metric.h"

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
    int dup;                /* a copy of an earlier counted complaint */
    unsigned long line;     /* in the stream, for the duplicates' warning */
    size_t file;            /* index into sv_complaints.files */
    uint64_t print;         /* the whole line's fingerprint (line_print) */
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
    char **files; /* the names of the streams read */
    size_t nfiles;
    size_t ndup;                   /* counted complaints dropped as copies */
    const struct complaint *dup_first, *dup_of; /* the first such copy */
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
    struct sv_deadlines *d;
    struct sv_csv *csv = sv_csv_open(path, NULL, NULL, err);
    enum sv_status st;
    size_t nf;

    if (!csv)
        return NULL;
    if (!(d = calloc(1, sizeof *d))) {
        nomem(err);
        sv_csv_free(csv);
        return NULL;
    }
    st = sv_csv_next(csv, &nf, err);
    if (!st && (nf != 2 || strcmp(sv_csv_field(csv, 0), "category_or_urgency") ||
                strcmp(sv_csv_field(csv, 1), "hours")))
        st = sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 1, NULL,
                          "expected the header category_or_urgency,hours");
    while (!st && !(st = sv_csv_next(csv, &nf, err)) && nf > 0)
        st = deadline_add(d, csv, err);
    sv_csv_free(csv);
    if (st) {
        sv_deadlines_free(d);
        return NULL;
    }
    return d;
}

/*
 * Deadline of a complaint in seconds: urgent ones use "urgent"; others
 * their category's entry, else "normal" (defaults: SV_DEADLINE_*).
 */
static long long deadline_of(const struct sv_deadlines *d,
                             const struct complaint *c)
{
    long i = c->urgent == 1 ? deadline_find(d, "urgent")
                            : deadline_find(d, c->category);
    double h = c->urgent == 1 ? SV_DEADLINE_URGENT_HOURS_DEFAULT
                              : SV_DEADLINE_HOURS_DEFAULT;

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
    for (size_t i = 0; i < r->nfiles; i++)
        free(r->files[i]);
    free(r->files);
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
    uint64_t *name_h; /* per column: FNV-1a of its header name */
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
    int q = (header_col(csv, sv_cube_col_name(SV_CCOL_ITEM)) >= 0 &&
             header_col(csv, sv_cube_col_name(SV_CCOL_LEVEL)) >= 0) ||
            (header_col(csv, sv_stream_col_name(SV_SCOL_DATE)) >= 0 &&
             header_col(csv, sv_stream_col_name(SV_SCOL_MONTH)) >= 0);

    sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 1, NULL, "%s",
                 q ? "this is a questionnaire stream or cube, not a "
                     "complaint register"
                   : "not a complaint-register stream");
    sv_error_hint(err, q ? SV_HINT_QUESTIONNAIRE : SV_HINT_RAW_REGISTER);
    return SV_ERR_DATA;
}

#define FNV_BASIS 14695981039346656037ull

/* FNV-1a of the N bytes at S, continuing from H. */
static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

/* splitmix64's finaliser: spreads the bits of one column's hash. */
static uint64_t mix(uint64_t x)
{
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/*
 * The fingerprint of the current line: a sum over its columns of the
 * mixed hash of (header name, value), so it does not depend on the order
 * of the columns.  Two complaints are identical when their received and
 * closed times, household key and fingerprints are equal.
 */
static uint64_t line_print(struct sv_csv *csv, const struct layout *l)
{
    uint64_t fp = 0;

    for (size_t i = 0; i < l->nf; i++)
        fp += mix(fnv1a(l->name_h[i], sv_csv_field(csv, i),
                        sv_csv_field_len(csv, i)));
    return fp;
}

static enum sv_status read_layout(const struct sv_complaints *r,
                                  struct sv_csv *csv, int history,
                                  struct layout *l, struct sv_error *err)
{
    enum sv_status st = sv_stream_check_failure(csv, err);

    if (st)
        return st;
    l->received = header_col(csv, sv_reg_col_name(SV_RCOL_RECEIVED));
    l->closed = header_col(csv, sv_reg_col_name(SV_RCOL_CLOSED));
    l->household = header_col(csv, sv_reg_col_name(SV_RCOL_HOUSEHOLD));
    l->category = header_col(csv, sv_reg_col_name(SV_RCOL_CATEGORY));
    l->urgent = header_col(csv, sv_reg_col_name(SV_RCOL_URGENT));
    l->site = header_col(csv, sv_reg_col_name(SV_RCOL_SITE));
    l->nf = sv_csv_nfields(csv);
    free(l->name_h);
    if (!(l->name_h = malloc((l->nf + 1) * sizeof *l->name_h)))
        return nomem(err);
    for (size_t i = 0; i < l->nf; i++)
        l->name_h[i] = fnv1a(FNV_BASIS, sv_csv_field(csv, i),
                             strlen(sv_csv_field(csv, i)) + 1);
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
    c.print = line_print(csv, l);
    c.line = sv_csv_line(csv);
    c.file = r->nfiles - 1;
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

/* Adds NAME to R's stream names (the duplicates' warning names one). */
static int keep_name(struct sv_complaints *r, const char *name)
{
    char **f = realloc(r->files, (r->nfiles + 1) * sizeof *f);

    if (!f)
        return -1;
    r->files = f;
    if (!(f[r->nfiles] = strdup(name)))
        return -1;
    r->nfiles++;
    return 0;
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
    if (keep_name(r, sv_csv_name(csv)) ||
        !(l.dim = calloc(r->ndims + 1, sizeof *l.dim)))
        return nomem(err);
    st = read_layout(r, csv, history, &l, err);
    while (!st && !(st = sv_csv_next(csv, &nf, err)) && nf > 0) {
        if ((st = sv_stream_check_failure(csv, err)))
            break;
        if (strcmp(sv_csv_field(csv, (size_t)l.received),
                   sv_reg_col_name(SV_RCOL_RECEIVED)) == 0)
            continue; /* the header again: concatenated streams */
        st = read_line(r, csv, &l, history, err);
    }
    free(l.dim);
    free(l.name_h);
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
        if (!r->v[i].history && !r->v[i].dup)
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

/* Orders complaints by times and fingerprint, then as read. */
static int copy_cmp(const void *pa, const void *pb)
{
    const struct complaint *a = *(const struct complaint *const *)pa;
    const struct complaint *b = *(const struct complaint *const *)pb;

    if (a->recv != b->recv)
        return a->recv < b->recv ? -1 : 1;
    if (a->closed != b->closed)
        return a->closed < b->closed ? -1 : 1;
    if (a->print != b->print)
        return a->print < b->print ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * Marks each counted complaint identical to an earlier counted one (every
 * field of the stream line equal: a register exported twice, or two
 * overlapping exports read together) as a copy, counted once.
 */
static enum sv_status drop_copies(struct sv_complaints *r)
{
    struct complaint **p = malloc((r->counted + 1) * sizeof *p);
    size_t k = 0, kept = 0;

    if (!p)
        return SV_ERR_NOMEM;
    for (size_t i = 0; i < r->n; i++)
        if (!r->v[i].history)
            p[k++] = &r->v[i];
    if (k)
        qsort(p, k, sizeof *p, copy_cmp);
    for (size_t i = 1; i < k; i++) {
        if (p[i]->recv != p[kept]->recv || p[i]->closed != p[kept]->closed ||
            p[i]->print != p[kept]->print) {
            kept = i;
            continue;
        }
        p[i]->dup = 1;
        r->ndup++;
        if (!r->dup_first || p[i]->seq < r->dup_first->seq) {
            r->dup_first = p[i];
            r->dup_of = p[kept];
        }
    }
    r->counted -= r->ndup;
    free(p);
    return SV_OK;
}

enum sv_status sv_complaints_finish(struct sv_complaints *r,
                                    struct sv_error *err)
{
    struct ref *refs = malloc((r->n + 1) * sizeof *refs);
    enum sv_status st = refs ? drop_copies(r) : SV_ERR_NOMEM;

    if (!st)
        st = make_groups(r, refs);
    free(refs);
    return st ? nomem(err) : SV_OK;
}

size_t sv_complaints_copies(const struct sv_complaints *r,
                            struct sv_error *first)
{
    const struct complaint *c = r->dup_first, *o = r->dup_of;

    if (!r->ndup || !first)
        return r->ndup;
    if (c->file == o->file)
        sv_error_set(first, SV_OK, r->files[c->file], c->line, NULL,
                     "complaint identical to line %lu, counted once (%zu "
                     "such copies in all)", o->line, r->ndup);
    else
        sv_error_set(first, SV_OK, r->files[c->file], c->line, NULL,
                     "complaint identical to one read before (%s:%lu), "
                     "counted once (%zu such copies in all)",
                     r->files[o->file], o->line, r->ndup);
    return r->ndup;
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
    o->window_days = SV_REPEAT_WINDOW_DAYS_DEFAULT;
}

struct gstats {
    uint64_t complaints, repeats, closed, timely;
    double median_hours;
};

/* Orders by household, then by time received; 0 when both are equal. */
static int household_time_cmp(const struct complaint *a,
                              const struct complaint *b)
{
    int c = strcmp(a->hkey, b->hkey);

    if (c)
        return c;
    return a->recv < b->recv ? -1 : a->recv > b->recv;
}

static int hkey_cmp(const void *pa, const void *pb)
{
    const struct complaint *a = *(const struct complaint *const *)pa;
    const struct complaint *b = *(const struct complaint *const *)pb;
    int c = household_time_cmp(a, b);

    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Orders identical complaints together, the counted one first. */
static int same_cmp(const void *pa, const void *pb)
{
    const struct complaint *a = *(const struct complaint *const *)pa;
    const struct complaint *b = *(const struct complaint *const *)pb;
    int c = household_time_cmp(a, b);

    if (c)
        return c;
    if (a->closed != b->closed)
        return a->closed < b->closed ? -1 : 1;
    if (a->print != b->print)
        return a->print < b->print ? -1 : 1;
    if (a->history != b->history)
        return a->history - b->history;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/*
 * Sets DROP[i] for each --history complaint identical to a counted one
 * (an overlapping history register holds the same complaint twice): it is
 * that complaint, not an earlier one to look back on.
 */
static void drop_history_copies(const struct sv_complaints *r,
                                const struct complaint **p, size_t k,
                                unsigned char *drop)
{
    const struct complaint *counted = NULL;

    if (k)
        qsort(p, k, sizeof *p, same_cmp);
    for (size_t i = 0; i < k; i++) {
        if (!p[i]->history)
            counted = p[i];
        else if (counted && counted->recv == p[i]->recv &&
                 counted->closed == p[i]->closed &&
                 counted->print == p[i]->print &&
                 strcmp(counted->hkey, p[i]->hkey) == 0)
            drop[p[i] - r->v] = 1;
    }
}

/*
 * Sets REP[i] when complaint i follows an earlier complaint (history
 * included, but not the history's copies of counted complaints) of the
 * same household key by at most WINDOW seconds.  Sorted by time, the
 * nearest earlier complaint is the predecessor.
 */
static enum sv_status mark_repeats(const struct sv_complaints *r,
                                   long long window, unsigned char *rep)
{
    const struct complaint **p = malloc((r->n + 1) * sizeof *p);
    size_t k = 0, kept = 0;

    if (!p)
        return SV_ERR_NOMEM;
    for (size_t i = 0; i < r->n; i++)
        if (r->v[i].hkey && !r->v[i].dup)
            p[k++] = &r->v[i];
    /* REP doubles as the drop mask until the repeats are marked */
    drop_history_copies(r, p, k, rep);
    for (size_t i = 0; i < k; i++)
        if (!rep[p[i] - r->v])
            p[kept++] = p[i];
    memset(rep, 0, r->n);
    k = kept;
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

/* The columns: X(ID, name, zh, TYPE, decimals, WHEN, SRC, arg). */
#define COMPLAINT_COLS(X)                                                      \
    X(COMPLAINTS, "complaints", "投诉数", COUNT, 0, MAIN, VALUE, 0)            \
    X(REPEATS, "repeats", "重复投诉", COUNT, 0, MAIN, VALUE, 0)                \
    X(REPEAT_PCT, "repeat_pct", "重复投诉率", NUM, 2, MAIN, VALUE, 0)          \
    X(CLOSED, "closed", "已办结", COUNT, 0, MAIN, VALUE, 0)                    \
    X(OPEN, "open", "未办结", COUNT, 0, MAIN, VALUE, 0)                        \
    X(RESOLUTION_PCT, "resolution_pct", "解决率", NUM, 2, MAIN, VALUE, 0)      \
    X(TIMELY, "timely", "及时办结", COUNT, 0, MAIN, VALUE, 0)                  \
    X(TIMELY_PCT, "timely_pct", "及时率", NUM, 2, MAIN, VALUE, 0)              \
    X(MEDIAN, "median_hours_to_close", "办结时长中位数", NUM, 2, MAIN, VALUE,  \
      0)                                                                       \
    X(HOUSEHOLDS, "households", "户数", INT, 0, HOUSEHOLDS, VALUE, 0)          \
    X(PER_100, "complaints_per_100", "百户投诉数", NUM, 2, HOUSEHOLDS, VALUE,  \
      0)                                                                       \
    X(PREV, "prev_period", "上期", TEXT, 0, COMPARE, PREV_PERIOD, 0)           \
    X(D_REPEAT, "delta_repeat_pct", "重复投诉率变化", NUM, 2, COMPARE, DELTA,  \
      M_REPEAT)                                                                \
    X(D_REPEAT_P, "delta_repeat_p", "重复投诉率变化p值", P, 0, COMPARE,        \
      DELTA_P, M_REPEAT)                                                       \
    X(D_RESOLUTION, "delta_resolution_pct", "解决率变化", NUM, 2, COMPARE,     \
      DELTA, M_RESOLUTION)                                                     \
    X(D_RESOLUTION_P, "delta_resolution_p", "解决率变化p值", P, 0, COMPARE,    \
      DELTA_P, M_RESOLUTION)                                                   \
    X(D_TIMELY, "delta_timely_pct", "及时率变化", NUM, 2, COMPARE, DELTA,      \
      M_TIMELY)                                                                \
    X(D_TIMELY_P, "delta_timely_p", "及时率变化p值", P, 0, COMPARE, DELTA_P,   \
      M_TIMELY)

#define COMPLAINT_TREND_COLS(X)                                                \
    X(T_MEASURE, "measure", "指标", TEXT, 0, MAIN, MEASURE, 0)                 \
    SV_MCOLS_TREND(X, "first_pct", "首期比率", "last_pct", "末期比率")

/* The three rates, numerator / denominator of a group. */
enum measure { M_REPEAT, M_RESOLUTION, M_TIMELY, M_COUNT };

static const char *const measure_names[M_COUNT] = {
    "repeat_pct", "resolution_pct", "timely_pct"};

enum { SV_MCOL_ENUM(COMPLAINT_COLS) };
static const struct sv_mcol complaint_cols[] = {SV_MCOL_TABLE(COMPLAINT_COLS)};
enum trend_col { SV_MCOL_ENUM(COMPLAINT_TREND_COLS) };
static const struct sv_mcol trend_cols[] = {
    SV_MCOL_TABLE(COMPLAINT_TREND_COLS)};

static double pct(uint64_t num, uint64_t den)
{
    return den ? 100.0 * (double)num / (double)den : NAN;
}

static void rate(const struct gstats *s, enum measure m, uint64_t *num,
                 uint64_t *den)
{
    *num = m == M_REPEAT ? s->repeats : m == M_RESOLUTION ? s->closed
                                                          : s->timely;
    *den = m == M_TIMELY ? s->closed : s->complaints;
}

struct ctx {
    const struct sv_complaints *r;
    const struct sv_complaints_options *o;
    struct gstats *s;
    long site_dim;
    struct sv_error *err; /* a missing households figure */
};

static void measure(const void *p, size_t g, size_t mi, size_t m,
                    struct sv_est *e)
{
    const struct ctx *x = p;

    (void)mi;
    memset(e, 0, sizeof *e);
    rate(&x->s[g], (enum measure)m, &e->x, &e->n);
    e->value = pct(e->x, e->n);
}

static void put_households(const struct ctx *x, size_t g, struct sv_mrow *r)
{
    const char *site = x->r->groups[g].keys[x->site_dim];
    long h = sv_households_get(x->o->households, site);

    if (h <= 0) {
        r->st = sv_error_set(x->err, SV_ERR_DATA, NULL, 0, NULL,
                             "no households for site '%s' in the households "
                             "file", site);
        return;
    }
    sv_mrow_int(r, C_HOUSEHOLDS, h);
    sv_mrow_num(r, C_PER_100, 100.0 * (double)x->s[g].complaints / (double)h);
}

static void row(const void *p, size_t g, size_t mi, struct sv_mrow *r)
{
    const struct ctx *x = p;
    const struct gstats *s = &x->s[g];

    (void)mi;
    sv_mrow_count(r, C_COMPLAINTS, s->complaints);
    sv_mrow_count(r, C_REPEATS, s->repeats);
    sv_mrow_num(r, C_REPEAT_PCT, pct(s->repeats, s->complaints));
    sv_mrow_count(r, C_CLOSED, s->closed);
    sv_mrow_count(r, C_OPEN, s->complaints - s->closed);
    sv_mrow_num(r, C_RESOLUTION_PCT, pct(s->closed, s->complaints));
    sv_mrow_count(r, C_TIMELY, s->timely);
    sv_mrow_num(r, C_TIMELY_PCT, pct(s->timely, s->closed));
    sv_mrow_num(r, C_MEDIAN, s->median_hours);
    if (!r->st && x->o->households)
        put_households(x, g, r);
}

/*
 * The table of register R with options O (TREND: the trend table),
 * returned, or written to OUT (then NULL is returned, *ST says how it went).
 */
static struct sv_table *make_table(const struct sv_complaints *r,
                                   const struct sv_complaints_options *o,
                                   int trend,
                                   const struct sv_table_output *out,
                                   enum sv_status *st, struct sv_error *err)
{
    struct ctx x = {.r = r, .o = o, .site_dim = -1, .err = err};
    struct sv_keyview kv;
    struct sv_table *t = NULL;
    struct sv_metric m = {
        .cols = complaint_cols, .ncols = SV_NELEMS(complaint_cols),
        .tcols = trend_cols, .ntcols = SV_NELEMS(trend_cols),
        .measures = measure_names, .nmeasures = M_COUNT, .nitems = 1,
        .kv = &kv, .dims = (const char *const *)r->dims, .ctx = &x,
        .row = row, .measure = measure};

    keyview(r, &kv);
    for (size_t d = 0; d < r->ndims; d++)
        if (strcmp(r->dims[d], "site") == 0)
            x.site_dim = (long)d;
    m.site_dim = x.site_dim;
    if (!trend)
        m.opts = (o->households ? SV_MW_HOUSEHOLDS : 0) |
                 (o->compare ? SV_MW_COMPARE : 0);
    if (o->window_days < 0) {
        *st = sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                           "the repeat window must not be negative");
        return NULL;
    }
    if ((*st = sv_metric_check(&m, trend, err)))
        return NULL;
    if (!(x.s = all_stats(r, o)))
        *st = nomem(err);
    else if (out)
        *st = sv_metric_write(&m, trend, out, err);
    else if (!(t = sv_metric_table(&m, trend, err)))
        *st = err ? err->code : SV_ERR_NOMEM;
    free(x.s);
    return t;
}

struct sv_table *sv_complaints_table(const struct sv_complaints *r,
                                     const struct sv_complaints_options *o,
                                     struct sv_error *err)
{
    enum sv_status st;

    return make_table(r, o, 0, NULL, &st, err);
}

struct sv_table *
sv_complaints_trend_table(const struct sv_complaints *r,
                          const struct sv_complaints_options *o,
                          struct sv_error *err)
{
    enum sv_status st;

    return make_table(r, o, 1, NULL, &st, err);
}

enum sv_status sv_complaints_write(const struct sv_complaints *r,
                                   const struct sv_complaints_options *o,
                                   int trend,
                                   const struct sv_table_output *out,
                                   struct sv_error *err)
{
    enum sv_status st;

    make_table(r, o, trend, out, &st, err);
    return st;
}
