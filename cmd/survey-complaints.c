/*
 * survey-complaints — complaint, repeat-complaint, resolution and
 * timeliness rates per group and period from the normalised complaint
 * register (survey-import output), with change and trend.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: survey-complaints [OPTION]... [FILE]...\n"
    "Complaints, repeats, resolution and timeliness per group x period from\n"
    "normalised complaint registers (survey-import output); stdin without\n"
    "FILE or -.\n"
    "\n"
    "      --by KEYS          group keys: site, period, month, quarter, half,\n"
    "                         year, category, urgent or a group label\n"
    "      --period P         month, quarter (default), half or year\n"
    "      --window DAYS      repeat window in days, inclusive (default 90)\n"
    "      --deadlines FILE   category_or_urgency,hours CSV (default: 24 h,\n"
    "                         urgent 0.5 h)\n"
    "      --households FILE  site,households CSV: complaints per 100\n"
    "      --history FILE     earlier register, only looked back on for repeats\n"
    "      --compare          change since the previous period (z test)\n"
    "      --trend            OLS trend of the rates over the periods\n"
    "      --format F         csv (default), tsv, json or table\n"
    CLI_OUTPUT_HELP
    "  -o, --output FILE      write to FILE (atomically)\n"
    "  -h, --help             show this help and exit\n"
    "      --version          show the version and exit\n"
    "\n"
    "Example:\n"
    "  survey-import -c codebook-register.csv register.csv | "
    "survey-complaints --by site --compare\n"
    "\n"
    "Exit status: 0 success, 1 bad data or I/O error, 2 usage error.\n";

enum { OPT_BY = 256, OPT_PERIOD, OPT_WINDOW, OPT_DEADLINES, OPT_HOUSEHOLDS,
       OPT_HISTORY, OPT_COMPARE, OPT_TREND, OPT_FORMAT, OPT_VERSION };

static const struct option long_options[] = {
    {"by", required_argument, NULL, OPT_BY},
    {"period", required_argument, NULL, OPT_PERIOD},
    {"window", required_argument, NULL, OPT_WINDOW},
    {"deadlines", required_argument, NULL, OPT_DEADLINES},
    {"households", required_argument, NULL, OPT_HOUSEHOLDS},
    {"history", required_argument, NULL, OPT_HISTORY},
    {"compare", no_argument, NULL, OPT_COMPARE},
    {"trend", no_argument, NULL, OPT_TREND},
    {"format", required_argument, NULL, OPT_FORMAT},
    CLI_OUTPUT_LONG_OPTIONS,
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}};

struct options {
    struct cli_keys keys;
    struct sv_complaints_options reg;
    const char *deadlines, *households, *history, *output;
    int trend;
    enum sv_format format;
};

static int parse_option(int c, struct options *o)
{
    switch (c) {
    case OPT_BY: return cli_keys_parse_by(&o->keys, optarg);
    case OPT_PERIOD: return cli_keys_parse_period(&o->keys, optarg);
    case OPT_WINDOW:
        if (sv_parse_long(optarg, 0, 36500, &o->reg.window_days) != SV_OK)
            return cli_usage("invalid --window '%s' (expected whole days "
                             "0-36500)", optarg);
        return 0;
    case OPT_DEADLINES: o->deadlines = optarg; return 0;
    case OPT_HOUSEHOLDS: o->households = optarg; return 0;
    case OPT_HISTORY: o->history = optarg; return 0;
    case OPT_COMPARE: o->reg.compare = 1; return 0;
    case OPT_TREND: o->trend = 1; return 0;
    case OPT_FORMAT:
        if (sv_format_parse(optarg, &o->format) != SV_OK)
            return cli_usage("invalid format '%s' (expected csv, tsv, json "
                             "or table)", optarg);
        return 0;
    case 'o': o->output = optarg; return 0;
    case 'h': fputs(usage, stdout); exit(0);
    case OPT_VERSION: cli_version(); exit(0);
    case 'q':
    case CLI_OPT_BOM:
    case CLI_OPT_OUTPUT_ENCODING: return cli_io_option(c, optarg);
    default: return cli_usage("invalid option");
    }
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int c, st;

    sv_complaints_options_init(&o->reg);
    while ((c = getopt_long(argc, argv, ":o:qh", long_options, NULL)) != -1)
        if ((st = c == ':' || c == '?' ? cli_option_error(c, argv)
                                       : parse_option(c, o)))
            return st;
    if (o->trend && (o->reg.compare || o->households))
        return cli_usage("--trend prints its own table; use it without "
                         "--compare and --households");
    if (o->trend || o->reg.compare)
        cli_keys_need_period(&o->keys);
    return 0;
}

static int read_one(struct sv_complaints *r, const char *path, int history)
{
    struct sv_error err;
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
    struct sv_error err;
    int status = 0;

    if (!(*out = sv_complaints_new(o->keys.dims, o->keys.ndims,
                                   o->keys.period, &err)))
        return cli_error(&err);
    if (o->history)
        status = read_one(*out, o->history, 1);
    for (int i = 0; i < nfiles && !status; i++)
        status = read_one(*out, files[i], 0);
    if (!status && nfiles == 0)
        status = read_one(*out, "-", 0);
    if (!status && sv_complaints_finish(*out, &err) != SV_OK)
        status = cli_error(&err);
    return status;
}

/* Loads --deadlines and --households into O; returns an exit status. */
static int load_tables(struct options *o, struct sv_deadlines **d,
                       struct sv_households **h)
{
    struct sv_error err;

    if (o->deadlines && !(*d = sv_deadlines_load(o->deadlines, &err)))
        return cli_error(&err);
    if (o->households && !(*h = sv_households_load(o->households, &err)))
        return cli_error(&err);
    o->reg.deadlines = *d;
    o->reg.households = *h;
    return 0;
}

int main(int argc, char **argv)
{
    struct options o = {0};
    struct sv_error err;
    struct sv_deadlines *dl = NULL;
    struct sv_households *hh = NULL;
    struct sv_complaints *reg = NULL;
    struct sv_table *t = NULL;
    int status;

    cli_init(argv[0]);
    status = parse_options(argc, argv, &o);
    status = status ? status : load_tables(&o, &dl, &hh);
    status = status ? status
                    : read_all(&o, argv + optind, argc - optind, &reg);
    if (!status) {
        t = o.trend ? sv_complaints_trend_table(reg, &o.reg, &err)
                    : sv_complaints_table(reg, &o.reg, &err);
        if (!t)
            status = cli_error(&err);
    }
    if (!status)
        status = cli_write_table(t, o.format, o.output);
    sv_table_free(t);
    sv_complaints_free(reg);
    sv_households_free(hh);
    sv_deadlines_free(dl);
    cli_keys_release(&o.keys);
    return cli_finish(status);
}
