/*
 * survey-complaints — complaint, repeat-complaint, resolution and
 * timeliness rates per group and period from the normalised complaint
 * register (survey-import output), with change and trend.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { OPT_WINDOW = 256, OPT_DEADLINES, OPT_HOUSEHOLDS, OPT_HISTORY };

static const struct cli_opt opts[] = {
    {CLI_OPT_BY, "by", "KEYS",
     "group keys: site, period, month, quarter, half,\n"
     "year, category, urgent or a group label"},
    {CLI_OPT_PERIOD, "period", "P", "month, quarter (default), half or year"},
    {OPT_WINDOW, "window", "DAYS",
     "repeat window in days, inclusive (default {window})"},
    {OPT_DEADLINES, "deadlines", "FILE",
     "category_or_urgency,hours CSV (default: {deadline} h,\n"
     "urgent {urgent} h)"},
    {OPT_HOUSEHOLDS, "households", "FILE",
     "site,households CSV: complaints per 100"},
    {OPT_HISTORY, "history", "FILE",
     "earlier register, only looked back on for repeats"},
    {CLI_OPT_COMPARE, "compare", NULL,
     "change since the previous period (z test)"},
    {CLI_OPT_TREND, "trend", NULL, "OLS trend of the rates over the periods"},
    CLI_OPTS_TABLE_OUTPUT,
    CLI_OPTS_END};

static const struct cli_tool tool = {
    "Usage: survey-complaints [OPTION]... [FILE]...\n"
    "Complaints, repeats, resolution and timeliness per group x period from\n"
    "normalised complaint registers (survey-import output); stdin without\n"
    "FILE or -.\n",
    opts,
    "survey-import -c codebook-register.csv register.csv | "
    "survey-complaints --by site --compare"};

struct options {
    struct cli_table_opts t;
    struct sv_complaints_options reg;
    const char *deadlines, *households, *history;
};

static int own_option(void *ctx, int c, const char *arg)
{
    struct options *o = ctx;

    switch (c) {
    case OPT_WINDOW:
        if (sv_parse_long(arg, 0, 36500, &o->reg.window_days) != SV_OK)
            return cli_usage("invalid --window '%s' (expected whole days "
                             "0-36500)", arg);
        return 0;
    case OPT_DEADLINES: o->deadlines = arg; break;
    case OPT_HOUSEHOLDS: o->households = arg; break;
    case OPT_HISTORY: o->history = arg; break;
    default: return -1;
    }
    cli_note_input(arg); /* the three files are inputs */
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int st;

    sv_complaints_options_init(&o->reg);
    st = cli_table_parse(argc, argv, &tool, &o->t, own_option, o);
    o->reg.compare = o->t.compare;
    if (!st && o->t.trend && (o->t.compare || o->households))
        return cli_usage("--trend prints its own table; use it without "
                         "--compare and --households");
    return st;
}

static int read_one(struct sv_complaints *r, const char *path, int history)
{
    struct sv_error err = {0};
    struct sv_csv *csv = cli_csv_open(path, NULL, &err);
    int status = 0;

    if (!csv)
        return cli_error(&err);
    if (sv_complaints_read(r, csv, history, &err) != SV_OK)
        status = cli_error(&err);
    cli_csv_free(csv);
    return status;
}

/* Reads --history, then FILES (stdin when none), into a new register. */
static int read_all(const struct options *o, char **files, int nfiles,
                    struct sv_complaints **out)
{
    struct sv_error err = {0};
    int status = 0;

    if (!(*out = sv_complaints_new(o->t.keys.dims, o->t.keys.ndims,
                                   o->t.keys.period, &err)))
        return cli_error(&err);
    if (o->history)
        status = read_one(*out, o->history, 1);
    for (int i = 0; i < nfiles && !status; i++)
        status = read_one(*out, files[i], 0);
    if (!status && nfiles == 0)
        status = read_one(*out, "-", 0);
    if (!status && sv_complaints_finish(*out, &err) != SV_OK)
        status = cli_error(&err);
    if (!status && sv_complaints_copies(*out, &err))
        cli_warning_cb(NULL, &err); /* counted once */
    return status;
}

/* Loads --deadlines and --households into O; returns an exit status. */
static int load_tables(struct options *o, struct sv_deadlines **d,
                       struct sv_households **h)
{
    struct sv_error err = {0};

    if (o->deadlines && !(*d = sv_deadlines_load(o->deadlines, &err)))
        return cli_error(&err);
    if (o->households && !(*h = sv_households_load(o->households, &err)))
        return cli_error(&err);
    o->reg.deadlines = *d;
    o->reg.households = *h;
    return 0;
}

/* The table (or trend) of the register REG, written a group at a time. */
static enum sv_status write_complaints(const void *options, const void *reg,
                                       const struct sv_table_output *out,
                                       struct sv_error *err)
{
    const struct options *o = options;

    return sv_complaints_write(reg, &o->reg, o->t.trend, out, err);
}

int main(int argc, char **argv)
{
    struct options o = {0};
    struct sv_deadlines *dl = NULL;
    struct sv_households *hh = NULL;
    struct sv_complaints *reg = NULL;
    int status;

    cli_init(argv[0]);
    status = parse_options(argc, argv, &o);
    status = status ? status : load_tables(&o, &dl, &hh);
    if (!status && hh)
        status = cli_keys_require(&o.t.keys, "site", "--households");
    status = status ? status
                    : read_all(&o, argv + optind, argc - optind, &reg);
    if (!status)
        status = cli_table_stream(&o.t, write_complaints, &o, reg);
    sv_complaints_free(reg);
    sv_households_free(hh);
    sv_deadlines_free(dl);
    cli_keys_release(&o.t.keys);
    return cli_finish(status);
}
