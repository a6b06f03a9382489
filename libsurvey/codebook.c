/*
 * codebook.c — the codebook CSV (PRODUCT.md 3.2): which raw column plays
 * which role, on which scale, under which display label.
 */
#include <stdlib.h>
#include <string.h>

#include "survey.h"
#include "internal.h"


struct sv_codebook {
    struct sv_column *cols;
    struct sv_scale **scales; /* owned, parallel to cols */
    size_t n, cap;
    int is_register;
};

static const char *const role_names[] = {
    [SV_ROLE_NONE] = "",
    [SV_ROLE_ID] = "id",
    [SV_ROLE_DATE] = "date",
    [SV_ROLE_SITE] = "site",
    [SV_ROLE_GROUP] = "group",
    [SV_ROLE_DIMENSION] = "dimension",
    [SV_ROLE_OVERALL] = "overall",
    [SV_ROLE_NPS] = "nps",
    [SV_ROLE_COMPLAINT] = "complaint",
    [SV_ROLE_REPEAT_COMPLAINT] = "repeat_complaint",
    [SV_ROLE_COMMENT] = "comment",
    [SV_ROLE_MULTI] = "multi",
    [SV_ROLE_PII] = "pii",
    [SV_ROLE_IGNORE] = "ignore",
    [SV_ROLE_RECEIVED] = "received",
    [SV_ROLE_CLOSED] = "closed",
    [SV_ROLE_HOUSEHOLD] = "household",
    [SV_ROLE_CATEGORY] = "category",
    [SV_ROLE_URGENCY] = "urgency",
    [SV_ROLE_STATUS] = "status",
};

#define NROLES (sizeof role_names / sizeof role_names[0])
_Static_assert(NROLES == SV_ROLE_COUNT, "a role without a name");

const char *sv_role_name(enum sv_role role)
{
    return (size_t)role < NROLES ? role_names[role] : "";
}

enum sv_status sv_role_parse(const char *s, enum sv_role *out)
{
    for (size_t i = 1; i < NROLES; i++)
        if (strcmp(s, role_names[i]) == 0) {
            *out = (enum sv_role)i;
            return SV_OK;
        }
    return SV_ERR_DATA;
}

static int takes_scale(enum sv_role r)
{
    return r == SV_ROLE_DIMENSION || r == SV_ROLE_OVERALL || r == SV_ROLE_NPS ||
           r == SV_ROLE_COMPLAINT || r == SV_ROLE_REPEAT_COMPLAINT ||
           r == SV_ROLE_URGENCY;
}

static int register_role(enum sv_role r)
{
    return r >= SV_ROLE_RECEIVED;
}

/* The scale a role gets when the codebook leaves `scale` empty. */
static const char *default_scale(enum sv_role r)
{
    if (r == SV_ROLE_NPS)
        return "nps11";
    if (r == SV_ROLE_COMPLAINT || r == SV_ROLE_REPEAT_COMPLAINT ||
        r == SV_ROLE_URGENCY)
        return "yesno";
    return NULL;
}

void sv_codebook_free(struct sv_codebook *cb)
{
    if (!cb)
        return;
    for (size_t i = 0; i < cb->n; i++) {
        free((char *)cb->cols[i].column);
        free((char *)cb->cols[i].label);
        free((char *)cb->cols[i].options);
        sv_scale_free(cb->scales[i]);
    }
    free(cb->cols);
    free(cb->scales);
    free(cb);
}

size_t sv_codebook_count(const struct sv_codebook *cb)
{
    return cb->n;
}

const struct sv_column *sv_codebook_entry(const struct sv_codebook *cb,
                                          size_t i)
{
    return i < cb->n ? &cb->cols[i] : NULL;
}

const struct sv_column *sv_codebook_find(const struct sv_codebook *cb,
                                         const char *column)
{
    for (size_t i = 0; i < cb->n; i++)
        if (strcmp(cb->cols[i].column, column) == 0)
            return &cb->cols[i];
    return NULL;
}

int sv_codebook_is_register(const struct sv_codebook *cb)
{
    return cb->is_register;
}

/* Positions of the codebook's own columns in its header. */
struct cb_header {
    long column, role, scale, label;
};

static enum sv_status read_header(struct sv_csv *csv, size_t nf,
                                  struct cb_header *h, struct sv_error *err)
{
    h->column = h->role = h->scale = h->label = -1;
    for (size_t i = 0; i < nf; i++) {
        const char *f = sv_csv_field(csv, i);
        long *slot = strcmp(f, "column") == 0  ? &h->column
                     : strcmp(f, "role") == 0  ? &h->role
                     : strcmp(f, "scale") == 0 ? &h->scale
                     : strcmp(f, "label") == 0 ? &h->label
                                               : NULL;
        if (!slot)
            return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 1, f,
                                "unknown codebook column '%s' (expected "
                                "column,role,scale,label)", f);
        *slot = (long)i;
    }
    if (h->column < 0 || h->role < 0)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 1, NULL,
                            "codebook header needs 'column' and 'role' "
                            "(expected column,role,scale,label)");
    return SV_OK;
}

/*
 * Field I of the current row, without the ' that Excel-bound outputs put
 * before a cell starting with = + - or @ (a template written with --bom
 * names such a column '=...; the raw header says =...).
 */
static const char *cell(struct sv_csv *csv, long i)
{
    return sv_formula_unguard(i < 0 ? "" : sv_csv_field(csv, (size_t)i));
}

static int grow(struct sv_codebook *cb)
{
    size_t cap = cb->cap ? cb->cap * 2 : 16;
    struct sv_column *c;
    struct sv_scale **s;

    if (cb->n < cb->cap)
        return 0;
    c = realloc(cb->cols, cap * sizeof *c);
    if (!c)
        return -1;
    cb->cols = c;
    s = realloc(cb->scales, cap * sizeof *s);
    if (!s)
        return -1;
    cb->scales = s;
    cb->cap = cap;
    return 0;
}

/* Checks one entry's texts; returns its scale (or NULL with *ST set). */
static struct sv_scale *entry_scale(struct sv_csv *csv, enum sv_role role,
                                    const char *scale, enum sv_status *st,
                                    struct sv_error *err)
{
    const char *spec = *scale ? scale : default_scale(role);
    struct sv_scale *s;

    *st = SV_OK;
    if (!takes_scale(role)) {
        if (*scale)
            *st = sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                               sv_csv_line(csv), "scale",
                               "role '%s' takes no scale (found '%s')",
                               sv_role_name(role), scale);
        return NULL;
    }
    if (!spec) {
        *st = sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                           sv_csv_line(csv), "scale",
                           "role '%s' needs a scale (abc3, likert5, nps11, "
                           "yesno or levels=...)", sv_role_name(role));
        return NULL;
    }
    s = sv_scale_parse(spec, err);
    /* an nps answer is a 0-10 integer: 满意 must not become a detractor */
    if (s && role == SV_ROLE_NPS && sv_scale_kind(s) != SV_SCALE_NPS) {
        sv_scale_free(s);
        *st = sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                           sv_csv_line(csv), "scale",
                           "role 'nps' needs the scale nps11 (found '%s')",
                           spec);
        return NULL;
    }
    if (!s) {
        if (err) {
            snprintf(err->file, sizeof err->file, "%s", sv_csv_name(csv));
            err->line = sv_csv_line(csv);
            snprintf(err->column, sizeof err->column, "scale");
        }
        *st = err ? err->code : SV_ERR_DATA;
    }
    return s;
}

/*
 * A multi-select entry: its scale cell is empty (any option) or
 * options=A|B|C, the allowed options (PRODUCT.md 3.2).
 */
static enum sv_status add_multi(struct sv_codebook *cb, struct sv_csv *csv,
                                const char *col, const char *label,
                                const char *scale, struct sv_error *err)
{
    const char *name = sv_csv_name(csv);
    unsigned long line = sv_csv_line(csv);
    struct sv_column *c;

    if (*scale && (strncmp(scale, "options=", 8) != 0 || !scale[8] ||
                   strstr(scale, "||") || scale[8] == '|' ||
                   scale[strlen(scale) - 1] == '|'))
        return sv_error_set(err, SV_ERR_DATA, name, line, "scale",
                            "role 'multi' takes options=A|B|... or nothing "
                            "(found '%s')", scale);
    for (const char *p = *scale ? scale + 8 : scale; *p;) {
        size_t len = strcspn(p, "|");
        if (sv_cube_reserved_option(p, len))
            return sv_error_set(err, SV_ERR_DATA, name, line, "scale",
                                "option '%.*s' is a name the cube keeps "
                                "for its own rows", (int)len, p);
        p += len + (p[len] == '|');
    }
    if (grow(cb))
        return sv_error_set(err, SV_ERR_NOMEM, name, line, NULL,
                            "out of memory");
    c = &cb->cols[cb->n];
    memset(c, 0, sizeof *c);
    cb->scales[cb->n++] = NULL;
    c->role = SV_ROLE_MULTI;
    c->column = strdup(col);
    c->label = strdup(*label ? label : col);
    c->options = *scale ? strdup(scale + 8) : NULL;
    if (!c->column || !c->label || (*scale && !c->options))
        return sv_error_set(err, SV_ERR_NOMEM, name, line, NULL,
                            "out of memory");
    return SV_OK;
}

static enum sv_status add_entry(struct sv_codebook *cb, struct sv_csv *csv,
                                const struct cb_header *h,
                                struct sv_error *err)
{
    const char *col = cell(csv, h->column), *label = cell(csv, h->label);
    const char *name = sv_csv_name(csv);
    unsigned long line = sv_csv_line(csv);
    enum sv_role role;
    enum sv_status st;
    struct sv_scale *scale;

    if (!*col)
        return sv_error_set(err, SV_ERR_DATA, name, line, "column",
                            "empty column name");
    if (strlen(col) > SV_VALUE_MAX || strlen(label) > SV_VALUE_MAX)
        return sv_error_set(err, SV_ERR_LIMIT, name, line,
                            strlen(col) > SV_VALUE_MAX ? "column" : "label",
                            "longer than %d bytes", SV_VALUE_MAX);
    if (sv_codebook_find(cb, col))
        return sv_error_set(err, SV_ERR_DATA, name, line, "column",
                            "column '%s' is described twice", col);
    if (sv_role_parse(cell(csv, h->role), &role) != SV_OK)
        return sv_error_set(err, SV_ERR_DATA, name, line, "role",
                            "unknown role '%s'", cell(csv, h->role));
    if (role == SV_ROLE_MULTI)
        return add_multi(cb, csv, col, label, cell(csv, h->scale), err);
    scale = entry_scale(csv, role, cell(csv, h->scale), &st, err);
    if (st)
        return st;
    if (grow(cb)) {
        sv_scale_free(scale);
        return sv_error_set(err, SV_ERR_NOMEM, name, line, NULL,
                            "out of memory");
    }
    cb->cols[cb->n].column = strdup(col);
    cb->cols[cb->n].label = strdup(*label ? label : col);
    cb->cols[cb->n].options = NULL;
    cb->cols[cb->n].role = role;
    cb->cols[cb->n].scale = scale;
    cb->scales[cb->n++] = scale;
    if (!cb->cols[cb->n - 1].column || !cb->cols[cb->n - 1].label)
        return sv_error_set(err, SV_ERR_NOMEM, name, line, NULL,
                            "out of memory");
    return SV_OK;
}

static size_t count_role(const struct sv_codebook *cb, enum sv_role r)
{
    size_t k = 0;

    for (size_t i = 0; i < cb->n; i++)
        k += cb->cols[i].role == r;
    return k;
}

/* The errors of one codebook file: all of them when a callback takes them. */
struct loader {
    struct sv_codebook_options o;
    const char *name;
    struct sv_error last;
    size_t nerr;
};

/* Records E; returns 1 when checking goes on. */
static int note(struct loader *L, const struct sv_error *e)
{
    if (L->nerr++ && L->o.on_error)
        L->o.on_error(L->o.ctx, &L->last);
    L->last = *e;
    return L->o.on_error && e->code != SV_ERR_NOMEM;
}

/* "'a', 'b'": the columns of role R, for the one-of-a-kind message. */
static void role_columns(const struct sv_codebook *cb, enum sv_role r,
                         char *out, size_t cap)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < cb->n && used < cap; i++) {
        int w;
        if (cb->cols[i].role != r)
            continue;
        w = snprintf(out + used, cap - used, "%s'%s'", used ? ", " : "",
                     cb->cols[i].column);
        used += w > 0 ? (size_t)w : 0;
    }
}

static int check_once(struct loader *L, const struct sv_codebook *cb)
{
    static const enum sv_role once[] = {SV_ROLE_DATE, SV_ROLE_SITE,
                                        SV_ROLE_ID, SV_ROLE_RECEIVED,
                                        SV_ROLE_CLOSED, SV_ROLE_HOUSEHOLD,
                                        SV_ROLE_CATEGORY, SV_ROLE_URGENCY,
                                        SV_ROLE_STATUS};
    struct sv_error e;
    char cols[SV_ERR_MSG_MAX / 2];

    for (size_t i = 0; i < sizeof once / sizeof once[0]; i++) {
        if (count_role(cb, once[i]) <= 1)
            continue;
        role_columns(cb, once[i], cols, sizeof cols);
        sv_error_set(&e, SV_ERR_DATA, L->name, 0, "role",
                     "more than one '%s' column (%s; keep one, make the "
                     "others ignore)", sv_role_name(once[i]), cols);
        if (!note(L, &e))
            return 0;
    }
    return 1;
}

static int check_group_label(struct loader *L, const struct sv_codebook *cb,
                             size_t i)
{
    struct sv_error e;
    enum sv_role role;
    const char *spec;
    size_t len;

    if (sv_stream_reserved(cb->cols[i].label) ||
        sv_stream_item_parse(cb->cols[i].label, &len, &role, &spec, &len)) {
        sv_error_set(&e, SV_ERR_DATA, L->name, 0, "label",
                     "group label '%s' is a reserved name",
                     cb->cols[i].label);
        return note(L, &e);
    }
    for (size_t j = 0; j < i; j++)
        if (cb->cols[j].role == SV_ROLE_GROUP &&
            strcmp(cb->cols[i].label, cb->cols[j].label) == 0) {
            sv_error_set(&e, SV_ERR_DATA, L->name, 0, "label",
                         "two group columns labelled '%s'",
                         cb->cols[i].label);
            return note(L, &e);
        }
    return 1;
}

/* Whole-codebook rules: single date/site/id, unique group labels, kind. */
static void check_whole(struct loader *L, struct sv_codebook *cb)
{
    struct sv_error e;
    size_t nreg = 0;

    if (!check_once(L, cb))
        return;
    for (size_t i = 0; i < cb->n; i++) {
        nreg += register_role(cb->cols[i].role);
        if (cb->cols[i].role == SV_ROLE_GROUP && !check_group_label(L, cb, i))
            return;
    }
    cb->is_register = nreg > 0;
    if (cb->is_register && !count_role(cb, SV_ROLE_RECEIVED)) {
        sv_error_set(&e, SV_ERR_DATA, L->name, 0, "role",
                     "a complaint-register codebook needs a 'received' "
                     "column");
        note(L, &e);
    }
}

static enum sv_status load_rows(struct loader *L, struct sv_codebook *cb,
                                struct sv_csv *csv, struct sv_error *err)
{
    struct cb_header h;
    struct sv_error e;
    size_t nf;
    enum sv_status st = sv_csv_next(csv, &nf, err);

    if (st)
        return st;
    if (nf == 0)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 0, NULL,
                            "empty codebook");
    if ((st = read_header(csv, nf, &h, err)))
        return st;
    while ((st = sv_csv_next(csv, &nf, &e)) == SV_OK && nf > 0)
        if (add_entry(cb, csv, &h, &e) != SV_OK && !note(L, &e))
            break;
    if (st)
        note(L, &e);
    if (!L->nerr && cb->n == 0)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 0, NULL,
                            "codebook describes no columns");
    if (!L->nerr || (L->o.on_error && L->last.code != SV_ERR_NOMEM && !st))
        check_whole(L, cb);
    if (!L->nerr)
        return SV_OK;
    if (err)
        *err = L->last;
    return L->last.code;
}

struct sv_codebook *sv_codebook_open(const char *path,
                                     const struct sv_codebook_options *opts,
                                     struct sv_error *err)
{
    struct sv_csv_options csv_opts = {.delimiter = ','};
    struct loader L = {0};
    struct sv_csv *csv;
    struct sv_codebook *cb;

    if (opts)
        L.o = *opts;
    csv_opts.encoding = L.o.encoding;
    if (!(csv = sv_csv_open(path, NULL, &csv_opts, err)))
        return NULL;
    L.name = sv_csv_name(csv);
    cb = calloc(1, sizeof *cb);
    if (!cb) {
        sv_error_set(err, SV_ERR_NOMEM, path, 0, NULL, "out of memory");
    } else if (load_rows(&L, cb, csv, err) != SV_OK) {
        sv_codebook_free(cb);
        cb = NULL;
    }
    sv_csv_free(csv);
    return cb;
}

struct sv_codebook *sv_codebook_load(const char *path, struct sv_error *err)
{
    return sv_codebook_open(path, NULL, err);
}
