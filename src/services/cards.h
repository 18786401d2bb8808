/* cards.h — partner merchants and the household card (爱心超市/药店/医院/
 * 学校, 困难职工证): partners share each purchase's cost with the union by
 * a ratio; the union's share leaves a fund account of the partner's unit
 * through fund_move (RULE funds.never_negative), the partner's share is
 * tracked; cards are issued to active archives only, suspended when the
 * archive exits and re-activated when the worker is archived again. */
#ifndef BANGFU_CARDS_H
#define BANGFU_CARDS_H

#include "http/route.h"

extern const struct field partner_body[];
extern const struct field partner_patch[];
extern const struct field card_body[];
extern const struct field purchase_body[];

/* Hooks of the archiving workflow, inside its transaction.
 * On exit: the household's active card is suspended (RULE cards.suspend).
 * On enter: a card suspended with an exited archive of the same worker
 * moves to the new archive and is active again (RULE cards.reactivate) —
 * only a card of a unit in the caller's scope: one matched by ID number
 * elsewhere would bring its purchases along (RULE scope.id_link). */
int cards_on_exit(struct ctx *x, int64_t household_id, struct err *e);
int cards_on_enter(struct ctx *x, int64_t household_id, struct err *e);

/* Issues a card to an active archive (422 household_id otherwise; 409
 * conflict when it has one).  Audited; the caller owns the transaction. */
int card_issue(struct ctx *x, int64_t household_id, int64_t *id, struct err *e);
/* Records a purchase of amount_fen at partner `partner_id` against card
 * `card_id` (RULE cards.purchase); *id gets the purchase. */
int card_purchase(struct ctx *x, int64_t card_id, int64_t partner_id, int64_t amount_fen, const char *items,
		  int64_t *id, struct err *e);

int partners_scope(struct req *r);
int partners_h_create(struct req *r);
int partners_h_list(struct req *r);
int partners_h_get(struct req *r);
int partners_h_update(struct req *r);
int partners_h_statement(struct req *r);
int cards_scope(struct req *r);
int cards_h_create(struct req *r);
int cards_h_list(struct req *r);
int cards_h_get(struct req *r);
int cards_h_purchase(struct req *r);

#endif
