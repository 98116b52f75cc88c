/*
 * sip_register.c: the line registered at a registrar (RFC 3261 10), so a
 * PBX or a proxy routes the calls for an address of record to it. libre's
 * sipreg sends the REGISTERs, refreshes them before they expire and
 * answers the registrar's digest challenge (RFC 2617) with the
 * credentials kept here.
 */
#include "sip_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An hour, as most phones ask; the registrar may grant less, and libre
 * refreshes at about half of what was granted. */
#define REGISTER_EXPIRES 3600

struct sip_registration {
    sip_line *line;
    struct sipreg *reg;
    char aor[256], registrar[256];
    char *user, *password;
    int registered;             /* the registrar said 2xx at least once */
    int lost;                   /* the last refresh failed */
};

/* The registrar's challenge: the address's user and the password given.
 * libre asks again after a refusal only for another realm or a stale
 * nonce, so a wrong password comes back as a 401 to on_registered. */
static int on_challenge(char **user, char **password, const char *realm,
                        void *arg)
{
    sip_registration *r = arg;

    (void)realm;
    if (!r->password)
        return EAUTH;
    if (libre.str_dup(user, r->user) || libre.str_dup(password, r->password))
        return ENOMEM;
    return 0;
}

static void on_registered(int e, const struct sip_msg *msg, void *arg)
{
    sip_registration *r = arg;
    sip_line *l = r->line;
    char why[128];

    if (!e && msg && msg->scode < 300) {
        if (!r->registered || r->lost)
            l->hooks.registration(1, r->aor, r->registrar, l->hooks.user);
        r->registered = 1;
        r->lost = 0;
        return;
    }
    if (e == ETIMEDOUT)
        snprintf(why, sizeof why, "did not answer");
    else if (e)
        snprintf(why, sizeof why, "cannot be reached: %s", strerror(e));
    else
        libre.re_snprintf(why, sizeof why, "answered %u %r", msg->scode,
                          &msg->reason);
    if (!r->registered) {
        /* never reachable: the line is of no use, say why and stop */
        int challenged = msg && (msg->scode == 401 || msg->scode == 407);
        ivr_error_set(&l->err, IVR_EFAIL, "--sip-register %s: the registrar "
                      "%s %s%s", r->aor, r->registrar, why,
                      !challenged ? ""
                      : r->password ? " (is the password right?)"
                                    : " (it wants a password: "
                                      "IVR_SIP_PASSWORD or "
                                      "--sip-password-file)");
        sip_line_stop(l);
        return;
    }
    /* reachable until now: the calls in progress go on, libre tries
     * again */
    if (!r->lost)
        l->hooks.registration(0, r->aor, why, l->hooks.user);
    r->lost = 1;
}

static void registration_free(sip_registration *r)
{
    if (!r)
        return;
    libre.mem_deref(r->reg);
    if (r->password) {
        memset(r->password, 0, strlen(r->password));
        free(r->password);
    }
    free(r->user);
    free(r);
}

int sip_line_register(sip_line *l, const char *aor, const char *password,
                      ivr_error *err)
{
    sip_registration *r;
    struct uri u;
    struct pl pl;
    char contact_user[64];
    int e;

    libre.pl_set_str(&pl, aor);
    if (libre.uri_decode(&u, &pl) != 0 ||
        libre.pl_strcasecmp(&u.scheme, "sip") || !u.user.l)
        return ivr_error_set(err, IVR_EUSAGE, "--sip-register %s: a SIP "
                             "address with a user, such as "
                             "sip:pharmacy@pbx.example", aor);
    if (!sip_uri_port_ok(aor))
        return ivr_error_set(err, IVR_EUSAGE, "--sip-register %s: the port "
                             "is not 1 to 65535", aor);
    if (!l->hooks.registration)
        return ivr_error_set(err, IVR_EINTERNAL, "the line has no "
                             "registration hook");
    if (!(r = calloc(1, sizeof *r)))
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    r->line = l;
    snprintf(r->aor, sizeof r->aor, "%s", aor);
    /* the registrar is the address's host (RFC 3261 10.2.6), port and
     * transport parameters kept */
    if (u.port)
        libre.re_snprintf(r->registrar, sizeof r->registrar, "sip:%r:%u%r",
                          &u.host, (unsigned)u.port, &u.params);
    else
        libre.re_snprintf(r->registrar, sizeof r->registrar, "sip:%r%r",
                          &u.host, &u.params);
    libre.re_snprintf(contact_user, sizeof contact_user, "%r", &u.user);
    r->user = strdup(contact_user);
    r->password = password ? strdup(password) : NULL;
    if (!r->user || (password && !r->password)) {
        registration_free(r);
        return ivr_error_set(err, IVR_EINTERNAL, "out of memory");
    }
    e = libre.sipreg_register(&r->reg, l->sip, r->registrar, aor, NULL, aor,
                              REGISTER_EXPIRES, contact_user, NULL, 0, 0,
                              on_challenge, r, false, on_registered, r, NULL,
                              NULL);
    if (e) {
        registration_free(r);
        return ivr_error_set(err, IVR_EOUTPUT, "--sip-register %s: %s", aor,
                             strerror(e));
    }
    l->registration = r;
    return IVR_OK;
}

void sip_registration_end(sip_line *l)
{
    /* libre's registration, freed, unregisters (a REGISTER with expires
     * 0, which the line's closing lets finish); the registrar's challenge
     * to it is answered from the credentials, kept until the line's stack
     * is gone */
    if (l->registration)
        l->registration->reg = libre.mem_deref(l->registration->reg);
}

void sip_registration_free(sip_line *l)
{
    registration_free(l->registration);
    l->registration = NULL;
}
