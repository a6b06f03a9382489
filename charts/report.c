/*
 * report.c — the A4 report: blocks are recorded, then laid out page by
 * page.  Layout runs once to count pages and once per page drawn, so the
 * footer can say "第 2 页 / 共 N 页" and a single page can go to a PNG.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart-cairo.h"
#include "chart-internal.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define MARGIN_X 62.0
#define MARGIN_TOP 70.0
#define MARGIN_BOTTOM 66.0
#define TEXT_W (PAGE_W - 2 * MARGIN_X)
#define BODY_PT 10.5
#define SMALL_PT 8.5
#define HEAD_PT 14.0
#define UNIT 6.0 /* vertical grid: every space is a multiple of UNIT */

enum block_kind { B_COVER, B_HEADING, B_PARA, B_CARDS, B_TABLE, B_CHART,
                  B_BREAK };

struct card {
    char *label, *value, *change;
    enum sv_report_tone tone;
};

struct table {
    size_t ncols, nrows;
    char **header, **cells, *caption;
    enum sv_report_align *align;
    double *widths;
    unsigned char *highlight;
};

struct block {
    enum block_kind kind;
    char *text[3]; /* cover: org, period, date; heading/para: text[0] */
    struct card cards[4];
    size_t ncards;
    struct table *table;
    struct sv_chart *chart;
    double height;
};

struct sv_report {
    char *path, *title, *font;
    enum sv_chart_lang lang;
    struct block *blocks;
    size_t nblocks, cap;
    int npages;
};

/* Layout state of one pass; drawing happens only on page TARGET. */
struct lay {
    struct sv_report *r;
    cairo_t *cr;
    int page, target, npages, cover;
    double y;
    int rc;
    struct sv_error *err;
};

static const char *font_of(const struct sv_report *r)
{
    return r->font ? r->font : SV_CHART_DEFAULT_FONT;
}

static struct sv_text_style st(const struct sv_report *r, double size,
                               enum sv_text_weight wt, struct sv_rgb c)
{
    struct sv_text_style s = {font_of(r), size, wt, c.r, c.g, c.b};
    return s;
}

static char *dup_or_null(const char *s, int *fail)
{
    char *d;

    if (!s)
        return NULL;
    d = strdup(s);
    if (!d)
        *fail = 1;
    return d;
}

/* ---- building ------------------------------------------------------- */

struct sv_report *sv_report_new(const char *path, const char *title,
                                enum sv_chart_lang lang, struct sv_error *err)
{
    struct sv_report *r;
    int fail = 0;

    if (!path || sv_chart_format_from_path(path) != SV_FORMAT_PDF) {
        sv_error_set(err, SV_ERR_USAGE, NULL, 0, NULL,
                     "'%s': a report is written as PDF (expected .pdf)",
                     path ? path : "");
        return NULL;
    }
    r = calloc(1, sizeof *r);
    if (r) {
        r->path = dup_or_null(path, &fail);
        r->title = dup_or_null(title ? title : "", &fail);
        r->lang = lang;
    }
    if (!r || fail) {
        sv_report_free(r);
        sv_chart_fail(err, SV_CHART_ENOMEM, "out of memory");
        return NULL;
    }
    return r;
}

static void table_free(struct table *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; t->header && i < t->ncols; i++)
        free(t->header[i]);
    for (i = 0; t->cells && i < t->ncols * t->nrows; i++)
        free(t->cells[i]);
    free(t->header);
    free(t->cells);
    free(t->caption);
    free(t->align);
    free(t->widths);
    free(t->highlight);
    free(t);
}

static void block_release(struct block *b)
{
    size_t i;

    for (i = 0; i < 3; i++)
        free(b->text[i]);
    for (i = 0; i < b->ncards; i++) {
        free(b->cards[i].label);
        free(b->cards[i].value);
        free(b->cards[i].change);
    }
    table_free(b->table);
    sv_chart_free(b->chart);
}

void sv_report_free(struct sv_report *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->nblocks; i++)
        block_release(&r->blocks[i]);
    free(r->blocks);
    free(r->path);
    free(r->title);
    free(r->font);
    free(r);
}

int sv_report_set_font(struct sv_report *r, const char *families)
{
    int fail = 0;
    char *f = dup_or_null(families, &fail);

    if (fail)
        return SV_CHART_ENOMEM;
    free(r->font);
    r->font = f;
    return SV_CHART_OK;
}

/* Appends B (taking what it owns); releases B on failure. */
static int push(struct sv_report *r, struct block *b)
{
    if (r->nblocks == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        struct block *p = realloc(r->blocks, cap * sizeof *p);
        if (!p) {
            block_release(b);
            return SV_CHART_ENOMEM;
        }
        r->blocks = p;
        r->cap = cap;
    }
    r->blocks[r->nblocks++] = *b;
    r->npages = 0;
    return SV_CHART_OK;
}

static int push_text(struct sv_report *r, enum block_kind kind,
                     const char *t0, const char *t1, const char *t2)
{
    struct block b = {0};
    int fail = 0;

    b.kind = kind;
    b.text[0] = dup_or_null(t0, &fail);
    b.text[1] = dup_or_null(t1, &fail);
    b.text[2] = dup_or_null(t2, &fail);
    if (fail) {
        block_release(&b);
        return SV_CHART_ENOMEM;
    }
    return push(r, &b);
}

int sv_report_cover(struct sv_report *r, const char *org, const char *period,
                    const char *date)
{
    return push_text(r, B_COVER, org, period, date);
}

int sv_report_heading(struct sv_report *r, const char *text)
{
    return text ? push_text(r, B_HEADING, text, NULL, NULL) : SV_CHART_EINVAL;
}

int sv_report_paragraph(struct sv_report *r, const char *text)
{
    return text ? push_text(r, B_PARA, text, NULL, NULL) : SV_CHART_EINVAL;
}

int sv_report_page_break(struct sv_report *r)
{
    return push_text(r, B_BREAK, NULL, NULL, NULL);
}

int sv_report_cards(struct sv_report *r, const struct sv_report_card *cards,
                    size_t n)
{
    struct block b = {0};
    int fail = 0;
    size_t i;

    if (!cards || n == 0 || n > 4)
        return SV_CHART_EINVAL;
    b.kind = B_CARDS;
    b.ncards = n;
    for (i = 0; i < n; i++) {
        b.cards[i].label = dup_or_null(cards[i].label ? cards[i].label : "",
                                       &fail);
        b.cards[i].value = dup_or_null(cards[i].value ? cards[i].value : "",
                                       &fail);
        b.cards[i].change = dup_or_null(cards[i].change, &fail);
        b.cards[i].tone = cards[i].tone;
    }
    if (fail) {
        block_release(&b);
        return SV_CHART_ENOMEM;
    }
    return push(r, &b);
}

static struct table *table_copy(const struct sv_report_table *in)
{
    struct table *t = calloc(1, sizeof *t);
    size_t i, nc = in->ncols, nr = in->nrows;
    int fail = 0;

    if (!t)
        return NULL;
    t->ncols = nc;
    t->nrows = nr;
    t->header = calloc(nc, sizeof *t->header);
    t->cells = calloc(nc * nr + 1, sizeof *t->cells);
    t->align = calloc(nc, sizeof *t->align);
    t->widths = calloc(nc, sizeof *t->widths);
    t->highlight = calloc(nr + 1, 1);
    t->caption = dup_or_null(in->caption, &fail);
    if (!t->header || !t->cells || !t->align || !t->widths || !t->highlight)
        fail = 1;
    for (i = 0; !fail && i < nc; i++) {
        t->header[i] = dup_or_null(in->header && in->header[i] ? in->header[i]
                                                               : "",
                                   &fail);
        t->align[i] = in->align ? in->align[i]
                                : i == 0 ? SV_ALIGN_LEFT : SV_ALIGN_RIGHT;
        t->widths[i] = in->widths ? in->widths[i] : 0;
    }
    for (i = 0; !fail && i < nc * nr; i++)
        t->cells[i] = dup_or_null(in->cells && in->cells[i] ? in->cells[i]
                                                            : "",
                                  &fail);
    for (i = 0; !fail && i < nr; i++)
        t->highlight[i] = in->highlight ? in->highlight[i] != 0 : 0;
    if (fail) {
        table_free(t);
        return NULL;
    }
    return t;
}

int sv_report_table(struct sv_report *r, const struct sv_report_table *in)
{
    struct block b = {0};

    if (!in || in->ncols == 0 || in->ncols > 16 || (in->nrows && !in->cells))
        return SV_CHART_EINVAL;
    b.kind = B_TABLE;
    b.table = table_copy(in);
    if (!b.table)
        return SV_CHART_ENOMEM;
    return push(r, &b);
}

#define BODY_H (PAGE_H - MARGIN_TOP - MARGIN_BOTTOM)
#define CHART_FRAME 110.0 /* title, axis and legend around a bar chart's bars */

static int push_chart(struct sv_report *r, struct sv_chart *chart,
                      double height)
{
    struct block b = {0};

    b.kind = B_CHART;
    b.chart = chart;
    b.height = fmin(height, BODY_H);
    return push(r, &b);
}

/* Appends "（续）" to the title of a part after the first. */
static int continued(struct sv_chart *part, enum sv_chart_lang lang)
{
    char buf[1024];

    snprintf(buf, sizeof buf, "%s%s", part->title ? part->title : "",
             lang == SV_LANG_EN ? " (continued)" : "（续）");
    return sv_chart_set_title(part, buf);
}

/*
 * A bar chart taller than a page: its categories in display order, as
 * many to a page as fit at the height each was given, in several charts.
 */
static int take_in_parts(struct sv_report *r, struct sv_chart *c,
                         double height)
{
    size_t n = c->ncat, per_page, i, k;
    size_t *order = malloc(n * sizeof *order);
    double per = (height - CHART_FRAME) / (double)n;
    struct sv_chart *part;
    int rc = SV_CHART_OK;

    per_page = per > 0 ? (size_t)floor((BODY_H - CHART_FRAME) / per) : n;
    if (per_page < 1)
        per_page = 1;
    if (!order || sv_chart_order(c, order, n) != SV_CHART_OK)
        rc = SV_CHART_ENOMEM;
    for (i = 0; rc == SV_CHART_OK && i < n; i += per_page) {
        k = n - i < per_page ? n - i : per_page;
        part = sv_chart_slice(c, order + i, k);
        if (part && i > 0 && continued(part, r->lang) != SV_CHART_OK) {
            sv_chart_free(part);
            part = NULL;
        }
        rc = part ? push_chart(r, part, CHART_FRAME + per * (double)k)
                  : SV_CHART_ENOMEM;
    }
    free(order);
    sv_chart_free(c);
    return rc;
}

#define TREND_LINES 8 /* lines one trend chart shows; more go to parts */

/* A trend of many lines: TREND_LINES to a chart, in several charts. */
static int take_lines_in_parts(struct sv_report *r, struct sv_chart *c,
                               double height)
{
    struct sv_chart *part;
    size_t i, k;
    int rc = SV_CHART_OK;

    for (i = 0; rc == SV_CHART_OK && i < c->nser; i += TREND_LINES) {
        k = c->nser - i < TREND_LINES ? c->nser - i : TREND_LINES;
        part = sv_chart_slice_series(c, i, k);
        if (part && i > 0 && continued(part, r->lang) != SV_CHART_OK) {
            sv_chart_free(part);
            part = NULL;
        }
        rc = part ? push_chart(r, part, height) : SV_CHART_ENOMEM;
    }
    sv_chart_free(c);
    return rc;
}

int sv_report_chart_take(struct sv_report *r, struct sv_chart *chart,
                         double height)
{
    if (!chart || !(height >= 60)) {
        sv_chart_free(chart);
        return SV_CHART_EINVAL;
    }
    if (height > BODY_H && chart->kind == SV_CHART_BAR && chart->ncat > 1)
        return take_in_parts(r, chart, height);
    if (chart->kind == SV_CHART_TREND && chart->nser > TREND_LINES + 2)
        return take_lines_in_parts(r, chart, height);
    return push_chart(r, chart, height);
}

char *sv_report_format_change(char *buf, size_t cap, double delta,
                              int significant, enum sv_chart_lang lang)
{
    char num[32];
    int en = lang == SV_LANG_EN;
    const char *mark = "";

    sv_chart_format_num(num, sizeof num, delta, 1);
    if (significant == 1)
        mark = en ? " (significant)" : "（显著）";
    else if (significant == 0)
        mark = en ? " (not significant)" : "（不显著）";
    snprintf(buf, cap, "%s %s%s %s%s", en ? "vs previous" : "较上期",
             delta > 0 && num[0] != '-' && strcmp(num, "0.0") ? "+" : "",
             num, en ? "pp" : "百分点", mark);
    return buf;
}

/* ---- layout --------------------------------------------------------- */

static int visible(const struct lay *l)
{
    return l->page == l->target;
}

static double bottom(void)
{
    return PAGE_H - MARGIN_BOTTOM;
}

/* Running header and footer of a content page. */
static void page_furniture(struct lay *l)
{
    struct sv_text_style s = st(l->r, SMALL_PT, SV_TEXT_REGULAR,
                                sv_chart_ink_soft);
    char buf[96];
    double y = MARGIN_TOP - 2.5 * UNIT;

    sv_chart_text_draw(l->cr, &s, l->r->title, MARGIN_X, y, 0, 1, 0,
                       TEXT_W * 0.7);
    sv_chart_set_rgb(l->cr, sv_chart_grid);
    cairo_set_line_width(l->cr, 0.6);
    cairo_move_to(l->cr, MARGIN_X, y + UNIT * 0.5);
    cairo_line_to(l->cr, PAGE_W - MARGIN_X, y + UNIT * 0.5);
    cairo_stroke(l->cr);
    if (l->r->lang == SV_LANG_EN)
        snprintf(buf, sizeof buf, "Page %d of %d", l->page, l->npages);
    else
        snprintf(buf, sizeof buf, "第 %d 页 / 共 %d 页", l->page, l->npages);
    sv_chart_text_draw(l->cr, &s, buf, PAGE_W / 2,
                       PAGE_H - MARGIN_BOTTOM + 4 * UNIT, 0.5, 0, 0, 0);
}

static void new_page(struct lay *l)
{
    l->page++;
    l->y = MARGIN_TOP;
    l->cover = 0;
    if (visible(l) && l->npages > 0)
        page_furniture(l);
}

/* Makes sure H points fit below the cursor, else starts a new page. */
static void need(struct lay *l, double h)
{
    if (l->page == 0 || l->cover
        || (l->y + h > bottom() && l->y > MARGIN_TOP + 0.5))
        new_page(l);
}

static void lay_cover(struct lay *l, const struct block *b)
{
    struct sv_report *r = l->r;
    struct sv_text_style t = st(r, 26, SV_TEXT_BOLD, sv_chart_ink);
    struct sv_text_style s = st(r, 14, SV_TEXT_REGULAR, sv_chart_ink);
    struct sv_text_style d = st(r, BODY_PT, SV_TEXT_REGULAR,
                                sv_chart_ink_soft);
    double y = PAGE_H * 0.30;

    l->page++;
    l->cover = 1;
    if (!visible(l))
        return;
    sv_chart_set_rgb(l->cr, sv_chart_primary);
    cairo_rectangle(l->cr, 0, 0, PAGE_W, 14 * UNIT);
    cairo_fill(l->cr);
    cairo_rectangle(l->cr, MARGIN_X, y - 4 * UNIT, 8 * UNIT, UNIT * 0.8);
    cairo_fill(l->cr);
    y += sv_chart_text_draw(l->cr, &t, r->title, MARGIN_X, y, 0, 0, TEXT_W, 0);
    y += 3 * UNIT;
    if (b->text[0])
        y += sv_chart_text_draw(l->cr, &s, b->text[0], MARGIN_X, y, 0, 0,
                                TEXT_W, 0) + UNIT;
    if (b->text[1])
        sv_chart_text_draw(l->cr, &s, b->text[1], MARGIN_X, y, 0, 0, TEXT_W,
                           0);
    if (b->text[2])
        sv_chart_text_draw(l->cr, &d, b->text[2], MARGIN_X,
                           PAGE_H - MARGIN_BOTTOM, 0, 1, TEXT_W, 0);
}

static double cards_height(struct lay *l, const struct block *b);
static double table_head_height(struct lay *l, const struct table *t);

/* The least of block B that must follow a heading on the same page. */
static double first_part(struct lay *l, const struct block *b)
{
    struct sv_text_style s = st(l->r, BODY_PT, SV_TEXT_REGULAR, sv_chart_ink);
    double h;

    if (!b)
        return 0;
    switch (b->kind) {
    case B_PARA:
        sv_chart_text_size(l->cr, &s, b->text[0], TEXT_W, NULL, &h);
        return fmin(h, 3 * sv_chart_text_line(l->cr, &s));
    case B_CARDS:
        return cards_height(l, b);
    case B_TABLE:
        return table_head_height(l, b->table);
    case B_CHART:
        return b->height;
    default:
        return 0;
    }
}

/* A heading, kept on one page with the first part of NEXT. */
static void lay_heading(struct lay *l, const struct block *b,
                        const struct block *next)
{
    struct sv_text_style s = st(l->r, HEAD_PT, SV_TEXT_BOLD, sv_chart_ink);
    double h;

    sv_chart_text_size(l->cr, &s, b->text[0], TEXT_W, NULL, &h);
    need(l, 3 * UNIT + h + 2 * UNIT + first_part(l, next));
    if (l->y > MARGIN_TOP + 0.5)
        l->y += 3 * UNIT;
    if (visible(l)) {
        sv_chart_set_rgb(l->cr, sv_chart_primary);
        cairo_rectangle(l->cr, MARGIN_X, l->y + h * 0.2, 3, h * 0.6);
        cairo_fill(l->cr);
        sv_chart_text_draw(l->cr, &s, b->text[0], MARGIN_X + 2 * UNIT, l->y, 0,
                           0, TEXT_W - 2 * UNIT, 0);
    }
    l->y += h + 2 * UNIT;
}

/* Draws the first N bytes of TEXT at the cursor. */
static void draw_part(struct lay *l, const struct sv_text_style *s,
                      const char *text, size_t n)
{
    char *part = strndup(text, n);

    if (!part) {
        l->rc = SV_CHART_ENOMEM;
        return;
    }
    sv_chart_text_draw(l->cr, s, part, MARGIN_X, l->y, 0, 0, TEXT_W, 0);
    free(part);
}

/* A paragraph, continued on the next page where it does not fit. */
static void lay_para(struct lay *l, const struct block *b)
{
    struct sv_text_style s = st(l->r, BODY_PT, SV_TEXT_REGULAR, sv_chart_ink);
    const char *text = b->text[0];
    double h, line = sv_chart_text_line(l->cr, &s);
    size_t n;

    need(l, line);
    sv_chart_text_size(l->cr, &s, text, TEXT_W, NULL, &h);
    while (l->y + h > bottom() && l->rc == SV_CHART_OK) {
        n = sv_chart_text_fit(l->cr, &s, text, TEXT_W, bottom() - l->y, &h);
        if (n > 0 && n < strlen(text)) {
            if (visible(l))
                draw_part(l, &s, text, n);
            text += n;
        }
        new_page(l);
        sv_chart_text_size(l->cr, &s, text, TEXT_W, NULL, &h);
        if (n == 0 && l->y + h > bottom())
            break; /* not one line fits on an empty page */
    }
    if (visible(l))
        sv_chart_text_draw(l->cr, &s, text, MARGIN_X, l->y, 0, 0, TEXT_W, 0);
    l->y += h + 2 * UNIT;
}

static void draw_card(struct lay *l, const struct card *c, double x, double w,
                      double h)
{
    struct sv_rgb tone = c->tone == SV_TONE_GOOD  ? sv_chart_good
                         : c->tone == SV_TONE_BAD ? sv_chart_accent
                                                  : sv_chart_ink_soft;
    struct sv_text_style lab = st(l->r, SMALL_PT, SV_TEXT_REGULAR,
                                  sv_chart_ink_soft);
    struct sv_text_style val = st(l->r, 22, SV_TEXT_BOLD, sv_chart_ink);
    struct sv_text_style chg = st(l->r, SMALL_PT, SV_TEXT_REGULAR, tone);
    double pad = 2 * UNIT, y = l->y + pad;

    cairo_set_source_rgb(l->cr, 0.96, 0.97, 0.98);
    cairo_rectangle(l->cr, x, l->y, w, h);
    cairo_fill(l->cr);
    sv_chart_set_rgb(l->cr, c->tone == SV_TONE_NEUTRAL ? sv_chart_primary
                                                       : tone);
    cairo_rectangle(l->cr, x, l->y, 2.5, h);
    cairo_fill(l->cr);
    y += sv_chart_text_draw(l->cr, &lab, c->label, x + pad, y, 0, 0, 0,
                            w - 2 * pad);
    y += sv_chart_text_draw(l->cr, &val, c->value, x + pad, y, 0, 0, 0,
                            w - 2 * pad);
    if (c->change)
        sv_chart_text_draw(l->cr, &chg, c->change, x + pad, y, 0, 0,
                           w - 2 * pad, 0);
}

#define CARD_GAP (2 * UNIT)

static double card_width(const struct block *b)
{
    return (TEXT_W - CARD_GAP * (double)(b->ncards - 1)) / (double)b->ncards;
}

/* Height of the tallest card's content: label, value and wrapped change. */
static double cards_height(struct lay *l, const struct block *b)
{
    struct sv_text_style lab = st(l->r, SMALL_PT, SV_TEXT_REGULAR,
                                  sv_chart_ink_soft);
    struct sv_text_style val = st(l->r, 22, SV_TEXT_BOLD, sv_chart_ink);
    double pad = 2 * UNIT, w = card_width(b), h = 13 * UNIT, ch;
    double fixed = 2 * pad + sv_chart_text_line(l->cr, &lab)
                   + sv_chart_text_line(l->cr, &val);
    size_t i;

    for (i = 0; i < b->ncards; i++) {
        ch = 0;
        if (b->cards[i].change)
            sv_chart_text_size(l->cr, &lab, b->cards[i].change, w - 2 * pad,
                               NULL, &ch);
        h = fmax(h, fixed + ch);
    }
    return ceil(h / UNIT) * UNIT;
}

static void lay_cards(struct lay *l, const struct block *b)
{
    double w = card_width(b), h = cards_height(l, b);
    size_t i;

    need(l, h);
    if (visible(l))
        for (i = 0; i < b->ncards; i++)
            draw_card(l, &b->cards[i], MARGIN_X + (double)i * (w + CARD_GAP),
                      w, h);
    l->y += h + 3 * UNIT;
}

static void lay_chart(struct lay *l, struct block *b)
{
    need(l, b->height);
    if (visible(l) && l->rc == SV_CHART_OK) {
        if (l->r->font && !b->chart->font)
            sv_chart_set_font(b->chart, l->r->font);
        l->rc = sv_chart_draw(b->chart, l->cr, MARGIN_X, l->y, TEXT_W,
                              b->height, l->err);
    }
    l->y += b->height + 3 * UNIT;
}

#define TABLE_PT 9.5
#define ROW_H (4 * UNIT)

/*
 * Content too wide for the page: caps the widest columns at the level C
 * where the widths add up to the text width, so that narrow number
 * columns keep their size and only long texts are shortened.  Returns
 * the new sum.
 */
static double cap_widths(double *w, size_t n)
{
    double lo = 0, hi = 0, sum = 0;
    size_t j;

    for (j = 0; j < n; j++)
        hi = fmax(hi, w[j]);
    for (int it = 0; it < 50; it++) {
        double c = (lo + hi) / 2, s = 0;
        for (j = 0; j < n; j++)
            s += fmin(w[j], c);
        if (s > TEXT_W)
            hi = c;
        else
            lo = c;
    }
    for (j = 0; j < n; j++)
        sum += (w[j] = fmin(w[j], lo));
    return sum;
}

/* Column widths from the caller's weights or from the content. */
static void table_widths(struct lay *l, const struct table *t, double *w)
{
    struct sv_text_style hs = st(l->r, TABLE_PT, SV_TEXT_BOLD, sv_chart_ink);
    struct sv_text_style cs = st(l->r, TABLE_PT, SV_TEXT_REGULAR,
                                 sv_chart_ink);
    double sum = 0, cw;
    size_t i, j;

    for (j = 0; j < t->ncols; j++) {
        w[j] = t->widths[j] > 0 ? t->widths[j] : 0;
        if (w[j] > 0)
            continue;
        sv_chart_text_size(l->cr, &hs, t->header[j], 0, &w[j], NULL);
        for (i = 0; i < t->nrows; i++) {
            /* Highlighted rows are drawn bold: measure them so. */
            sv_chart_text_size(l->cr, t->highlight[i] ? &hs : &cs,
                               t->cells[i * t->ncols + j], 0, &cw, NULL);
            w[j] = fmax(w[j], cw);
        }
        w[j] += 3 * UNIT;
    }
    for (j = 0; j < t->ncols; j++)
        sum += w[j];
    if (sum > TEXT_W && t->widths[0] <= 0)
        sum = cap_widths(w, t->ncols);
    for (j = 0; j < t->ncols; j++)
        w[j] = sum > 0 ? w[j] / sum * TEXT_W : TEXT_W / (double)t->ncols;
}

/* One row at the cursor: background, then each cell aligned. */
static void table_row(struct lay *l, const struct table *t, const double *w,
                      char *const *cells, int header, int zebra, int hl)
{
    struct sv_rgb ink = hl ? sv_chart_accent : sv_chart_ink;
    struct sv_text_style s = st(l->r, TABLE_PT,
                                header || hl ? SV_TEXT_BOLD : SV_TEXT_REGULAR,
                                ink);
    double x = MARGIN_X, pad = 1.5 * UNIT;
    size_t j;

    if (header || zebra || hl) {
        if (hl)
            cairo_set_source_rgb(l->cr, 0.99, 0.93, 0.90);
        else if (header)
            cairo_set_source_rgb(l->cr, 0.91, 0.94, 0.97);
        else
            cairo_set_source_rgb(l->cr, 0.965, 0.97, 0.975);
        cairo_rectangle(l->cr, MARGIN_X, l->y, TEXT_W, ROW_H);
        cairo_fill(l->cr);
    }
    for (j = 0; j < t->ncols; j++) {
        double xa = t->align[j] == SV_ALIGN_RIGHT    ? 1
                    : t->align[j] == SV_ALIGN_CENTER ? 0.5
                                                     : 0;
        double tx = x + pad + xa * (w[j] - 2 * pad);
        sv_chart_text_draw(l->cr, &s, cells[j], tx, l->y + ROW_H / 2, xa, 0.5,
                           0, w[j] - 2 * pad);
        x += w[j];
    }
    if (header) {
        sv_chart_set_rgb(l->cr, sv_chart_ink);
        cairo_set_line_width(l->cr, 0.8);
        cairo_move_to(l->cr, MARGIN_X, l->y + ROW_H);
        cairo_line_to(l->cr, MARGIN_X + TEXT_W, l->y + ROW_H);
        cairo_stroke(l->cr);
    }
}

/* Caption, header and two rows: what stays together. */
static double table_head_height(struct lay *l, const struct table *t)
{
    struct sv_text_style cap = st(l->r, TABLE_PT, SV_TEXT_BOLD, sv_chart_ink);
    double ch = 0;

    if (t->caption)
        sv_chart_text_size(l->cr, &cap, t->caption, TEXT_W, NULL, &ch);
    return ch + UNIT + ROW_H * (t->nrows < 2 ? 1 + (double)t->nrows : 3);
}

static void lay_table(struct lay *l, const struct block *b)
{
    const struct table *t = b->table;
    struct sv_text_style cap = st(l->r, TABLE_PT, SV_TEXT_BOLD, sv_chart_ink);
    double w[16], ch = 0;
    size_t i;

    table_widths(l, t, w);
    if (t->caption)
        sv_chart_text_size(l->cr, &cap, t->caption, TEXT_W, NULL, &ch);
    need(l, table_head_height(l, t));
    if (t->caption && visible(l))
        sv_chart_text_draw(l->cr, &cap, t->caption, MARGIN_X, l->y, 0, 0,
                           TEXT_W, 0);
    l->y += t->caption ? ch + UNIT : 0;
    if (visible(l))
        table_row(l, t, w, t->header, 1, 0, 0);
    l->y += ROW_H;
    for (i = 0; i < t->nrows; i++) {
        if (l->y + ROW_H > bottom()) {
            new_page(l);
            if (visible(l))
                table_row(l, t, w, t->header, 1, 0, 0);
            l->y += ROW_H;
        }
        if (visible(l))
            table_row(l, t, w, t->cells + i * t->ncols, 0, (int)(i % 2),
                      t->highlight[i]);
        l->y += ROW_H;
    }
    if (visible(l)) {
        sv_chart_set_rgb(l->cr, sv_chart_ink);
        cairo_set_line_width(l->cr, 0.8);
        cairo_move_to(l->cr, MARGIN_X, l->y);
        cairo_line_to(l->cr, MARGIN_X + TEXT_W, l->y);
        cairo_stroke(l->cr);
    }
    l->y += 3 * UNIT;
}

/* Runs the layout; draws page L->TARGET (0 = none). */
static int run_layout(struct lay *l)
{
    size_t i;

    for (i = 0; i < l->r->nblocks && l->rc == SV_CHART_OK; i++) {
        struct block *b = &l->r->blocks[i];
        switch (b->kind) {
        case B_COVER:
            lay_cover(l, b);
            break;
        case B_HEADING:
            lay_heading(l, b, i + 1 < l->r->nblocks ? b + 1 : NULL);
            break;
        case B_PARA:
            lay_para(l, b);
            break;
        case B_CARDS:
            lay_cards(l, b);
            break;
        case B_TABLE:
            lay_table(l, b);
            break;
        case B_CHART:
            lay_chart(l, b);
            break;
        case B_BREAK:
            if (l->page > 0 && !l->cover && l->y > MARGIN_TOP + 0.5)
                new_page(l);
            break;
        }
    }
    if (l->page == 0)
        new_page(l);
    return l->rc;
}

int sv_report_page_count(struct sv_report *r, struct sv_error *err)
{
    cairo_surface_t *s;
    struct lay l = {0};

    if (r->npages > 0)
        return r->npages;
    s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 4, 4);
    l.r = r;
    l.cr = cairo_create(s);
    l.err = err;
    run_layout(&l);
    if (cairo_status(l.cr) != CAIRO_STATUS_SUCCESS) {
        sv_chart_fail(err, SV_CHART_ECAIRO, "layout failed: %s",
                      cairo_status_to_string(cairo_status(l.cr)));
        l.page = -1;
    }
    cairo_destroy(l.cr);
    cairo_surface_destroy(s);
    r->npages = l.page;
    return l.page;
}

struct page_ctx {
    struct sv_report *r;
    int first; /* 1-based page drawn as output page 0 */
};

static int draw_page(void *ctx, cairo_t *cr, int page, double w, double h,
                     struct sv_error *err)
{
    struct page_ctx *pc = ctx;
    struct lay l = {0};

    (void)w;
    (void)h;
    l.r = pc->r;
    l.cr = cr;
    l.target = pc->first + page;
    l.npages = pc->r->npages;
    l.err = err;
    return run_layout(&l);
}

int sv_report_write_page(struct sv_report *r, int page, const char *path,
                         struct sv_error *err)
{
    int n = sv_report_page_count(r, err);
    struct page_ctx pc = {r, page};

    if (n < 0)
        return SV_CHART_ECAIRO;
    if (page < 1 || page > n)
        return sv_chart_fail(err, SV_CHART_EINVAL,
                             "page %d out of range (report has %d)", page, n);
    return sv_chart_output(path, SV_FORMAT_AUTO, r->title, PAGE_W, PAGE_H, 1,
                           draw_page, &pc, err);
}

int sv_report_finish(struct sv_report *r, struct sv_error *err)
{
    int n = sv_report_page_count(r, err);
    struct page_ctx pc = {r, 1};

    if (n < 0)
        return SV_CHART_ECAIRO;
    return sv_chart_output(r->path, SV_FORMAT_PDF, r->title, PAGE_W, PAGE_H, n,
                           draw_page, &pc, err);
}
