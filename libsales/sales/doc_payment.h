/*
 * doc_payment.h - the payment QR code of an invoice, as GOST R 56042-2014
 * defines it and Russian banks' apps read it: "ST00012|Name=...|
 * PersonalAcc=...|BankName=...|BIC=...|CorrespAcc=...|PayeeINN=...|
 * KPP=...|Sum=...|Purpose=..." in UTF-8 (the 2 after ST0001).
 *
 * The payee's requisites come from the company config (doc-render -c):
 * seller.name, seller.inn, seller.kpp, seller.bank.{name, bik, account,
 * corr_account}.  The caller owns every buffer; nothing here prints.
 */
#ifndef LS_DOC_PAYMENT_H
#define LS_DOC_PAYMENT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "config.h"
#include "document.h"
#include "error.h"

/*
 * Append the payment string to out: the requisites from company (the
 * config's root map), Sum as total in kopecks, Purpose as "Оплата по
 * счёту № NUMBER от DATE" and the VAT of each group g[0..ng) («в т.ч. НДС
 * 22% 1234.56», «без НДС»).  Returns 0; LS_EDATA with err naming the key
 * when a required requisite (name, account, bank name, BIK, correspondent
 * account) is missing or empty, holds a '|' (the string's separator) or a
 * line break, or when total is not positive; LS_ENOMEM.
 */
int ls_doc_payment_text(const struct ls_node *company, const char *number, const char *date,
    int64_t total, const struct ls_vat_group *g, size_t ng, struct ls_buf *out, struct ls_error *err);

#endif
