/*
 * survey-chart — histogram, pie, bar and trend charts (PNG, PDF, SVG) from
 * the other tools' outputs, and the multi-page PDF report (--report).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "chart.h"
#include "cli.h"
#include "tables.h"

enum { OPT_TYPE = 256, OPT_ITEM, OPT_SCALE, OPT_BY, OPT_SITE, OPT_PERIOD_KEY,
       OPT_METRIC, OPT_TARGET, OPT_TITLE, OPT_LANG, OPT_WIDTH, OPT_HEIGHT,
       OPT_FONT, OPT_DESCRIBE, OPT_REPORT, OPT_COMPLAINTS, OPT_HOUSEHOLDS,
       OPT_COMPANY, OPT_OFFICE, OPT_DATE, OPT_PAGES, OPT_P_ADJUST };

static const struct cli_opt opts[] = {
    {OPT_TYPE, "type", "T",
     "hist, pie (survey-score --freq; pie also complaint\n"
     "categories), bar, trend, quadrant (--drivers)"},
    {OPT_ITEM, "item", "NAME",
     "one item or (all) (default: every item; pie (all))"},
    {OPT_SCALE, "scale", "NAME",
     "hist, pie of (all): the items on this scale"},
    {OPT_BY, "by", "site", "bar, trend: one bar / line per site"},
    {OPT_SITE, "site", "NAME",
     "rows of this site only; report: that office's own"},
    {OPT_PERIOD_KEY, "period-key", "KEY",
     "rows of this period only (default: the latest);\n"
     "report: 2026Q4, 2026H2, 2026 (yearly) or 2026-07"},
    {OPT_METRIC, "metric", "M", "sat_pct (default) or nps"},
    {OPT_TARGET, "target", "PCT",
     "target line (default {target} for sat_pct)"},
    {OPT_TITLE, "title", "TEXT", "replace the title"},
    {OPT_LANG, "lang", "L", "zh (default) or en: the fixed texts"},
    {OPT_WIDTH, "width", "W",
     "points, or a4, a4-landscape, slide, small"},
    {OPT_HEIGHT, "height", "H", "points"},
    {OPT_FONT, "font", "FAMILIES", "font families (default Noto Sans CJK SC)"},
    {OPT_DESCRIBE, "describe", NULL, "print the chart model as text"},
    {'o', "output", "FILE", "write the chart or report (atomically)"},
    {OPT_REPORT, "report", NULL,
     "the report (also `report`) from streams or cubes"},
    {OPT_COMPLAINTS, "complaints", "FILE", "report: the imported register"},
    {OPT_HOUSEHOLDS, "households", "FILE", "report: site,households CSV"},
    {OPT_COMPANY, "company", "NAME", "report cover: company"},
    {OPT_OFFICE, "office", "NAME", "report cover: office"},
    {OPT_DATE, "date", "TEXT", "report cover: date"},
    {OPT_PAGES, "pages", "PREFIX", "also render each page to PREFIX-N.png"},
    {OPT_P_ADJUST, "p-adjust", "M", "report: holm (default), bh or none"},
    CLI_OPTS_END};

static const struct cli_tool tool = {
    "Usage: survey-chart --type TYPE -o FILE [OPTION]... [FILE]\n"
    "  or:  survey-chart --report -o REPORT.pdf [OPTION]... [STREAM]...\n"
    "Charts from survey-score / survey-nps / survey-complaints output (CSV,\n"
    "stdin without FILE or -); the format follows -o: .png, .pdf or .svg.\n",
    opts,
    "survey-score --freq --by period s.csv | survey-chart --type hist -o h.png\n"
    "survey-chart --report -o report.pdf --households hh.csv s1.csv s2.csv"};

struct options {
    int type; /* enum sv_chart_kind, or -1 */
    int report, describe, p_adjust;
    struct sv_chart_select sel;
    struct sv_analysis_options an;
    const char *title, *font, *output, *pages;
    double width, height;
};

struct preset {
    const char *name;
    double w, h;
};

static const struct preset presets[] = {
    {"a4", 595.28, 841.89}, {"a4-landscape", 841.89, 595.28},
    {"slide", 960, 540},    {"small", 480, 300},
};

static int parse_type(const char *s, int *out)
{
    static const char *const names[] = {"hist", "pie", "bar", "trend",
                                        "quadrant"};

    for (int i = 0; i < 5; i++)
        if (!strcmp(s, names[i])) {
            *out = i;
            return 0;
        }
    return cli_usage("invalid --type '%s' (expected hist, pie, bar, trend or "
                     "quadrant)", s);
}

/* --width N or a preset name (which sets the height too). */
static int parse_width(const char *s, struct options *o)
{
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (!strcmp(s, presets[i].name)) {
            o->width = presets[i].w;
            if (isnan(o->height))
                o->height = presets[i].h;
            return 0;
        }
    if (sv_parse_double(s, &o->width) != SV_OK || o->width < 100
        || o->width > 5000)
        return cli_usage("invalid --width '%s' (expected 100-5000 points or "
                         "a4, a4-landscape, slide, small)", s);
    return 0;
}

static int parse_number(const char *opt, const char *s, double lo, double hi,
                        double *out)
{
    if (sv_parse_double(s, out) != SV_OK || *out < lo || *out > hi)
        return cli_usage("invalid --%s '%s' (expected %g-%g)", opt, s, lo, hi);
    return 0;
}

static int parse_choice(int c, const char *arg, struct options *o)
{
    switch (c) {
    case OPT_BY:
        if (strcmp(arg, "site"))
            return cli_usage("invalid --by '%s' (expected site)", arg);
        o->sel.by_site = 1;
        return 0;
    case OPT_METRIC:
        if (strcmp(arg, "sat_pct") && strcmp(arg, "nps"))
            return cli_usage("invalid --metric '%s' (expected sat_pct or "
                             "nps)", arg);
        o->sel.metric = arg;
        return 0;
    case OPT_LANG:
        if (strcmp(arg, "zh") && strcmp(arg, "en"))
            return cli_usage("invalid --lang '%s' (expected zh or en)", arg);
        o->sel.lang = o->an.lang = !strcmp(arg, "en") ? SV_LANG_EN
                                                      : SV_LANG_ZH;
        return 0;
    default:
        return -1;
    }
}

static int parse_option(void *ctx, int c, const char *arg)
{
    struct options *o = ctx;

    switch (c) {
    case OPT_TYPE: return parse_type(arg, &o->type);
    case OPT_ITEM: o->sel.item = arg; return 0;
    case OPT_SCALE: o->sel.scale = arg; return 0;
    case OPT_SITE: o->sel.site = o->an.site = arg; return 0;
    case OPT_P_ADJUST:
        if (sv_p_adjust_parse(arg, &o->an.p_adjust) != SV_OK)
            return cli_usage("invalid --p-adjust '%s' (expected holm, bh or "
                             "none)", arg);
        o->p_adjust = 1;
        return 0;
    case OPT_PERIOD_KEY: o->sel.period = o->an.period = arg; return 0;
    case OPT_TARGET:
        if (parse_number("target", arg, 0, 100, &o->sel.target))
            return CLI_USAGE;
        o->an.target = o->sel.target;
        return 0;
    case OPT_TITLE: o->title = arg; return 0;
    case OPT_WIDTH: return parse_width(arg, o);
    case OPT_HEIGHT: return parse_number("height", arg, 100, 5000, &o->height);
    case OPT_FONT: o->font = o->an.font = arg; return 0;
    case OPT_DESCRIBE: o->describe = 1; return 0;
    case OPT_REPORT: o->report = 1; return 0;
    case OPT_COMPLAINTS:
    case OPT_HOUSEHOLDS:
        *(c == OPT_COMPLAINTS ? &o->an.complaints : &o->an.households) = arg;
        cli_note_input(arg);
        return 0;
    case OPT_COMPANY: o->an.company = arg; return 0;
    case OPT_OFFICE: o->an.office = arg; return 0;
    case OPT_DATE: o->an.date = arg; return 0;
    case OPT_PAGES: o->pages = arg; return 0;
    case 'o': o->output = arg; return 0;
    default: return parse_choice(c, arg, o);
    }
}

/* Checks that the options fit together. */
static int check_options(struct options *o, int nfiles)
{
    if (o->report) {
        if (o->type >= 0 || o->describe)
            return cli_usage("--report takes no --type or --describe");
        if (!o->output || sv_chart_format_from_path(o->output)
                              != SV_FORMAT_PDF)
            return cli_usage("--report needs -o FILE.pdf");
        return 0; /* no STREAM, or -: the report reads stdin */
    }
    if (o->p_adjust)
        return cli_usage("--p-adjust is for --report");
    if (o->type < 0)
        return cli_usage("--type is required (hist, pie, bar, trend or "
                         "quadrant)");
    if (!o->output && !o->describe)
        return cli_usage("-o FILE (.png, .pdf or .svg) or --describe is "
                         "required");
    if (o->output && sv_chart_format_from_path(o->output) == SV_FORMAT_AUTO)
        return cli_usage("cannot tell the format of '%s' (use .png, .pdf or "
                         ".svg)", o->output);
    if (nfiles > 1)
        return cli_usage("one input file at most for a chart");
    if (o->sel.by_site && (o->type == SV_CHART_HIST || o->type == SV_CHART_PIE))
        return cli_usage("--by site is for bar and trend charts");
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int st;

    o->type = -1;
    o->width = o->height = NAN;
    sv_chart_select_init(&o->sel);
    sv_analysis_options_init(&o->an);
    if (argc > 1 && !strcmp(argv[1], "report")) {
        o->report = 1;
        argv[1] = argv[0];
        argv++;
        argc--;
    }
    if ((st = cli_parse(argc, argv, &tool, parse_option, o)))
        return st;
    o->an.streams = (const char *const *)argv + optind;
    o->an.nstreams = (size_t)(argc - optind);
    if ((st = cli_outputs_distinct((const char *const[]){o->output},
                                   (const char *const[]){"-o"}, 1,
                                   argv + optind, argc - optind)))
        return st;
    /* '' wrote -1.png, -2.png ... into the working folder */
    if (o->pages && !*o->pages)
        return cli_usage("empty file name for --pages");
    return check_options(o, argc - optind);
}

/* Default size of a chart: bars grow with their number. */
static void default_size(const struct options *o, const struct sv_chart *ch,
                         double *w, double *h)
{
    size_t n = sv_chart_categories(ch);

    *w = isnan(o->width) ? 640 : o->width;
    *h = o->height;
    if (!isnan(*h))
        return;
    if (o->type == SV_CHART_BAR)
        *h = fmax(300, 140 + 30.0 * (double)n);
    else if (o->type == SV_CHART_HIST && sv_chart_series(ch) > 1)
        *h = 480;
    else if (o->type == SV_CHART_QUADRANT)
        *h = 480;
    else
        *h = 400;
}

/* True when SEL->item is a multi-select item of the cube T. */
static int multi_item(const struct sv_table *t,
                      const struct sv_chart_select *sel)
{
    const char *items[64];
    size_t n = sel->item ? sv_chart_multi_items(t, sel, items, 64) : 0;

    for (size_t i = 0; i < n; i++)
        if (!strcmp(items[i], sel->item))
            return 1;
    return 0;
}

static struct sv_chart *build(const struct options *o,
                              const struct sv_table *t, const char *name,
                              struct sv_error *err)
{
    struct sv_chart_select sel = o->sel;

    if (!sel.period && o->type != SV_CHART_TREND)
        sel.period = sv_chart_latest_period(t);
    if (isnan(sel.target) && strcmp(sel.metric, "nps")
        && (o->type == SV_CHART_BAR || o->type == SV_CHART_TREND))
        sel.target = SV_TARGET_DEFAULT;
    if (multi_item(t, &sel)) {
        if (o->type == SV_CHART_BAR)
            return sv_chart_bar_from_multi(t, name, &sel, err);
        sv_error_set(err, SV_ERR_DATA, name, 0, NULL, "'%s' is a "
                     "multi-select item: its options are charted with "
                     "--type bar", sel.item);
        return NULL;
    }
    switch (o->type) {
    case SV_CHART_HIST: return sv_chart_hist_from_freq(t, name, &sel, err);
    case SV_CHART_PIE: return sv_chart_pie_from_table(t, name, &sel, err);
    case SV_CHART_BAR: return sv_chart_bar_from_metrics(t, name, &sel, err);
    case SV_CHART_QUADRANT:
        return sv_chart_quadrant_from_drivers(t, name, &sel, err);
    default: return sv_chart_trend_from_metrics(t, name, &sel, err);
    }
}

static int render(const struct options *o, struct sv_chart *ch)
{
    struct sv_error err = {0};
    double w, h;
    int rc = 0;

    if (o->title && sv_chart_set_title(ch, o->title) != SV_CHART_OK)
        return cli_msg("out of memory"), 1;
    if (o->font && sv_chart_set_font(ch, o->font) != SV_CHART_OK)
        return cli_msg("out of memory"), 1;
    if (o->describe && sv_chart_describe(ch, stdout) != SV_CHART_OK)
        return cli_msg("write error on standard output"), 1;
    default_size(o, ch, &w, &h);
    if (o->output && (rc = sv_chart_write(ch, o->output, SV_FORMAT_AUTO, w, h,
                                          &err)) != SV_CHART_OK)
        return cli_error(&err);
    return 0;
}

static int chart_main(const struct options *o)
{
    const char *path = o->an.nstreams ? o->an.streams[0] : "-";
    struct sv_error err = {0};
    struct sv_table *t = sv_chart_table_read(path, &err);
    struct sv_chart *ch = NULL;
    int status;

    if (!t)
        return cli_error(&err);
    if (!(ch = build(o, t, strcmp(path, "-") ? path : "<stdin>", &err)))
        status = cli_error(&err);
    else
        status = render(o, ch);
    sv_chart_free(ch);
    sv_table_free(t);
    return status;
}

/* The cover date: --date, else SOURCE_DATE_EPOCH, else today (UTC). */
static const char *cover_date(const struct options *o, char *buf, size_t cap)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    long secs;
    time_t t;
    struct tm tm;

    if (o->an.date)
        return o->an.date;
    if (sde && sv_parse_long(sde, 0, 253402300799L, &secs) == SV_OK)
        t = (time_t)secs;
    else
        t = time(NULL);
    if (!gmtime_r(&t, &tm))
        return NULL;
    if (o->an.lang == SV_LANG_EN)
        snprintf(buf, cap, "%04d-%02d-%02d", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday);
    else
        snprintf(buf, cap, "%d 年 %d 月 %d 日", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

/*
 * Copies stdin once into an unlinked temporary file and stores its
 * /dev/fd path in BUF: the report reads its inputs more than once (figures,
 * then comments), and nothing is left behind however the tool ends.
 * Returns the descriptor, or -1 after a message.
 */
static int spool_stdin(char *buf, size_t cap)
{
    const char *dir = getenv("TMPDIR");
    char path[4096], block[65536];
    ssize_t got;
    int fd;

    snprintf(path, sizeof path, "%s/survey-chart-stdin.XXXXXX",
             dir && *dir ? dir : "/tmp");
    if ((fd = mkstemp(path)) < 0) {
        cli_msg("%s: cannot create: %s", path, strerror(errno));
        return -1;
    }
    unlink(path);
    while ((got = read(STDIN_FILENO, block, sizeof block)) != 0) {
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 || write(fd, block, (size_t)got) != got) {
            cli_msg("<stdin>: cannot copy to a temporary file: %s",
                    strerror(errno));
            close(fd);
            return -1;
        }
    }
    snprintf(buf, cap, "/dev/fd/%d", fd);
    return fd;
}

/*
 * The report's inputs with stdin (no STREAM, or each "-") replaced by one
 * spool of it.  Returns the array (caller frees) or NULL after a message.
 */
static const char **report_inputs(struct options *o, char *spool, size_t cap,
                                  int *fd)
{
    size_t n = o->an.nstreams ? o->an.nstreams : 1, i;
    const char **in = calloc(n, sizeof *in);

    *fd = -1;
    if (!in) {
        cli_msg("out of memory");
        return NULL;
    }
    for (i = 0; i < n; i++) {
        in[i] = o->an.nstreams ? o->an.streams[i] : "-";
        if (strcmp(in[i], "-"))
            continue;
        if (*fd < 0 && (*fd = spool_stdin(spool, cap)) < 0) {
            free(in);
            return NULL;
        }
        in[i] = spool;
    }
    return in;
}

static int report_main(struct options *o)
{
    struct sv_error err = {0};
    char date[64], spool[64];
    int pages = 0, fd, status = 0;
    const char **in;

    o->an.date = cover_date(o, date, sizeof date);
    if (o->an.period && !sv_period_ordinal(o->an.period, &(long){0})) {
        cli_msg("invalid --period-key '%s' (expected a period key such as "
                "2026Q4, 2026H2, 2026 or 2026-07)", o->an.period);
        return CLI_USAGE;
    }
    if (!(in = report_inputs(o, spool, sizeof spool, &fd)))
        return 1;
    o->an.streams = in;
    o->an.nstreams = o->an.nstreams ? o->an.nstreams : 1;
    if (sv_analysis_report(&o->an, o->output, o->pages, &pages, &err)
        != SV_OK) {
        if (fd >= 0 && !strcmp(err.file, spool)) /* name it as the user did */
            snprintf(err.file, sizeof err.file, "<stdin>");
        status = cli_error(&err);
    }
    free(in);
    if (fd >= 0)
        close(fd);
    return status;
}

int main(int argc, char **argv)
{
    struct options o;
    int status;

    memset(&o, 0, sizeof o);
    cli_init(argv[0]);
    if ((status = parse_options(argc, argv, &o)))
        return status;
    status = o.report ? report_main(&o) : chart_main(&o);
    sv_chart_cleanup();
    return cli_finish(status);
}
