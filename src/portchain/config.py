"""Named networks and secrets.

Three networks are built in (``anvil``, ``sepolia``, ``besu``); any number more (a consortium's own chain, a second
testnet) are defined without code in ``portchain.toml`` at the project root (or the file ``$PORTCHAIN_CONFIG``
names), which may also adjust a built-in one::

    [networks.rehearsal]                 # NAME = REHEARSAL: its variables are REHEARSAL_RPC_URL, REHEARSAL_KEYSTORE ...
    rpc_url_env = "REHEARSAL_RPC_URL"    # or rpc_url = "http://besu.internal:8545" (the variable still overrides it)
    chain_id = 2025
    confirmations = 1
    block_time = 2                       # seconds between blocks: a hint the waiting times are derived from
    local = false
    settlement_token = "0x..."           # the ERC-20 letters of credit settle in (else deployed with --with-token)

Keys are per network and come only from the environment, a ``.env`` file (python-dotenv, never overriding the real
environment) or an encrypted keystore JSON: ``<NAME>_PRIVATE_KEY`` or ``<NAME>_KEYSTORE`` with
``<NAME>_KEYSTORE_PASSWORD`` (NAME: the network's name upper-cased, dashes as underscores). Setting both is an
error. A local network without its own key signs with Anvil's public development account 0; a remote network
without its own key falls back to ``PORTCHAIN_PRIVATE_KEY`` / ``PORTCHAIN_KEYSTORE`` (one identity for every remote
network, never for a local one), and without that is refused. Keys are never printed or logged.

>>> get_network("anvil").chain_id
31337
>>> env_prefix("rehearsal-sepolia")
'REHEARSAL_SEPOLIA'
"""

from __future__ import annotations

import importlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dotenv import find_dotenv, load_dotenv
from eth_account import Account
from eth_account.signers.local import LocalAccount

from .errors import ConfigurationError, InputError, MissingKeyError, UnknownNetworkError

# The mnemonic Anvil, Hardhat and Ganache publish for their development accounts. Public by design; portchain
# derives keys from it only on a local development network, never elsewhere.
DEV_MNEMONIC = "test test test test test test test test test test test junk"

CONFIG_FILE = "portchain.toml"
CONFIG_ENV = "PORTCHAIN_CONFIG"
# The deliberate fallback for remote networks only: one identity for every testnet or consortium chain that has no
# key of its own. A local network never reads these.
FALLBACK_PRIVATE_KEY = "PORTCHAIN_PRIVATE_KEY"
FALLBACK_KEYSTORE = "PORTCHAIN_KEYSTORE"
FALLBACK_SETTLEMENT_TOKEN = "PORTCHAIN_SETTLEMENT_TOKEN"

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class KeySource:
    """Where a network's signing key comes from: the names of the variables (never their values), and a keystore
    path the configuration file may give."""

    private_key_env: str
    keystore_env: str
    keystore_password_env: str
    keystore_path: str | None = None  # from portchain.toml; $keystore_env overrides it
    keystore_origin: str = ""  # how an error names keystore_path

    @classmethod
    def of(cls, prefix: str) -> KeySource:
        return cls(f"{prefix}_PRIVATE_KEY", f"{prefix}_KEYSTORE", f"{prefix}_KEYSTORE_PASSWORD")

    def describe(self) -> str:
        keystore = self.keystore_origin or self.keystore_env
        return f"{self.private_key_env} or {keystore} (with {self.keystore_password_env})"


FALLBACK_KEYS = KeySource(FALLBACK_PRIVATE_KEY, FALLBACK_KEYSTORE, f"{FALLBACK_KEYSTORE}_PASSWORD")
_UNSET_KEYS = KeySource("", "", "")


@dataclass(frozen=True)
class Network:
    """A chain portchain can talk to."""

    name: str
    chain_id: int
    rpc_url: str | None
    confirmations: int = 0
    local: bool = False
    rpc_env: str = ""
    block_time: float = 12.0  # seconds between blocks (a hint): waiting times derive from it
    settlement_token: str | None = None  # a configured ERC-20, else the recorded SettlementToken deployment
    settlement_token_source: str = ""  # the variable or file key it came from, for messages
    source: str = "built-in"  # or the portchain.toml that defines or adjusts it
    keys: KeySource = field(default=_UNSET_KEYS, repr=False)  # default: the <NAME>_... variables of ``name``

    def __post_init__(self) -> None:
        if self.keys is _UNSET_KEYS:
            object.__setattr__(self, "keys", KeySource.of(env_prefix(self.name)))

    def __repr__(self) -> str:
        where = safe_host(self.rpc_url) if self.rpc_url else "auto-started anvil"
        return f"Network({self.name}, chain {self.chain_id}, {where})"

    @property
    def settlement_token_hint(self) -> str:
        """How to configure this network's settlement token, for messages."""
        table = f"settlement_token in {CONFIG_FILE} [networks.{self.name}]"
        fallback = "" if self.local else f", {FALLBACK_SETTLEMENT_TOKEN}"
        return f"{env_prefix(self.name)}_SETTLEMENT_TOKEN{fallback} or {table}"


def safe_host(url: str) -> str:
    """host:port of an RPC URL, without the user, password, path or query that may carry an API key."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    return f"{host}:{parts.port}" if parts.port else host


def env_prefix(name: str) -> str:
    """The prefix of a network's own variables: its name upper-cased, dashes as underscores."""
    return name.upper().replace("-", "_")


def load_env() -> None:
    """Read a ``.env`` file (cwd upwards) into the environment once, without overriding what is set."""
    _load_env_once()


@lru_cache(maxsize=1)
def _load_env_once() -> None:
    path = find_dotenv(usecwd=True)
    if path:
        load_dotenv(path, override=False)


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def _int_env(name: str, default: int) -> int:
    raw = _env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigurationError(f"{name} must be an integer, got {raw!r}") from None


def _float_env(name: str, default: float) -> float:
    raw = _env(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        raise ConfigurationError(f"{name} must be a number of seconds above 0, got {raw!r}")
    return value


# --------------------------------------------------------------------------------------------------------------
# portchain.toml
# --------------------------------------------------------------------------------------------------------------


def project_dir(start: Path | None = None) -> Path | None:
    """The project the current directory is in: the nearest folder upwards with a ``portchain.toml``, or a portchain
    checkout (``contracts/`` and ``package.json``); None outside any."""
    here = (start or Path.cwd()).resolve()
    for folder in [here, *here.parents]:
        checkout = (folder / "contracts").is_dir() and (folder / "package.json").is_file()
        if checkout or (folder / CONFIG_FILE).is_file():
            return folder
    return None


def config_file() -> Path | None:
    """``$PORTCHAIN_CONFIG``, else ``portchain.toml`` of the project (see :func:`project_dir`), else None."""
    explicit = _env(CONFIG_ENV)
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise ConfigurationError(f"{CONFIG_ENV}={explicit} is not a file")
        return path
    root = project_dir()
    if root is not None and (root / CONFIG_FILE).is_file():
        return root / CONFIG_FILE
    return None


def _check_variable(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _VARIABLE.fullmatch(value):
        raise ConfigurationError(f"{where} must name an environment variable, got {value!r}")
    return value


def _check_int(value: Any, where: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigurationError(f"{where} must be a whole number of at least {minimum}, got {value!r}")
    return value


def _check_seconds(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ConfigurationError(f"{where} must be a number of seconds above 0, got {value!r}")
    return float(value)


def _check_bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigurationError(f"{where} must be true or false, got {value!r}")
    return value


def _check_text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigurationError(f"{where} must be a non-empty string, got {value!r}")
    return value.strip()


def _check_address(value: Any, where: str) -> str:
    from .types import to_address

    try:
        return to_address(value if isinstance(value, str) else repr(value), where)
    except InputError as exc:
        raise ConfigurationError(str(exc)) from None


# What a [networks.<name>] table may hold, and how each value is checked.
TABLE_KEYS: dict[str, Any] = {
    "rpc_url": _check_text,
    "rpc_url_env": _check_variable,
    "chain_id": lambda value, where: _check_int(value, where, 1),
    "confirmations": lambda value, where: _check_int(value, where, 0),
    "block_time": _check_seconds,
    "local": _check_bool,
    "private_key_env": _check_variable,
    "keystore": _check_text,
    "keystore_env": _check_variable,
    "keystore_password_env": _check_variable,
    "settlement_token": _check_address,
}
_SECRETS = ("private_key", "keystore_password", "password", "mnemonic")


def _check_table(path: Path, name: str, table: Any) -> dict[str, Any]:
    where = f"{path}: [networks.{name}]"
    if not _NAME.fullmatch(name):
        raise ConfigurationError(f"{where}: a network name is letters, digits, '-' and '_'")
    if not isinstance(table, dict):
        raise ConfigurationError(f"{where} must be a table of settings")
    checked: dict[str, Any] = {}
    for key, value in table.items():
        if key in _SECRETS:
            raise ConfigurationError(
                f"{where}: '{key}': secrets never go in {CONFIG_FILE}; set {env_prefix(name)}_PRIVATE_KEY or "
                f"{env_prefix(name)}_KEYSTORE in the environment or .env (private_key_env / keystore_env rename them)"
            )
        if key not in TABLE_KEYS:
            raise ConfigurationError(f"{where}: unknown key '{key}'; known keys: {', '.join(TABLE_KEYS)}")
        checked[key] = TABLE_KEYS[key](value, f"{where} {key}")
    if "rpc_url" in checked and "rpc_url_env" in checked:
        raise ConfigurationError(f"{where}: give rpc_url or rpc_url_env, not both")
    if "keystore" in checked:
        checked["keystore"] = str((path.parent / Path(checked["keystore"]).expanduser()).resolve())
    return checked


@dataclass(frozen=True)
class _Definition:
    """A network as built in and/or as portchain.toml gives it, before the environment is read."""

    name: str
    table: Mapping[str, Any]
    file: Path | None = None


_BUILT_IN: dict[str, dict[str, Any]] = {
    "anvil": {"chain_id": 31337, "local": True, "confirmations": 0, "block_time": 1.0},
    "sepolia": {"chain_id": 11155111, "confirmations": 2, "block_time": 12.0},
    "besu": {"chain_id": 1337, "confirmations": 0, "block_time": 2.0},
}
# anvil's RPC URL and chain id keep their historical variable names (its keys are ANVIL_PRIVATE_KEY ...).
_ENV_NAMES = {"anvil": {"rpc_url": "PORTCHAIN_ANVIL_RPC_URL", "chain_id": "PORTCHAIN_ANVIL_CHAIN_ID"}}


def _toml() -> Any:
    """tomllib (Python 3.11+), else its backport tomli."""
    for module in ("tomllib", "tomli"):
        try:
            return importlib.import_module(module)
        except ModuleNotFoundError:
            continue
    raise ConfigurationError(f"reading {CONFIG_FILE} needs Python 3.11 or later (or `pip install tomli`)")


def _definitions() -> dict[str, _Definition]:
    definitions = {name: _Definition(name, table) for name, table in _BUILT_IN.items()}
    path = config_file()
    if path is None:
        return definitions
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigurationError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = _toml().loads(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigurationError(f"{path} is not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"networks"})
    if unknown:
        raise ConfigurationError(f"{path}: unknown key '{unknown[0]}'; {CONFIG_FILE} holds [networks.<name>] tables")
    tables = data.get("networks", {})
    if not isinstance(tables, dict):
        raise ConfigurationError(f"{path}: 'networks' must be a table of [networks.<name>] tables")
    for name, table in tables.items():
        checked = _check_table(path, name, table)
        base = definitions.get(name)
        if base is None and "chain_id" not in checked:
            raise ConfigurationError(f"{path}: [networks.{name}] needs chain_id")
        definitions[name] = _Definition(name, {**(base.table if base else {}), **checked}, path)
    return definitions


def _build(definition: _Definition) -> Network:
    """The network with the environment applied: each setting's variable overrides the file and the built-in."""
    name, table = definition.name, definition.table
    prefix = env_prefix(name)
    env_names = _ENV_NAMES.get(name, {})
    rpc_env = table.get("rpc_url_env") or env_names.get("rpc_url", f"{prefix}_RPC_URL")
    local = bool(table.get("local", False))
    token_env = f"{prefix}_SETTLEMENT_TOKEN"
    where = f"in {definition.file} [networks.{name}]"
    token, token_source = _env(token_env), token_env
    if token is None and "settlement_token" in table:
        token, token_source = table["settlement_token"], f"settlement_token {where}"
    if token is None and not local and _env(FALLBACK_SETTLEMENT_TOKEN):
        token, token_source = _env(FALLBACK_SETTLEMENT_TOKEN), FALLBACK_SETTLEMENT_TOKEN
    keys = KeySource(
        table.get("private_key_env", f"{prefix}_PRIVATE_KEY"),
        table.get("keystore_env", f"{prefix}_KEYSTORE"),
        table.get("keystore_password_env", f"{prefix}_KEYSTORE_PASSWORD"),
        table.get("keystore"),
        f"keystore {where}" if "keystore" in table else "",
    )
    return Network(
        name,
        _int_env(env_names.get("chain_id", f"{prefix}_CHAIN_ID"), int(table["chain_id"])),
        _env(rpc_env) or table.get("rpc_url"),
        confirmations=_int_env(f"{prefix}_CONFIRMATIONS", int(table.get("confirmations", 0))),
        local=local,
        rpc_env=rpc_env,
        block_time=_float_env(f"{prefix}_BLOCK_TIME", float(table.get("block_time", 1.0 if local else 12.0))),
        settlement_token=_check_address(token, token_source) if token else None,
        settlement_token_source=token_source if token else "",
        source=str(definition.file) if definition.file else "built-in",
        keys=keys,
    )


def network_names() -> list[str]:
    """The names of every network: the built-in ones, then those portchain.toml adds."""
    load_env()
    return list(_definitions())


def networks() -> dict[str, Network]:
    """Every configured network by name (the environment of each is read: a bad value of any is an error)."""
    load_env()
    return {name: _build(definition) for name, definition in _definitions().items()}


def list_networks() -> list[tuple[str, Network | ConfigurationError]]:
    """Every network by name, or the error its environment gives (for `portchain networks`)."""
    load_env()
    listed: list[tuple[str, Network | ConfigurationError]] = []
    for name, definition in _definitions().items():
        try:
            listed.append((name, _build(definition)))
        except ConfigurationError as exc:
            listed.append((name, exc))
    return listed


def get_network(name: str, *, rpc_url: str | None = None) -> Network:
    """The network called ``name``; a remote one must have its RPC URL configured (or given as ``rpc_url``)."""
    load_env()
    known = _definitions()
    if name not in known:
        raise UnknownNetworkError(f"unknown network {name!r}; known networks: {', '.join(known)}")
    network = _build(known[name])
    if rpc_url:
        return replace(network, rpc_url=rpc_url)
    if network.rpc_url is None and not network.local:
        also = f" or rpc_url in {network.source} [networks.{name}]" if network.source != "built-in" else ""
        raise ConfigurationError(
            f"network {name!r} needs an RPC URL: set {network.rpc_env}{also} (see .env.example)"
        )
    return network


# --------------------------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------------------------


def dev_account(index: int) -> LocalAccount:
    """Development account ``index`` of the public Anvil mnemonic (local networks only)."""
    return _dev_account(index)


@cache
def _dev_account(index: int) -> LocalAccount:
    Account.enable_unaudited_hdwallet_features()
    account: LocalAccount = Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")
    return account


def account_from_key(key: str, source: str = "the private key") -> LocalAccount:
    """An account from a hex private key; the error names ``source`` (a variable) and never echoes the key."""
    try:
        account: LocalAccount = Account.from_key(key.strip())
    except Exception:
        raise InputError(f"{source} is malformed (expected 32 bytes of hex)") from None
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


def _configured_account(keys: KeySource, network: str) -> LocalAccount | None:
    """The account ``keys`` configure, None if they configure none; both a key and a keystore is an error."""
    key = _env(keys.private_key_env)
    keystore, keystore_from = _env(keys.keystore_env), keys.keystore_env
    if keystore is None and keys.keystore_path:
        keystore, keystore_from = keys.keystore_path, keys.keystore_origin
    if key and keystore:
        raise ConfigurationError(
            f"{keys.private_key_env} and {keystore_from} are both set for network {network!r}: keep one of them"
        )
    if key:
        return account_from_key(key, keys.private_key_env)
    if keystore:
        password = os.environ.get(keys.keystore_password_env)
        if password is None:
            raise MissingKeyError(f"{keystore_from} is set but {keys.keystore_password_env} is not")
        return account_from_keystore(keystore, password)
    return None


def deployer_account(network: Network) -> LocalAccount:
    """The account that deploys and administers on ``network``: its own key (``<NAME>_PRIVATE_KEY``, or
    ``<NAME>_KEYSTORE`` with ``<NAME>_KEYSTORE_PASSWORD``); without one, Anvil's development account 0 on a local
    network, and ``PORTCHAIN_PRIVATE_KEY`` / ``PORTCHAIN_KEYSTORE`` on a remote one."""
    load_env()
    own = _configured_account(network.keys, network.name)
    if own is not None:
        return own
    if network.local:
        return dev_account(0)
    fallback = _configured_account(FALLBACK_KEYS, network.name)
    if fallback is not None:
        return fallback
    raise MissingKeyError(
        f"no key for network {network.name!r}: set {network.keys.describe()}, or {FALLBACK_PRIVATE_KEY} / "
        f"{FALLBACK_KEYSTORE} for every remote network (see .env.example)"
    )


def key_source(network: Network) -> str:
    """Which variable (or file) the deployer's key of ``network`` comes from, without reading the key: for messages
    such as `portchain networks`."""
    load_env()
    keys = network.keys
    if _env(keys.private_key_env):
        return keys.private_key_env
    if _env(keys.keystore_env):
        return keys.keystore_env
    if keys.keystore_path:
        return keys.keystore_origin
    if network.local:
        return "Anvil development account 0"
    for name in (FALLBACK_PRIVATE_KEY, FALLBACK_KEYSTORE):
        if _env(name):
            return f"{name} (fallback)"
    return f"none (set {keys.describe()})"
