"""Named networks and secrets.

Networks are built in (``anvil``, ``sepolia``, ``besu``) and read their RPC URL from the environment, so the
same code reaches a testnet or a consortium chain by configuration alone. Secrets come only from the
environment, a ``.env`` file (python-dotenv, never overriding the real environment) or an encrypted keystore
JSON; they are never printed or logged.

>>> get_network("anvil").chain_id
31337
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import find_dotenv, load_dotenv
from eth_account import Account
from eth_account.signers.local import LocalAccount

from .errors import ConfigurationError, InputError, MissingKeyError, UnknownNetworkError

# The mnemonic Anvil, Hardhat and Ganache publish for their development accounts. Public by design; portchain
# derives keys from it only on a local development network, never elsewhere.
DEV_MNEMONIC = "test test test test test test test test test test test junk"


@dataclass(frozen=True)
class Network:
    """A chain portchain can talk to."""

    name: str
    chain_id: int
    rpc_url: str | None
    confirmations: int = 0
    local: bool = False
    rpc_env: str = ""

    def __repr__(self) -> str:
        where = safe_host(self.rpc_url) if self.rpc_url else "auto-started anvil"
        return f"Network({self.name}, chain {self.chain_id}, {where})"


def safe_host(url: str) -> str:
    """host:port of an RPC URL, without the user, password, path or query that may carry an API key."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    return f"{host}:{parts.port}" if parts.port else host


def load_env() -> None:
    """Read a ``.env`` file (cwd upwards) into the environment once, without overriding what is set."""
    _load_env_once()


@lru_cache(maxsize=1)
def _load_env_once() -> None:
    path = find_dotenv(usecwd=True)
    if path:
        load_dotenv(path, override=False)


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from None


def networks() -> dict[str, Network]:
    """Every configured network by name."""
    load_env()
    return {
        "anvil": Network(
            "anvil",
            _int_env("PORTCHAIN_ANVIL_CHAIN_ID", 31337),
            os.environ.get("PORTCHAIN_ANVIL_RPC_URL") or None,
            confirmations=0,
            local=True,
            rpc_env="PORTCHAIN_ANVIL_RPC_URL",
        ),
        "sepolia": Network(
            "sepolia",
            11155111,
            os.environ.get("SEPOLIA_RPC_URL") or None,
            confirmations=_int_env("SEPOLIA_CONFIRMATIONS", 2),
            rpc_env="SEPOLIA_RPC_URL",
        ),
        "besu": Network(
            "besu",
            _int_env("BESU_CHAIN_ID", 1337),
            os.environ.get("BESU_RPC_URL") or None,
            confirmations=_int_env("BESU_CONFIRMATIONS", 0),
            rpc_env="BESU_RPC_URL",
        ),
    }


def get_network(name: str, *, rpc_url: str | None = None) -> Network:
    """The network called ``name``; a remote one must have its RPC URL configured (or given as ``rpc_url``)."""
    known = networks()
    if name not in known:
        raise UnknownNetworkError(f"unknown network {name!r}; known networks: {', '.join(known)}")
    network = known[name]
    if rpc_url:
        return replace(network, rpc_url=rpc_url)
    if network.rpc_url is None and not network.local:
        raise ConfigurationError(f"network {name!r} needs an RPC URL: set {network.rpc_env} (see .env.example)")
    return network


def dev_account(index: int) -> LocalAccount:
    """Development account ``index`` of the public Anvil mnemonic (local networks only)."""
    return _dev_account(index)


@cache
def _dev_account(index: int) -> LocalAccount:
    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    return account


def account_from_key(key: str) -> LocalAccount:
    """An account from a hex private key; the error never echoes the key."""
    try:
        account: LocalAccount = Account.from_key(key.strip())
    except Exception:
        raise InputError("the private key is malformed (expected 32 bytes of hex)") from None
    return account


def account_from_keystore(path: str | Path, password: str) -> LocalAccount:
    """An account from an encrypted keystore JSON (Web3 Secret Storage)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"cannot read keystore {path}: {exc.__class__.__name__}") from None
    if not isinstance(data, dict) or "crypto" not in data and "Crypto" not in data:
        raise ConfigurationError(f"{path} is not an encrypted keystore (Web3 Secret Storage JSON)")
    try:
        account: LocalAccount = Account.from_key(Account.decrypt(data, password))
    except ValueError:
        raise ConfigurationError(f"wrong password for keystore {path}") from None
    except (KeyError, TypeError):
        raise ConfigurationError(f"{path} is not a readable keystore (Web3 Secret Storage JSON)") from None
    return account


def deployer_account(network: Network) -> LocalAccount:
    """The account that deploys and administers: $PORTCHAIN_PRIVATE_KEY, then $PORTCHAIN_KEYSTORE (with
    $PORTCHAIN_KEYSTORE_PASSWORD), then, on a local network only, development account 0."""
    load_env()
    key = os.environ.get("PORTCHAIN_PRIVATE_KEY")
    if key:
        return account_from_key(key)
    keystore = os.environ.get("PORTCHAIN_KEYSTORE")
    if keystore:
        password = os.environ.get("PORTCHAIN_KEYSTORE_PASSWORD")
        if password is None:
            raise MissingKeyError("PORTCHAIN_KEYSTORE is set but PORTCHAIN_KEYSTORE_PASSWORD is not")
        return account_from_keystore(keystore, password)
    if network.local:
        return dev_account(0)
    raise MissingKeyError(
        f"no key for network {network.name!r}: set PORTCHAIN_PRIVATE_KEY or PORTCHAIN_KEYSTORE (see .env.example)"
    )
