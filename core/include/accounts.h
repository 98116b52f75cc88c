/*
 * accounts.h: who may use the merchant site (ivr-web): merchants, who
 * redeem the serials of the promotions they accept, and promoters, who see
 * how their promotions convert. Kept in the record (the SQLite file of the
 * coupons and the SMS), passwords as Argon2id hashes (libsodium).
 *
 * Signing in is throttled twice: an account with too many failures is
 * locked for a while, and so is an address trying too many accounts.
 */
#ifndef IVR_ACCOUNTS_H
#define IVR_ACCOUNTS_H

#include "error.h"

#include <stddef.h>

typedef enum account_role { ROLE_MERCHANT, ROLE_PROMOTER } account_role;

typedef struct accounts accounts;

accounts *accounts_open(const char *db, ivr_error *err);
void accounts_close(accounts *a);

/* A new account (IVR_EINPUT when the name is taken or not a name: 1 to 64
 * letters, digits, '.', '-', '_'); promotions is what a merchant accepts
 * ("spring,summer"; "*" all), ignored for promoters. The password (at
 * least 10 characters) is hashed here and never kept. */
int accounts_add(accounts *a, const char *name, account_role role,
                 const char *password, const char *promotions,
                 ivr_error *err);

/* The merchant's mobile number (E.164), from which it may redeem by SMS
 * ("REDEEM 7K2M-Q9XD-4TB8"); "" forgets it. */
int accounts_set_phone(accounts *a, const char *name, const char *phone,
                       ivr_error *err);

/* The merchant whose number phone is, into name; IVR_EFAIL when none. */
int accounts_merchant_by_phone(accounts *a, const char *phone, char *name,
                               size_t size, ivr_error *err);
int accounts_remove(accounts *a, const char *name, ivr_error *err);

/* Calls fn for every account, by name. */
int accounts_each(accounts *a,
                  void (*fn)(const char *name, account_role role,
                             const char *promotions, const char *created,
                             void *user),
                  void *user, ivr_error *err);

/* Signs name in from address: IVR_OK and *role when the password is right;
 * IVR_EFAIL with a message fit to show ("wrong name or password", "locked
 * until ...") otherwise. Every attempt is logged. */
int accounts_sign_in(accounts *a, const char *name, const char *password,
                     const char *address, account_role *role,
                     ivr_error *err);

/* 1 when merchant accepts promotion. */
int accounts_accepts(accounts *a, const char *merchant,
                     const char *promotion);

/* Failed sign-ins an account may have in ACCOUNTS_WINDOW_S before it is
 * locked, and an address before it is refused. */
#define ACCOUNTS_MAX_FAILURES 5
#define ACCOUNTS_MAX_FAILURES_ADDRESS 20
#define ACCOUNTS_WINDOW_S 900

#endif
