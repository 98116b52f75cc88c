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
    OPT_URL, OPT_USER, OPT_PASSWORD, OPT_ID, OPT_TO, OPT_FROM
};

static const struct option long_opts[] = {
    {"to", required_argument, 0, OPT_TO},
    {"from", required_argument, 0, OPT_FROM},
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
           "      --to NUMBER          the recipient, E.164 (+15550104477)\n"
           "      --from NUMBER        the sender (default: the "
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
           "      --db FILE|URL        the record of sends and coupons (a SQLite\n"
           "                           file, or postgresql://...)\n"
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

/* The command line, parsed. */
typedef struct send_opts {
    const char *to, *from, *key, *issue, *redeem, *merchant, *report;
    const char *config, *backend, *db, *url, *user, *password;
    long limit, days;
    int list, json, quiet;
} send_opts;

/* Returns IVR_OK, a status to exit with, or -1: done (--help, --version). */
static int parse_options(int argc, char **argv, send_opts *o)
{
    int ch;

    memset(o, 0, sizeof *o);
    o->limit = 20;
    opterr = 0;
    while ((ch = getopt_long(argc, argv, ":qhV", long_opts, NULL)) != -1) {
        switch (ch) {
        case OPT_TO: o->to = optarg; break;
        case OPT_FROM: o->from = optarg; break;
        case OPT_ID: o->key = optarg; break;
        case OPT_LIST: o->list = 1; break;
        case OPT_LIMIT:
            if (cli_parse_int("--limit", optarg, 1, 100000, &o->limit) != 0)
                return IVR_EUSAGE;
            break;
        case OPT_JSON: o->json = 1; break;
        case OPT_ISSUE: o->issue = optarg; break;
        case OPT_VALID_DAYS:
            if (cli_parse_int("--valid-days", optarg, 1, 36500, &o->days) != 0)
                return IVR_EUSAGE;
            break;
        case OPT_REDEEM: o->redeem = optarg; break;
        case OPT_MERCHANT: o->merchant = optarg; break;
        case OPT_REPORT: o->report = optarg; break;
        case OPT_BACKEND: o->backend = optarg; break;
        case OPT_CONFIG: o->config = optarg; break;
        case OPT_DB: o->db = optarg; break;
        case OPT_URL: o->url = optarg; break;
        case OPT_USER: o->user = optarg; break;
        case OPT_PASSWORD: o->password = optarg; break;
        case 'q': o->quiet = 1; break;
        case 'h': usage(); return -1;
        case 'V': cli_print_version(); return -1;
        default: return cli_bad_option(ch, argv);
        }
    }
    return IVR_OK;
}

/* The configuration file, then what the command line says over it. */
static int load_config(const send_opts *o, sms_config *c)
{
    const struct { const char *key, *option, *value; } sets[] = {
        {"backend", "--backend", o->backend},
        {"db", "--db", o->db},
        {"url", "--url", o->url},
        {"user", "--user", o->user},
        {"password", "--password", o->password},
    };
    ivr_error err;
    size_t i;

    ivr_error_clear(&err);
    if (sms_config_load(c, o->config, &err) != IVR_OK)
        return cli_report(&err);
    for (i = 0; i < sizeof sets / sizeof *sets; i++) {
        if (sets[i].value && sms_config_set(c, sets[i].key, sets[i].value,
                                            sets[i].option, &err) != IVR_OK)
            return cli_report(&err);
    }
    return IVR_OK;
}

static int list_sent(const sms_config *c, const send_opts *o)
{
    ivr_error err;
    sms_sender *s = sms_open(c, &err);
    int rc;

    if (!s)
        return cli_report(&err);
    rc = sms_list(s, (int)o->limit, o->json, &err);
    sms_close(s);
    return rc == IVR_OK ? IVR_OK : cli_report(&err);
}

/* --redeem and --report: the merchant's and the promoter's side. */
static int coupon_desk(const sms_config *c, const send_opts *o)
{
    ivr_error err;
    coupon_store *cs = coupon_store_open(c->db, &err);
    int rc;

    if (!cs)
        return cli_report(&err);
    rc = o->redeem ? coupon_redeem(cs, o->redeem, o->merchant, &err)
                   : coupon_report(cs, o->report, stdout, &err);
    coupon_store_close(cs);
    if (rc != IVR_OK)
        return cli_report(&err);
    if (o->redeem && !o->quiet)
        printf("redeemed for %s\n", o->merchant);
    return IVR_OK;
}

/* --issue: a coupon for o->to, and the SMS that carries it when there is
 * text. The text is checked (with a serial's length in its place) before
 * a coupon exists that no SMS would carry. */
static int issue_coupon(const sms_config *c, const send_opts *o,
                        char *text)
{
    char serial[COUPON_SERIAL_MAX], number[SMS_NUMBER_MAX];
    char *sms;
    coupon_store *cs;
    sms_encoding enc;
    ivr_error err;
    int rc;

    if (sms_number(o->to, number, &err) != IVR_OK)
        return cli_report(&err);
    if (text) {
        if (!(sms = with_coupon(text, "XXXX-XXXX-XXXX"))) {
            cli_error("out of memory");
            return IVR_EINTERNAL;
        }
        rc = sms_check(number, o->from && *o->from ? o->from : c->from, sms,
                       o->key, &enc, &err);
        free(sms);
        if (rc != IVR_OK)
            return cli_report(&err);
    }
    if (!(cs = coupon_store_open(c->db, &err)))
        return cli_report(&err);
    rc = coupon_issue(cs, o->issue, number, (int)o->days, serial, &err);
    coupon_store_close(cs);
    if (rc != IVR_OK)
        return cli_report(&err);
    printf("%s\n", serial);
    if (!text)
        return IVR_OK;
    if (!(sms = with_coupon(text, serial))) {
        cli_error("out of memory");
        return IVR_EINTERNAL;
    }
    rc = send_one(c, number, o->from, sms, o->key, o->quiet);
    free(sms);
    return rc;
}

int main(int argc, char **argv)
{
    send_opts o;
    sms_config c;
    char *text = NULL;
    int rc, modes;

    cli_init(argv[0]);
    if ((rc = parse_options(argc, argv, &o)) != IVR_OK)
        return rc < 0 ? IVR_OK : rc;
    if ((rc = load_config(&o, &c)) != IVR_OK)
        return rc;
    modes = o.list + !!o.redeem + !!o.report;
    if (modes > 1 || (modes && (o.issue || o.to)))
        return cli_usage_error("--list, --redeem, --report and sending are "
                               "separate tasks: one at a time");
    if (o.list)
        return list_sent(&c, &o);
    if (o.redeem || o.report)
        return coupon_desk(&c, &o);
    if (!o.to)
        return cli_usage_error(o.issue ? "--issue needs --to NUMBER (who "
                               "gets the coupon)" : "--to NUMBER missing");
    /* an issued coupon may go without an SMS; a plain SMS has text */
    if ((!o.issue || optind < argc) &&
        !(text = read_text(argc, argv, optind))) {
        cli_error("out of memory");
        return IVR_EINTERNAL;
    }
    rc = o.issue ? issue_coupon(&c, &o, text)
                 : send_one(&c, o.to, o.from, text, o.key, o.quiet);
    free(text);
    return rc;
}
