"""PortRegistry's party codes on a real Anvil: the registrar records the hashes of the codes that identify an
organisation in DCSA documents (LEI, EORI, carrier code), a code names one organisation at most, and every refusal
comes back as its decoded error with its data.

Each test uses organisations and codes of its own (the devnet cast's codes are taken), and the session's snapshot
reverts what it changed."""

from __future__ import annotations

import itertools

import pytest
from eth_account import Account

from portchain import OrgStatus, Role, errors
from portchain.clients.port_registry import party_code, party_codes
from portchain.devnet import PARTIES, PARTY_CODES
from portchain.types import PartyCode

_serial = itertools.count(1)


def fresh_codes(n: int = 1) -> list[PartyCode]:
    """Codes no other test (nor the devnet cast) uses."""
    return [PartyCode("GLEIF", f"TESTPARTYCODE{next(_serial):07d}") for _ in range(n)]


def fresh_org(port, admin, *, roles=(Role.SHIPPER,)) -> int:  # type: ignore[no-untyped-def]
    return int(port.registry.onboard("Party Code Test B.V.", "NL-KVK-PC-TEST", "NL", roles,
                                     [Account.create().address], sender=admin).org_id)


def registrar_role(port) -> bytes:  # type: ignore[no-untyped-def]
    return bytes(port.registry._call("REGISTRAR_ROLE"))


# -- recording, reading, freeing -----------------------------------------------------------------------------------


def test_codes_recorded_as_hashes_and_read_back(port, admin) -> None:  # type: ignore[no-untyped-def]
    org = fresh_org(port, admin)
    lei, eori = fresh_codes(2)
    receipt = port.registry.add_party_codes(org, [lei, str(eori)], sender=admin)  # PartyCode or PROVIDER:CODE
    added = port.registry.events(receipt, "PartyCodeAdded")
    assert [(e.args["orgId"], e.args["codeHash"]) for e in added] == [(org, lei.hash()), (org, eori.hash())]
    assert port.registry.org_of_party_code(lei) == org
    assert port.registry.org_of_party_code(eori.hash()) == org  # by the hash alone
    assert port.registry.org_of_party_code("0x" + eori.hash().hex()) == org
    unknown = fresh_codes()[0]
    assert port.registry.org_of_party_code(unknown) == 0
    assert port.registry.org_of_party_codes([lei, unknown, eori, lei]) == {lei: org, unknown: 0, eori: org}
    assert port.registry.org_of_party_codes([]) == {}
    # the code itself never reaches the chain: only its hash is in the calldata
    tx = port.layer.request("eth_getTransactionByHash", [receipt.tx_hash])
    assert lei.code.encode().hex() not in tx["input"] and lei.hash().hex() in tx["input"]


def test_re_adding_a_code_the_organisation_holds_changes_nothing(port, admin) -> None:  # type: ignore[no-untyped-def]
    org = fresh_org(port, admin)
    held, new = fresh_codes(2)
    port.registry.add_party_codes(org, [held], sender=admin)
    receipt = port.registry.add_party_codes(org, [held, new], sender=admin)
    assert [e.args["codeHash"] for e in port.registry.events(receipt, "PartyCodeAdded")] == [new.hash()]
    again = port.registry.add_party_codes(org, [held, new], sender=admin)  # the same list again: a no-op
    assert port.registry.events(again, "PartyCodeAdded") == []
    # the same hash twice in one raw call is recorded once
    twice = fresh_codes()[0]
    raw = port.registry._send(admin, "addPartyCodes", org, [twice.hash(), twice.hash()])
    assert len(port.registry.events(raw, "PartyCodeAdded")) == 1
    assert {port.registry.org_of_party_code(c) for c in (held, new, twice)} == {org}


def test_a_code_names_one_organisation_and_taken_names_the_holder(port, admin) -> None:  # type: ignore[no-untyped-def]
    holder, other = fresh_org(port, admin), fresh_org(port, admin)
    lei = fresh_codes()[0]
    port.registry.add_party_codes(holder, [lei], sender=admin)
    before_other = fresh_codes()[0]
    with pytest.raises(errors.PartyCodeTaken) as taken:
        port.registry.add_party_codes(other, [before_other, lei], sender=admin)
    assert (taken.value.code_hash, taken.value.org_id) == (lei.hash(), holder)
    assert port.registry.org_of_party_code(lei) == holder
    assert port.registry.org_of_party_code(before_other) == 0  # the whole list was refused


def test_removal_frees_the_code_for_another_organisation(port, admin) -> None:  # type: ignore[no-untyped-def]
    first, successor = fresh_org(port, admin), fresh_org(port, admin)
    lei = fresh_codes()[0]
    port.registry.add_party_codes(first, [lei], sender=admin)
    receipt = port.registry.remove_party_code(str(lei), sender=admin)
    (removed,) = port.registry.events(receipt, "PartyCodeRemoved")
    assert (removed.args["orgId"], removed.args["codeHash"]) == (first, lei.hash())
    assert port.registry.org_of_party_code(lei) == 0
    port.registry.add_party_codes(successor, [lei], sender=admin)
    assert port.registry.org_of_party_code(lei) == successor
    history = port.registry.logs(["PartyCodeAdded", "PartyCodeRemoved"], None, lei.hash())
    assert [(e.name, e.args["orgId"]) for e in history] == [
        ("PartyCodeAdded", first), ("PartyCodeRemoved", first), ("PartyCodeAdded", successor)]


def test_status_decides_who_may_receive_codes(port, admin) -> None:  # type: ignore[no-untyped-def]
    registry = port.registry
    suspended, revoked = fresh_org(port, admin), fresh_org(port, admin)
    kept = fresh_codes()[0]
    registry.add_party_codes(revoked, [kept], sender=admin)
    registry.suspend(suspended, "audit", sender=admin)
    code = fresh_codes()[0]
    registry.add_party_codes(suspended, [code], sender=admin)  # suspended: still the same legal entity
    assert registry.org_of_party_code(code) == suspended

    registry.revoke(revoked, "licence withdrawn", sender=admin)
    with pytest.raises(errors.OrganisationNotActive) as inactive:
        registry.add_party_codes(revoked, fresh_codes(), sender=admin)
    assert (inactive.value.org_id, inactive.value.status) == (revoked, OrgStatus.REVOKED)
    # a revoked organisation keeps its codes (its documents still name it) until the registrar frees them
    assert registry.org_of_party_code(kept) == revoked
    registry.remove_party_code(kept, sender=admin)
    assert registry.org_of_party_code(kept) == 0


# -- refusals ----------------------------------------------------------------------------------------------------


def test_only_the_registrar_assigns_or_frees_codes(port, admin, parties) -> None:  # type: ignore[no-untyped-def]
    carrier, shipper = parties[Role.CARRIER], parties[Role.SHIPPER]
    own = fresh_codes()[0]
    # an organisation can claim no code for itself, nor take another's
    for attempt in (
        lambda: port.registry.add_party_codes(carrier.org_id, [own], sender=carrier.account),
        lambda: port.registry.add_party_codes(carrier.org_id, PARTY_CODES[Role.SHIPPER], sender=carrier.account),
        lambda: port.registry.remove_party_code(PARTY_CODES[Role.SHIPPER][0], sender=carrier.account),
        lambda: port.registry.remove_party_code(PARTY_CODES[Role.SHIPPER][0], sender=shipper.account),
    ):
        with pytest.raises(errors.AccessControlUnauthorizedAccount) as info:
            attempt()
        assert info.value.needed_role == registrar_role(port)
        assert info.value.account in (carrier.address, shipper.address)
    assert port.registry.org_of_party_code(own) == 0
    assert port.registry.org_of_party_code(PARTY_CODES[Role.SHIPPER][0]) == shipper.org_id


def test_zero_hash_refused(port, admin) -> None:  # type: ignore[no-untyped-def]
    org = fresh_org(port, admin)
    code = fresh_codes()[0]
    with pytest.raises(errors.ZeroHash):
        port.registry._send(admin, "addPartyCodes", org, [code.hash(), bytes(32)])
    assert port.registry.org_of_party_code(code) == 0


def test_empty_list_refused(port, admin) -> None:  # type: ignore[no-untyped-def]
    org = fresh_org(port, admin)
    with pytest.raises(errors.NoPartyCodes):
        port.registry._send(admin, "addPartyCodes", org, [])
    with pytest.raises(errors.InputError, match="at least one party code"):  # the SDK sends nothing
        port.registry.add_party_codes(org, [], sender=admin)


def test_unknown_organisation_refused(port, admin) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.UnknownOrganisation) as info:
        port.registry.add_party_codes(999, fresh_codes(), sender=admin)
    assert info.value.org_id == 999
    with pytest.raises(errors.UnknownOrganisation):
        port.registry._send(admin, "addPartyCodes", 0, [fresh_codes()[0].hash()])


def test_contract_organisation_refused(port, admin) -> None:  # type: ignore[no-untyped-def]
    escrow = port.lc.escrow_organisation()
    with pytest.raises(errors.ContractOrganisation) as info:
        port.registry.add_party_codes(escrow, fresh_codes(), sender=admin)
    assert info.value.org_id == escrow


def test_removing_an_unassigned_code_refused(port, admin) -> None:  # type: ignore[no-untyped-def]
    code = fresh_codes()[0]
    with pytest.raises(errors.UnknownPartyCode) as info:
        port.registry.remove_party_code(code, sender=admin)
    assert info.value.code_hash == code.hash()
    org = fresh_org(port, admin)
    port.registry.add_party_codes(org, [code], sender=admin)
    port.registry.remove_party_code(code, sender=admin)
    with pytest.raises(errors.UnknownPartyCode):  # freed once
        port.registry.remove_party_code(code, sender=admin)


@pytest.mark.parametrize("bad, message", [
    ("9845PCCARRIER0000041", "PROVIDER:CODE"),
    ("GLEIF:", "party code must not be empty"),
    (":9845PCCARRIER0000041", "code list provider must not be empty"),
    ("GLEIF:" + "X" * 151, "longer than 150"),
    (42, "PROVIDER:CODE"),
])
def test_sdk_refuses_malformed_codes_before_sending(port, admin, bad, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(errors.InputError, match=message):
        port.registry.add_party_codes(1, [bad], sender=admin)


def test_sdk_refuses_a_code_listed_twice_and_a_bare_text(port, admin) -> None:  # type: ignore[no-untyped-def]
    code = fresh_codes()[0]
    with pytest.raises(errors.InputError, match="listed twice"):
        port.registry.add_party_codes(1, [code, str(code)], sender=admin)
    with pytest.raises(errors.InputError, match="a list"):
        port.registry.add_party_codes(1, str(code), sender=admin)  # type: ignore[arg-type]
    with pytest.raises(errors.InputError, match="party code hash"):
        port.registry.org_of_party_code(b"short")
    assert party_codes(["NL-EORI:NL812345678"]) == (party_code(PartyCode("NL-EORI", "NL812345678")),)


# -- the devnet cast ------------------------------------------------------------------------------------------------


def test_devnet_cast_codes_resolve_to_their_organisations(port, parties) -> None:  # type: ignore[no-untyped-def]
    assert {spec.role: spec.codes for spec in PARTIES} == PARTY_CODES
    assert set(PARTY_CODES) == set(Role)
    everything = [code for codes in PARTY_CODES.values() for code in codes]
    assert len(set(everything)) == len(everything) == 11
    found = port.registry.org_of_party_codes(everything)
    for role, codes in PARTY_CODES.items():
        for code in codes:
            assert found[code] == parties[role].org_id, f"{code} of {role.name}"
            assert port.registry.org_of_party_code(code) == parties[role].org_id
    assert port.registry.org_of_party_code(PartyCode("SMDG", "BAL")) == parties[Role.CARRIER].org_id


def test_devnet_leis_carry_valid_iso_17442_check_digits() -> None:
    for codes in PARTY_CODES.values():
        for code in codes:
            if code.provider == "GLEIF":
                digits = "".join(str(int(c, 36)) for c in code.code)
                assert len(code.code) == 20 and int(digits) % 97 == 1, code
