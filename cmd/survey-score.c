/*
 * survey-score — per-dimension satisfaction metrics, frequency cubes,
 * change, trend and site comparison, from streams, cubes or raw files.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_FREQ = 256, OPT_SITES, OPT_TARGET, OPT_HOUSEHOLDS, OPT_P_ADJUST,
       OPT_DRIVERS, OPT_POOL };

static const struct cli_opt opts[] = {
    CLI_OPTS_KEYS,
    {OPT_FREQ, "freq", NULL, "print the frequency cube instead of metrics"},
    {CLI_OPT_COMPARE, "compare", NULL,
     "change since the previous period (z test,\n"
     "Newcombe interval; significant: adjusted p < {alpha})"},
    {OPT_P_ADJUST, "p-adjust", "M",
     "holm (default), bh or none: adjust the change\n"
     "p-values over a group's dimension items"},
    {CLI_OPT_TREND, "trend", NULL, "OLS trend per item over the periods"},
    {OPT_DRIVERS, "drivers", NULL,
     "importance of each item, quadrant (四分图) and\n"
     "Cronbach's alpha instead of the metrics"},
    {OPT_SITES, "sites", NULL, "chi-square test across sites per item"},
    {OPT_TARGET, "target", "PCT",
     "weak below this satisfaction rate (default {target})"},
    {OPT_HOUSEHOLDS, "households", "FILE",
     "site,households CSV: coverage columns"},
    {OPT_POOL, "pool", "M",
     "respondents (default), sites or households: how\n"
     "a group spanning offices weighs them (n_eff)"},
    {'c', "codebook", "FILE",
     "inputs are raw questionnaires for this codebook"},
    {'j', "jobs", "N", "read each raw file (not stdin) with N threads"},
    CLI_OPTS_INPUT,
    CLI_OPTS_TABLE_OUTPUT,
    CLI_OPTS_END};

static const struct cli_tool tool = {
    "Usage: survey-score [OPTION]... [FILE]...\n"
    "Satisfaction per group x item from normalised streams, cubes (--freq\n"
    "output, merged by addition) or raw files (-c); stdin without FILE or -.\n",
    opts,
    "survey-import -c codebook.csv q3.csv | survey-score --by site "
    "--period quarter --compare"};

struct options {
    struct cli_table_opts t;
    struct cli_inputs in;
    struct sv_score_options score;
    const char *households;
    int freq, drivers;
};


static int parse_jobs(struct options *o, const char *arg)
{
    long n;

    if (sv_parse_long(arg, 1, 64, &n) != SV_OK)
        return cli_usage("invalid --jobs '%s' (expected 1-64)", arg);
    o->in.jobs = (int)n;
    return 0;
}

static int own_option(void *ctx, int c, const char *arg)
{
    struct options *o = ctx;

    switch (c) {
    case OPT_FREQ: o->freq = 1; return 0;
    case OPT_DRIVERS: o->drivers = 1; return 0;
    case OPT_SITES: o->score.sites = 1; return 0;
    case OPT_TARGET:
        if (sv_parse_double(arg, &o->score.target) != SV_OK ||
            o->score.target < 0 || o->score.target > 100)
            return cli_usage("invalid --target '%s' (expected 0-100)", arg);
        return 0;
    case OPT_HOUSEHOLDS:
        o->households = arg;
        cli_note_input(arg);
        return 0;
    case OPT_POOL:
        if (sv_pooling_parse(arg, &o->score.pooling) != SV_OK)
            return cli_usage("invalid --pool '%s' (expected respondents, "
                             "sites or households)", arg);
        o->score.pool_column = 1;
        return 0;
    case OPT_P_ADJUST:
        if (sv_p_adjust_parse(arg, &o->score.p_adjust) != SV_OK)
            return cli_usage("invalid --p-adjust '%s' (expected holm, bh or "
                             "none)", arg);
        return 0;
    case 'j': return parse_jobs(o, arg);
    default: return cli_inputs_option(&o->in, c, arg);
    }
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int st;

    sv_score_options_init(&o->score);
    st = cli_table_parse(argc, argv, &tool, &o->t, own_option, o);
    o->score.compare = o->t.compare;
    if (!st && o->t.trend && (o->t.compare || o->score.sites || o->freq))
        return cli_usage("--trend prints its own table; use it alone");
    if (!st && o->drivers && (o->t.trend || o->t.compare || o->score.sites ||
                              o->freq || o->households))
        return cli_usage("--drivers prints its own table; use it alone");
    if (!st && o->score.pool_column && (o->freq || o->drivers))
        return cli_usage("--pool weighs the metrics and the trend; not with "
                         "--freq or --drivers");
    if (!st && o->score.pooling == SV_POOL_HOUSEHOLDS && !o->households)
        return cli_usage("--pool households needs --households FILE");
    return st;
}

/*
 * The keys to count the cube by: the requested ones, then the site when
 * sites are pooled inside groups without a site key; quarters when the
 * coverage of a half or a year is the mean over its quarters.  The output
 * keeps the requested keys (O->score.nkeys, O->score.period).
 */
static void fine_keys(struct options *o, struct cli_keys *fine)
{
    const struct cli_keys *k = &o->t.keys;
    int site = cli_keys_has(k, "site");

    *fine = *k;
    fine->owned = NULL;
    if (o->freq || o->drivers)
        return;
    o->score.nkeys = k->ndims;
    o->score.trend = o->t.trend;
    if (o->score.pooling != SV_POOL_RESPONDENTS && !site &&
        fine->ndims < sizeof fine->dims / sizeof fine->dims[0]) {
        fine->dims[fine->ndims++] = "site";
        cli_hint_reason(SV_HINT_NO_SITE_KEY, o->score.pooling == SV_POOL_SITES
                               ? ": --pool sites weighs offices, so it needs "
                                 "the site key (count the cube by site too)"
                               : ": --pool households weighs offices, so it "
                                 "needs the site key (count the cube by site "
                                 "too)");
    }
    if (o->households && site && !o->t.trend &&
        (k->period == SV_PERIOD_HALF || k->period == SV_PERIOD_YEAR)) {
        o->score.period = k->period;
        fine->period = SV_PERIOD_QUARTER;
        cli_hint_reason(SV_HINT_PERIOD_COARSE,
                        ": with --households, coverage by half or year is "
                        "the mean over its quarters, so the cube must be "
                        "counted by quarter or month");
    }
}

/* The cube of --freq, the drivers or the metrics of CUBE, written a group
 * at a time. */
static enum sv_status write_score(const void *options, const void *cube,
                                  const struct sv_table_output *out,
                                  struct sv_error *err)
{
    const struct options *o = options;

    if (o->freq)
        return sv_cube_write_freq(cube, out->format, out->header, out->fp,
                                  err);
    if (o->drivers)
        return sv_drivers_write(cube, out, err);
    return sv_score_write(cube, &o->score, out, err);
}

int main(int argc, char **argv)
{
    struct options o = {0};
    struct sv_error err = {0};
    struct sv_households *hh = NULL;
    struct sv_cube *cube = NULL;
    struct cli_keys fine;
    int status;

    cli_init(argv[0]);
    if ((status = parse_options(argc, argv, &o))) {
        cli_keys_release(&o.t.keys);
        return status;
    }
    if (o.households && !(hh = sv_households_load(o.households, &err))) {
        cli_keys_release(&o.t.keys);
        return cli_error(&err);
    }
    o.score.households = hh;
    if (hh && o.score.pooling != SV_POOL_HOUSEHOLDS)
        status = cli_keys_require(&o.t.keys, "site", "--households");
    if (!status && o.score.sites)
        status = cli_keys_require(&o.t.keys, "site", "--sites");
    fine_keys(&o, &fine);
    if (!status)
        status = cli_read_cube(&fine, &o.in, argv + optind, argc - optind,
                               &cube);
    if (!status)
        status = cli_table_stream(&o.t, write_score, &o, cube);
    sv_cube_free(cube);
    sv_households_free(hh);
    cli_keys_release(&o.t.keys);
    return cli_finish(status);
}
