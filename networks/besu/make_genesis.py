"""Write the four-validator QBFT network of this folder: dev-keys/, genesis.json and static-nodes.json.

DEVELOPMENT ONLY. The validator keys are derived from a public phrase (anyone can recompute them) and the funded
account is development account 0 of the public mnemonic "test test ... junk": never use any of them on a network
that holds anything of value. Run from the project root with the project's venv:

    .venv/bin/python networks/besu/make_genesis.py            # rewrite the files (the same bytes every time)
    .venv/bin/python networks/besu/make_genesis.py --check    # verify the shipped files, write nothing

The check decodes extraData the way Besu's QbftExtraDataCodec does (RLP list of: 32-byte vanity, the validator
addresses, an empty vote list, round 0, an empty seal list) and compares everything with what this script derives.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import rlp
from eth_account import Account
from eth_keys import keys
from eth_utils import keccak, to_checksum_address

HERE = Path(__file__).resolve().parent
KEYS_DIR = HERE / "dev-keys"
VALIDATORS = 4
CHAIN_ID = 1337  # the SDK's `besu` network (BESU_CHAIN_ID) defaults to it
SUBNET_PREFIX = "172.28.0."  # docker-compose.yml gives validator N the address 172.28.0.(10 + N)
P2P_PORT = 30303
# The EVM of the compiled contracts (portchain.compiler.EVM_VERSION): london, then shanghai from genesis; no later
# milestone (cancun's MCOPY and TLOAD/TSTORE are not in the shipped code, and need not be on this chain).
MILESTONES: dict[str, int] = {"berlinBlock": 0, "londonBlock": 0, "shanghaiTime": 0}
QBFT = {"blockperiodseconds": 2, "epochlength": 30000, "requesttimeoutseconds": 4}
# "ctical byzantine fault tolerance": the mixHash every IBFT 2.0 / QBFT block carries
BFT_MIX_HASH = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365"
DEV_MNEMONIC = "test test test test test test test test test test test junk"
FUNDED_ACCOUNTS = 20  # development accounts 0..19: the deployer (0) and enough signers for a scenario's parties
FUNDED_WEI = 10_000 * 10**18


def validator_key(index: int) -> keys.PrivateKey:
    """Validator ``index`` (1..4): a key anyone can recompute from a public phrase (dev only)."""
    return keys.PrivateKey(keccak(text=f"portchain besu DEV-ONLY validator {index}"))


def extra_data(validators: list[str]) -> str:
    """QBFT genesis extraData: RLP([vanity (32 zero bytes), [validators], [] (no vote), 0 (round), [] (seals)])."""
    encoded = rlp.encode([b"\x00" * 32, [bytes.fromhex(v[2:]) for v in validators], [], 0, []])
    return "0x" + encoded.hex()


def decode_extra_data(data: str) -> list[str]:
    """The validators of a QBFT extraData, checking each field as Besu's decoder reads it."""
    vanity, validators, vote, round_number, seals = rlp.decode(bytes.fromhex(data.removeprefix("0x")))
    if vanity != b"\x00" * 32 or vote != [] or round_number != b"" or seals != []:
        raise ValueError("extraData is not a QBFT genesis extraData (vanity, validators, [], 0, [])")
    if not all(isinstance(v, bytes) and len(v) == 20 for v in validators):
        raise ValueError("extraData validators must be 20-byte addresses")
    return [to_checksum_address(v) for v in validators]


def dev_accounts() -> list[str]:
    Account.enable_unaudited_hdwallet_features()
    return [
        Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{i}").address for i in range(FUNDED_ACCOUNTS)
    ]


def genesis(validators: list[str]) -> dict[str, Any]:
    return {
        "config": {
            "chainId": CHAIN_ID,
            **MILESTONES,
            "qbft": QBFT,
        },
        "nonce": "0x0",
        "timestamp": "0x0",
        "gasLimit": hex(30_000_000),
        "difficulty": "0x1",
        "mixHash": BFT_MIX_HASH,
        "coinbase": "0x" + "00" * 20,
        "alloc": {address.lower()[2:]: {"balance": hex(FUNDED_WEI)} for address in dev_accounts()},
        "extraData": extra_data(validators),
    }


def files() -> dict[Path, str]:
    """Every file this script owns, by path, with its content."""
    out: dict[Path, str] = {}
    validators, enodes = [], []
    for index in range(1, VALIDATORS + 1):
        key = validator_key(index)
        address = key.public_key.to_checksum_address()
        validators.append(address)
        enodes.append(f"enode://{key.public_key.to_bytes().hex()}@{SUBNET_PREFIX}{10 + index}:{P2P_PORT}")
        folder = KEYS_DIR / f"validator{index}"
        out[folder / "key"] = "0x" + key.to_bytes().hex()  # Besu's --node-private-key-file format
        out[folder / "key.pub"] = "0x" + key.public_key.to_bytes().hex()
        out[folder / "address"] = address + "\n"
    out[HERE / "genesis.json"] = json.dumps(genesis(validators), indent=2) + "\n"
    out[HERE / "static-nodes.json"] = json.dumps(enodes, indent=2) + "\n"
    return out


def check() -> list[str]:
    """What differs between the shipped files and what this script derives (empty: all good)."""
    problems = [f"{path.relative_to(HERE)} differs" for path, text in files().items()
                if not path.is_file() or path.read_text() != text]
    shipped = json.loads((HERE / "genesis.json").read_text())
    expected = [validator_key(i).public_key.to_checksum_address() for i in range(1, VALIDATORS + 1)]
    if decode_extra_data(shipped["extraData"]) != expected:
        problems.append("extraData does not decode to the four validators")
    return problems


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        problems = check()
        print("\n".join(problems) or "networks/besu: genesis, extraData, keys and static nodes agree")
        return 1 if problems else 0
    for path, text in files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(HERE.parents[1])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
