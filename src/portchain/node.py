"""Find, start and stop a local Anvil node.

>>> with AnvilNode.start() as node:          # doctest: +SKIP
...     node.rpc_url
'http://127.0.0.1:40123'
"""

from __future__ import annotations

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

from .errors import NodeError


def find_anvil() -> Path:
    """$ANVIL_BIN, then ``anvil`` on PATH, then the project's node_modules (the native binary, not the node wrapper)."""
    explicit = os.environ.get("ANVIL_BIN")
    if explicit:
        if Path(explicit).is_file() and os.access(explicit, os.X_OK):
            return Path(explicit)
        raise NodeError(f"ANVIL_BIN={explicit} is not an executable file")
    on_path = shutil.which("anvil")
    if on_path:
        return Path(on_path)
    roots = [Path.cwd(), *Path.cwd().parents, *Path(__file__).resolve().parents]
    for root in roots:
        modules = root / "node_modules"
        if not modules.is_dir():
            continue
        for native in sorted(modules.glob("@foundry-rs/anvil-*/bin/anvil")):
            if os.access(native, os.X_OK):
                return native
        wrapper = modules / ".bin" / "anvil"
        if wrapper.exists():
            return wrapper
    raise NodeError("anvil not found: set ANVIL_BIN, put anvil on PATH, or run `npm ci` in the project")


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rpc_answers(url: str, timeout: float = 1.0) -> bool:
    """Whether ``url`` answers ``eth_chainId``."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return "result" in json.loads(response.read())
    except (OSError, ValueError):
        return False


class AnvilNode:
    """A running Anvil process on a loopback port; stop it with :meth:`stop` or a ``with`` block."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, state: Path | None) -> None:
        self.process = process
        self.port = port
        self.state = state
        self.rpc_url = f"http://127.0.0.1:{port}"

    @classmethod
    def start(
        cls,
        *,
        port: int | None = None,
        state: str | Path | None = None,
        chain_id: int = 31337,
        timeout: float = 30.0,
        extra_args: list[str] | None = None,
    ) -> AnvilNode:
        """Start Anvil and wait until it answers. ``state`` loads and, on stop, saves the chain to a file."""
        binary = find_anvil()
        port = port or free_port()
        args = [str(binary), "--host", "127.0.0.1", "--port", str(port), "--chain-id", str(chain_id), "--silent"]
        state_path = Path(state).resolve() if state else None
        if state_path is not None:
            state_path.parent.mkdir(parents=True, exist_ok=True)
            args += ["--state", str(state_path)]
        args += extra_args or []
        try:
            process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            raise NodeError(f"cannot start anvil ({binary}): {exc.strerror}") from None
        node = cls(process, port, state_path)
        deadline = time.monotonic() + timeout
        while not rpc_answers(node.rpc_url, timeout=0.5):
            if process.poll() is not None:
                err = (process.stderr.read() if process.stderr else b"").decode(errors="replace").strip()
                raise NodeError(f"anvil exited with code {process.returncode}: {err.splitlines()[-1] if err else ''}")
            if time.monotonic() > deadline:
                node.stop()
                raise NodeError(f"anvil did not answer on {node.rpc_url} within {timeout:.0f} s")
            time.sleep(0.05)
        return node

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the node cleanly (SIGTERM, so ``--state`` is written), killing it if it hangs."""
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

    def __enter__(self) -> AnvilNode:
        return self

    def __exit__(self, *exc: object | TracebackType | None) -> None:
        self.stop()
