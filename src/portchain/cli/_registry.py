"""portchain registry onboard|designate|add-signer|accept-signer|remove-signer|add-party-codes|remove-party-code|
suspend|reinstate|revoke|show|party-code."""

from __future__ import annotations

import argparse
import time
from typing import Any

from ..clients.port_registry import party_code, party_codes
from ..errors import InputError, NotFoundError
from ._common import ACTOR, COMMON, NETWORK, argument, connect_persistent, emit, group, org_id, subparser
from ._dispatch import Call, Command, bind


def _onboard_demo(args: argparse.Namespace) -> int:
    from ..devnet import PARTIES, account_for, onboard_parties

    with connect_persistent(args) as port:
        onboarded = onboard_parties(port)
        rows = {spec.role.name: {"orgId": port.registry.org_of(account_for(spec.role).address),
                                 "signer": account_for(spec.role).address, "name": spec.name,
                                 "codes": [str(code) for code in spec.codes]} for spec in PARTIES}
        emit(args, rows, "\n".join(
            f"{role:<14} organisation {row['orgId']:>3}  {row['signer']}  {row['name']}"
            + ("" if any(p.spec.role.name == role for p in onboarded.values()) else "  (already onboarded)")
            for role, row in rows.items()))
    return 0


def _show(args: argparse.Namespace) -> int:
    with connect_persistent(args) as port:
        if args.org_id is None and not args.address:
            raise InputError("registry show needs an organisation id or --address")
        registry = port.registry
        org = args.org_id if args.org_id is not None else registry.org_of(args.address)
        if org == 0:  # like an unknown organisation id (UnknownOrganisation): exit 1, where bad syntax exits 2
            raise NotFoundError(f"{args.address} signs for no organisation")
        record = registry.organisation(org)
        signers = registry.signers(org)
    text = "\n".join([
        f"organisation {record.org_id}: {record.status.name}, {record.country}, "
        f"roles {', '.join(r.name for r in record.roles)}",
        f"  name hash        0x{record.name_hash.hex()}",
        f"  registration id  0x{record.registration_id_hash.hex()}",
        f"  onboarded at     {time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime(record.onboarded_at))}",
        f"  signers          {', '.join(signers) or '-'}",
    ])
    emit(args, {**record.to_json(), "signers": signers}, text)
    return 0


def _party_code(args: argparse.Namespace) -> int:
    code = args.code
    with connect_persistent(args) as port:
        org = port.registry.org_of_party_code(code)
    text = f"{code}: organisation {org}" if org else f"{code}: no organisation holds it"
    emit(args, {"code": str(code), "codeHash": "0x" + code.hash().hex(), "orgId": org}, text)
    return 0


def _distinct_codes(args: argparse.Namespace) -> None:
    party_codes(args.codes)  # the same code twice is a usage error, found before connecting


def _organisation(call: Call) -> int:
    return int(call.args.org_id)


_ORG = {"organisation": _organisation}

COMMANDS: dict[str, Command] = {
    "onboard": Command(
        "registry.onboard", says=lambda done: f"onboarded organisation {done.outcome.number}",
        json=lambda done: {"orgId": done.outcome.number},
        values={"roles": lambda call: [r for r in (part.strip() for part in call.args.roles.split(",")) if r],
                "signers": lambda call: call.args.signer, "ports": lambda call: call.args.port},
    ),
    "designate": Command("registry.designate", values=_ORG,
                         says=lambda done: f"designated organisation {done.args.org_id} as the {done.args.role} "
                                           f"authority of {done.args.country.upper()}"),
    "add-signer": Command("registry.add_signer", values=_ORG,
                          says=lambda done: f"proposed {done.args.signer} as a signer of organisation "
                                            f"{done.args.org_id}; it signs once it accepts (portchain registry "
                                            f"accept-signer {done.args.org_id}, with its own key)"),
    "accept-signer": Command("registry.accept_signer", values=_ORG,
                             says=lambda done: f"{done.call.account.address} now signs for organisation "
                                               f"{done.args.org_id}"),
    "remove-signer": Command("registry.remove_signer", says=lambda done: f"removed signer {done.args.signer}"),
    "add-party-codes": Command(
        "registry.add_party_codes", values=_ORG, prepare=_distinct_codes,
        says=lambda done: f"organisation {done.args.org_id} holds {', '.join(map(str, done.args.codes))}",
        json=lambda done: {"orgId": done.args.org_id, "codes": [str(code) for code in done.args.codes]},
    ),
    "remove-party-code": Command("registry.remove_party_code",
                                 says=lambda done: f"{done.args.code} is free (no organisation holds it)"),
    "suspend": Command("registry.suspend", values=_ORG,
                       says=lambda done: f"suspended organisation {done.args.org_id}"),
    "reinstate": Command("registry.reinstate", values=_ORG,
                         says=lambda done: f"reinstated organisation {done.args.org_id}"),
    "revoke": Command("registry.revoke", values=_ORG, says=lambda done: f"revoked organisation {done.args.org_id}"),
}


def register(sub: Any) -> None:
    actions = group(sub, "registry", "participant registry: onboard, signers, party codes, suspend, revoke, show",
                    "portchain registry show 3 --json")
    parents = [COMMON, NETWORK]
    a = subparser(actions, "onboard", "onboard an organisation (consortium admin)",
                  "portchain registry onboard --name 'Dutch Customs' --registration-id NL-DOU-1 --country NL "
                  "--roles customs --signer 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC --port NLRTM", parents)
    a.add_argument("--name", required=True, help="legal name (only its hash goes on-chain)")
    a.add_argument("--registration-id", required=True,
                   help="company registration / EORI id (only its hash goes on-chain)")
    a.add_argument("--country", required=True, help="jurisdiction, ISO 3166-1 alpha-2 (NL, CN ...)")
    a.add_argument("--roles", required=True, help="comma-separated: carrier,shipper,consignee,bank,customs,tax,"
                                                  "port-operator,forwarder,insurer,inspector")
    a.add_argument("--signer", action="append", required=True, help="signing address (repeat for several)")
    a.add_argument("--port", action="append", default=[], help="UN/LOCODE of a port it operates at (repeatable)")
    a = subparser(actions, "designate", "make an organisation its country's customs or tax authority (consortium "
                  "admin; the first one onboarded in a country is designated automatically)",
                  "portchain registry designate 5 --country NL --role customs", parents)
    a.add_argument("org_id", type=org_id)
    a.add_argument("--country", required=True, help="the authority's jurisdiction, ISO 3166-1 alpha-2")
    a.add_argument("--role", required=True, choices=["customs", "tax"], help="which authority")
    a = subparser(actions, "add-signer", "propose another signing address (signed by one of the organisation's "
                  "own signers; the consortium admin cannot); it signs once it accepts",
                  "portchain registry add-signer 3 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --as carrier",
                  parents + [ACTOR])
    a.add_argument("org_id", type=org_id)
    a.add_argument("signer")
    a = subparser(actions, "accept-signer", "the proposed address accepts to sign for the organisation (signed with "
                  "that address's own key: <NETWORK>_PRIVATE_KEY or a keystore)", "portchain registry accept-signer 3",
                  parents + [ACTOR])
    a.add_argument("org_id", type=org_id)
    a = subparser(actions, "remove-signer", "withdraw a signing address (signed by a signer of the same "
                  "organisation; the last one stays)",
                  "portchain registry remove-signer 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --as carrier",
                  parents + [ACTOR])
    a.add_argument("signer")
    code = argument(party_code)
    a = subparser(actions, "add-party-codes", "record the party codes that identify an organisation in DCSA "
                  "documents: LEI, EORI, DUNS, SMDG/NMFTA carrier code (consortium admin; only their hashes go "
                  "on-chain; a code another organisation holds is refused)",
                  "portchain registry add-party-codes 2 GLEIF:9845PCCARRIER0000041 SMDG:BAL", parents)
    a.add_argument("org_id", type=org_id)
    a.add_argument("codes", nargs="+", type=code, metavar="PROVIDER:CODE",
                   help="a code with its code list provider, e.g. GLEIF:<LEI>, NL-EORI:<EORI>, SMDG:<carrier code>")
    a = subparser(actions, "remove-party-code", "free a party code, e.g. a lapsed or transferred LEI (consortium "
                  "admin)", "portchain registry remove-party-code GLEIF:9845PCCARRIER0000041", parents)
    a.add_argument("code", type=code, metavar="PROVIDER:CODE", help="the code with its code list provider")
    for action, verb in (("suspend", "suspend an active organisation"), ("revoke", "revoke an organisation for good")):
        a = subparser(actions, action, verb, f"portchain registry {action} 3 --reason 'licence under review'", parents)
        a.add_argument("org_id", type=org_id)
        a.add_argument("--reason", default="", help="reason (kept off-chain; its hash goes on-chain)")
    a = subparser(actions, "reinstate", "reinstate a suspended organisation", "portchain registry reinstate 3", parents)
    a.add_argument("org_id", type=org_id)
    subparser(actions, "onboard-demo", "local networks: onboard the demo organisation of every role, so that "
              "`--as ROLE` works (idempotent)", "portchain registry onboard-demo", parents)
    a = subparser(actions, "show", "show an organisation by id or signer address", "portchain registry show 3 --json",
                  parents)
    a.add_argument("org_id", nargs="?", type=org_id)
    a.add_argument("--address", help="show the organisation this address signs for")
    a = subparser(actions, "party-code", "show the organisation that holds a party code (0: none)",
                  "portchain registry party-code GLEIF:9845PCCARRIER0000041 --json", parents)
    a.add_argument("code", type=code, metavar="PROVIDER:CODE", help="the code with its code list provider")
    bind(actions, COMMANDS, {"onboard-demo": _onboard_demo, "show": _show, "party-code": _party_code})
