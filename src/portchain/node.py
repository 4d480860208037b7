"""Find, start and stop a local development chain: Anvil (the default) or Ganache, both pinned in package.json.

Both engines run with the same development accounts (the public mnemonic of :data:`portchain.config.DEV_MNEMONIC`)
and chain id 31337, so the SDK's ``anvil`` network reaches either one.

>>> with LocalNode.start() as node:                   # doctest: +SKIP
...     node.rpc_url
'http://127.0.0.1:40123'
>>> with LocalNode.start(engine="ganache") as node:   # doctest: +SKIP
...     node.engine
'ganache'
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from .errors import InputError, NodeError, TransactionError

if TYPE_CHECKING:
    from .transactions import TransactionLayer

ENGINES = ("anvil", "ganache")
DEFAULT_CHAIN_ID = 31337
# Ganache 7.9 runs at most shanghai: it must match portchain.compiler.EVM_VERSION (a test holds it).
GANACHE_HARDFORK = "shanghai"
# Anvil funds each development account with 10,000 ether; Ganache is told to do the same.
DEV_BALANCE_ETHER = 10_000


def _project_modules() -> list[Path]:
    """node_modules folders of the project: from the cwd upwards, then above the installed package."""
    roots = [Path.cwd(), *Path.cwd().parents, *Path(__file__).resolve().parents]
    return [root / "node_modules" for root in roots if (root / "node_modules").is_dir()]


def _explicit_binary(variable: str) -> Path | None:
    explicit = os.environ.get(variable)
    if not explicit:
        return None
    if Path(explicit).is_file() and os.access(explicit, os.X_OK):
        return Path(explicit)
    raise NodeError(f"{variable}={explicit} is not an executable file")


def find_anvil() -> Path:
    """$ANVIL_BIN, then ``anvil`` on PATH, then the project's node_modules (the native binary, not the node wrapper)."""
    explicit = _explicit_binary("ANVIL_BIN")
    if explicit:
        return explicit
    on_path = shutil.which("anvil")
    if on_path:
        return Path(on_path)
    for modules in _project_modules():
        for native in sorted(modules.glob("@foundry-rs/anvil-*/bin/anvil")):
            if os.access(native, os.X_OK):
                return native
        wrapper = modules / ".bin" / "anvil"
        if wrapper.exists():
            return wrapper
    raise NodeError("anvil not found: set ANVIL_BIN, put anvil on PATH, or run `npm ci` in the project")


def find_ganache() -> Path:
    """$GANACHE_BIN, then the project's node_modules (the pinned version), then ``ganache`` on PATH."""
    explicit = _explicit_binary("GANACHE_BIN")
    if explicit:
        return explicit
    for modules in _project_modules():
        pinned = modules / ".bin" / "ganache"
        if pinned.exists() and os.access(pinned, os.X_OK):
            return pinned
    on_path = shutil.which("ganache")
    if on_path:
        return Path(on_path)
    raise NodeError("ganache not found: set GANACHE_BIN, run `npm ci` in the project, or put ganache on PATH")


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def check_port(port: int) -> int:
    """``port`` if a node can listen on it on 127.0.0.1; :class:`InputError` if it is no TCP port or is taken."""
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise InputError(f"port must be a TCP port from 1 to 65535, got {port!r}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # as the node's own listener will: connections of an earlier node still in TIME_WAIT do not block the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InputError(f"port {port} on 127.0.0.1 is already in use: pick another port") from None
            raise InputError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    return port


def rpc_answers(url: str, timeout: float = 1.0) -> bool:
    """Whether ``url`` answers ``eth_chainId``."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return "result" in json.loads(response.read())
    except (OSError, ValueError):
        return False


# Setting a balance by cheat code: Anvil's method, then Ganache's, then Hardhat's.
_BALANCE_METHODS = ("anvil_setBalance", "evm_setAccountBalance", "hardhat_setBalance")


def set_balance(layer: TransactionLayer, address: str, wei: int) -> None:
    """Set ``address``'s balance on a local development chain, whichever engine runs it (Anvil, Ganache, Hardhat)."""
    errors = []
    for method in _BALANCE_METHODS:
        response = layer.raw_request(method, [address, hex(wei)])
        if "error" not in response:
            return
        error = response["error"]
        errors.append(f"{method}: {error.get('message', error) if isinstance(error, dict) else error}")
    raise TransactionError(f"this node sets no balance by cheat code ({errors[0]})")


def _engine_args(engine: str, binary: Path, port: int, chain_id: int, state: Path | None) -> list[str]:
    if engine == "anvil":
        args = [str(binary), "--host", "127.0.0.1", "--port", str(port), "--chain-id", str(chain_id), "--silent"]
        return args + (["--state", str(state)] if state is not None else [])
    from .config import DEV_MNEMONIC

    args = [
        str(binary), "--server.host", "127.0.0.1", "--server.port", str(port), "--server.ws", "false",
        "--chain.chainId", str(chain_id), "--chain.networkId", str(chain_id), "--chain.hardfork", GANACHE_HARDFORK,
        "--wallet.mnemonic", DEV_MNEMONIC, "--wallet.defaultBalance", str(DEV_BALANCE_ETHER), "--logging.quiet",
    ]
    return args + (["--database.dbPath", str(state)] if state is not None else [])


class LocalNode:
    """A running local chain (Anvil or Ganache) on a loopback port; stop it with :meth:`stop` or a ``with`` block."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, state: Path | None, engine: str = "anvil") -> None:
        self.process = process
        self.port = port
        self.state = state
        self.engine = engine
        self.rpc_url = f"http://127.0.0.1:{port}"

    @classmethod
    def start(
        cls,
        *,
        engine: str = "anvil",
        port: int | None = None,
        state: str | Path | None = None,
        chain_id: int = DEFAULT_CHAIN_ID,
        timeout: float = 30.0,
        extra_args: list[str] | None = None,
    ) -> LocalNode:
        """Start ``engine`` and wait until it answers. ``state`` loads and, on stop, saves the chain: a JSON file for
        Anvil, a database folder for Ganache. A ``port`` given must be free; none picks a free one."""
        if engine not in ENGINES:
            raise InputError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
        port = free_port() if port is None else check_port(port)
        binary = find_anvil() if engine == "anvil" else find_ganache()
        state_path = Path(state).resolve() if state else None
        if state_path is not None:
            (state_path if engine == "ganache" else state_path.parent).mkdir(parents=True, exist_ok=True)
        args = _engine_args(engine, binary, port, chain_id, state_path) + (extra_args or [])
        try:
            process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            raise NodeError(f"cannot start {engine} ({binary}): {exc.strerror}") from None
        node = cls(process, port, state_path, engine)
        node._wait_until_it_answers(timeout)
        return node

    def _wait_until_it_answers(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not rpc_answers(self.rpc_url, timeout=0.5):
            if self.process.poll() is not None:
                err = (self.process.stderr.read() if self.process.stderr else b"").decode(errors="replace").strip()
                last = err.splitlines()[-1] if err else ""
                raise NodeError(f"{self.engine} exited with code {self.process.returncode}: {last}")
            if time.monotonic() > deadline:
                self.stop()
                raise NodeError(f"{self.engine} did not answer on {self.rpc_url} within {timeout:.0f} s")
            time.sleep(0.05)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the node cleanly (SIGTERM, so its state is written), killing it if it hangs."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stderr:
            self.process.stderr.close()

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def __enter__(self) -> LocalNode:
        return self

    def __exit__(self, *exc: object | TracebackType | None) -> None:
        self.stop()


# The name the SDK has always used; ``AnvilNode.start()`` still starts Anvil (engine="ganache" starts Ganache).
AnvilNode = LocalNode
