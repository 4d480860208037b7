"""The letter-of-credit escrow holds exactly the undrawn escrow of its credits plus the payments held for withdrawal,
whatever happens.

A seeded random walk over presentations, honours, refusals, waivers, returns, claims (by anyone), amendments and
their funding, the passing of time, expiries (with presentations still under examination), a token that refuses
some recipients and withdrawals of what it refused; refusals by the contract are part of the walk. After every step,
for each token: the contract's balance equals the sum of its credits' `escrowed` plus what is owed to accounts
(`owed_to`); and each credit's `reserved` equals the amounts of its presentations still under examination."""

from __future__ import annotations

import random
from collections.abc import Callable

from eth_account import Account

from portchain import ContractError
from portchain.clients.letter_of_credit import Credit
from portchain.types import CreditState, Discrepancy, PresentationState

from ..trade import DAY, UNIT, Trade

OPEN = (PresentationState.PRESENTED, PresentationState.REFUSED, PresentationState.WAIVED)


def owed(view: Credit, states: list[tuple[PresentationState, int]]) -> tuple[int, int]:
    """(what the escrow still owes under a credit, what of it can still be drawn), from the credit's terms and its
    presentations rather than its escrow accounting: a credit still open owes its maximum drawing (amount and
    tolerance as amended) less what was honoured, plus a funded increase not accepted yet; a closed one owes only
    the presentations it still examines, and nothing of it can be drawn."""
    under_examination = sum(amount for state, amount in states if state in OPEN)
    if view.state not in (CreditState.APPLIED, CreditState.ISSUED):
        return under_examination, 0
    honoured = sum(amount for state, amount in states if state == PresentationState.HONOURED)
    drawable = view.max_drawable - honoured - under_examination
    return view.max_drawable - honoured + (view.amendment_increase if view.amendment_funded else 0), drawable


def check(
    trade: Trade,
    balances: dict[str, Callable[[str], int]],
    credits: list[int],
    presentations: list[tuple[int, int]],
    accounts: list[str],
) -> int:
    """Assert the invariant; returns the total held for withdrawal (all tokens)."""
    lc = trade.port.lc
    views = {c: lc.credit(c) for c in credits}
    states: dict[int, list[tuple[PresentationState, int]]] = {c: [] for c in credits}
    for c, n in presentations:
        p = lc.presentation(c, n)
        states[c].append((p.state, p.amount))
    expected = {c: owed(view, states[c]) for c, view in views.items()}
    held_total = 0
    for token, balance_of in balances.items():
        escrowed = sum(v.escrowed for v in views.values() if v.token == token)
        held = sum(lc.owed_to(token, account) for account in accounts)
        assert balance_of(lc.address) == escrowed + held
        assert balance_of(lc.address) == sum(expected[c][0] for c, v in views.items() if v.token == token) + held
        held_total += held
    for credit, view in views.items():
        open_amounts = sum(amount for state, amount in states[credit] if state in OPEN)
        assert view.reserved == open_amounts
        assert (view.escrowed, view.available) == expected[credit]
    return held_total


def test_escrow_invariant_under_a_random_walk(trade: Trade, deploy_fixture) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(20261124)
    lc = trade.port.lc
    # a token that refuses recipients on demand: payments and refunds it refuses are held for withdrawal
    hostile = deploy_fixture("HostileToken")
    hostile.send("mint", trade.applicant.address, 10_000_000 * UNIT)
    hostile.send("approve", lc.address, 2**256 - 1, sender=trade.applicant.account)
    payee = Account.create()
    trade.port.fund(payee.address)
    trade.payee = payee.address
    holders = {payee.address: payee, trade.applicant.address: trade.applicant.account}
    balances = {trade.token.address: trade.token.balance_of, hostile.address: lambda a: hostile.call("balanceOf", a)}
    def terms(**more):  # type: ignore[no-untyped-def]  # staggered expiries: some close early, under examination
        expiry = trade.now() + rng.randrange(35, 90) * DAY
        return dict(partial_drawings=True, amount=rng.randrange(50, 150) * 1_000 * UNIT, expiry=expiry, **more)

    credits = [trade.credit(**terms()) for _ in range(3)]
    credits += [trade.credit(**terms(token=hostile.address)) for _ in range(2)]
    anyone = [trade.beneficiary.account, trade.applicant.account, trade.carrier.account, trade.issuing.account]
    presentations: list[tuple[int, int]] = []
    refusals = 0
    done: list[str] = []
    ever_held = withdrawn = 0
    resolved_after_close = 0

    def pick_open(states: tuple[PresentationState, ...]) -> tuple[int, int] | None:
        candidates = [(c, n) for c, n in presentations if lc.presentation(c, n).state in states]
        return rng.choice(candidates) if candidates else None

    for step in range(200):
        op = rng.choice(["present", "present", "honour", "refuse", "waive", "return", "claim", "amend", "fund",
                         "answer", "travel", "expire", "block", "withdraw"])
        try:
            if op == "present":
                credit = rng.choice(credits)
                number = trade.present(credit, rng.randrange(1, 40) * 1_000 * UNIT, tag=f"walk-{step}")
                presentations.append((credit, number))
            elif op in ("honour", "refuse", "waive", "return", "claim"):
                wanted = {
                    "honour": OPEN[::2], "refuse": OPEN[:1], "waive": OPEN[:2], "return": OPEN[1:2], "claim": OPEN
                }
                chosen = pick_open(wanted[op])
                if chosen is None:
                    continue
                credit, number = chosen
                closed = lc.credit(credit).state != CreditState.ISSUED
                if op == "honour":
                    lc.honour(credit, number, sender=trade.issuing.account)
                elif op == "refuse":
                    found = lc.presentation(credit, number).discrepancies
                    lc.refuse(credit, number, found | Discrepancy.OTHER, sender=trade.issuing.account)
                elif op == "waive":
                    lc.waive(credit, number, sender=trade.applicant.account)
                elif op == "return":  # the bank or the beneficiary; anyone once the credit has expired
                    lc.return_documents(credit, number, sender=rng.choice(anyone))
                else:  # anyone, once the bank is precluded
                    lc.claim(credit, number, sender=rng.choice(anyone))
                resolved_after_close += closed and op in ("honour", "return", "claim")
            elif op == "amend":
                amount = rng.randrange(20, 200) * 1_000 * UNIT
                lc.amend(rng.choice(credits), amount=amount, sender=trade.issuing.account)
            elif op == "fund":
                lc.fund_amendment(rng.choice(credits), sender=trade.applicant.account)
            elif op == "answer":
                credit = rng.choice(credits)
                if rng.random() < 0.5:
                    lc.accept_amendment(credit, sender=trade.beneficiary.account)
                else:
                    lc.reject_amendment(credit, sender=trade.beneficiary.account)
            elif op == "travel":
                trade.travel(rng.randrange(1, 12) * DAY)
            elif op == "expire":  # mostly a credit with presentations still open: they must resolve afterwards
                pending = sorted({c for c, n in presentations if lc.presentation(c, n).state in OPEN})
                closing = rng.choice(pending if pending and rng.random() < 0.8 else credits)
                lc.expire(closing, sender=trade.carrier.account)
            elif op == "block":
                hostile.send("setBlocked", rng.choice(list(holders)), rng.random() < 0.6)
            else:  # withdraw what a token refused, to the account itself or elsewhere
                account = holders[rng.choice(list(holders))]
                to = account.address if rng.random() < 0.5 else Account.create().address
                lc.withdraw(rng.choice(list(balances)), to, sender=account)
                withdrawn += 1
        except ContractError:
            refusals += 1
        ever_held = max(ever_held, check(trade, balances, credits, presentations, list(holders)))
        done.append(op)

    assert set(done) == {"present", "honour", "refuse", "waive", "return", "claim", "amend", "fund", "answer",
                         "travel", "expire", "block", "withdraw"}
    assert presentations and refusals  # the walk exercised both paths
    assert any(lc.presentation(c, n).state == PresentationState.HONOURED for c, n in presentations)
    assert ever_held and withdrawn  # payments were held and withdrawn
    assert resolved_after_close  # presentations pending at expiry still resolved afterwards
    assert {lc.credit(c).state for c in credits} <= {CreditState.ISSUED, CreditState.EXPIRED}
