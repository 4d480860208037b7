"""`portchain registry add-party-codes | party-code | remove-party-code` on the session's suite."""

from __future__ import annotations

import json

from portchain.types import PartyCode
from tests.contracts.test_party_codes import fresh_codes, fresh_org


def test_cli_add_read_and_remove_party_codes(port, admin, suite_cli) -> None:  # type: ignore[no-untyped-def]
    org = fresh_org(port, admin)
    lei, carrier_code = str(fresh_codes()[0]), "SMDG:TPC"
    code, out, _ = suite_cli("registry", "add-party-codes", str(org), lei, carrier_code, "--json")
    assert code == 0 and json.loads(out)["codes"] == [lei, carrier_code] and json.loads(out)["orgId"] == org
    code, out, _ = suite_cli("registry", "party-code", carrier_code, "--json")
    assert code == 0 and json.loads(out) == {
        "code": carrier_code, "codeHash": "0x" + PartyCode("SMDG", "TPC").hash().hex(), "orgId": org}
    code, out, _ = suite_cli("registry", "party-code", lei)
    assert (code, out) == (0, f"{lei}: organisation {org}\n")
    code, out, _ = suite_cli("registry", "remove-party-code", carrier_code)
    assert code == 0 and out.startswith(f"{carrier_code} is free (no organisation holds it) (tx 0x")
    code, out, _ = suite_cli("registry", "party-code", carrier_code)
    assert (code, out) == (0, f"{carrier_code}: no organisation holds it\n")

    code, out, err = suite_cli("registry", "remove-party-code", carrier_code)
    assert code == 1 and out == "" and "UnknownPartyCode" in err
    code, _, err = suite_cli("registry", "add-party-codes", str(org), "GLEIF:9845PCCARRIER0000041")
    assert code == 1 and "PartyCodeTaken" in err
    code, _, err = suite_cli("registry", "add-party-codes", str(org), "9845PCCARRIER0000041")
    assert code == 2 and "party code must be PROVIDER:CODE" in err
    code, _, err = suite_cli("registry", "add-party-codes", str(org), lei, lei)
    assert code == 2 and "listed twice" in err
    code, _, err = suite_cli("registry", "add-party-codes", str(org), "SMDG:XYZ", "--as", "carrier")
    assert code == 2  # the registrar signs: registry actions take no --as
