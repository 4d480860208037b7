"""PortRegistry on a real Anvil: every transition and every refusal, with the decoded error and its data.

Refusals the SDK would catch before sending are triggered here through the raw transaction path
(``registry._send``), so the contract's own checks are proven too."""

from __future__ import annotations

import pytest
from eth_account import Account

from portchain import OrgStatus, Role, errors
from portchain.clients.port_registry import text_hash
from portchain.types import roles_mask

ZERO = "0x0000000000000000000000000000000000000000"


def raw_onboard(registry, admin, *, name=None, reg=None, country=b"NL", roles=1, ports=(), signers=None):  # type: ignore[no-untyped-def]
    signers = [Account.create().address] if signers is None else signers
    return registry._send(
        admin, "onboard", name if name is not None else text_hash("Org"), reg if reg is not None else text_hash("Id"),
        country, roles, list(ports), list(signers),
    )


def test_onboard_stores_hashes_and_state(port, admin):  # type: ignore[no-untyped-def]
    signer = Account.create().address
    onboarded = port.registry.onboard(
        "Rotterdam Customs", "NL-DOU-1", "nl", ["customs"], [signer], ["NLRTM"], sender=admin
    )
    org = port.registry.organisation(onboarded.org_id)
    assert org.name_hash == text_hash("Rotterdam Customs")
    assert org.registration_id_hash == text_hash("NL-DOU-1")
    assert (org.country, org.roles, org.status, org.signer_count) == ("NL", (Role.CUSTOMS,), OrgStatus.ACTIVE, 1)
    assert port.registry.org_of(signer) == onboarded.org_id
    assert port.registry.operates_at(onboarded.org_id, "NLRTM")
    assert not port.registry.operates_at(onboarded.org_id, "CNSZX")
    assert port.registry.is_acting(signer, Role.CUSTOMS, "NL")
    assert not port.registry.is_acting(signer, Role.CUSTOMS, "CN")
    assert port.registry.require_acting(signer, Role.CUSTOMS, "NL") == onboarded.org_id
    (event,) = port.registry.events(onboarded.receipt, "OrganisationOnboarded")
    assert event.args["roles"] == roles_mask([Role.CUSTOMS])


def test_suspend_reinstate_revoke_cycle(port, admin, parties):  # type: ignore[no-untyped-def]
    bank = parties[Role.BANK]
    registry = port.registry
    registry.suspend(bank.org_id, "audit", sender=admin)
    assert registry.organisation(bank.org_id).status == OrgStatus.SUSPENDED
    assert not registry.is_acting(bank.address, Role.BANK)
    registry.reinstate(bank.org_id, sender=admin)
    assert registry.is_acting(bank.address, Role.BANK)
    registry.revoke(bank.org_id, "licence withdrawn", sender=admin)
    assert registry.organisation(bank.org_id).status == OrgStatus.REVOKED
    assert not registry.is_acting(bank.address, Role.BANK)


def test_signers_added_and_removed(port, admin, parties):  # type: ignore[no-untyped-def]
    carrier = parties[Role.CARRIER]
    extra_account = Account.create()
    extra = extra_account.address
    port.fund(extra)
    receipt = port.registry.add_signer(carrier.org_id, extra, sender=carrier.account)
    (proposed,) = port.registry.events(receipt, "SignerProposed")
    assert (proposed.args["orgId"], proposed.args["signer"]) == (carrier.org_id, extra)
    assert port.registry.org_of(extra) == 0  # proposed, not yet signing
    with pytest.raises(errors.NoSignerProposal) as wrong:
        port.registry.accept_signer(parties[Role.BANK].org_id, sender=extra_account)
    assert (wrong.value.account, wrong.value.org_id) == (extra, parties[Role.BANK].org_id)
    port.registry.accept_signer(carrier.org_id, sender=extra_account)
    assert port.registry.require_acting(extra, Role.CARRIER) == carrier.org_id
    with pytest.raises(errors.NoSignerProposal):  # a proposal is used once
        port.registry.accept_signer(carrier.org_id, sender=extra_account)
    assert port.registry.signers(carrier.org_id) == [carrier.address, extra]
    port.registry.remove_signer(extra, sender=carrier.account)
    assert port.registry.org_of(extra) == 0
    assert port.registry.signers(carrier.org_id) == [carrier.address]
    assert port.registry.organisation(carrier.org_id).signer_count == 1


def test_set_roles_and_ports(port, admin, parties):  # type: ignore[no-untyped-def]
    forwarder = parties[Role.FORWARDER]
    port.registry.set_roles(forwarder.org_id, [Role.FORWARDER, Role.SHIPPER], sender=admin)
    assert port.registry.is_acting(forwarder.address, Role.SHIPPER)
    port.registry.set_port(forwarder.org_id, "CNSHA", sender=admin)
    assert port.registry.operates_at(forwarder.org_id, "CNSHA")
    port.registry.set_port(forwarder.org_id, "CNSHA", False, sender=admin)
    assert not port.registry.operates_at(forwarder.org_id, "CNSHA")


# -- refusals -------------------------------------------------------------------------------------------------


def test_only_registrar_may_onboard(port, parties):  # type: ignore[no-untyped-def]
    outsider = parties[Role.CARRIER].account
    with pytest.raises(errors.AccessControlUnauthorizedAccount) as info:
        port.registry.onboard("X", "Y", "NL", [Role.BANK], [Account.create().address], sender=outsider)
    assert info.value.account == outsider.address
    assert info.value.needed_role == port.registry._call("REGISTRAR_ROLE")


@pytest.mark.parametrize("field", ["name", "reg"])
def test_zero_hash_refused(port, admin, field):  # type: ignore[no-untyped-def]
    with pytest.raises(errors.ZeroHash):
        raw_onboard(port.registry, admin, **{field: bytes(32)})


@pytest.mark.parametrize("country", [b"nl", b"N1", b"\x00\x00"])
def test_invalid_country_refused(port, admin, country):  # type: ignore[no-untyped-def]
    with pytest.raises(errors.InvalidCountry) as info:
        raw_onboard(port.registry, admin, country=country)
    assert info.value.country == country


def test_invalid_port_refused(port, admin, parties):  # type: ignore[no-untyped-def]
    with pytest.raises(errors.InvalidPort) as info:
        raw_onboard(port.registry, admin, ports=[b"nlrtm"])
    assert info.value.port == b"nlrtm"
    with pytest.raises(errors.InvalidPort):
        port.registry._send(admin, "setPort", parties[Role.CARRIER].org_id, bytes(5), True)


@pytest.mark.parametrize("roles", [0, 1 << 10, 0xFFFF])
def test_invalid_roles_refused(port, admin, parties, roles):  # type: ignore[no-untyped-def]
    with pytest.raises(errors.InvalidRoles) as info:
        raw_onboard(port.registry, admin, roles=roles)
    assert info.value.roles == roles
    with pytest.raises(errors.InvalidRoles):
        port.registry._send(admin, "setRoles", parties[Role.CARRIER].org_id, roles)


def test_no_signers_refused(port, admin):  # type: ignore[no-untyped-def]
    with pytest.raises(errors.NoSigners):
        raw_onboard(port.registry, admin, signers=[])


def test_zero_signer_refused(port, admin, parties):  # type: ignore[no-untyped-def]
    with pytest.raises(errors.InvalidSigner) as info:
        raw_onboard(port.registry, admin, signers=[ZERO])
    assert info.value.signer == ZERO
    with pytest.raises(errors.InvalidSigner):
        port.registry._send(parties[Role.BANK].account, "addSigner", parties[Role.BANK].org_id, ZERO)


def test_signer_of_another_organisation_refused(port, admin, parties):  # type: ignore[no-untyped-def]
    carrier, bank = parties[Role.CARRIER], parties[Role.BANK]
    with pytest.raises(errors.SignerAlreadyRegistered) as info:
        port.registry.add_signer(bank.org_id, carrier.address, sender=bank.account)
    assert (info.value.signer, info.value.org_id) == (carrier.address, carrier.org_id)


def test_unknown_organisation_refused(port, admin):  # type: ignore[no-untyped-def]
    for action in (
        lambda: port.registry.organisation(999),
        lambda: port.registry.suspend(999, sender=admin),
        lambda: port.registry.reinstate(999, sender=admin),
        lambda: port.registry.revoke(999, sender=admin),
        lambda: port.registry.set_roles(999, [Role.BANK], sender=admin),
        lambda: port.registry.signers(999),
        lambda: port.registry._call("requireActiveOrganisation", 999),
    ):
        with pytest.raises(errors.UnknownOrganisation) as info:
            action()
        assert info.value.org_id == 999


def test_invalid_status_transitions_refused(port, admin, parties):  # type: ignore[no-untyped-def]
    org = parties[Role.INSURER].org_id
    with pytest.raises(errors.InvalidStatusTransition) as info:
        port.registry.reinstate(org, sender=admin)
    assert (info.value.org_id, info.value.current, info.value.requested) == (org, OrgStatus.ACTIVE, OrgStatus.ACTIVE)
    port.registry.suspend(org, sender=admin)
    with pytest.raises(errors.InvalidStatusTransition) as info:
        port.registry.suspend(org, sender=admin)
    assert (info.value.current, info.value.requested) == (OrgStatus.SUSPENDED, OrgStatus.SUSPENDED)
    port.registry.revoke(org, sender=admin)
    with pytest.raises(errors.InvalidStatusTransition) as info:
        port.registry.revoke(org, sender=admin)
    assert (info.value.current, info.value.requested) == (OrgStatus.REVOKED, OrgStatus.REVOKED)
    with pytest.raises(errors.InvalidStatusTransition) as info:
        port.registry.reinstate(org, sender=admin)
    assert (info.value.current, info.value.requested) == (OrgStatus.REVOKED, OrgStatus.ACTIVE)


def test_revoked_organisation_cannot_change(port, admin, parties):  # type: ignore[no-untyped-def]
    org = parties[Role.TAX].org_id
    port.registry.revoke(org, sender=admin)
    for action in (
        lambda: port.registry.add_signer(org, Account.create().address, sender=parties[Role.TAX].account),
        lambda: port.registry.set_roles(org, [Role.TAX], sender=admin),
        lambda: port.registry.set_port(org, "NLRTM", sender=admin),
    ):
        with pytest.raises(errors.OrganisationNotActive) as info:
            action()
        assert (info.value.org_id, info.value.status) == (org, OrgStatus.REVOKED)


def test_remove_unknown_signer_refused(port, admin, parties):  # type: ignore[no-untyped-def]
    stranger = Account.create().address
    with pytest.raises(errors.NotASigner) as info:
        port.registry.remove_signer(stranger, sender=parties[Role.BANK].account)
    assert info.value.account == stranger


def test_require_acting_refusals(port, admin, parties):  # type: ignore[no-untyped-def]
    registry = port.registry
    customs = parties[Role.CUSTOMS]
    stranger = Account.create().address
    with pytest.raises(errors.NotASigner) as not_signer:
        registry.require_acting(stranger, Role.CUSTOMS)
    assert not_signer.value.account == stranger

    with pytest.raises(errors.MissingRole) as missing:
        registry.require_acting(customs.address, Role.TAX)
    assert (missing.value.account, missing.value.org_id, missing.value.role) == (
        customs.address, customs.org_id, Role.TAX
    )

    with pytest.raises(errors.OutsideJurisdiction) as outside:
        registry.require_acting(customs.address, Role.CUSTOMS, "CN")
    assert (outside.value.org_id, outside.value.org_country, outside.value.required_country) == (
        customs.org_id, b"NL", b"CN"
    )

    registry.suspend(customs.org_id, sender=admin)
    with pytest.raises(errors.OrganisationNotActive) as inactive:
        registry.require_acting(customs.address, Role.CUSTOMS, "NL")
    assert (inactive.value.org_id, inactive.value.status) == (customs.org_id, OrgStatus.SUSPENDED)


def test_constructor_refuses_zero_admin(port, admin):  # type: ignore[no-untyped-def]
    from portchain._artifacts import load_artifact
    from portchain.clients._base import contract_abi

    code = bytes.fromhex(load_artifact("PortRegistry")["bytecode"][2:])
    with pytest.raises(errors.InvalidSigner) as info:
        port.layer.send(admin, None, code + contract_abi("PortRegistry").encode_constructor([ZERO]))
    assert info.value.signer == ZERO


def test_refusal_changes_nothing(port, admin, parties):  # type: ignore[no-untyped-def]
    block = port.layer.request("eth_blockNumber", [])
    bank = parties[Role.BANK]
    nonce = port.layer.request("eth_getTransactionCount", [bank.address, "latest"])
    with pytest.raises(errors.SignerAlreadyRegistered):
        port.registry.add_signer(bank.org_id, parties[Role.CARRIER].address, sender=bank.account)
    assert port.layer.request("eth_blockNumber", []) == block
    assert port.layer.request("eth_getTransactionCount", [bank.address, "latest"]) == nonce
    # the nonce cache is still right: the next transaction goes through
    port.registry.add_signer(bank.org_id, Account.create().address, sender=bank.account)


def test_renouncing_a_role_for_someone_else_is_refused(port, admin, parties) -> None:  # type: ignore[no-untyped-def]
    role = port.registry._call("REGISTRAR_ROLE")
    with pytest.raises(errors.AccessControlBadConfirmation):
        port.registry._send(admin, "renounceRole", role, parties[Role.BANK].address)
