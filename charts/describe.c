/*
 * describe.c — the text dump of a chart model, for golden tests.
 */
#include <math.h>
#include <stdlib.h>

#include "chart-internal.h"
#include "chart.h"

static const char *const kind_names[] = {"hist", "pie", "bar", "trend",
                                         "quadrant"};

static void put_text(FILE *out, const char *key, const char *value)
{
    if (value)
        fprintf(out, "%s: %s\n", key, value);
}

static void describe_head(const struct sv_chart *c, FILE *out)
{
    char num[64];

    fprintf(out, "chart: %s\n", kind_names[c->kind]);
    put_text(out, "title", c->title);
    put_text(out, "subtitle", c->subtitle);
    put_text(out, "x-label", c->xlabel);
    put_text(out, "y-label", c->ylabel);
    fprintf(out, "lang: %s\nunit: %s\n", c->lang == SV_LANG_EN ? "en" : "zh",
            c->unit == SV_UNIT_PERCENT ? "percent" : "count");
    if (c->flags & (SV_CHART_SORT_DESC | SV_CHART_SORT_ASC))
        fprintf(out, "sort: %s\n",
                c->flags & SV_CHART_SORT_DESC ? "descending" : "ascending");
    if (isfinite(c->range_min)) {
        fprintf(out, "range: %s", sv_chart_format_num(num, sizeof num,
                                                      c->range_min, 2));
        fprintf(out, " %s\n",
                sv_chart_format_num(num, sizeof num, c->range_max, 2));
    }
    if (isfinite(c->target)) {
        fprintf(out, "target: %s",
                sv_chart_format_num(num, sizeof num, c->target, 2));
        fprintf(out, "%s%s\n", c->target_label ? " " : "",
                c->target_label ? c->target_label : "");
    }
    if (isfinite(c->ref))
        fprintf(out, "reference: %s %s\n",
                sv_chart_format_num(num, sizeof num, c->ref, 2),
                c->ref_label ? c->ref_label : "");
    fprintf(out, "categories: %zu\nseries: %zu\n", c->ncat, c->nser);
}

/* One line per category: label, value, [low, high], share, highlight. */
static void describe_series(const struct sv_chart *c, size_t s,
                            const size_t *order, const double *shares,
                            FILE *out)
{
    const struct sv_chart_series *ser = &c->ser[s];
    char a[64], b[64];
    size_t i;

    fprintf(out, "series %zu%s%s\n", s, ser->name ? ": " : "",
            ser->name ? ser->name : "");
    for (i = 0; i < c->ncat; i++) {
        size_t k = order[i];
        fprintf(out, "  %s\t%s", c->cats[k],
                sv_chart_format_num(a, sizeof a, ser->values[k], 2));
        if (isfinite(ser->low[k]) || isfinite(ser->high[k]))
            fprintf(out, "\t[%s, %s]",
                    sv_chart_format_num(a, sizeof a, ser->low[k], 2),
                    sv_chart_format_num(b, sizeof b, ser->high[k], 2));
        if (shares)
            fprintf(out, "\tshare=%s",
                    sv_chart_format_pct(a, sizeof a, shares[k], 1));
        if (c->highlight[k])
            fputs("\thighlight", out);
        fputc('\n', out);
    }
}

/* Quadrant charts: the two means, then each point's quadrant. */
static void describe_quadrants(const struct sv_chart *c, FILE *out)
{
    char a[64], b[64];
    double mx, my;
    size_t k;

    sv_chart_quadrant_means(c, &mx, &my);
    fprintf(out, "means: %s %s\n", sv_chart_format_num(a, sizeof a, mx, 4),
            sv_chart_format_num(b, sizeof b, my, 2));
    fputs("quadrants\n", out);
    for (k = 0; k < c->ncat; k++) {
        enum sv_chart_quadrant q = sv_chart_quadrant(c, k);

        fprintf(out, "  %s\t%s\n", c->cats[k],
                q == SV_QUAD_NONE ? "-" : sv_chart_quadrant_name(q, c->lang));
    }
}

int sv_chart_describe(const struct sv_chart *c, FILE *out)
{
    size_t *order = malloc((c->ncat ? c->ncat : 1) * sizeof *order);
    double *shares = malloc((c->ncat ? c->ncat : 1) * sizeof *shares);
    int want_shares = c->kind == SV_CHART_HIST || c->kind == SV_CHART_PIE;
    int rc = SV_CHART_OK;
    size_t s;

    if (!order || !shares) {
        rc = SV_CHART_ENOMEM;
        goto done;
    }
    describe_head(c, out);
    sv_chart_order(c, order, c->ncat);
    for (s = 0; s < c->nser; s++) {
        if (want_shares)
            sv_chart_shares(c, s, shares, c->ncat);
        describe_series(c, s, order, want_shares ? shares : NULL, out);
    }
    if (c->kind == SV_CHART_QUADRANT && c->nser == 2)
        describe_quadrants(c, out);
    if (ferror(out))
        rc = SV_CHART_EIO;
done:
    free(order);
    free(shares);
    return rc;
}
