/*
 * ivr-web: the merchant site: merchants redeem coupon serials, promoters
 * see how their promotions convert, over HTTPS, on the record ivr-send-sms
 * and ivr-sim write. See ivr-web(1).
 */
#include "accounts.h"
#include "cli.h"
#include "coupon.h"
#include "sms.h"
#include "web.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define MAX_PEM 65536

enum {
    OPT_LISTEN = 4000, OPT_CERT, OPT_KEY, OPT_DB, OPT_ADD_MERCHANT,
    OPT_ADD_PROMOTER, OPT_REMOVE, OPT_LIST, OPT_PROMOTIONS, OPT_PHONE,
    OPT_SMS_KEY
};

static const struct option long_opts[] = {
    {"listen", required_argument, 0, OPT_LISTEN},
    {"cert", required_argument, 0, OPT_CERT},
    {"key", required_argument, 0, OPT_KEY},
    {"db", required_argument, 0, OPT_DB},
    {"add-merchant", required_argument, 0, OPT_ADD_MERCHANT},
    {"promotions", required_argument, 0, OPT_PROMOTIONS},
    {"phone", required_argument, 0, OPT_PHONE},
    {"sms-key", required_argument, 0, OPT_SMS_KEY},
    {"add-promoter", required_argument, 0, OPT_ADD_PROMOTER},
    {"remove-account", required_argument, 0, OPT_REMOVE},
    {"list-accounts", no_argument, 0, OPT_LIST},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, 'h'},
    {"version", no_argument, 0, 'V'},
    {0, 0, 0, 0}
};

static const char usage_text[] =
    "Usage: ivr-web --listen ADDR:PORT --cert FILE --key FILE [--db FILE|URL]\n"
    "       ivr-web --add-merchant NAME --promotions LIST | --add-promoter "
    "NAME\n"
    "       ivr-web --remove-account NAME | --list-accounts\n"
    "The merchant site: merchants redeem coupon serials, promoters see how "
    "their\npromotions convert (HTTPS; the record of ivr-send-sms).\n\n"
    "Serving:\n"
    "      --listen ADDR:PORT   where to listen (127.0.0.1:8443; [::1]:8443)\n"
    "      --cert FILE          the site's certificate (PEM); without one,\n"
    "                           plain HTTP, on a loopback address only\n"
    "      --key FILE           its private key (PEM)\n"
    "      --db FILE|URL        the record: a SQLite file, or postgresql://...\n"
    "                           (default: ivr-send-sms's)\n"
    "      --sms-key FILE       take \"REDEEM SERIAL\" by SMS from Kannel, "
    "whose\n"
    "                           get-url carries the key in FILE (/sms)\n"
    "Accounts (the password is read from the terminal, or a line of standard "
    "input):\n"
    "      --add-merchant NAME  a shop that redeems serials\n"
    "      --promotions LIST    the promotions it takes: spring,summer (* all)\n"
    "      --phone NUMBER       its mobile, to redeem by SMS (+15550104477)\n"
    "      --add-promoter NAME  an account that sees the promotions' figures\n"
    "      --remove-account NAME\n"
    "      --list-accounts\n"
    "  -q, --quiet              no \"listening\" line\n"
    "  -h, --help               this help\n"
    "  -V, --version            the version\n\n"
    "Exit status: 0 done (or stopped by Ctrl-C), 2 usage, 3 bad input (a "
    "name, a\npassword, a certificate), 4 no TLS in libmicrohttpd, 5 cannot "
    "listen or write\nthe record, 6 internal error.\n";

typedef struct web_cli {
    const char *listen, *cert, *key, *db, *add, *promotions, *remove;
    const char *phone, *sms_key;
    int promoter, list, quiet;
} web_cli;

/* A password from the terminal (not echoed, asked twice) or a line of
 * standard input: never an argument, which other users can see. */
static int read_password(char *out, size_t size)
{
    struct termios old, quiet;
    char again[512];
    int tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    size_t n;

    if (tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
        fputs("Password: ", stderr);
    }
    if (!fgets(out, (int)size, stdin))
        out[0] = '\0';
    if (tty) {
        fputs("\nAgain: ", stderr);
        if (!fgets(again, sizeof again, stdin))
            again[0] = '\0';
        fputc('\n', stderr);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        if (strcmp(out, again)) {
            cli_error("the two passwords differ");
            return IVR_EINPUT;
        }
    }
    n = strcspn(out, "\r\n");
    out[n] = '\0';
    return IVR_OK;
}

static void print_account(const char *name, account_role role,
                          const char *promotions, const char *created,
                          void *user)
{
    (void)user;
    printf("%-20s %-9s %s  %s\n", name,
           role == ROLE_MERCHANT ? "merchant" : "promoter", created,
           role == ROLE_MERCHANT ? promotions : "");
}

static int manage_accounts(const web_cli *o, const char *db)
{
    ivr_error err;
    accounts *a = accounts_open(db, &err);
    char password[512];
    int rc = IVR_OK;

    if (!a)
        return cli_report(&err);
    if (o->list) {
        rc = accounts_each(a, print_account, NULL, &err);
    } else if (o->remove) {
        rc = accounts_remove(a, o->remove, &err);
    } else if ((rc = read_password(password, sizeof password)) == IVR_OK) {
        rc = accounts_add(a, o->add, o->promoter ? ROLE_PROMOTER
                                                 : ROLE_MERCHANT,
                          password, o->promotions, &err);
        if (rc == IVR_OK && o->phone &&
            (rc = accounts_set_phone(a, o->add, o->phone, &err)) != IVR_OK)
            accounts_remove(a, o->add, NULL);
        memset(password, 0, sizeof password);
    }
    accounts_close(a);
    return rc == IVR_OK ? IVR_OK : err.status ? cli_report(&err) : rc;
}

static char *read_pem(const char *option, const char *path, int *rc)
{
    FILE *f = fopen(path, "rb");
    char *buf = malloc(MAX_PEM + 1);
    size_t n = 0;

    if (!f || !buf) {
        free(buf);
        if (f)
            fclose(f);
        cli_error("%s %s: cannot be read", option, path);
        *rc = IVR_EINPUT;
        return NULL;
    }
    n = fread(buf, 1, MAX_PEM + 1, f);
    fclose(f);
    buf[n <= MAX_PEM ? n : MAX_PEM] = '\0';
    if (n > MAX_PEM || !strstr(buf, "-----BEGIN ")) {
        free(buf);
        cli_error("%s %s: not a PEM file", option, path);
        *rc = IVR_EINPUT;
        return NULL;
    }
    return buf;
}

/* "127.0.0.1:8443", "[::1]:8443" into host and port */
static int split_listen(const char *s, char *host, size_t size, int *port)
{
    const char *colon = strrchr(s, ':');
    long p;
    char *end;

    if (!colon)
        return -1;
    if (s[0] == '[' && colon > s && colon[-1] == ']')
        snprintf(host, size, "%.*s", (int)(colon - s - 2), s + 1);
    else
        snprintf(host, size, "%.*s", (int)(colon - s), s);
    p = strtol(colon + 1, &end, 10);
    if (*end || p < 1 || p > 65535 || !*host)
        return -1;
    *port = (int)p;
    return 0;
}

static int is_loopback(const char *host)
{
    return !strncmp(host, "127.", 4) || !strcmp(host, "::1");
}

static int serve(const web_cli *o, const char *db)
{
    char host[128], sms_key[256];
    web_opts w;
    ivr_error err;
    int rc = IVR_OK;
    char *cert = NULL, *key = NULL;

    memset(&w, 0, sizeof w);
    if (split_listen(o->listen, host, sizeof host, &w.port) != 0)
        return cli_usage_error("--listen: '%s' is not ADDR:PORT (such as "
                               "127.0.0.1:8443)", o->listen);
    if (!o->cert && !is_loopback(host))
        return cli_usage_error("--listen %s: without --cert the site serves "
                               "loopback only (make a certificate: openssl "
                               "req -x509 -newkey rsa:3072 -nodes -keyout "
                               "key.pem -out cert.pem -subj /CN=shop.example "
                               "-days 365)", o->listen);
    if (!!o->cert != !!o->key)
        return cli_usage_error("--cert and --key go together");
    if (o->cert && (!(cert = read_pem("--cert", o->cert, &rc)) ||
                    !(key = read_pem("--key", o->key, &rc)))) {
        free(cert);
        return rc;
    }
    if (o->sms_key) {
        FILE *f = fopen(o->sms_key, "r");
        if (!f || !fgets(sms_key, sizeof sms_key, f) ||
            (sms_key[strcspn(sms_key, "\r\n")] = '\0', strlen(sms_key) < 16)) {
            if (f)
                fclose(f);
            free(cert);
            free(key);
            cli_error("--sms-key %s: a line of at least 16 characters is "
                      "needed", o->sms_key);
            return IVR_EINPUT;
        }
        fclose(f);
        w.sms_key = sms_key;
    }
    w.host = host;
    w.cert_pem = cert;
    w.key_pem = key;
    w.quiet = o->quiet;
    {
        /* reports only touch the record: the outbox backend, this db */
        sms_config sc;
        memset(&sc, 0, sizeof sc);
        snprintf(sc.backend, sizeof sc.backend, "outbox");
        snprintf(sc.db, sizeof sc.db, "%s", db);
        if (!(w.store = coupon_store_open(db, &err)) ||
            !(w.accounts = accounts_open(db, &err)) ||
            !(w.sms = sms_open(&sc, &err)))
            rc = cli_report(&err);
        else
            rc = web_serve(&w);
    }
    sms_close(w.sms);
    coupon_store_close(w.store);
    accounts_close(w.accounts);
    if (key)
        memset(key, 0, strlen(key));
    free(cert);
    free(key);
    return rc;
}

static int parse_options(int argc, char **argv, web_cli *o)
{
    int c;

    memset(o, 0, sizeof *o);
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qhV", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_LISTEN: o->listen = optarg; break;
        case OPT_CERT: o->cert = optarg; break;
        case OPT_KEY: o->key = optarg; break;
        case OPT_DB: o->db = optarg; break;
        case OPT_ADD_MERCHANT: o->add = optarg; break;
        case OPT_ADD_PROMOTER: o->add = optarg; o->promoter = 1; break;
        case OPT_PROMOTIONS: o->promotions = optarg; break;
        case OPT_PHONE: o->phone = optarg; break;
        case OPT_SMS_KEY: o->sms_key = optarg; break;
        case OPT_REMOVE: o->remove = optarg; break;
        case OPT_LIST: o->list = 1; break;
        case 'q': o->quiet = 1; break;
        case 'h': fputs(usage_text, stdout); return -1;
        case 'V': cli_print_version(); return -1;
        default: return cli_bad_option(c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("'%s' is extra", argv[optind]);
    if (!!o->listen + !!o->add + !!o->remove + o->list != 1)
        return cli_usage_error("give one of --listen, --add-merchant, "
                               "--add-promoter, --remove-account, "
                               "--list-accounts");
    if (o->phone && (!o->add || o->promoter))
        return cli_usage_error("--phone goes with --add-merchant");
    if (o->sms_key && !o->listen)
        return cli_usage_error("--sms-key goes with --listen");
    if (o->add && !o->promoter && !o->promotions)
        return cli_usage_error("--add-merchant %s: which promotions does it "
                               "take? (--promotions spring,summer; * for all)",
                               o->add);
    return IVR_OK;
}

int main(int argc, char **argv)
{
    web_cli o;
    char db[1024];
    int rc;

    cli_init(argv[0]);
    if ((rc = parse_options(argc, argv, &o)) != IVR_OK)
        return rc < 0 ? IVR_OK : rc;
    if (o.db)
        snprintf(db, sizeof db, "%s", o.db);
    else
        sms_default_db(db, sizeof db);
    return o.listen ? serve(&o, db) : manage_accounts(&o, db);
}
