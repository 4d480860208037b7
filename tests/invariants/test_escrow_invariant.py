"""The letter-of-credit escrow holds exactly the undrawn escrow of its credits, whatever happens.

A seeded random walk over presentations, honours, refusals, waivers, returns, claims, amendments, the passing of
time and expiries; refusals by the contract are part of the walk. After every step: the contract's token balance
equals the sum of `escrowed`, and each credit's `reserved` equals the amounts of its presentations still under
examination."""

from __future__ import annotations

import random

from portchain import ContractError
from portchain.types import CreditState, Discrepancy, PresentationState

from ..trade import DAY, UNIT, Trade

OPEN = (PresentationState.PRESENTED, PresentationState.REFUSED, PresentationState.WAIVED)


def check(trade: Trade, credits: list[int], presentations: list[tuple[int, int]]) -> None:
    lc = trade.port.lc
    views = {c: lc.credit(c) for c in credits}
    assert trade.token.balance_of(lc.address) == sum(v.escrowed for v in views.values())
    for credit, view in views.items():
        open_amounts = sum(
            p.amount for c, n in presentations if c == credit
            for p in [lc.presentation(c, n)] if p.state in OPEN
        )
        assert view.reserved == open_amounts
        assert view.escrowed >= view.reserved + view.available


def test_escrow_invariant_under_a_random_walk(trade: Trade) -> None:
    rng = random.Random(20261124)
    lc = trade.port.lc
    credits = [trade.credit(partial_drawings=True, amount=rng.randrange(50, 150) * 1_000 * UNIT) for _ in range(3)]
    presentations: list[tuple[int, int]] = []
    refusals = 0
    done: list[str] = []

    def pick_open(states: tuple[PresentationState, ...]) -> tuple[int, int] | None:
        candidates = [(c, n) for c, n in presentations if lc.presentation(c, n).state in states]
        return rng.choice(candidates) if candidates else None

    for step in range(120):
        op = rng.choice(["present", "present", "honour", "refuse", "waive", "return", "claim", "amend", "answer",
                         "travel", "expire"])
        try:
            if op == "present":
                credit = rng.choice(credits)
                number = trade.present(credit, rng.randrange(1, 40) * 1_000 * UNIT, tag=f"walk-{step}")
                presentations.append((credit, number))
            elif op in ("honour", "refuse", "waive", "return", "claim"):
                wanted = {"honour": OPEN[::2], "refuse": OPEN[:1], "waive": OPEN[:2], "return": OPEN[1:2], "claim": OPEN}
                chosen = pick_open(wanted[op])
                if chosen is None:
                    continue
                credit, number = chosen
                if op == "honour":
                    lc.honour(credit, number, sender=trade.issuing.account)
                elif op == "refuse":
                    found = lc.presentation(credit, number).discrepancies
                    lc.refuse(credit, number, found | Discrepancy.OTHER, sender=trade.issuing.account)
                elif op == "waive":
                    lc.waive(credit, number, sender=trade.applicant.account)
                elif op == "return":
                    lc.return_documents(credit, number, sender=trade.issuing.account)
                else:
                    lc.claim(credit, number, sender=trade.beneficiary.account)
            elif op == "amend":
                lc.amend(rng.choice(credits), amount=rng.randrange(20, 200) * 1_000 * UNIT, sender=trade.issuing.account)
            elif op == "answer":
                credit = rng.choice(credits)
                if rng.random() < 0.5:
                    lc.accept_amendment(credit, sender=trade.beneficiary.account)
                else:
                    lc.reject_amendment(credit, sender=trade.beneficiary.account)
            elif op == "travel":
                trade.travel(rng.randrange(1, 12) * DAY)
            else:
                lc.expire(rng.choice(credits), sender=trade.carrier.account)
        except ContractError:
            refusals += 1
        check(trade, credits, presentations)
        done.append(op)

    assert set(done) == {"present", "honour", "refuse", "waive", "return", "claim", "amend", "answer", "travel", "expire"}
    assert presentations and refusals  # the walk exercised both paths
    assert any(lc.presentation(c, n).state == PresentationState.HONOURED for c, n in presentations)
    assert {lc.credit(c).state for c in credits} <= {CreditState.ISSUED, CreditState.EXPIRED}
