/*
 * households.c — households per site (site,households CSV), the
 * denominator of survey coverage and of complaints per 100 households.
 */
#include <stdlib.h>
#include <string.h>

#include "survey.h"

struct sv_households {
    char **sites;
    long *count;
    size_t n, cap;
};

void sv_households_free(struct sv_households *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->sites[i]);
    free(h->sites);
    free(h->count);
    free(h);
}

long sv_households_get(const struct sv_households *h, const char *site)
{
    for (size_t i = 0; h && i < h->n; i++)
        if (strcmp(h->sites[i], site) == 0)
            return h->count[i];
    return -1;
}

static enum sv_status nomem(const struct sv_csv *csv, struct sv_error *err)
{
    return sv_error_set(err, SV_ERR_NOMEM, sv_csv_name(csv), 0, NULL,
                        "out of memory");
}

static enum sv_status add(struct sv_households *h, struct sv_csv *csv,
                          struct sv_error *err)
{
    const char *site = sv_csv_field(csv, 0), *n = sv_csv_field(csv, 1);
    long v;

    if (sv_csv_nfields(csv) != 2 || !*site)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                            sv_csv_line(csv), NULL,
                            "expected 2 fields: site,households");
    if (sv_parse_long(n, 1, 100000000L, &v) != SV_OK)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                            sv_csv_line(csv), "households",
                            "invalid household count '%s' (expected a "
                            "positive integer)", n);
    if (sv_households_get(h, site) >= 0)
        return sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv),
                            sv_csv_line(csv), "site",
                            "site '%s' listed twice", site);
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        char **s = realloc(h->sites, cap * sizeof *s);
        long *c;
        if (!s)
            return nomem(csv, err);
        h->sites = s;
        if (!(c = realloc(h->count, cap * sizeof *c)))
            return nomem(csv, err);
        h->count = c;
        h->cap = cap;
    }
    if (!(h->sites[h->n] = strdup(site)))
        return nomem(csv, err);
    h->count[h->n++] = v;
    return SV_OK;
}

struct sv_households *sv_households_load(const char *path,
                                         struct sv_error *err)
{
    struct sv_households *h;
    struct sv_csv *csv = sv_csv_open(path, NULL, NULL, err);
    enum sv_status st;
    size_t nf;

    if (!csv)
        return NULL;
    if (!(h = calloc(1, sizeof *h))) {
        sv_error_set(err, SV_ERR_NOMEM, path, 0, NULL, "out of memory");
        sv_csv_free(csv);
        return NULL;
    }
    st = sv_csv_next(csv, &nf, err);
    if (!st && (nf != 2 || strcmp(sv_csv_field(csv, 0), "site") ||
                strcmp(sv_csv_field(csv, 1), "households")))
        st = sv_error_set(err, SV_ERR_DATA, sv_csv_name(csv), 1, NULL,
                          "expected the header site,households");
    while (!st && !(st = sv_csv_next(csv, &nf, err)) && nf > 0)
        st = add(h, csv, err);
    sv_csv_free(csv);
    if (st) {
        sv_households_free(h);
        return NULL;
    }
    return h;
}
