/*
 * web_pages.c: the merchant site's pages, written on the server: plain
 * HTML forms that work without JavaScript and read on a phone, every value
 * escaped, the chart an SVG drawn here.
 */
#include "web.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void page_add(page *p, const char *s)
{
    size_t n = strlen(s);

    if (p->oom)
        return;
    if (p->len + n + 1 > p->cap) {
        size_t cap = (p->len + n + 1) * 2;
        char *grown = realloc(p->s, cap);
        if (!grown) {
            p->oom = 1;
            return;
        }
        p->s = grown;
        p->cap = cap;
    }
    memcpy(p->s + p->len, s, n + 1);
    p->len += n;
}

void page_addf(page *p, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    page_add(p, buf);
}

void page_escaped(page *p, const char *s)
{
    char one[2] = {0, 0};

    for (; s && *s; s++) {
        switch (*s) {
        case '&': page_add(p, "&amp;"); break;
        case '<': page_add(p, "&lt;"); break;
        case '>': page_add(p, "&gt;"); break;
        case '"': page_add(p, "&quot;"); break;
        case '\'': page_add(p, "&#39;"); break;
        default:
            one[0] = *s;
            page_add(p, one);
        }
    }
}

const char web_style_css[] =
    "body{font-family:sans-serif;max-width:36em;margin:0 auto;padding:1em;"
    "line-height:1.4}"
    "label{display:block;margin-top:1em}"
    "input{font-size:1.2em;width:100%;box-sizing:border-box;padding:.4em}"
    "button{font-size:1.2em;margin-top:1em;padding:.5em 1em}"
    "table{border-collapse:collapse;width:100%}"
    "td,th{border-bottom:1px solid #ccc;padding:.3em;text-align:right}"
    "td:first-child,th:first-child{text-align:left}"
    ".error{color:#a00}.ok{color:#070}"
    "header{display:flex;justify-content:space-between;align-items:center}"
    "header form button{font-size:1em;margin:0}";

/* a form's hidden CSRF field */
static void csrf_field(page *p, const char *csrf)
{
    page_add(p, "<input type=\"hidden\" name=\"csrf\" value=\"");
    page_escaped(p, csrf);
    page_add(p, "\">");
}

void page_html(page *p, const char *title, const char *who,
               const char *csrf, const char *body)
{
    page_add(p, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset="
                "\"utf-8\"><meta name=\"viewport\" content=\"width=device-"
                "width, initial-scale=1\"><title>");
    page_escaped(p, title);
    page_add(p, "</title><link rel=\"stylesheet\" href=\"/style.css\">"
                "</head><body><header><h1>");
    page_escaped(p, title);
    page_add(p, "</h1>");
    if (who && *who) {
        page_add(p, "<form method=\"post\" action=\"/logout\">");
        csrf_field(p, csrf);
        page_add(p, "<button type=\"submit\">Sign out ");
        page_escaped(p, who);
        page_add(p, "</button></form>");
    }
    page_add(p, "</header><main>");
    page_add(p, body);
    page_add(p, "</main></body></html>\n");
}

static void message_line(page *p, const char *message, int ok)
{
    if (!message || !*message)
        return;
    page_addf(p, "<p class=\"%s\" role=\"%s\">", ok ? "ok" : "error",
              ok ? "status" : "alert");
    page_escaped(p, message);
    page_add(p, "</p>");
}

void body_sign_in(page *p, const char *csrf, const char *message)
{
    message_line(p, message, 0);
    page_add(p, "<form method=\"post\" action=\"/login\">");
    csrf_field(p, csrf);
    page_add(p, "<label for=\"user\">Name</label><input id=\"user\" "
                "name=\"user\" autocomplete=\"username\" required>"
                "<label for=\"password\">Password</label><input id="
                "\"password\" name=\"password\" type=\"password\" "
                "autocomplete=\"current-password\" required>"
                "<button type=\"submit\">Sign in</button></form>");
}

void body_redeem_form(page *p, const char *csrf, const char *message,
                      const char *typed)
{
    message_line(p, message, 0);
    page_add(p, "<form method=\"post\" action=\"/lookup\">");
    csrf_field(p, csrf);
    page_add(p, "<label for=\"serial\">Coupon serial</label><input id="
                "\"serial\" name=\"serial\" autocomplete=\"off\" "
                "autocapitalize=\"characters\" placeholder=\"7K2M-Q9XD-4TB8\" "
                "value=\"");
    page_escaped(p, typed);
    page_add(p, "\" required><button type=\"submit\">Look up</button>"
                "</form>");
}

void body_coupon(page *p, const char *csrf, const coupon_info *c,
                 int accepted)
{
    page_add(p, "<dl><dt>Serial</dt><dd>");
    page_escaped(p, c->serial);
    page_add(p, "</dd><dt>Promotion</dt><dd>");
    page_escaped(p, c->promotion);
    if (*c->offer) {
        page_add(p, "</dd><dt>Offer</dt><dd>");
        page_escaped(p, c->offer);
    }
    page_add(p, "</dd><dt>Issued</dt><dd>");
    page_escaped(p, c->issued);
    page_add(p, "</dd><dt>Valid until</dt><dd>");
    page_escaped(p, *c->expires ? c->expires : "no end");
    page_add(p, "</dd></dl>");
    if (*c->redeemed) {
        page_add(p, "<p class=\"error\" role=\"alert\">Already redeemed on ");
        page_escaped(p, c->redeemed);
        page_add(p, " by ");
        page_escaped(p, c->merchant);
        page_add(p, ".</p>");
    } else if (!accepted) {
        page_add(p, "<p class=\"error\" role=\"alert\">Your shop does not "
                    "take this promotion.</p>");
    } else {
        page_add(p, "<form method=\"post\" action=\"/redeem\">");
        csrf_field(p, csrf);
        page_add(p, "<input type=\"hidden\" name=\"serial\" value=\"");
        page_escaped(p, c->serial);
        page_add(p, "\"><button type=\"submit\">Redeem</button></form>");
    }
    page_add(p, "<p><a href=\"/\">Another serial</a></p>");
}

void body_redeemed(page *p, const char *csrf, const char *serial,
                   const char *message, int ok)
{
    (void)csrf;
    if (ok) {
        page_add(p, "<p class=\"ok\" role=\"status\">Redeemed: ");
        page_escaped(p, serial);
        page_add(p, ". Give the discount.</p>");
    } else {
        message_line(p, message, 0);
    }
    page_add(p, "<p><a href=\"/\">Another serial</a></p>");
}

typedef struct rows {
    page *p;
    int link;                /* the key links to the promotion's page */
    long issued, redeemed;   /* the totals */
} rows;

static void row(const char *key, long issued, long redeemed, void *user)
{
    rows *r = user;

    page_add(r->p, "<tr><td>");
    if (r->link) {
        page_add(r->p, "<a href=\"/stats?promotion=");
        page_escaped(r->p, key);   /* names are words; escaped all the same */
        page_add(r->p, "\">");
        page_escaped(r->p, key);
        page_add(r->p, "</a>");
    } else {
        page_escaped(r->p, *key ? key : "(not redeemed)");
    }
    page_addf(r->p, "</td><td>%ld</td><td>%ld</td><td>%.1f%%</td></tr>",
              issued, redeemed, issued ? 100.0 * redeemed / issued : 0.0);
    r->issued += issued;
    r->redeemed += redeemed;
}

int body_stats(page *p, coupon_store *store, const char *promotion)
{
    static const char head[] = "<table><tr><th>%s</th><th>Issued</th>"
                               "<th>Redeemed</th><th>Conversion</th></tr>";
    rows r = {p, !promotion, 0, 0};
    ivr_error err;

    if (!promotion) {
        page_addf(p, head, "Promotion");
        if (coupon_stats(store, NULL, COUPON_BY_PROMOTION, row, &r, &err))
            return -1;
        page_add(p, "</table>");
        return 0;
    }
    page_add(p, "<h2>");
    page_escaped(p, promotion);
    page_add(p, "</h2><p><img src=\"/chart.svg?promotion=");
    page_escaped(p, promotion);
    page_add(p, "\" alt=\"Issued and redeemed by day of issue\" width=\"100%\">"
                "</p>");
    page_addf(p, head, "Issued on");
    if (coupon_stats(store, promotion, COUPON_BY_DAY, row, &r, &err))
        return -1;
    page_addf(p, "<tr><th>Total</th><th>%ld</th><th>%ld</th><th>%.1f%%"
                 "</th></tr></table>", r.issued, r.redeemed,
              r.issued ? 100.0 * r.redeemed / r.issued : 0.0);
    r.issued = r.redeemed = 0;
    page_addf(p, head, "Redeemed by");
    if (coupon_stats(store, promotion, COUPON_BY_MERCHANT, row, &r, &err))
        return -1;
    page_add(p, "</table><p><a href=\"/stats.csv?promotion=");
    page_escaped(p, promotion);
    page_add(p, "\">Download as CSV</a> &middot; <a href=\"/stats\">All "
                "promotions</a></p>");
    return 0;
}

typedef struct bars {
    char day[64][11];
    long issued[64], redeemed[64];
    int n;
} bars;

static void bar(const char *key, long issued, long redeemed, void *user)
{
    bars *b = user;

    if (b->n == 64) {   /* the latest 64 days */
        memmove(b->day, b->day + 1, sizeof b->day - sizeof *b->day);
        memmove(b->issued, b->issued + 1, sizeof b->issued - sizeof(long));
        memmove(b->redeemed, b->redeemed + 1,
                sizeof b->redeemed - sizeof(long));
        b->n--;
    }
    snprintf(b->day[b->n], sizeof b->day[b->n], "%.10s", key);
    b->issued[b->n] = issued;
    b->redeemed[b->n++] = redeemed;
}

int chart_svg(page *p, coupon_store *store, const char *promotion)
{
    bars b;
    ivr_error err;
    long max = 1;
    int i, w = 640, h = 240, left = 40, bottom = 30;

    memset(&b, 0, sizeof b);
    if (coupon_stats(store, promotion, COUPON_BY_DAY, bar, &b, &err))
        return -1;
    for (i = 0; i < b.n; i++)
        if (b.issued[i] > max)
            max = b.issued[i];
    page_addf(p, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d "
                 "%d\" font-family=\"sans-serif\" font-size=\"11\">", w, h);
    page_add(p, "<title>Issued (grey) and redeemed (green) by day of issue"
                "</title>");
    page_addf(p, "<text x=\"4\" y=\"12\">%ld</text><line x1=\"%d\" y1=\"%d\" "
                 "x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>", max, left,
              h - bottom, w, h - bottom);
    for (i = 0; i < b.n; i++) {
        double slot = (double)(w - left) / b.n;
        double x = left + i * slot + slot * 0.1, bw = slot * 0.8;
        double hi = (double)(h - bottom - 20) * b.issued[i] / max;
        double hr = (double)(h - bottom - 20) * b.redeemed[i] / max;
        page_addf(p, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height="
                     "\"%.1f\" fill=\"#bbb\"><title>%s: %ld issued</title>"
                     "</rect>", x, h - bottom - hi, bw, hi, b.day[i],
                  b.issued[i]);
        page_addf(p, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height="
                     "\"%.1f\" fill=\"#2a2\"><title>%s: %ld redeemed</title>"
                     "</rect>", x + bw * 0.25, h - bottom - hr, bw * 0.5, hr,
                  b.day[i], b.redeemed[i]);
        if (b.n <= 16 || i % (b.n / 8 + 1) == 0)
            page_addf(p, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
                         "%.5s</text>", x + bw / 2, h - 12, b.day[i] + 5);
    }
    page_add(p, "</svg>\n");
    return 0;
}

static void csv_field(page *p, const char *s)
{
    /* a field a spreadsheet would run as a formula starts with a quote */
    page_add(p, "\"");
    if (strchr("=+-@", *s) && *s)
        page_add(p, "'");
    for (; *s; s++) {
        char one[2] = {*s, 0};
        page_add(p, *s == '"' ? "\"\"" : one);
    }
    page_add(p, "\"");
}

static void csv_row(const char *key, long issued, long redeemed, void *user)
{
    page *p = user;

    csv_field(p, key);
    page_addf(p, ",%ld,%ld,%.4f\r\n", issued, redeemed,
              issued ? (double)redeemed / issued : 0.0);
}

int stats_csv(page *p, coupon_store *store, const char *promotion)
{
    ivr_error err;

    page_add(p, "issued_on,issued,redeemed,conversion\r\n");
    return coupon_stats(store, promotion, COUPON_BY_DAY, csv_row, p, &err);
}
