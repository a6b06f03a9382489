/*
 * chart.c — the chart model (layer 1): plain data, no cairo.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "chart-internal.h"
#include "chart.h"

const char *sv_chart_strerror(int status)
{
    switch (status) {
    case SV_CHART_OK:
        return "success";
    case SV_CHART_EINVAL:
        return "invalid argument";
    case SV_CHART_ENOMEM:
        return "out of memory";
    case SV_CHART_EIO:
        return "write error";
    case SV_CHART_ECAIRO:
        return "rendering error";
    default:
        return "unknown error";
    }
}

int sv_chart_fail(struct sv_error *err, int status, const char *fmt, ...)
{
    /* The library's status for each chart status (sv_chart_status order). */
    static const enum sv_status code[] = {SV_OK, SV_ERR_DATA, SV_ERR_NOMEM,
                                          SV_ERR_IO, SV_ERR_IO};
    char msg[SV_ERR_MSG_MAX];
    va_list ap;

    va_start(ap, fmt);
    if (vsnprintf(msg, sizeof msg, fmt, ap) < 0)
        msg[0] = '\0';
    va_end(ap);
    sv_chart_utf8_clip(msg, sizeof msg);
    sv_error_set(err,
                 status > 0 && (size_t)status < sizeof code / sizeof code[0]
                     ? code[status]
                     : SV_ERR_IO,
                 NULL, 0, NULL, "%s", msg);
    return status;
}

void sv_chart_utf8_clip(char *buf, size_t cap)
{
    static const char ellipsis[] = "\xe2\x80\xa6";
    size_t end;

    if (cap < sizeof ellipsis)
        end = 0;
    else
        end = cap - sizeof ellipsis; /* room for "…" and the NUL */
    while (end > 0 && ((unsigned char)buf[end] & 0xc0) == 0x80)
        end--;
    if (cap >= sizeof ellipsis)
        memcpy(buf + end, ellipsis, sizeof ellipsis);
    else if (cap > 0)
        buf[0] = '\0';
}

/* Replaces *DST by a copy of SRC (NULL clears). */
static int set_str(char **dst, const char *src)
{
    char *copy = NULL;

    if (src) {
        copy = strdup(src);
        if (!copy)
            return SV_CHART_ENOMEM;
    }
    free(*dst);
    *dst = copy;
    return SV_CHART_OK;
}

struct sv_chart *sv_chart_new(enum sv_chart_kind kind)
{
    struct sv_chart *c = calloc(1, sizeof *c);

    if (!c)
        return NULL;
    c->kind = kind;
    c->unit = (kind == SV_CHART_BAR || kind == SV_CHART_TREND)
                  ? SV_UNIT_PERCENT
                  : SV_UNIT_COUNT;
    c->target = NAN;
    c->ref = NAN;
    c->range_min = NAN;
    c->range_max = NAN;
    return c;
}

static void series_release(struct sv_chart_series *s)
{
    free(s->name);
    free(s->values);
    free(s->low);
    free(s->high);
}

void sv_chart_free(struct sv_chart *c)
{
    size_t i;

    if (!c)
        return;
    for (i = 0; i < c->ncat; i++)
        free(c->cats[i]);
    for (i = 0; i < c->nser; i++)
        series_release(&c->ser[i]);
    free(c->cats);
    free(c->highlight);
    free(c->quad);
    free(c->ser);
    free(c->title);
    free(c->subtitle);
    free(c->xlabel);
    free(c->ylabel);
    free(c->font);
    free(c->target_label);
    free(c->ref_label);
    free(c);
}

/*
 * Returns RC, and keeps the first failure in the chart: a setter whose
 * status was not checked still makes sv_chart_validate() fail.
 */
static int keep(struct sv_chart *c, int rc)
{
    if (rc != SV_CHART_OK && c->failed == SV_CHART_OK)
        c->failed = rc;
    return rc;
}

int sv_chart_set_title(struct sv_chart *c, const char *title)
{
    return keep(c, set_str(&c->title, title));
}

int sv_chart_set_subtitle(struct sv_chart *c, const char *subtitle)
{
    return keep(c, set_str(&c->subtitle, subtitle));
}

int sv_chart_set_axis_labels(struct sv_chart *c, const char *xlabel,
                             const char *ylabel)
{
    if (set_str(&c->xlabel, xlabel) != SV_CHART_OK)
        return keep(c, SV_CHART_ENOMEM);
    return keep(c, set_str(&c->ylabel, ylabel));
}

int sv_chart_set_font(struct sv_chart *c, const char *families)
{
    return keep(c, set_str(&c->font, families));
}

const char *sv_chart_font(const struct sv_chart *c)
{
    return c->font && c->font[0] ? c->font : SV_CHART_DEFAULT_FONT;
}

void sv_chart_set_lang(struct sv_chart *c, enum sv_chart_lang lang)
{
    c->lang = lang;
}

void sv_chart_set_unit(struct sv_chart *c, enum sv_chart_unit unit)
{
    c->unit = unit;
}

void sv_chart_set_flags(struct sv_chart *c, unsigned flags)
{
    c->flags = flags;
}

int sv_chart_set_range(struct sv_chart *c, double min, double max)
{
    if (!isfinite(min) || !isfinite(max) || !(min < max))
        return keep(c, SV_CHART_EINVAL);
    c->range_min = min;
    c->range_max = max;
    return SV_CHART_OK;
}

int sv_chart_set_target(struct sv_chart *c, double value, const char *label)
{
    if (set_str(&c->target_label, label) != SV_CHART_OK)
        return keep(c, SV_CHART_ENOMEM);
    c->target = value;
    return SV_CHART_OK;
}

int sv_chart_set_reference(struct sv_chart *c, double value,
                           const char *label)
{
    if (set_str(&c->ref_label, label) != SV_CHART_OK)
        return keep(c, SV_CHART_ENOMEM);
    c->ref = value;
    return SV_CHART_OK;
}

/* Grows one per-category array of doubles by one NaN. */
static int grow_doubles(double **arr, size_t n)
{
    double *p = realloc(*arr, (n + 1) * sizeof *p);

    if (!p)
        return -1;
    p[n] = NAN;
    *arr = p;
    return 0;
}

static int add_category(struct sv_chart *c, const char *label)
{
    char **cats;
    unsigned char *hl;
    signed char *quad;
    size_t i;

    cats = realloc(c->cats, (c->ncat + 1) * sizeof *cats);
    if (!cats)
        return -1;
    c->cats = cats;
    hl = realloc(c->highlight, c->ncat + 1);
    if (!hl)
        return -1;
    c->highlight = hl;
    hl[c->ncat] = 0;
    quad = realloc(c->quad, c->ncat + 1);
    if (!quad)
        return -1;
    c->quad = quad;
    quad[c->ncat] = SV_QUAD_AUTO;
    for (i = 0; i < c->nser; i++) {
        struct sv_chart_series *s = &c->ser[i];
        if (grow_doubles(&s->values, c->ncat) || grow_doubles(&s->low, c->ncat)
            || grow_doubles(&s->high, c->ncat))
            return -1;
    }
    cats[c->ncat] = strdup(label ? label : "");
    if (!cats[c->ncat])
        return -1;
    return (int)c->ncat++;
}

int sv_chart_add_category(struct sv_chart *c, const char *label)
{
    int k = add_category(c, label);

    if (k < 0)
        keep(c, SV_CHART_ENOMEM);
    return k;
}

/* Returns a new array of N NaNs (at least one element). */
static double *nan_array(size_t n)
{
    double *p = malloc((n ? n : 1) * sizeof *p);
    size_t i;

    if (p)
        for (i = 0; i < n; i++)
            p[i] = NAN;
    return p;
}

int sv_chart_add_series(struct sv_chart *c, const char *name,
                        const double *values, size_t n)
{
    struct sv_chart_series s = {0}, *arr;

    if (n != c->ncat)
        return keep(c, SV_CHART_EINVAL), -1;
    s.values = nan_array(n);
    s.low = nan_array(n);
    s.high = nan_array(n);
    if (name)
        s.name = strdup(name);
    arr = realloc(c->ser, (c->nser + 1) * sizeof *arr);
    if (!s.values || !s.low || !s.high || (name && !s.name) || !arr) {
        if (arr)
            c->ser = arr;
        series_release(&s);
        return keep(c, SV_CHART_ENOMEM), -1;
    }
    if (values)
        memcpy(s.values, values, n * sizeof *values);
    c->ser = arr;
    arr[c->nser] = s;
    return (int)c->nser++;
}

int sv_chart_set_value(struct sv_chart *c, size_t series, size_t cat,
                       double value)
{
    if (series >= c->nser || cat >= c->ncat)
        return keep(c, SV_CHART_EINVAL);
    c->ser[series].values[cat] = value;
    return SV_CHART_OK;
}

int sv_chart_set_interval(struct sv_chart *c, size_t series, size_t cat,
                          double low, double high)
{
    if (series >= c->nser || cat >= c->ncat)
        return keep(c, SV_CHART_EINVAL);
    c->ser[series].low[cat] = low;
    c->ser[series].high[cat] = high;
    return SV_CHART_OK;
}

int sv_chart_set_highlight(struct sv_chart *c, size_t cat, int on)
{
    if (cat >= c->ncat)
        return keep(c, SV_CHART_EINVAL);
    c->highlight[cat] = on ? 1 : 0;
    return SV_CHART_OK;
}

/* Copies the texts and settings of SRC (not its data) into DST. */
static int copy_settings(struct sv_chart *dst, const struct sv_chart *src)
{
    dst->lang = src->lang;
    dst->unit = src->unit;
    dst->flags = src->flags;
    dst->target = src->target;
    dst->ref = src->ref;
    dst->range_min = src->range_min;
    dst->range_max = src->range_max;
    if (set_str(&dst->title, src->title) || set_str(&dst->subtitle,
                                                    src->subtitle)
        || set_str(&dst->xlabel, src->xlabel)
        || set_str(&dst->ylabel, src->ylabel) || set_str(&dst->font, src->font)
        || set_str(&dst->target_label, src->target_label)
        || set_str(&dst->ref_label, src->ref_label))
        return SV_CHART_ENOMEM;
    return SV_CHART_OK;
}

struct sv_chart *sv_chart_slice(const struct sv_chart *c, const size_t *cats,
                                size_t n)
{
    struct sv_chart *d = sv_chart_new(c->kind);
    size_t i, j;
    int fail = !d || copy_settings(d, c) != SV_CHART_OK;

    for (i = 0; !fail && i < n; i++)
        fail = cats[i] >= c->ncat || sv_chart_add_category(d,
                                                            c->cats[cats[i]])
                                         < 0;
    for (j = 0; !fail && j < c->nser; j++)
        fail = sv_chart_add_series(d, c->ser[j].name, NULL, n) < 0;
    for (i = 0; !fail && i < n; i++) {
        d->highlight[i] = c->highlight[cats[i]];
        d->quad[i] = c->quad[cats[i]];
        for (j = 0; j < c->nser; j++) {
            d->ser[j].values[i] = c->ser[j].values[cats[i]];
            d->ser[j].low[i] = c->ser[j].low[cats[i]];
            d->ser[j].high[i] = c->ser[j].high[cats[i]];
        }
    }
    if (fail) {
        sv_chart_free(d);
        return NULL;
    }
    return d;
}

struct sv_chart *sv_chart_slice_series(const struct sv_chart *c,
                                       size_t first, size_t n)
{
    struct sv_chart *d = sv_chart_new(c->kind);
    size_t i, j;
    int fail = !d || first + n > c->nser || copy_settings(d, c) != SV_CHART_OK;

    for (i = 0; !fail && i < c->ncat; i++)
        fail = sv_chart_add_category(d, c->cats[i]) < 0;
    for (j = 0; !fail && j < n; j++) {
        const struct sv_chart_series *s = &c->ser[first + j];
        fail = sv_chart_add_series(d, s->name, s->values, c->ncat) < 0;
        for (i = 0; !fail && i < c->ncat; i++) {
            d->ser[j].low[i] = s->low[i];
            d->ser[j].high[i] = s->high[i];
        }
    }
    if (!fail && c->ncat) {
        memcpy(d->highlight, c->highlight, c->ncat);
        memcpy(d->quad, c->quad, c->ncat);
    }
    if (fail) {
        sv_chart_free(d);
        return NULL;
    }
    return d;
}

enum sv_chart_kind sv_chart_kind(const struct sv_chart *c)
{
    return c->kind;
}

size_t sv_chart_categories(const struct sv_chart *c)
{
    return c->ncat;
}

size_t sv_chart_series(const struct sv_chart *c)
{
    return c->nser;
}

const char *sv_chart_series_name(const struct sv_chart *c, size_t series)
{
    return series < c->nser && c->ser[series].name ? c->ser[series].name : "";
}

const char *sv_chart_category_label(const struct sv_chart *c, size_t cat)
{
    return cat < c->ncat ? c->cats[cat] : NULL;
}

double sv_chart_value(const struct sv_chart *c, size_t series, size_t cat)
{
    if (series >= c->nser || cat >= c->ncat)
        return NAN;
    return c->ser[series].values[cat];
}

int sv_chart_order(const struct sv_chart *c, size_t *order, size_t n)
{
    size_t i, j;
    int dir = 0;

    if (n != c->ncat)
        return SV_CHART_EINVAL;
    for (i = 0; i < n; i++)
        order[i] = i;
    if (c->nser == 0)
        return SV_CHART_OK;
    if (c->flags & SV_CHART_SORT_DESC)
        dir = -1;
    else if (c->flags & SV_CHART_SORT_ASC)
        dir = 1;
    if (dir == 0)
        return SV_CHART_OK;
    /* Insertion sort: stable, and category counts are small. */
    for (i = 1; i < n; i++) {
        size_t k = order[i];
        double v = c->ser[0].values[k];
        for (j = i; j > 0; j--) {
            double u = c->ser[0].values[order[j - 1]];
            int before;
            if (isnan(v))
                before = 0;
            else if (isnan(u))
                before = 1;
            else
                before = dir < 0 ? v > u : v < u;
            if (!before)
                break;
            order[j] = order[j - 1];
        }
        order[j] = k;
    }
    return SV_CHART_OK;
}

int sv_chart_shares(const struct sv_chart *c, size_t series, double *shares,
                    size_t n)
{
    double total = 0.0;
    long tenths = 0;
    size_t i;

    if (series >= c->nser || n != c->ncat)
        return SV_CHART_EINVAL;
    for (i = 0; i < n; i++) {
        double v = c->ser[series].values[i];
        if (isfinite(v) && v > 0)
            total += v;
    }
    for (i = 0; i < n; i++) {
        double v = c->ser[series].values[i];
        shares[i] = (isfinite(v) && v > 0 && total > 0) ? v / total * 1000.0
                                                         : 0.0;
        tenths += (long)floor(shares[i]);
    }
    if (!(total > 0))
        return SV_CHART_OK;
    /* Largest remainder (Hamilton): hand the missing tenths to the shares
       with the largest fractional parts, earliest first on ties. */
    while (tenths < 1000) {
        size_t best = n;
        double bestfrac = -1.0;
        for (i = 0; i < n; i++) {
            double frac = shares[i] - floor(shares[i]);
            if (frac > bestfrac + 1e-9) {
                bestfrac = frac;
                best = i;
            }
        }
        if (best == n || bestfrac < 0.0)
            break;
        shares[best] = floor(shares[best]) + 1.0;
        tenths++;
    }
    for (i = 0; i < n; i++)
        shares[i] = floor(shares[i] + 1e-9) / 10.0;
    return SV_CHART_OK;
}

char *sv_chart_format_num(char *buf, size_t cap, double value, int decimals)
{
    double scale = pow(10.0, decimals > 0 ? decimals : 0);
    double r = round(fabs(value) * scale);
    long long whole = (long long)floor(r / scale);
    long long frac = (long long)(r - (double)whole * scale);
    const char *sign = (value < 0 && r > 0) ? "-" : "";

    if (!isfinite(value))
        snprintf(buf, cap, "-");
    else if (decimals <= 0)
        snprintf(buf, cap, "%s%lld", sign, whole);
    else
        snprintf(buf, cap, "%s%lld.%0*lld", sign, whole, decimals, frac);
    return buf;
}

char *sv_chart_format_pct(char *buf, size_t cap, double value, int decimals)
{
    size_t len;

    sv_chart_format_num(buf, cap, value, decimals);
    len = strlen(buf);
    if (isfinite(value) && len + 1 < cap) {
        buf[len] = '%';
        buf[len + 1] = '\0';
    }
    return buf;
}

/* ---- quadrant charts ------------------------------------------------ */

int sv_chart_quadrant_means(const struct sv_chart *c, double *x, double *y)
{
    double sx = 0.0, sy = 0.0;
    size_t k, n = 0;

    *x = *y = NAN;
    if (c->nser < 2)
        return SV_CHART_EINVAL;
    for (k = 0; k < c->ncat; k++) {
        double a = c->ser[0].values[k], b = c->ser[1].values[k];

        if (!isfinite(a) || !isfinite(b))
            continue;
        sx += a;
        sy += b;
        n++;
    }
    if (n == 0)
        return SV_CHART_EINVAL;
    *x = sx / (double)n;
    *y = sy / (double)n;
    return SV_CHART_OK;
}

int sv_chart_set_quadrant(struct sv_chart *c, size_t cat,
                          enum sv_chart_quadrant q)
{
    if (cat >= c->ncat || q < SV_QUAD_NONE || q > SV_QUAD_OPPORTUNITY)
        return keep(c, SV_CHART_EINVAL);
    c->quad[cat] = (signed char)q;
    return SV_CHART_OK;
}

enum sv_chart_quadrant sv_chart_quadrant(const struct sv_chart *c,
                                         size_t cat)
{
    double mx, my, x, y;

    if (cat >= c->ncat || c->nser < 2)
        return SV_QUAD_NONE;
    if (c->quad[cat] != SV_QUAD_AUTO)
        return (enum sv_chart_quadrant)c->quad[cat];
    x = c->ser[0].values[cat];
    y = c->ser[1].values[cat];
    if (!isfinite(x) || !isfinite(y)
        || sv_chart_quadrant_means(c, &mx, &my) != SV_CHART_OK)
        return SV_QUAD_NONE;
    if (x >= mx)
        return y >= my ? SV_QUAD_STRENGTH : SV_QUAD_FIX;
    return y >= my ? SV_QUAD_MAINTAIN : SV_QUAD_OPPORTUNITY;
}

static const char *const quad_codes[] = {"strength", "fix", "maintain",
                                         "opportunity"};
static const char *const quad_zh[] = {"优势区", "修补区", "维持区",
                                      "机会区"};

const char *sv_chart_quadrant_name(enum sv_chart_quadrant q,
                                   enum sv_chart_lang lang)
{
    if (q < SV_QUAD_STRENGTH || q > SV_QUAD_OPPORTUNITY)
        return "";
    return lang == SV_LANG_EN ? quad_codes[q] : quad_zh[q];
}

enum sv_chart_quadrant sv_chart_quadrant_parse(const char *code)
{
    int q;

    for (q = SV_QUAD_STRENGTH; q <= SV_QUAD_OPPORTUNITY; q++)
        if (code && !strcmp(code, quad_codes[q]))
            return (enum sv_chart_quadrant)q;
    return SV_QUAD_NONE;
}

/* Area of the overlap of A and B (0 when they do not meet). */
static double overlap(const struct sv_chart_rect *a,
                      const struct sv_chart_rect *b)
{
    double w = fmin(a->x + a->w, b->x + b->w) - fmax(a->x, b->x);
    double h = fmin(a->y + a->h, b->y + b->h) - fmax(a->y, b->y);

    return w > 0 && h > 0 ? w * h : 0.0;
}

/* Overlap of candidate C with everything placed or fixed so far. */
static double clash(const struct sv_chart_rect *c, const double *px,
                    const double *py, size_t n, double r,
                    const struct sv_chart_rect *placed, size_t nplaced,
                    const struct sv_chart_rect *block, size_t nblock,
                    struct sv_chart_rect area)
{
    double sum = 0.0;
    size_t j;

    if (c->x < area.x || c->y < area.y || c->x + c->w > area.x + area.w
        || c->y + c->h > area.y + area.h)
        sum += c->w * c->h;
    for (j = 0; j < nplaced; j++)
        sum += overlap(c, &placed[j]);
    for (j = 0; j < nblock; j++)
        sum += overlap(c, &block[j]);
    for (j = 0; j < n; j++) {
        struct sv_chart_rect m = {px[j] - r, py[j] - r, 2 * r, 2 * r};
        if (isfinite(px[j]) && isfinite(py[j]))
            sum += overlap(c, &m);
    }
    return sum;
}

size_t sv_chart_place_labels(const double *px, const double *py, size_t n,
                             double r, const double *w, const double *h,
                             struct sv_chart_rect area,
                             const struct sv_chart_rect *block,
                             size_t nblock, struct sv_chart_rect *out)
{
    /* Directions, nearest-looking first: right, left, up, down, corners. */
    static const int dx[] = {1, -1, 0, 0, 1, -1, 1, -1};
    static const int dy[] = {0, 0, -1, 1, -1, -1, 1, 1};
    static const double ring[] = {1.0, 1.8, 2.8, 4.0, 5.5, 7.5, 10.0, 13.0};
    size_t i, bad = 0;

    for (i = 0; i < n; i++) {
        double best = INFINITY, gap = r + 2.0;
        struct sv_chart_rect pick = {px[i], py[i], w[i], h[i]};
        size_t d, k;

        if (!isfinite(px[i]) || !isfinite(py[i])) {
            out[i] = pick; /* no point, no label */
            continue;
        }
        for (d = 0; d < sizeof ring / sizeof ring[0] && best > 0.0; d++)
            for (k = 0; k < 8 && best > 0.0; k++) {
                double g = gap * ring[d];
                struct sv_chart_rect c;
                double cost;

                c.w = w[i];
                c.h = h[i];
                c.x = dx[k] > 0 ? px[i] + g : dx[k] < 0 ? px[i] - g - w[i]
                                                          : px[i] - w[i] / 2;
                c.y = dy[k] > 0 ? py[i] + g * (dx[k] != 0 ? 0.5 : 1.0)
                      : dy[k] < 0 ? py[i] - g * (dx[k] != 0 ? 0.5 : 1.0) - h[i]
                                  : py[i] - h[i] / 2;
                cost = clash(&c, px, py, n, r, out, i, block, nblock, area);
                if (cost < best) {
                    best = cost;
                    pick = c;
                }
            }
        out[i] = pick;
        if (best > 0.0)
            bad++;
    }
    return bad;
}

int sv_chart_validate(const struct sv_chart *c, struct sv_error *err)
{
    if (!c)
        return sv_chart_fail(err, SV_CHART_EINVAL, "no chart");
    if (c->failed != SV_CHART_OK)
        return sv_chart_fail(err, c->failed, "building the chart failed: %s",
                             sv_chart_strerror(c->failed));
    if (c->ncat == 0)
        return sv_chart_fail(err, SV_CHART_EINVAL,
                             "chart has no categories");
    if (c->nser == 0)
        return sv_chart_fail(err, SV_CHART_EINVAL,
                             "chart has no series");
    if (c->kind == SV_CHART_PIE && c->nser != 1)
        return sv_chart_fail(err, SV_CHART_EINVAL,
                             "pie chart takes one series (found %zu)",
                             c->nser);
    if (c->kind == SV_CHART_BAR && c->nser > SV_CHART_MAX_GROUPS)
        return sv_chart_fail(err, SV_CHART_EINVAL,
                             "bar chart takes at most %d series side by "
                             "side (found %zu)", SV_CHART_MAX_GROUPS,
                             c->nser);
    if (c->kind == SV_CHART_QUADRANT && c->nser != 2)
        return sv_chart_fail(err, SV_CHART_EINVAL,
                             "quadrant chart takes two series (found %zu)",
                             c->nser);
    if ((unsigned)c->kind > SV_CHART_QUADRANT)
        return sv_chart_fail(err, SV_CHART_EINVAL,
                             "unknown chart kind %d", (int)c->kind);
    return SV_CHART_OK;
}
