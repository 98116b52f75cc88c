/*
 * ivr-send-sms: send an SMS through the outbox, Kannel or an HTTP gateway;
 * issue, redeem and report coupons. See ivr-send-sms(1).
 */
#include "cli.h"
#include "coupon.h"
#include "sms.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More than ten SMS can carry in any encoding; sms_send() says how many
 * parts a text would take. */
#define MAX_TEXT_BYTES 65536

enum {
    OPT_LIST = 3000, OPT_LIMIT, OPT_JSON, OPT_ISSUE, OPT_VALID_DAYS,
    OPT_REDEEM, OPT_MERCHANT, OPT_REPORT, OPT_BACKEND, OPT_CONFIG, OPT_DB,
    OPT_URL, OPT_USER, OPT_PASSWORD, OPT_ID
};

static const struct option long_opts[] = {
    {"to", required_argument, 0, 't'},
    {"from", required_argument, 0, 'f'},
    {"id", required_argument, 0, OPT_ID},
    {"list", no_argument, 0, OPT_LIST},
    {"limit", required_argument, 0, OPT_LIMIT},
    {"json", no_argument, 0, OPT_JSON},
    {"issue", required_argument, 0, OPT_ISSUE},
    {"valid-days", required_argument, 0, OPT_VALID_DAYS},
    {"redeem", required_argument, 0, OPT_REDEEM},
    {"merchant", required_argument, 0, OPT_MERCHANT},
    {"report", required_argument, 0, OPT_REPORT},
    {"backend", required_argument, 0, OPT_BACKEND},
    {"config", required_argument, 0, OPT_CONFIG},
    {"db", required_argument, 0, OPT_DB},
    {"url", required_argument, 0, OPT_URL},
    {"user", required_argument, 0, OPT_USER},
    {"password", required_argument, 0, OPT_PASSWORD},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, 'h'},
    {"version", no_argument, 0, 'V'},
    {0, 0, 0, 0}
};

static void usage(void)
{
    printf("Usage: ivr-send-sms --to NUMBER [OPTIONS] [TEXT]...\n"
           "       ivr-send-sms --issue PROMOTION --to NUMBER [TEXT]...\n"
           "       ivr-send-sms --redeem SERIAL --merchant NAME\n"
           "       ivr-send-sms --report PROMOTION | --list\n"
           "Send an SMS (TEXT, or standard input); issue, redeem and report "
           "coupons.\n\n"
           "Sending:\n"
           "  -t, --to NUMBER          the recipient, E.164 (+15550104477)\n"
           "  -f, --from NUMBER        the sender (default: the "
           "configuration's)\n"
           "      --id KEY             idempotency key: a second send with "
           "the same KEY\n"
           "                           is not sent again\n"
           "      --backend NAME       outbox (default), kannel or http\n"
           "      --url URL            the gateway (kannel: .../cgi-bin/"
           "sendsms)\n"
           "      --user NAME, --password WORD  the gateway's account (a\n"
           "                           password here shows in ps: prefer\n"
           "                           IVR_SMS_PASSWORD or the --config file)\n"
           "      --config FILE        settings (default: $XDG_CONFIG_HOME/"
           "ivrkit/sms.conf)\n"
           "      --db FILE            the record of sends and coupons\n"
           "                           (default: $XDG_DATA_HOME/ivrkit/"
           "ivrkit.sqlite)\n"
           "      --list               the latest sends; --limit N (20), "
           "--json\n"
           "Coupons:\n"
           "      --issue PROMOTION    a new serial for --to; with TEXT, send "
           "it, {coupon}\n"
           "                           in TEXT replaced by the serial\n"
           "      --valid-days N       the coupon expires after N days "
           "(default: never)\n"
           "      --redeem SERIAL      redeem it once, for --merchant NAME\n"
           "      --report PROMOTION   issued, redeemed, conversion, by day\n"
           "  -q, --quiet              print nothing on success\n"
           "  -h, --help               this help\n"
           "  -V, --version            version\n\n"
           "Exit status: 0 ok, 1 redemption refused, 2 usage, 3 bad number "
           "or text,\n4 gateway unreachable, 5 cannot write the record, 6 "
           "internal error.\n");
}

/* The text to send: the words given, or standard input without its last
 * newline. */
static char *read_text(int argc, char **argv, int first)
{
    char *text = cli_gather_text(argc, argv, first, MAX_TEXT_BYTES);
    size_t len = text ? strlen(text) : 0;

    while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = '\0';
    return text;
}

/* TEXT with {coupon} replaced by the serial. */
static char *with_coupon(const char *text, const char *serial)
{
    const char *p = strstr(text, "{coupon}");
    char *out;

    if (!p)
        return strdup(text);
    out = malloc(strlen(text) + strlen(serial) + 1);
    if (out)
        sprintf(out, "%.*s%s%s", (int)(p - text), text, serial, p + 8);
    return out;
}

static int send_one(const sms_config *c, const char *to, const char *from,
                    const char *text, const char *key, int quiet)
{
    ivr_error err;
    sms_result r;
    sms_encoding enc;
    sms_sender *s;
    int rc;

    /* a message refused makes no database */
    if (sms_check(to, from && *from ? from : c->from, text, key, &enc,
                  &err) != IVR_OK)
        return cli_report(&err);
    if (!(s = sms_open(c, &err)))
        return cli_report(&err);
    rc = sms_send(s, to, from, text, key, &r, &err);
    sms_close(s);
    if (rc != IVR_OK)
        return cli_report(&err);
    if (!quiet)
        printf("%s #%ld: %d SMS, %s, %d %s%s (%s)\n", r.status, r.id,
               r.enc.parts, r.enc.gsm7 ? "GSM 7-bit" : "UCS-2", r.enc.units,
               r.enc.gsm7 ? "characters" : "UTF-16 units",
               r.duplicate ? ", already sent with this --id: not again" : "",
               r.answer);
    return IVR_OK;
}

int main(int argc, char **argv)
{
    sms_config c;
    ivr_error err;
    const char *to = NULL, *from = NULL, *key = NULL, *issue = NULL;
    const char *redeem = NULL, *merchant = NULL, *report = NULL;
    const char *config = NULL, *set_backend = NULL, *set_db = NULL;
    const char *set_url = NULL, *set_user = NULL, *set_password = NULL;
    long limit = 20, days = 0;
    int ch, list = 0, json = 0, quiet = 0, rc, modes;

    cli_init(argv[0]);
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":t:f:qhV", long_opts, NULL)) != -1) {
        switch (ch) {
        case 't': to = optarg; break;
        case 'f': from = optarg; break;
        case OPT_ID: key = optarg; break;
        case OPT_LIST: list = 1; break;
        case OPT_LIMIT:
            if (cli_parse_int("--limit", optarg, 1, 100000, &limit) != 0)
                return IVR_EUSAGE;
            break;
        case OPT_JSON: json = 1; break;
        case OPT_ISSUE: issue = optarg; break;
        case OPT_VALID_DAYS:
            if (cli_parse_int("--valid-days", optarg, 1, 36500, &days) != 0)
                return IVR_EUSAGE;
            break;
        case OPT_REDEEM: redeem = optarg; break;
        case OPT_MERCHANT: merchant = optarg; break;
        case OPT_REPORT: report = optarg; break;
        case OPT_BACKEND: set_backend = optarg; break;
        case OPT_CONFIG: config = optarg; break;
        case OPT_DB: set_db = optarg; break;
        case OPT_URL: set_url = optarg; break;
        case OPT_USER: set_user = optarg; break;
        case OPT_PASSWORD: set_password = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage(); return IVR_OK;
        case 'V': cli_print_version(); return IVR_OK;
        default: return cli_bad_option(ch, argv);
        }
    }
    ivr_error_clear(&err);
    if (sms_config_load(&c, config, &err) != IVR_OK)
        return cli_report(&err);
    if ((set_backend && sms_config_set(&c, "backend", set_backend,
                                       "--backend", &err) != IVR_OK) ||
        (set_db && sms_config_set(&c, "db", set_db, "--db", &err) != IVR_OK) ||
        (set_url && sms_config_set(&c, "url", set_url, "--url", &err) !=
                        IVR_OK) ||
        (set_user && sms_config_set(&c, "user", set_user, "--user", &err) !=
                         IVR_OK) ||
        (set_password && sms_config_set(&c, "password", set_password,
                                        "--password", &err) != IVR_OK))
        return cli_report(&err);
    modes = list + !!redeem + !!report;
    if (modes > 1 || (modes && (issue || to)))
        return cli_usage_error("--list, --redeem, --report and sending are "
                               "separate tasks: one at a time");
    if (list) {
        sms_sender *s = sms_open(&c, &err);
        if (!s)
            return cli_report(&err);
        rc = sms_list(s, (int)limit, json, &err);
        sms_close(s);
        return rc == IVR_OK ? IVR_OK : cli_report(&err);
    }
    if (redeem || report) {
        coupon_store *cs = coupon_store_open(c.db, &err);
        if (!cs)
            return cli_report(&err);
        rc = redeem ? coupon_redeem(cs, redeem, merchant, &err)
                    : coupon_report(cs, report, stdout, &err);
        coupon_store_close(cs);
        if (rc != IVR_OK)
            return cli_report(&err);
        if (redeem && !quiet)
            printf("redeemed for %s\n", merchant);
        return IVR_OK;
    }
    if (!to)
        return cli_usage_error(issue ? "--issue needs --to NUMBER (who gets "
                               "the coupon)" : "--to NUMBER missing");
    if (issue) {
        char serial[COUPON_SERIAL_MAX], number[SMS_NUMBER_MAX];
        char *text = NULL, *sms;
        coupon_store *cs;
        sms_encoding enc;
        if (sms_number(to, number, &err) != IVR_OK)
            return cli_report(&err);
        /* the text is checked (with a serial's length in its place) before
         * a coupon exists that no SMS would carry */
        if (optind < argc) {
            if (!(text = read_text(argc, argv, optind)) ||
                !(sms = with_coupon(text, "XXXX-XXXX-XXXX"))) {
                free(text);
                cli_error("out of memory");
                return IVR_EINTERNAL;
            }
            rc = sms_check(number, from && *from ? from : c.from, sms, key,
                           &enc, &err);
            free(sms);
            if (rc != IVR_OK) {
                free(text);
                return cli_report(&err);
            }
        }
        if (!(cs = coupon_store_open(c.db, &err))) {
            free(text);
            return cli_report(&err);
        }
        rc = coupon_issue(cs, issue, number, (int)days, serial, &err);
        coupon_store_close(cs);
        if (rc != IVR_OK) {
            free(text);
            return cli_report(&err);
        }
        printf("%s\n", serial);
        if (!text)
            return IVR_OK;
        sms = with_coupon(text, serial);
        free(text);
        if (!sms) {
            cli_error("out of memory");
            return IVR_EINTERNAL;
        }
        rc = send_one(&c, number, from, sms, key, quiet);
        free(sms);
        return rc;
    }
    {
        char *text = read_text(argc, argv, optind);
        if (!text) {
            cli_error("out of memory");
            return IVR_EINTERNAL;
        }
        rc = send_one(&c, to, from, text, key, quiet);
        free(text);
        return rc;
    }
}
