/*
 * survey-nps — Net Promoter Score with its interval per group x period,
 * change and trend, from normalised streams, cubes or raw files.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: survey-nps [OPTION]... [FILE]...\n"
    "NPS per group x nps item from normalised streams, cubes (survey-score\n"
    "--freq output, merged by addition) or raw files (-c); stdin without\n"
    "FILE or -.\n"
    "\n"
    "      --by KEYS          group keys: site, period, month, quarter, half,\n"
    "                         year or a group label (comma-separated)\n"
    "      --period P         month, quarter (default), half or year\n"
    "      --compare          change since the previous period (z test)\n"
    "      --trend            OLS trend of the NPS over the periods\n"
    "  -c, --codebook FILE    inputs are raw questionnaires for this codebook\n"
    "      --encoding ENC     raw input encoding: auto, utf-8 or gb18030\n"
    "      --delimiter D      raw input delimiter: , ; | or tab\n"
    "      --ignore-unknown   raw columns not in the codebook are dropped\n"
    "      --format F         csv (default), tsv, json or table\n"
    CLI_OUTPUT_HELP
    "  -o, --output FILE      write to FILE (atomically)\n"
    "  -h, --help             show this help and exit\n"
    "      --version          show the version and exit\n"
    "\n"
    "Example:\n"
    "  survey-import -c codebook.csv q3.csv q4.csv | survey-nps --by site "
    "--compare\n"
    "\n"
    "Exit status: 0 success, 1 bad data or I/O error, 2 usage error.\n";

enum { OPT_BY = 256, OPT_PERIOD, OPT_COMPARE, OPT_TREND, OPT_FORMAT,
       OPT_VERSION };

static const struct option long_options[] = {
    {"by", required_argument, NULL, OPT_BY},
    {"period", required_argument, NULL, OPT_PERIOD},
    {"compare", no_argument, NULL, OPT_COMPARE},
    {"trend", no_argument, NULL, OPT_TREND},
    {"codebook", required_argument, NULL, 'c'},
    {"encoding", required_argument, NULL, CLI_OPT_ENCODING},
    {"delimiter", required_argument, NULL, CLI_OPT_DELIMITER},
    {"ignore-unknown", no_argument, NULL, CLI_OPT_UNKNOWN},
    {"format", required_argument, NULL, OPT_FORMAT},
    CLI_OUTPUT_LONG_OPTIONS,
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0}};

struct options {
    struct cli_keys keys;
    struct cli_inputs in;
    const char *output;
    int compare, trend;
    enum sv_format format;
};

static int parse_option(int c, struct options *o)
{
    switch (c) {
    case OPT_BY: return cli_keys_parse_by(&o->keys, optarg);
    case OPT_PERIOD: return cli_keys_parse_period(&o->keys, optarg);
    case OPT_COMPARE: o->compare = 1; return 0;
    case OPT_TREND: o->trend = 1; return 0;
    case OPT_FORMAT:
        if (sv_format_parse(optarg, &o->format) != SV_OK)
            return cli_usage("invalid format '%s' (expected csv, tsv, json "
                             "or table)", optarg);
        return 0;
    case 'o': o->output = optarg; return 0;
    case 'h': fputs(usage, stdout); exit(0);
    case OPT_VERSION: cli_version(); exit(0);
    default: return cli_inputs_option(&o->in, c, optarg);
    }
}

static int parse_options(int argc, char **argv, struct options *o)
{
    int c, st;

    while ((c = getopt_long(argc, argv, ":c:o:qh", long_options, NULL)) != -1)
        if ((st = c == ':' || c == '?' ? cli_option_error(c, argv)
                                       : parse_option(c, o)))
            return st;
    if (o->trend && o->compare)
        return cli_usage("--trend prints its own table; use it alone");
    if (o->trend || o->compare)
        cli_keys_need_period(&o->keys);
    return 0;
}

int main(int argc, char **argv)
{
    struct options o = {0};
    struct sv_error err;
    struct sv_cube *cube = NULL;
    struct sv_table *t = NULL;
    int status;

    cli_init(argv[0]);
    if ((status = parse_options(argc, argv, &o))) {
        cli_keys_release(&o.keys);
        return status;
    }
    status = cli_read_cube(&o.keys, &o.in, argv + optind, argc - optind,
                           &cube);
    if (!status) {
        t = o.trend ? sv_nps_trend_table(cube, &err)
                    : sv_nps_table(cube, o.compare, &err);
        if (!t)
            status = cli_error(&err);
    }
    if (!status)
        status = cli_write_table(t, o.format, o.output);
    sv_table_free(t);
    sv_cube_free(cube);
    cli_keys_release(&o.keys);
    return cli_finish(status);
}
